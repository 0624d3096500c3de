# StrategyHub — developer commands. `make run` for the demo, `make test` for the suite.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DEV_ENV := DEBUG=1

.PHONY: install install-dev assets run test bench lint format migrate seed clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

install: $(PY) assets
	$(PIP) install --quiet -e .

install-dev: $(PY) assets
	$(PIP) install --quiet -e ".[dev]"

assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(PY) manage.py seed_demo

## Install, migrate, seed the demo agency and serve http://127.0.0.1:8000 (SQLite, no services).
run: seed
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

## Install the dev extra and run the whole suite (uses DATABASE_URL / REDIS_URL when set).
test: install-dev
	$(VENV)/bin/pytest -n auto

## Benchmark the large agency (needs DATABASE_URL=postgres://… and REDIS_URL; see docs/performance.md).
bench: install-dev
	$(VENV)/bin/python bench/run.py

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles data .pytest_cache
