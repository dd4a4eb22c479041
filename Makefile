# CoopAtlas — two commands on a fresh machine: `make serve` and `make test`.
# Each target installs what it needs (Python venvs, Debian packages when run as root).

SHELL := /bin/bash
PY312 ?= $(shell command -v /root/.pyenv/versions/3.12.1/bin/python3 || command -v python3.12)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 4
GPKG ?= build/atlas.gpkg
export COOPATLAS_GPKG ?= $(abspath $(GPKG))

NODE_DIR := build/node
STYLE_SPEC := @maplibre/maplibre-gl-style-spec@26.6.0

ASSETS_DIR := coopatlas/server/static

.PHONY: venv data serve test lint format system-deps node-deps vendor config styles clean

## venv: the Python >= 3.12 environment of the server, processes and tests
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	@test -n "$(PY312)" || { echo "Python >= 3.12 is needed (set PY312=/path/to/python3.12)"; exit 1; }
	test -x $(PY) || $(PY312) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,reference]'
	touch $@

## system-deps: Debian packages the tests need (QGIS, PostGIS, GDAL, poppler, Chromium); root only
system-deps:
	@bash .ci/system-deps.sh

## node-deps: the MapLibre style-spec validator (npm), used by the style tests
node-deps: $(NODE_DIR)/node_modules/.bin/gl-style-validate
$(NODE_DIR)/node_modules/.bin/gl-style-validate:
	npm install --prefix $(NODE_DIR) --no-audit --no-fund $(STYLE_SPEC)

## vendor: web assets of the HTML pages (Leaflet, Bootstrap, Swagger UI), from npm, served by the server
vendor: $(ASSETS_DIR)/node_modules/.installed
$(ASSETS_DIR)/node_modules/.installed: $(ASSETS_DIR)/package.json $(ASSETS_DIR)/package-lock.json
	npm ci --prefix $(ASSETS_DIR) --no-audit --no-fund --ignore-scripts
	touch $@

## config: regenerate pygeoapi-config.yml from coopatlas/schema/ and the processes package
config: venv
	$(PY) -m coopatlas.server.config

## styles: regenerate styles/ (QML, SLD, MapLibre) from the palette of coopatlas/vocabulary/
styles: venv
	$(PY) -m coopatlas.styles --out styles/

## data: the embedded GeoPackage of the demo atlas (built once, rebuilt when its sources change)
data: $(GPKG)
DATA_SOURCES := $(wildcard coopatlas/data/*.py coopatlas/data/demo/*.py) coopatlas/store/build_writer.py \
	coopatlas/store/geopackage.py $(wildcard coopatlas/schema/*.py) \
	$(wildcard coopatlas/vocabulary/*.py) coopatlas/text.py datasets/reference/reference.gpkg
$(GPKG): $(VENV)/.installed $(DATA_SOURCES)
	$(PY) -m coopatlas build --out $(GPKG) $(BUILD_FLAGS)

## serve: the OGC API server on the embedded GeoPackage (or PostGIS when COOPATLAS_DATABASE_URL is set)
serve: venv vendor
	@if [ -z "$$COOPATLAS_DATABASE_URL" ]; then $(MAKE) --no-print-directory data; fi
	$(PY) -m coopatlas serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

## test: the whole test suite: the main suite (unit, dataset, server over HTTP, PostGIS, parity, QGIS
## rendering, processes, maps, Bourse), then the QGIS plugin's suite in Debian's QGIS Python. Both run on
## their own demo atlas, built once into a temporary folder removed at the end: never on build/atlas.gpkg
## nor var/ (tests/support/atlas.py)
## lint: ruff (pycodestyle, pyflakes, import order, pyupgrade, bugbear) and the format check
LINTED := coopatlas processes plugin tests benchmarks datasets
lint: venv
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)

## format: rewrite the code in the project's format (ruff format, then the safe ruff fixes)
format: venv
	$(PY) -m ruff format $(LINTED)
	$(PY) -m ruff check --fix $(LINTED)

test: lint venv system-deps node-deps vendor venv-qgis
	atlas_dir=$$(mktemp -d -t coopatlas-test-atlas.XXXXXX) && trap 'rm -rf "$$atlas_dir"' EXIT && \
	atlas=$$($(PY) tests/support/atlas.py "$$atlas_dir") && \
	COOPATLAS_TEST_ATLAS="$$atlas" $(PY) -m pytest -n 2 --dist loadgroup tests && \
	COOPATLAS_TEST_ATLAS="$$atlas" QT_QPA_PLATFORM=offscreen $(VENV_QGIS)/bin/python -m pytest -c tests/plugin/pytest.ini \
		tests/plugin

include Makefile.plugin

clean:
	rm -rf build var test-artefacts
