# Two commands on a fresh machine: `make chat` and `make test`.
VENV    ?= .venv
PY      := $(VENV)/bin/python
CA      := $(VENV)/bin/coding-assistant
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup index chat test lint fmt eval bench

$(PY):
	python3 -m venv $(VENV)

# torch first: pip finds the local CPU wheel; anything else would pull a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Idempotent: embeds only new or changed chunks, removes chunks of deleted documents.
index: setup
	$(CA) ingest

chat: index
	$(CA) chat

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

fmt: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

eval: index
	$(CA) eval --report out/eval

bench: index
	$(CA) bench --json out/bench.json
