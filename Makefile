# Panmun — every install step lives here. Needs only Python 3.11+, pip and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
ADDR ?= 127.0.0.1:8000

.PHONY: demo serve test lint hooks bench check-python install install-test messages clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Panmun needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(APP_STAMP)

install: $(APP_STAMP)
install-test: $(TEST_STAMP)

## demo: install, migrate the SQLite database under var/, load the demo data, serve with a worker
demo: install
	$(BIN)/panmun migrate --noinput
	$(BIN)/panmun load-demo --quiet-logins
	$(BIN)/panmun serve-demo --addr $(ADDR)

## serve: production (docs/production.md): migrate, then gunicorn + worker + runner, supervised;
## `panmun serve` collects the static files first. Needs the production environment
## (DJANGO_SETTINGS_MODULE, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL), e.g. from /etc/panmun/env.
serve: install
	$(BIN)/panmun migrate --noinput
	$(BIN)/panmun serve

## test: install what the tests need and run the whole suite
test: install-test
	$(BIN)/pytest

## lint: ruff (lint + format), mypy, the import layers and djlint (templates), as CI runs them
lint: install-test
	$(BIN)/ruff check src tests benchmarks conftest.py
	$(BIN)/ruff format --check src tests benchmarks conftest.py
	$(BIN)/mypy
	$(BIN)/lint-imports src/panmun/config/importlinter.ini
	$(BIN)/djlint src/panmun --lint

## hooks: install pre-commit and the commit hooks of .pre-commit-config.yaml (ruff, mypy, djlint,
## migrations)
hooks: install-test
	$(BIN)/python -m pip install --quiet -e ".[test,dev]"
	$(BIN)/pre-commit install

## bench: install the benchmark extra and run the linkage benchmarks (figures: docs/benchmarks.md)
bench: install-test
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/korean_linkage.py --sizes 2000:5000,20000:50000 --seed 1
	$(BIN)/python benchmarks/febrl4.py
	$(BIN)/python benchmarks/scale.py link --sought 100000 --returned 1000000
	$(BIN)/python benchmarks/families.py import --rows 100000
	$(BIN)/python benchmarks/families.py reply --requests 500
	@echo "search over 1,000,000 applicants needs PostgreSQL: benchmarks/families.py --database-url postgres://... search"

## messages: re-extract and compile translations (needs GNU gettext; developers only)
messages: install-test
	cd src/panmun && ../../$(BIN)/panmun makemessages -l ko --no-obsolete --add-location file
	$(BIN)/python -m panmun.web.i18n_compile

clean:
	rm -rf $(VENV) var test-artifacts
