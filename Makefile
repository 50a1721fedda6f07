# The two commands that matter: `make run` (the platform, with demo data) and `make test`.
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
PYTHON ?= python3
TEST_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/buurtplatform_test
# Two pytest-xdist workers, one test file each at a time (module fixtures stay built once),
# for the tests without a browser. The browser tests share one live server and its data, so
# they run in one process, in one order; `make test PARALLEL=` runs everything in one process.
PARALLEL ?= -n 2 --dist loadfile
export FLASK_APP := wsgi

.PHONY: run test test-sqlite test-postgresql install install-dev translations translations-update lint worker

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Compile the message catalogues (.po -> .mo).
translations: install
	$(BIN)/pybabel compile --statistics -d translations

## Extract new msgids from code and templates and merge them into the catalogues.
translations-update: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --no-wrap -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap -N --ignore-obsolete

## Set up and serve the platform on SQLite with demo data; jobs run in-process.
run: install translations
	BUURTPLATFORM_ENV=development PLATFORM_DOMAIN=localhost:$(PORT) $(BIN)/flask db upgrade
	BUURTPLATFORM_ENV=development PLATFORM_DOMAIN=localhost:$(PORT) $(BIN)/flask demo load
	BUURTPLATFORM_ENV=development PLATFORM_DOMAIN=localhost:$(PORT) $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## The RQ worker with its scheduler (needs REDIS_URL).
worker: install translations
	$(BIN)/flask rq worker --with-scheduler

## The whole test suite: on SQLite (with the browser tests), then on PostgreSQL.
test: test-sqlite test-postgresql

test-sqlite: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -q $(PARALLEL) -m "not browser"
	$(BIN)/pytest -q -m browser

test-postgresql: install-dev translations
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q $(PARALLEL) -m "not browser"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
