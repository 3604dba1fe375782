# The two commands: `make run` (portal with demo data on 127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
# Local development and tests run with DEBUG on; production sets DEBUG=0 and SECRET_KEY.
export DEBUG ?= 1

.PHONY: setup run test test-browser lint format check-deploy bench bench-pages bench-imports bench-report

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

# pytest exits 5 when it collected no test: that is a failure here, never a pass.
pytest = @set +e; $(VENV)/bin/pytest $(1); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$status

# The whole suite, tests/browser included (they need Debian's chromium at /usr/bin/chromium,
# or CHROMIUM set to another Chromium).
test: setup
	$(call pytest,$(PYTEST_ARGS))

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

# bench-report: the 2013/14 annual report's PDF built from the demo, uncached, three times
# (bench/report.py; a throwaway SQLite database unless BENCH_DATABASE_URL names another).
bench: bench-report
bench-report: $(VENV)/.installed
	$(PY) -m bench.report $(BENCH_REPORT_ARGS)
