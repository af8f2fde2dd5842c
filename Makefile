# dsptkit: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install portal site status check test coverage lint bench browser clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main command: install, check the repository, print the status, then build and serve
## the portal on http://127.0.0.1:8000 (Ctrl-C stops it).
portal: install
	@$(BIN)/dspt check
	@$(BIN)/dspt status
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

## Build the portal into site/ without serving it.
site: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## Debian's Chromium for the browser tests (needs root; CI runs this).
browser:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

check: install
	@$(BIN)/dspt check

status: install
	@$(BIN)/dspt status

## Run the whole test suite (pytest exit 5, "no tests collected", is an error here).
test: install
	$(BIN)/python -m pytest

## The test suite under coverage, with the line coverage of the package (keep it at 94% or more).
coverage: install
	$(BIN)/python -m coverage run --source=tooling/dsptkit -m pytest -q
	$(BIN)/python -m coverage report --skip-covered --fail-under=94

lint: install
	$(BIN)/ruff check tooling tests bench

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
