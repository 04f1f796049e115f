# One entry point for developers and CI. Every install step lives here, not in shell history.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS=":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its pinned dependencies

demo: install ## Install, build the demo warehouse and run the demo
	$(BIN)/mercurios demo

lint: install ## ruff, and the layer contracts of .importlinter (ARCHITECTURE.md)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

typecheck: install ## mypy
	$(BIN)/mypy

test: install ## Run the test suite
	$(BIN)/python -m pytest

bench: install ## Print build, semantic-layer, ask and digest benchmarks (needs the demo warehouse: make demo)
	$(BIN)/mercurios bench build --scale 1 --end-date 2026-10-31 --workdir var/bench
	$(BIN)/mercurios bench sl --repeat 10
	$(BIN)/mercurios bench ask
	$(BIN)/mercurios bench digest-detectors --workdir var/bench/digest-detectors
	$(BIN)/mercurios bench digest-screenshots --as-of 2026-10-31 --out-dir var/bench/digest-screenshots

fuzz: install ## Long property-based fuzzing of the HTTP API as two tenants (schemathesis; CI runs a short one)
	MERCURIOS_FUZZ_EXAMPLES=200 MERCURIOS_FUZZ_RANDOM=1 $(BIN)/python -m pytest tests/assistant/api/test_api_fuzz.py -q -s

fairness: install ## Long fairness load test: tenant A floods, tenant B asks (needs the demo warehouse: make demo)
	$(BIN)/mercurios bench fairness --seconds 60 --flood-clients 24

eval: install ## Run the evaluation suites (on a scale-0.02 build ending 2026-10-31, like CI's gate)
	$(BIN)/mercurios build --scale 0.02 --end-date 2026-10-31 --warehouse var/eval/warehouse.duckdb >/dev/null
	MERCURIOS_DATA_DIR=var/eval MERCURIOS_DUCKDB_PATH=var/eval/warehouse.duckdb $(BIN)/mercurios eval run

.PHONY: help install demo lint typecheck test bench eval fuzz fairness
