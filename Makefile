# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# CPU torch first: an unpinned torch would pull a several-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/hire init --demo
	@echo "Hiring Assistant: open http://$(HOST):$(PORT) and sign in as demo@hiring.local (password: demo-recruiter)"
	HF_HUB_OFFLINE=1 CHAINLIT_AUTH_SECRET="$$($(BIN)/hire ui-secret)" \
		$(BIN)/chainlit run app/ui.py --headless --host $(HOST) --port $(PORT)

test: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m eval.bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy app tools graphs memory

clean:
	rm -rf var .pytest_cache
