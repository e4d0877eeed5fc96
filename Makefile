# Two commands on a fresh clone: `make run` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-all bench eval train lint

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[model,ingest,postgres,parquet,test,lint]'
	touch $(STAMP)

run: $(STAMP)  ## the main job on the bundled example report
	$(VENV)/bin/rearguard extract examples/shirqat-2016-11-06.txt --format text

test: $(STAMP)  ## the test suite (a few minutes on 2 cores)
	$(VENV)/bin/python -m pytest -q

test-all: $(STAMP)  ## also the slow tests (full development corpora)
	$(VENV)/bin/python -m pytest -q --slow

eval: $(STAMP)  ## development scores
	$(VENV)/bin/rearguard eval geocode
	$(VENV)/bin/rearguard eval classify
	$(VENV)/bin/rearguard eval location
	$(VENV)/bin/rearguard eval events
	$(VENV)/bin/rearguard eval articles
	$(VENV)/bin/rearguard eval wikievents

train: $(STAMP)  ## retrain the learned models: event classifier, toponyms, resolver, event locator, actor roles, news vs background; in dependency order, deterministic
	$(VENV)/bin/python tools/train_classifier.py
	$(VENV)/bin/python tools/train_toponyms.py
	$(VENV)/bin/python tools/train_resolver.py
	$(VENV)/bin/python tools/train_locator.py
	$(VENV)/bin/python tools/train_roles.py
	$(VENV)/bin/python tools/train_reported.py

bench: $(STAMP)  ## speed benchmarks
	$(VENV)/bin/python bench/extract_bench.py
	$(VENV)/bin/python bench/ingest_bench.py --postgres postgresql://postgres@127.0.0.1:5432/test
	$(VENV)/bin/python bench/geocode_bench.py
	$(VENV)/bin/python bench/gazetteer_bench.py

lint: $(STAMP)  ## static checks: ruff (rules pinned in pyproject.toml) and mypy
	$(VENV)/bin/ruff check rearguard tests tools bench
	$(VENV)/bin/mypy rearguard
