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

# A background job of a script starts with SIGINT ignored, and an ignored signal stays ignored in
# every child; a terminal's foreground command does not. Restore it, so that the Ctrl-C below is
# the one a person at the terminal sends.
setsid python3 -c 'import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp("make", ["make", "run"])' >"$LOG" 2>&1 &
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

# make run also started a worker: the first periodic job (the reports' roll-ups) runs on it.
for _ in $(seq 1 90); do
  .venv/bin/python manage.py shell -c \
    "import sys; from halte.jobs.models import Job; sys.exit(0 if Job.objects.filter(status='done').exists() else 1)" \
    2>/dev/null && break
  sleep 1
done
.venv/bin/python manage.py shell -c \
  "import sys; from halte.jobs.models import Job; sys.exit(0 if Job.objects.filter(status='done').exists() else 1)" \
  || { cat "$LOG"; echo "!! no background job ran: is the worker running?" >&2; exit 1; }
echo "== the worker started by make run ran a job"

# One Ctrl-C (SIGINT to the foreground process group) stops the server and the worker.
kill -INT -- -$SERVER
for _ in $(seq 1 30); do
  pgrep -f "manage.py (worker|runserver 127.0.0.1:$PORT|qcluster)" >/dev/null || break
  sleep 1
done
if pgrep -af "manage.py (worker|runserver 127.0.0.1:$PORT)"; then
  echo "!! Ctrl-C left the processes above running" >&2
  exit 1
fi
echo "== one Ctrl-C stopped the server and the worker"
