# The two set-up commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
UI_SOURCES := $(shell find ui/src ui/index.html ui/vite.config.js ui/svelte.config.js ui/package.json ui/package-lock.json 2>/dev/null)

.PHONY: run test ui services check bench bench-quick clean

## make run: install newapi and start it on SQLite with the example gateway.toml
run: $(VENV)/.installed newapi/ui_dist/index.html
	$(VENV)/bin/newapi serve --config gateway.toml

## make test: install test needs, start the test services and run the whole suite
test: $(VENV)/.installed-test newapi/ui_dist/index.html services
	scripts/test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,codegen]'
	touch $@

ui: newapi/ui_dist/index.html

newapi/ui_dist/index.html: $(UI_SOURCES)
	cd ui && npm ci && npm run build

services:
	scripts/services

check: $(VENV)/.installed-test
	$(VENV)/bin/ruff check newapi tests scripts

## make bench: newapi against LiteLLM's proxy, every scenario, 10-minute soak (about 30 min);
## installs wrk, nginx and LiteLLM (bench/setup.sh) and writes docs/benchmarks.md
bench: $(VENV)/.installed
	bench/setup.sh
	$(PY) -m bench.run --profile 20 --docs

## make bench-quick: the same scenarios with short runs, for development (about 5 min)
bench-quick: $(VENV)/.installed
	bench/setup.sh
	$(PY) -m bench.run --quick --profile 10

clean:
	rm -rf $(VENV) newapi/ui_dist ui/node_modules
