# The two commands: `make run` and `make test`. Everything else helps them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format venv migrate demo stack screenshots bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "HMS needs Python 3.11 or newer" or 0)'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
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

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# docs/screenshots/*.png from the demo data in a throw-away database (needs /usr/bin/chromium).
screenshots: venv
	$(PY) manage.py screenshots

# The full stack (gunicorn, Celery worker and beat) on PostgreSQL and Redis.
stack: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py setup_periodic_tasks
	$(PY) manage.py seed_demo
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start

# Benchmarks at hospital scale (BENCHMARKS.md): its own PostgreSQL database and
# Redis db, production mode over plain http on 127.0.0.1:8765. It TRUNCATES
# the tables of BENCH_DATABASE_URL. Smaller: make bench BENCH_SIZES=10000,200000
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hms_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6
BENCH_SIZES ?= 10000,1000000
BENCH_ENV := DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) \
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=bench-throwaway-not-secret-$$$$ \
	DJANGO_SECURE_SSL_REDIRECT=false DJANGO_SECURE_COOKIES=false DJANGO_SECURE_HSTS_SECONDS=0 \
	DJANGO_LOG_LEVEL=WARNING HMS_MEDIA_ROOT=$(CURDIR)/media/bench HMS_DEVTOOLS=true
bench: venv
	createdb -h 127.0.0.1 -U postgres hms_bench 2>/dev/null || true
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(BENCH_ENV) $(PY) manage.py bench --sizes $(BENCH_SIZES)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
