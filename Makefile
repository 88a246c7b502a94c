# Two commands a new user needs: `make serve` and `make test`. Both install what they need.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: install install-test serve test lint eval bench container-test clean

# uv installs what pip would, several times faster (the service: 85 s with pip, 12 s with uv,
# on a 2-core machine; the same versions here, package for package). It reads none of pip's
# settings, so the wheel store pip is given (PIP_FIND_LINKS, else any find-links of pip's
# configuration: where the pinned torch's CPU build lies) and the indexes set for it in the
# environment (PIP_INDEX_URL, PIP_EXTRA_INDEX_URL, as the README's CPU-build line does) are
# passed on; like pip, uv then takes the best version any of them offers.
UV := $(BIN)/uv
PIP_FIND_LINKS ?= $(shell $(PYTHON) -m pip config list 2>/dev/null \
	| sed -n "s/^[^=]*\.find-links='\(.*\)'$$/\1/p")
UV_SOURCES = $(foreach l,$(PIP_FIND_LINKS),--find-links $(l)) \
	$(foreach u,$(PIP_INDEX_URL),--index-url $(u)) \
	$(foreach u,$(PIP_EXTRA_INDEX_URL),--extra-index-url $(u)) \
	--index-strategy unsafe-best-match
UV_INSTALL = $(UV) pip install --quiet --python $(BIN)/python $(UV_SOURCES)

# What serving needs, and nothing else: no test tools, no second inference engine.
$(BIN)/brief: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==0.13.10
	# torch is pinned to a release whose CPU build comes from the local wheel store;
	# elsewhere set PIP_EXTRA_INDEX_URL=https://download.pytorch.org/whl/cpu
	$(UV_INSTALL) -e .
	touch $(BIN)/brief

# The test tools and llama.cpp's server for the engine-server tests (llama-cpp-python compiles
# llama.cpp: minutes, once; uv caches the wheel). A stamp of its own, so `make test` after
# `make serve` still installs them, and again when pyproject.toml (and so the base) changes.
TEST_EXTRAS := $(VENV)/.test-extras

$(TEST_EXTRAS): $(BIN)/brief pyproject.toml
	$(UV_INSTALL) -e '.[test,llama-server]'
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
