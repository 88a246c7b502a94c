# Two commands a new user needs: `make serve` and `make test`. Both install what they need.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install install-test serve test lint eval bench container-test clean

# What serving needs, and nothing else: no test tools, no second inference engine.
$(BIN)/brief: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch is pinned to a release whose CPU build pip takes from the local wheel store;
	# elsewhere set PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
	$(BIN)/python -m pip install --quiet -e .
	touch $(BIN)/brief

# The test tools and llama.cpp's server for the engine-server tests (llama-cpp-python compiles
# llama.cpp: minutes, once; pip caches the wheel). A stamp of its own, so `make test` after
# `make serve` still installs them, and again when pyproject.toml (and so the base) changes.
TEST_EXTRAS := $(VENV)/.test-extras

$(TEST_EXTRAS): $(BIN)/brief pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,llama-server]'
	touch $(TEST_EXTRAS)

install: $(BIN)/brief

install-test: $(TEST_EXTRAS)

serve: install
	$(BIN)/brief serve

test: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest

eval: install
	$(BIN)/brief eval ../shared/eval/articles ../shared/eval/real --scorer ../shared/eval/score.py --out eval-out

bench: install
	$(BIN)/python bench/speed.py

container-test:
	scripts/container-test

clean:
	rm -rf $(VENV) eval-out .pytest_cache
