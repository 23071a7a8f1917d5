# One task runner for people and CI. Needs only Python 3.11+ on the PATH.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000

# The embedded default: SQLite in var/, mails printed on the console.
export HUB_DEBUG ?= 1
# Links that leave the pages (mails, feeds, calendars, the archive's editions) point where
# `make run` serves: `make run PORT=8101` writes http://127.0.0.1:8101/… Set HUB_SITE_URL
# to override (behind a proxy, the public address).
export HUB_SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run install install-test messages demo serve test test-fast lint format bench clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml package.json
	$(PIP) install --quiet -e ".[test]"
	npm install --no-audit --no-fund --silent
	touch $@

install: $(VENV)/.installed messages

install-test: $(VENV)/.installed-test messages

# Compiles the translation catalogues with Babel: GNU gettext need not be installed.
messages: $(VENV)/.installed
	$(PY) -m coalition.core.compilemessages

demo: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_activities
	$(PY) manage.py load_demo_updates
	$(PY) manage.py load_demo_consultations
	$(PY) manage.py load_demo_monitoring
	$(PY) manage.py load_demo_catalogue

run: demo
	$(PY) manage.py runhub --host $(HOST) --port $(PORT)

test: install-test
	$(PY) -m pytest -p no:cacheprovider -n 2 --dist loadgroup $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-test
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var node_modules staticfiles
