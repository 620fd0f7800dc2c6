# Two commands do everything on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
VENV := .venv
PY := $(VENV)/bin/python

# The first Python >= 3.12 that really runs: $(PYTHON) if given, then python3.14/3.13/3.12 on the PATH (pyenv shims
# that are not activated fail and are skipped), then pyenv's own installs, newest first.
define find_python
for candidate in "$(PYTHON)" python3.14 python3.13 python3.12 python3 \
    $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  [ -n "$$candidate" ] || continue; \
  if "$$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: audit backup restore bench help run test test-sqlite test-sqlite-unit test-postgres install install-dev migrate load-data static seed-demo clear-demo check messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.created:
	@python=$$($(find_python)) || { echo "No Python >= 3.12 found (Django 6.1 needs one). Install one, or run: make PYTHON=/path/to/python3.12 ..." >&2; exit 1; }; \
	echo "Using $$python ($$($$python --version))"; \
	$$python -m venv $(VENV) && $(PY) -m pip install --quiet --upgrade pip && touch $@

$(VENV)/.installed: $(VENV)/.created requirements.lock
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(PY) -m pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed ## Install the runtime dependencies into .venv

install-dev: $(VENV)/.installed-dev ## Install the test dependencies too

migrate: install
	$(PY) manage.py migrate --noinput

load-data: migrate ## Load the real, sourced data of fixtures/ (idempotent)
	$(PY) manage.py load_real_data

static: install
	$(PY) manage.py collectstatic --noinput -v0

run: load-data static ## Install, migrate, load the data and serve on $(HOST):$(PORT) with gunicorn
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(VENV)/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile -

# The suite on SQLite and on PostgreSQL side by side (one core each, each run's output printed whole when it ends), then
# the tests that serve the site over HTTP and drive Chromium, alone, so that no other run slows their timed answers.
test: install-dev ## Run the whole suite: on SQLite and on a real PostgreSQL server the suite starts itself, then in Chromium
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite-unit test-postgres
	$(PY) -m pytest -m "browser or server"

test-sqlite: install-dev ## The whole suite on SQLite only, browser tests included
	$(PY) -m pytest

test-sqlite-unit: install-dev
	$(PY) -m pytest -m "not browser and not server"

test-postgres: install-dev ## The suite on PostgreSQL (browser and served-site tests run on SQLite only)
	$(PY) -m pytest --engine=postgres -m "not browser and not server"

# The English catalogue: locale/en/LC_MESSAGES/django.po, and its compiled .mo, both kept in the repository so that
# serving needs no gettext (tests/test_translations.py checks they agree and that no string of the code is missing).
messages: install ## Update the English catalogue from the code and compile it (needs GNU gettext); then translate
	$(PY) manage.py makemessages -l en --no-obsolete -i "var/*" -i "tests/*" -i "bench/*" -i "static/*" -i "locale/*"
	$(PY) manage.py compilemessages -l en -i ".venv" -i "var"

check: install-dev ## Django checks and missing migrations
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

seed-demo: load-data ## Add synthetic data for benchmarks (MEMBERS=…, EVENTS=…)
	$(PY) manage.py seed_demo --members $${MEMBERS:-100000} --events $${EVENTS:-10000}

clear-demo: install ## Remove every synthetic row, and nothing else
	$(PY) manage.py seed_demo --clear

audit: install ## Known vulnerabilities in the locked dependencies (pip-audit; fails if any is found)
	@$(PY) -m pip_audit --version >/dev/null 2>&1 || $(PY) -m pip install --quiet pip-audit
	$(PY) -m pip_audit --progress-spinner off --no-deps --disable-pip -r requirements.lock -r requirements-dev.lock

backup: install ## Copy the whole database to var/backups/ (SQLite online backup, or pg_dump)
	$(PY) manage.py backup

restore: install ## Put the database back from FILE=… (a file written by make backup), all or nothing
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/…" >&2; exit 2; }
	$(PY) manage.py restore "$(FILE)"

bench: install-dev ## Every page type and the archive search at synthetic scale, SQLite and PostgreSQL, under load (needs wrk); writes docs/performance.md
	$(PY) bench/pages.py
