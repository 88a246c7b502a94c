# Two commands a new user needs: `make serve` and `make test`. Both install what they need.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install serve test lint eval bench container-test clean

$(BIN)/brief: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# torch is pinned to a release whose CPU build pip takes from the local wheel store;
	# elsewhere set PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
	$(BIN)/python -m pip install --quiet -e '.[test,llama-server]'
	touch $(BIN)/brief

install: $(BIN)/brief

serve: install
	$(BIN)/brief serve

test: install
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
