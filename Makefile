# Collectifs DS: developer and CI entry points.
#
#   make install       create .venv and install the pinned dependencies (instant when up to date)
#   make system-deps   as root on Debian: install chromium, PostgreSQL 15, redis-server, fonts, pango if missing
#   make run           migrate, load the demo data, start the task worker, the workflow timers and the dev server
#   make lint          ruff, ruff format, import-linter (one-way layers), mypy, makemigrations --check
#   make test          lint, then pytest on SQLite, on PostgreSQL, then the browser tests
#   make bench         the national benchmark on a throwaway PostgreSQL: table in var/banc/ (docs/banc.md)
#   make charge        the bounded load test (gunicorn, PostgreSQL, RQ): report in var/charge/ (docs/charge.md)
#   make clean         remove var/ and caches (keeps .venv)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_WORKERS ?= 2
CHROMIUM_PATH ?= /usr/bin/chromium
TEST_SETTINGS := config.settings.test
# Seconds between two runs of `manage.py workflow_timers` (reminders, escalations, and the repair of missing
# declaration processes) and of `manage.py documents_seances --recuperer` (séance documents whose job died) under
# `make run`.
TIMERS_INTERVAL ?= 60

# The pinned lock file (pip freeze); before it exists, the unpinned inputs.
ifneq ($(wildcard requirements-dev.txt),)
REQUIREMENTS := requirements-dev.txt
REQUIREMENTS_DEPS := requirements-dev.txt $(wildcard requirements.txt)
else
REQUIREMENTS := requirements-dev.in
REQUIREMENTS_DEPS := requirements-dev.in requirements.in
endif

# Tests choose their own database: SQLite unless with-postgres.sh sets DATABASE_URL.
TEST_ENV := env -u DATABASE_URL DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS)

.PHONY: help install system-deps run lint test test-sqlite test-postgres test-browser bench charge clean

help:
	@sed -n 's/^#   //p' $(firstword $(MAKEFILE_LIST))

install: $(VENV)/.installed

$(VENV)/pyvenv.cfg:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file (or the venv itself) is newer than the stamp.
$(VENV)/.installed: $(REQUIREMENTS_DEPS) $(VENV)/pyvenv.cfg
	$(BIN)/pip install -q --disable-pip-version-check -r $(REQUIREMENTS)
	touch $@

system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if ! command -v initdb >/dev/null && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
		missing="$$missing postgresql-15"; \
	fi; \
	[ -d /usr/share/fonts/truetype/dejavu ] || missing="$$missing fonts-dejavu-core"; \
	command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing="$$missing redis-server"; \
	libs=$$(PATH="$$PATH:/usr/sbin:/sbin" ldconfig -p 2>/dev/null || true); \
	grep libpango-1.0 <<<"$$libs" >/dev/null && grep libpangoft2-1.0 <<<"$$libs" >/dev/null \
		|| missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -z "$$missing" ]; then \
		echo "system-deps: everything is present"; \
	elif [ "$$(id -u)" != 0 ]; then \
		echo "system-deps: missing:$$missing (run 'sudo make system-deps' or install them with apt-get)" >&2; \
	else \
		had_main_cluster=$$([ -d /etc/postgresql/15/main ] && echo yes || echo no); \
		echo "system-deps: installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q; \
		apt-get install -y -q --no-install-recommends $$missing; \
		if [ "$$had_main_cluster" = no ] && [ -d /etc/postgresql/15/main ]; then \
			echo "system-deps: dropping the 'main' cluster that the package created (tests use throwaway clusters)"; \
			pg_dropcluster --stop 15 main; \
		fi; \
	fi

run: export DJANGO_SETTINGS_MODULE := config.settings.dev
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo
	@echo "Starting the task worker, the workflow timers (every $(TIMERS_INTERVAL) s) and the dev server on http://127.0.0.1:8000/ (Ctrl-C stops them all)"
	@$(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	( trap 'kill $$pause 2>/dev/null; exit 0' TERM INT; \
	  while :; do $(BIN)/python manage.py workflow_timers >/dev/null || true; $(BIN)/python manage.py documents_seances --recuperer >/dev/null || true; $(BIN)/python manage.py journal_condenser >/dev/null || true; sleep $(TIMERS_INTERVAL) & pause=$$!; wait $$pause; done ) & timers=$$!; \
	trap 'kill $$worker $$timers 2>/dev/null || true; wait $$worker $$timers 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT; \
	trap 'exit 143' TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy .
	mkdir -p var
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

# Sequential on purpose: stop at the first failing stage.
test: install system-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-browser

test-sqlite: install
	$(TEST_ENV) $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS)

# With a throwaway Redis too: the jobs' tests on RQ (tests/taches) run here, and fail rather than skip without it.
test-postgres: install
	$(TEST_ENV) COLLECTIFS_EXIGER_REDIS=1 scripts/with-postgres.sh scripts/with-redis.sh \
		$(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS)

test-browser: install
	$(TEST_ENV) CHROMIUM_PATH=$(CHROMIUM_PATH) $(BIN)/pytest -m browser -p no:xdist

# Not part of `make test` (minutes to an hour at the national scale); sizes by environment (scripts/bench.sh).
bench: install system-deps
	scripts/bench.sh

# Not part of `make test` either (about 5 minutes): CHARGE_DUREE, CHARGE_UTILISATEURS, CHARGE_TACHES=rq|db
# (scripts/charge.sh).
charge: install system-deps
	scripts/charge.sh

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage htmlcov
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
