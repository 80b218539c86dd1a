# Halte — the two commands that matter are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
DEV_ENV := HALTE_ENV=development
# Production-like settings for `check --deploy` (a throwaway key, never used to serve).
DEPLOY_ENV := HALTE_ENV=production HALTE_ALLOWED_HOSTS=halte.example.org \
	HALTE_CLIENT_CODE_KEY=check-deploy-only-not-a-real-key-0123456789abcdef \
	HALTE_SOCIAL_FILE_KEY=Y2hlY2stZGVwbG95LW9ubHktbm90LWEtcmVhbC1rZXk= \
	HALTE_SECRET_KEY=check-deploy-only-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH

.PHONY: run test test-e2e quality lock venv migrate demo clean help

help:
	@echo "make run      set up, migrate, load the demo network, serve on http://127.0.0.1:8000 with a worker"
	@echo "make test     set up and run the whole test suite"
	@echo "make test-e2e the browser tests alone (needs Chromium)"
	@echo "make quality  ruff, formatting, mypy (code, benchmarks, scripts), migrations check, check --deploy"

$(STAMP): requirements/base.txt requirements/dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Halte needs Python 3.11 or newer.")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes \
		-r requirements/base.txt -r requirements/dev.txt
	touch $(STAMP)

venv: $(STAMP)

# A development checkout says so in .env (never committed): manage.py then runs as `make run` does.
.env:
	printf '# Written by make run: this checkout is a development one. Remove it on a server.\nHALTE_ENV=development\n' > .env

migrate: $(STAMP) .env
	$(DEV_ENV) $(MANAGE) migrate --noinput

demo: migrate
	$(DEV_ENV) $(MANAGE) load_demo
	$(DEV_ENV) $(MANAGE) load_alerts_demo
	$(DEV_ENV) $(MANAGE) load_neighbourhood_demo
	$(DEV_ENV) $(MANAGE) load_outreach_demo
	$(DEV_ENV) $(MANAGE) load_planning_demo
	$(DEV_ENV) $(MANAGE) generate_activity --days 90

run: demo
	@echo ""
	@echo "Halte: http://127.0.0.1:8000  (demo logins, password: $${HALTE_DEMO_PASSWORD:-demo-password})"
	@echo "  reception-paris  nurse-paris  manager-paris  (Paris HSA)"
	@echo "  coordinator  evaluator  admin  (whole network)"
	@echo "Background jobs (solves, report files, roll-ups): a worker runs beside the server."
	@echo "Ctrl-C stops both."
	@echo ""
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(MANAGE) worker --verbosity 0 & worker=$$!; \
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

# The suite runs on every core (pytest-xdist), tests handed out one at a time: schemathesis's
# operations are items of their own only that way. TEST_WORKERS=0 runs it in this one process.
TEST_WORKERS ?= auto

test: $(STAMP)
	@command -v chromium >/dev/null 2>&1 || test -x /usr/bin/chromium \
		|| echo "NOTE: Chromium not found: the browser tests will be SKIPPED (apt-get install chromium)."
	$(BIN)/pytest -n $(TEST_WORKERS) --dist load

# The browser tests alone (marker e2e), e.g. on PostgreSQL, where CI leaves them to the SQLite run:
# DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make test-e2e
test-e2e: $(STAMP)
	$(BIN)/pytest -m e2e

# mypy on the benchmarks and scripts too, in two calls: those of bench/planning and the two at
# bench/ import their neighbours by file name, those of bench/reports as the package bench.reports.
quality: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy halte config
	$(BIN)/mypy bench/planning bench/checkin_load.py bench/jobs_queue.py scripts
	$(BIN)/mypy --explicit-package-bases bench/reports
	$(BIN)/djlint --lint halte
	HALTE_ENV=test $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

lock:
	$(BIN)/pip install --quiet pip-tools
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links base.in -o base.txt
	cd requirements && ../$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links dev.in -o dev.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
