# StrategyHub — developer commands. `make run` for the demo, `make test` for the suite.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
DEV_ENV := DEBUG=1

.PHONY: system-libs install install-dev lock assets run test bench lint format migrate seed clean messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Locked, hash-checked dependencies (requirements/*.txt, made by `make lock`), then the project
# itself without resolving anything (`--no-deps`; its build backend is in the lock too).
# The reports' PDF needs WeasyPrint's system libraries (Pango) and Debian's DejaVu fonts:
# installed here when run as root, else named (the HTML report works without them).
system-libs:
	@ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] \
	  || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq --no-install-recommends \
	         libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; \
	       else echo "PDF reports need: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"; fi; }
	@command -v msgfmt >/dev/null \
	  || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq --no-install-recommends gettext >/dev/null; \
	       else echo "The message catalogue (makemessages) needs: sudo apt-get install gettext"; fi; }

install: $(PY) assets system-libs
	$(PIP) install --quiet --require-hashes -r requirements/lock.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .

install-dev: $(PY) assets system-libs
	$(PIP) install --quiet --require-hashes -r requirements/dev-lock.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .

## Re-resolve the lock files from pyproject.toml (after changing a pin there), with hashes.
# The same pin as pyproject.toml's dev extra.
UV_VERSION := 0.13.9
UV_COMPILE := $(VENV)/bin/uv pip compile pyproject.toml requirements/build.in --universal \
	--python-version 3.11 --generate-hashes --quiet --custom-compile-command "make lock"
lock: $(PY)
	$(PIP) install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) -o requirements/lock.txt
	$(UV_COMPILE) --extra dev -o requirements/dev-lock.txt

assets: node_modules/.package-lock.json

# Node.js 22 LTS is the supported version (the image's asset stage); the packages are plain
# files (USWDS's built dist), so any Node with npm 9 or later installs the same tree.
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

## Extract every marked string into locale/es/LC_MESSAGES/django.po (docs/ui-language.md).
messages: install
	$(DEV_ENV) $(PY) manage.py makemessages -l es --no-obsolete --ignore=node_modules \
	  --ignore=data --ignore=staticfiles --ignore=tests --ignore=bench --ignore=scripts

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules staticfiles data .pytest_cache
