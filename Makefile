# Datamill: `make run` starts everything, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
FRONTEND_SOURCES := $(shell find frontend -type f \( -name '*.ts' -o -name '*.tsx' -o -name '*.css' \) -not -path '*/dist/*' -not -path '*/node_modules/*' 2>/dev/null)

.PHONY: run test install install-dev lock frontend browser migrate lint api-types api-types-check pytest vitest e2e bench dev-redis dev-web dev-worker dev-vite clean

run: install frontend migrate
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py start

test: install-dev frontend browser lint pytest vitest

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Dependencies are declared in requirements.in and requirements-dev.in (each with its reason); `make lock`
# compiles them into requirements.txt and requirements-dev.txt, every package pinned with its hashes, from
# the public index alone (this machine's pip settings and extra indexes are left out). Pins already in the
# locks are kept: to move a direct dependency edit its pin in the .in file; to move a transitive one,
# `make lock UPGRADE="-P name"` (UPGRADE=-U moves everything).
LOCK_VENV ?= /tmp/datamill-lock-venv
PIP_TOOLS := pip-tools==7.6.2
PIP_COMPILE = env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE)

lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/pip install --quiet $(PIP_TOOLS); }
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(PYTHON) tests/check_requirements.py

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/manifest.json: node_modules/.installed vite.config.js $(FRONTEND_SOURCES)
	npm run --silent build

install: $(VENV)/.runtime node_modules/.installed
install-dev: $(VENV)/.dev node_modules/.installed
frontend: frontend/dist/manifest.json

migrate: install
	$(PY) manage.py migrate --noinput -v 0

lint: install-dev node_modules/.installed api-types-check
	$(PY) tests/check_requirements.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	npm run --silent lint

# The API's types for the front end: the OpenAPI document (keys sorted, so a regeneration diffs cleanly) and the
# TypeScript that openapi-typescript makes of it, both checked in. Needs the settings, not a server or a database.
API_TYPES_DIR := frontend/lib/api
define write_api_types
	set -o pipefail; log=$$(mktemp); \
	$(PY) manage.py spectacular --format openapi-json --skip-checks 2>"$$log" \
	  | $(PY) -m json.tool --sort-keys --no-ensure-ascii --indent 2 >$(1)/schema.json \
	  || { cat "$$log" >&2; rm -f "$$log"; exit 1; }; rm -f "$$log"
	npx --no-install openapi-typescript $(1)/schema.json --enum-values --output $(1)/schema.ts >/dev/null
endef

# Run after changing an endpoint or a serializer (and after merging someone else's), then commit both files.
api-types: install node_modules/.installed
	$(call write_api_types,$(API_TYPES_DIR))

# Fails when the checked-in document or types differ from what the code generates now.
api-types-check: install node_modules/.installed
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory API_TYPES_DIR="$$tmp" api-types >/dev/null && \
	for file in schema.json schema.ts; do \
	  diff -u $(API_TYPES_DIR)/$$file "$$tmp/$$file" | head -40; \
	  cmp -s $(API_TYPES_DIR)/$$file "$$tmp/$$file" \
	    || { echo "$(API_TYPES_DIR)/$$file is out of date: run make api-types and commit it" >&2; exit 1; }; \
	done

pytest: install-dev frontend
	$(BIN)/pytest

vitest: node_modules/.installed
	npm test --silent
	npm run --silent typecheck

e2e: install-dev frontend browser
	$(BIN)/pytest tests/e2e

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "The browser tests need Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

# Speed and memory figures, each beside a plain-DuckDB baseline measured in the same run.
bench: install-dev
	$(PY) bench/bench_ingest.py $(BENCH_ARGS)
	$(PY) bench/bench_engine.py $(BENCH_ARGS)
	$(PY) bench/bench_query_cache.py $(BENCH_ARGS)
	$(PY) bench/bench_live.py
	$(PY) bench/bench_sql.py $(BENCH_ARGS)
	$(PY) bench/bench_load.py $(BENCH_LOAD_ARGS)
	$(PY) bench/bench_diff.py $(BENCH_ARGS)
	$(PY) bench/bench_upload.py $(BENCH_UPLOAD_ARGS)
	$(PY) bench/bench_recipe.py $(BENCH_ARGS)
	$(PY) bench/bench_fairness.py
	$(PY) bench/bench_limits.py $(BENCH_LIMITS_ARGS)

# Pieces run separately in development (see README).
dev-vite: node_modules/.installed
	npm run dev

dev-redis: install
	$(PY) manage.py start --redis-only

dev-web: install migrate
	VITE_DEV=true DEBUG=true $(BIN)/uvicorn project.asgi:application --reload --lifespan off \
	  --host $${HOST:-127.0.0.1} --port $${PORT:-8000}

dev-worker: install
	$(BIN)/celery -A project worker --queues celery,queries --loglevel INFO --concurrency 2

clean:
	rm -rf $(VENV) node_modules frontend/dist var/static
