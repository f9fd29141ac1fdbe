# Jiedu: the two commands a newcomer needs are `make serve` and `make test`.
# Needs GNU make 4.3+, Python 3.11 and Node 20 (npm). Everything else is installed from the lock files.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PYTEST_ARGS ?=
CHROMIUM := /usr/bin/chromium
NO_CHROMIUM := Chromium not found at $(CHROMIUM): browser tests are skipped (apt-get install chromium fonts-noto-cjk)

# Stamps live inside what they describe, so deleting .venv or node_modules also forgets the stamp.
PY_STAMP := $(VENV)/.jiedu-installed
NODE_STAMP := node_modules/.jiedu-installed
VENDOR := src/jiedu/static/vendor
ASSETS := $(VENDOR)/htmx.min.js $(VENDOR)/echarts.min.js

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install assets serve migrate seed test test-browser test-fault bench lint security fuzz messages clean

help:
	@echo "make serve         install, build assets, migrate, load the demo region and serve http://127.0.0.1:8000"
	@echo "make test          the whole test suite (SQLite; set DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make test-browser  only the browser tests (needs $(CHROMIUM))"
	@echo "make test-fault    fault drills on loopback: kill -9 the server mid-submission, restart PostgreSQL"
	@echo "make bench         benchmarks against the local PostgreSQL; writes docs/performance.md"
	@echo "make lint          ruff over src, tests and scripts (rules in pyproject.toml)"
	@echo "make security      bandit (medium and high fail) and the dependency audit with SBOM (var/sbom.json)"
	@echo "make fuzz          schemathesis against the API on 127.0.0.1 (FUZZ_EXAMPLES=$(FUZZ_EXAMPLES))"
	@echo "make messages      update and compile the zh_Hans translations (needs gettext)"
	@echo "make clean         remove .venv, node_modules and built assets (keeps var/ and its database)"

# --- Python -------------------------------------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): requirements-dev.lock requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --no-deps -e .
	@touch $@

install: $(PY_STAMP)

# --- Front-end assets (npm lock file -> src/jiedu/static/vendor/) --------------------------------------

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(ASSETS) &: $(NODE_STAMP) scripts/build_assets.mjs
	node scripts/build_assets.mjs

assets: $(ASSETS)

# --- Running -------------------------------------------------------------------------------------------

migrate: install
	@mkdir -p var
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) -m jiedu seed-demo

serve: install assets seed
	$(PY) manage.py runserver 127.0.0.1:8000

# --- Tests ---------------------------------------------------------------------------------------------

test: install assets
	@mkdir -p var
	@if [ -x $(CHROMIUM) ]; then \
		$(BIN)/pytest -m "not fault" $(PYTEST_ARGS); \
	else \
		echo "$(NO_CHROMIUM)"; \
		status=0; $(BIN)/pytest -m "not browser and not fault" $(PYTEST_ARGS) || status=$$?; \
		echo "$(NO_CHROMIUM)"; \
		exit $$status; \
	fi

test-browser: install assets
	@mkdir -p var
	@if [ ! -x $(CHROMIUM) ]; then echo "Chromium not found at $(CHROMIUM): apt-get install chromium fonts-noto-cjk"; exit 1; fi
	@# pytest exits 5 when nothing was collected: for this target that is a failure, not a pass.
	@status=0; $(BIN)/pytest -m browser $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "No browser test was collected (pytest -m browser)."; fi; \
	exit $$status

# The fault drills need PostgreSQL (DATABASE_URL) and root to restart it; each drill is bounded.
test-fault: install
	@mkdir -p var
	@status=0; $(BIN)/pytest -m fault $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "No fault test was collected (pytest -m fault)."; fi; \
	exit $$status

# --- Benchmarks (issue 7): PostgreSQL only; BENCH_SMOKE=1 runs every benchmark on a tiny region ------

BENCH_ARGS ?=

bench: install assets
	@mkdir -p var
	$(PY) -m jiedu.scale.bench $(BENCH_ARGS)

# --- Static analysis and fuzzing (issue 6: CFG-02, API-01) --------------------------------------------

FUZZ_EXAMPLES ?= 10
FUZZ_ARGS ?=

lint: install
	$(BIN)/ruff check src tests scripts

# bandit: -ll reports medium and high only; a reviewed exception is a `# nosec BXXX` with its reason.
# The dependency audit prints "SKIPPED: vulnerability database unreachable" when it cannot look.
security: install
	$(BIN)/bandit -r src -ll -q -c pyproject.toml
	@mkdir -p var
	$(PY) scripts/audit_dependencies.py

fuzz: install
	@mkdir -p var
	$(PY) scripts/fuzz_api.py --max-examples $(FUZZ_EXAMPLES) $(FUZZ_ARGS)

# --- Maintainers ---------------------------------------------------------------------------------------

messages: install
	cd src/jiedu && DJANGO_SETTINGS_MODULE=jiedu.settings ../../$(BIN)/django-admin makemessages -l zh_Hans \
		--ignore 'static/*'
	cd src/jiedu && DJANGO_SETTINGS_MODULE=jiedu.settings ../../$(BIN)/django-admin compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) node_modules $(VENDOR)
