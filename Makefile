# The two commands: `make run` and `make test`. Everything else helps them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format venv migrate demo stack screenshots bench clean openapi translations messages

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "HMS needs Python 3.11 or newer" or 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# The committed locale/*/django.po compiled to .mo with Babel (no system gettext).
translations: venv
	$(PY) -m hms.translations

# After changing marked strings: refresh locale/hi/LC_MESSAGES/django.po from
# the code and templates (needs GNU gettext, a developer's tool only), then
# write the new Hindi entries; the translation tests name any left empty.
messages: venv
	$(PY) manage.py makemessages -l hi --no-obsolete --add-location file

migrate: venv translations
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py setup_periodic_tasks
	$(PY) manage.py seed_demo

# SQLite, local-memory cache, Celery tasks in-process: nothing else to install.
# Another port: make run PORT=8080
PORT ?= 8000
run: demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# django-upgrade has no check mode: it rewrites what is out of date and fails,
# so commit what it changed.
DJANGO_UPGRADE := git ls-files -z '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/djlint templates --lint
	$(DJANGO_UPGRADE)

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(DJANGO_UPGRADE)

# The suite on every core (pytest-xdist, at most 4 workers: each has its own
# test database and, with REDIS_URL, its own Redis database after REDIS_URL's).
# Serially: make test TEST_WORKERS=0
TEST_WORKERS ?= auto
test: lint translations
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --maxprocesses 4

# The API's OpenAPI schema, committed as api/openapi.json; a test compares it
# with what the code serves, so run this after changing the API on purpose.
openapi: venv
	$(PY) manage.py export_openapi_schema --api api.v1.api --output api/openapi.json --indent 2 --sorted

# docs/screenshots/*.png from the demo data in a throw-away database (needs /usr/bin/chromium).
screenshots: venv
	$(PY) manage.py screenshots

# The full stack (gunicorn, Celery worker and beat) on PostgreSQL and Redis.
stack: venv translations
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py setup_periodic_tasks
	$(PY) manage.py seed_demo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

# Benchmarks at hospital scale (BENCHMARKS.md): its own PostgreSQL database and
# Redis db, production mode over plain http on 127.0.0.1:8765, load driven by
# wrk (installed with apt-get when missing). It TRUNCATES the tables of
# BENCH_DATABASE_URL. Its throw-away admin signs in without a second factor
# (HMS_2FA_REQUIRED_ROLES empty): it measures pages, not sign-in. Then the
# SQLite leg (the embedded default: no Redis) on a fresh file at one size. Smaller: make bench BENCH_SIZES=10000,200000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hms_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6
BENCH_SIZES ?= 10000,1000000
BENCH_SQLITE_SIZE ?= 10000
BENCH_SQLITE := $(CURDIR)/media/bench/bench.sqlite3
BENCH_COMMON := DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench-throwaway-not-secret-$$$$ \
	DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0 \
	DJANGO_LOG_LEVEL=WARNING HMS_MEDIA_ROOT=$(CURDIR)/media/bench HMS_DEVTOOLS=true \
	HMS_2FA_REQUIRED_ROLES=
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(BENCH_COMMON)
BENCH_SQLITE_ENV := DATABASE_URL=sqlite:///$(BENCH_SQLITE) REDIS_URL= $(BENCH_COMMON)
bench: venv translations
	command -v wrk >/dev/null || (apt-get update -q && apt-get install -y -q wrk) \
		|| (sudo apt-get update -q && sudo apt-get install -y -q wrk)
	createdb -h 127.0.0.1 -U postgres hms_bench 2>/dev/null || true
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py bench --sizes $(BENCH_SIZES)
	mkdir -p $(dir $(BENCH_SQLITE)) && rm -f $(BENCH_SQLITE)
	$(BENCH_SQLITE_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH_SQLITE_ENV) $(PY) manage.py bench --leg sqlite --sizes $(BENCH_SQLITE_SIZE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
