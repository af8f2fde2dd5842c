# dsptkit: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install portal status check test lint bench clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main command: install, check the repository, print the compliance status.
portal: install
	@$(BIN)/dspt check
	@$(BIN)/dspt status

check: install
	@$(BIN)/dspt check

status: install
	@$(BIN)/dspt status

## Run the whole test suite (pytest exit 5, "no tests collected", is an error here).
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check tooling tests bench

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site .pytest_cache
