# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# `make eval EVAL_ARGS=--small`: one role request per occupation group and a small pool.
EVAL_ARGS ?=
UV_VERSION ?= 0.13.9
TORCH ?= torch==2.13.0
# Extra pip arguments for the torch wheel, e.g. --index-url https://download.pytorch.org/whl/cpu where no local file lies.
TORCH_PIP_ARGS ?=
TORCH_WHEELS ?= /opt/wheels
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest release the bounds allow; without it, pins are kept.
LOCK_ARGS ?=

.PHONY: install lock run test bench eval lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The install is the lock, not a resolution: CPU torch first from its own wheel (an unpinned torch would pull a
# several-GB CUDA build), then every other package exactly as requirements.lock pins it (hashes checked, no
# dependencies resolved), then the project itself. uv is only the installer; pip would do the same, slower.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	@start=$$(date +%s); \
	$(BIN)/pip install --quiet --no-deps $(TORCH) $(TORCH_PIP_ARGS) && \
	$(BIN)/pip install --quiet --no-deps uv==$(UV_VERSION) && \
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --require-hashes -r requirements.lock && \
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --no-build-isolation -e . && \
	$(BIN)/python -m pip check && \
	echo "installed in $$(( $$(date +%s) - start )) s; $(VENV) is $$(du -sh $(VENV) | cut -f1)"
	touch $@

# Regenerates requirements.lock from pyproject.toml (Python 3.11, Linux x86_64, the dev extra) in about 15 s.
# torch is resolved as the CPU build (so none of the CUDA packages or triton enter the lock) and then left out,
# since the install takes it from its own wheel; TORCH_WHEELS is a folder or index page holding that wheel.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet --no-deps uv==$(UV_VERSION)
	echo "torch==2.13.0+cpu" > $(VENV)/torch-override.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		--find-links $(TORCH_WHEELS) --override $(VENV)/torch-override.txt --no-emit-package torch \
		--generate-hashes --quiet $(LOCK_ARGS) --custom-compile-command "make lock" -o requirements.lock

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

# Judgement across occupations: intake field accuracy, checkable qualifications, shortlist occupation precision@10
# on a generated pool, skill extraction on the TECH/HOUSE benchmark; the report goes to var/eval/occupations.json.
eval: install
	HF_HUB_OFFLINE=1 $(BIN)/python -m eval.occupations $(EVAL_ARGS)

lint: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/mypy app tools graphs memory

clean:
	rm -rf var .pytest_cache
