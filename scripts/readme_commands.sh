#!/usr/bin/env bash
# The README's commands, run as written in this checkout (CI runs it on a fresh clone): `make run`
# in the background until it serves, then each line of the README's API example, the token that
# `issue_token` prints standing for the README's `halte_…`. Stops the server whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=8000
LOG=$(mktemp)
if (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null; then
  echo "!! port $PORT is taken: the README's commands cannot be checked here" >&2
  exit 1
fi

setsid make run >"$LOG" 2>&1 &
SERVER=$!
stop() {
  kill -- -$SERVER 2>/dev/null || kill $SERVER 2>/dev/null || true
  pkill -f "manage.py runserver 127.0.0.1:$PORT" 2>/dev/null || true
  rm -f "$LOG"
}
trap stop EXIT

for _ in $(seq 1 600); do
  (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break
  kill -0 $SERVER 2>/dev/null || { cat "$LOG"; echo "!! make run stopped" >&2; exit 1; }
  sleep 1
done
echo "== make run serves on port $PORT"

# The API example: the second fenced block of the README.
mapfile -t LINES < <(awk '/^```sh$/{n++; inside=1; next} /^```$/{inside=0; next} inside && n==2' README.md | sed 's/ *#.*$//' | sed '/^$/d')
TOKEN=""
for line in "${LINES[@]}"; do
  echo "\$ $line"
  if [[ $line == *"issue_token"* ]]; then
    TOKEN=$(bash -c "$line" | tail -n 1)
    [[ $TOKEN == halte_* ]] || { echo "!! issue_token printed: $TOKEN" >&2; exit 1; }
    echo "   (a token, halte_…)"
  else
    out=$(bash -c "${line//halte_…/$TOKEN} --fail --silent --show-error")
    python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); assert isinstance(d, list), d' <<<"$out"
    echo "   ok: $(python3 -c 'import json,sys; print(len(json.loads(sys.stdin.read())))' <<<"$out") sites open now"
  fi
done
echo "== the README's commands work as written"
