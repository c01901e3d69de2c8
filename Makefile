# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JOURNAL ?=

.PHONY: run test lint bench crashtest demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed-run

# Byte-compiled as an installed copy is (pip compiles a wheel's modules): the app and
# each helper process of a long export or import start without compiling the sources,
# even where PYTHONDONTWRITEBYTECODE is set.
COMPILE = $(BIN)/python -m compileall -q journal ui hindsight_cli.py

run: $(VENV)/.installed-run
	$(COMPILE)
	$(BIN)/hindsight $(if $(JOURNAL),--journal "$(JOURNAL)") gui

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

bench: $(VENV)/.installed-test
	$(COMPILE) benchmarks
	$(BIN)/python -m benchmarks.run

# At least 1,000 SIGKILLs during saves, imports, syncs and backups, and full disks (needs root
# to mount a small tmpfs); figures into benchmarks/RESULTS.md, "## Crash test".
crashtest: $(VENV)/.installed-test
	$(COMPILE) benchmarks
	$(BIN)/python -m benchmarks.crashtest

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .ruff_cache
