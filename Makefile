# Two commands to know: `make run` (try the app) and `make test` (run every test).
# Everything else here is what those two are made of.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
# Python 3.11 when the machine has it, else whatever python3 is (pyproject says which work).
PYTHON ?= $(shell command -v python3.11 || command -v python3)

# `make run` settings; override on the command line, e.g. `make run PORT=8080`.
DEBUG ?= true
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# Stamps: each install step re-runs only when the file it installs from changes.
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
SYSTEM_STAMP := $(VENV)/.system-packages
NODE_STAMP := node_modules/.installed
# GOV.UK Frontend compiled from its Sass with the system font stack (GDS Transport is for
# GOV.UK only); built here, never committed.
GOVUK_CSS := static/build/govuk-frontend.css

.PHONY: help install install-test run serve test lint check-deploy bench clean

help:
	@echo "make run           install, load the demo data and serve http://$(HOST):$(PORT)/"
	@echo "make serve         the production shape: gunicorn and the task worker (scripts/serve.sh)"
	@echo "make test          install the test tools and run the whole test suite"
	@echo "make install       install Python and front-end packages into .venv and node_modules"
	@echo "make lint          ruff check, the import layers (lint-imports) and bandit"
	@echo "make check-deploy  Django's deployment checks with production-like settings"
	@echo "make bench         run the benchmarks in bench/"

install: $(APP_STAMP) $(NODE_STAMP) $(GOVUK_CSS)

install-test: install $(TEST_STAMP)
	@bash scripts/system-packages.sh browser

$(SYSTEM_STAMP): scripts/system-packages.sh
	@bash scripts/system-packages.sh pdf
	@mkdir -p $(VENV) && touch $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# Editable, so the checkout itself is what runs; pyproject.toml is the only list of dependencies.
$(APP_STAMP): pyproject.toml $(SYSTEM_STAMP) | $(VENV)/bin/python
	$(PIP) install --editable .
	@touch $@

# The [rq] extra too, so the tests can check the RQ task backend's configuration.
$(TEST_STAMP): pyproject.toml $(APP_STAMP)
	$(PIP) install --editable ".[test,rq]"
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --silence-deprecation=import: GOV.UK Frontend 5 is configured through @import.
$(GOVUK_CSS): static/scss/govuk-frontend.scss static/scss/_public-letter.scss $(NODE_STAMP)
	@mkdir -p $(@D)
	node_modules/.bin/sass --no-source-map --style=compressed --load-path=node_modules \
		--quiet-deps --silence-deprecation=import $< $@

run: install
	@export DEBUG="$(DEBUG)"; \
	export SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}"; \
	$(PY) manage.py migrate --no-input; \
	$(PY) manage.py load_catalogue; \
	$(PY) manage.py load_clauses; \
	$(PY) manage.py load_demo; \
	echo; \
	echo "Sign in at http://$(HOST):$(PORT)/sign-in/ with one of the users above. Ctrl+C stops the server."; \
	echo; \
	exec $(PY) manage.py runserver "$(HOST):$(PORT)"

# The production shape on this machine: gunicorn (gunicorn.conf.py) and the task worker,
# on DATABASE_URL's database; settings from the environment (.env.example).
serve: install
	@HOST="$(HOST)" PORT="$(PORT)" exec bash scripts/serve.sh

test: install-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo
	$(VENV)/bin/bandit -q -c pyproject.toml -r responses exemptions foi_portal

# The same bar CI sets: any warning fails.
check-deploy: install
	@DEBUG=false \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=example.org EMAIL_HOST=smtp.example.org SITE_URL=https://example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: install-test
	@shopt -s nullglob; benchmarks=(bench/*.py); \
	if [[ $${#benchmarks[@]} -eq 0 ]]; then echo "No benchmarks in bench/ yet."; exit 0; fi; \
	for benchmark in "$${benchmarks[@]}"; do \
		echo "== $$benchmark"; \
		$(PY) "$$benchmark"; \
	done

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .pytest_cache .ruff_cache *.egg-info
