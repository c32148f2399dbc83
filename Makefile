# Two commands: `make run` (serve the demo) and `make test` (ruff + pytest).
# Each creates .venv and installs what it needs; nothing else is assumed on the machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export USC_DEMO_PASSWORD ?= demo-usc-2026

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/usc db upgrade
	$(BIN)/usc seed --demo
	$(BIN)/usc appraise --missing
	$(BIN)/usc demo-bundle
	$(BIN)/usc group-cities
	$(BIN)/usc demo-accounts
	$(BIN)/usc run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev-installed
	@failed=""; for b in benchmarks/bench_*.py; do $(BIN)/python $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "bench: goals missed or errors in:$$failed"; exit 1; fi

clean:
	rm -rf $(VENV) instance/*.sqlite3 .pytest_cache .ruff_cache
