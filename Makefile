# The two commands: `make run` (portal with demo data on 127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
# Local development and tests run with DEBUG on; production sets DEBUG=0 and SECRET_KEY.
export DEBUG ?= 1

.PHONY: setup run serve test test-browser lint format check-deploy bench bench-pages bench-imports \
	bench-report bench-load backup restore

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

include mk/assets.mk

setup: $(VENV)/.installed assets

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

# Production-like: DEBUG off, gunicorn (ccgportal/gunicorn_conf.py: WEB_CONCURRENCY workers, else
# two a core and one, on BIND, default 127.0.0.1:8000), static files collected into staticfiles/
# and served by whitenoise. Needs SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL) from
# the environment; it migrates the database named there but creates no database, user or data.
# collectstatic runs every time: with DEBUG off a page whose static files were never collected
# cannot be drawn.
serve: setup
	@missing=""; for name in SECRET_KEY ALLOWED_HOSTS DATABASE_URL; do \
		[ -n "$${!name}" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
		echo "make serve needs$$missing in the environment (README, \"Settings\")" >&2; exit 1; fi
	DEBUG=0 $(PY) manage.py migrate --noinput
	DEBUG=0 $(PY) manage.py collectstatic --noinput
	DEBUG=0 exec $(VENV)/bin/gunicorn --config ccgportal/gunicorn_conf.py ccgportal.wsgi

# Backups (README, "Backups"): the database DATABASE_URL names (the SQLite file db.sqlite3 without
# it) to FILE, or backups/ccgportal-<UTC time>.dump (PostgreSQL) or .sqlite3; restored with
# `make restore FILE=…`, into an empty database unless REPLACE=1.
backup: $(VENV)/.installed
	$(PY) manage.py backup $(FILE)

restore: $(VENV)/.installed
	@[ -n "$(FILE)" ] || { echo "make restore needs FILE=, a file make backup wrote" >&2; exit 1; }
	$(PY) manage.py restore "$(FILE)" $(if $(REPLACE),--replace)

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
pytest = @set +e; $(VENV)/bin/pytest $(1); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

# The whole suite, tests/browser included (they need Debian's chromium at /usr/bin/chromium,
# or CHROMIUM set to another Chromium), in one process per core (pytest-xdist; each has its own
# test database with the demo loaded once). PYTEST_WORKERS=0 runs it in this process alone.
PYTEST_WORKERS ?= auto
test: setup
	$(call pytest,-n $(PYTEST_WORKERS) $(PYTEST_ARGS))

# Only the real-browser tests: each role's journey in headless Chromium (README, "Tests").
test-browser: setup
	$(call pytest,tests/browser $(PYTEST_ARGS))

# Django's deployment checks with a production environment (DEBUG off, a fresh random key,
# a real host name): every warning fails. Production sets the same variables for real.
check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	ALLOWED_HOSTS=portal.example.nhs.uk $(PY) manage.py check --deploy --fail-level WARNING

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# `make bench` runs every benchmark; each one adds itself as a prerequisite (`bench: bench-x`).
# bench-pages: server time of the dashboard pages on PostgreSQL with synthetic data at scale 1
# and 100 (bench/pages.py; BENCH_ARGS="--scales 1,10 --requests 50" to vary it).
bench: bench-pages bench-imports

bench-pages: $(VENV)/.installed
	$(PY) -m bench.pages $(BENCH_ARGS)

# bench-imports: 100,000 long-layout rows imported from CSV and from .xlsx into PostgreSQL,
# against COPY of the same rows (bench/imports.py; BENCH_IMPORT_ARGS="--rows 10000" to vary).
bench-imports: $(VENV)/.installed
	$(PY) -m bench.imports $(BENCH_IMPORT_ARGS)

# bench-load: locust against gunicorn on PostgreSQL (a throwaway database, ccgportal_load),
# the demo alone and at synthetic scale 100: requests a second, median and p95 latency and errors
# per page (bench/load.py; BENCH_LOAD_ARGS="--scales 0 --seconds 10 --port 8001" to vary).
bench: bench-load
bench-load: $(VENV)/.installed
	$(PY) -m bench.load $(BENCH_LOAD_ARGS)

# bench-report: the 2013/14 annual report's PDF downloaded from the demo, cold and cached, three times
# (bench/report.py; a throwaway SQLite database unless BENCH_DATABASE_URL names another).
bench: bench-report
bench-report: $(VENV)/.installed
	$(PY) -m bench.report $(BENCH_REPORT_ARGS)
