# Sanctuary counties: `make` lists the targets.
#
# Make is the pipeline: raw files -> processed tables -> reports. Targets are
# real files, so a second `make data` does nothing, and every step writes to a
# temporary file and renames it, so an interrupted run leaves nothing that
# looks finished. Targets that need the Python environment create it first.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules --no-print-directory
# Independent steps (the reports above all) run side by side on every core;
# `make JOBS=1 ...` runs one at a time.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += --jobs=$(JOBS)
endif

# --- environment ---------------------------------------------------------------
# BASE_PYTHON creates .venv; conda users pass their own interpreter instead:
#   make setup PYTHON=$(which python)
BASE_PYTHON ?= python3
VENV ?= .venv
PYTHON ?= $(VENV)/bin/python
KERNEL := sanctuary-counties
# One stamp per interpreter, named by a checksum of its absolute path: the path may hold
# spaces or letters Make cannot take in a target's name (a checkout in "my projects/").
# Paths in recipes are quoted for the same reason.
ENV_STAMP := .make/env-$(shell p='$(PYTHON)'; case "$$p" in (/*) ;; (*) p="$$PWD/$$p";; esac; \
	printf '%s' "$$p" | cksum | cut -d' ' -f1).stamp
RUN := "$(PYTHON)" -m analysis

# --- data ----------------------------------------------------------------------
# The raw file list comes from the registry's `path = "..."` lines, read
# without starting Python so a no-op `make data` stays instant. Files of the
# sources marked `optional = "..."` (the ICPSR crime years) may be absent: the
# build then leaves their years out and says so.
RAW_PATHS := $(shell sed -n 's/^ *path = "\(.*\)"$$/\1/p' data/sources.toml)
RAW := $(addprefix data/raw/,$(RAW_PATHS))
RAW_OPTIONAL := $(addprefix data/raw/,$(shell awk -F'"' '/^\[\[source\]\]/ {o = 0} \
	/^optional = "/ {o = 1} o && /^ *path = "/ {print $$2}' data/sources.toml))
RAW_REQUIRED := $(filter-out $(RAW_OPTIONAL),$(RAW))
RAW_CITY_TABLES := $(filter data/raw/crime/fbi-cius-table8/%,$(RAW_REQUIRED))
RAW_STATE_CRIME := $(filter data/raw/crime/fbi-cde-state-estimates/%,$(RAW_REQUIRED))
RAW_PANEL := $(filter-out $(RAW_CITY_TABLES) $(RAW_STATE_CRIME),$(filter data/raw/crime/% \
	data/raw/socio/%,$(RAW_REQUIRED)))
# The state panel: the FBI's state estimates, and the state rows of LAUS and SAIPE.
RAW_STATE := $(RAW_STATE_CRIME) $(filter data/raw/socio/ers-2023/% data/raw/socio/saipe/est%,$(RAW_REQUIRED))
RAW_GEOMETRY := $(filter data/raw/geo/census-cb-2015/%,$(RAW_REQUIRED))
# The lists, and the Census names that resolve them to counties.
RAW_DEFINITIONS := $(filter data/raw/jurisdictions/% data/raw/geo/census-places-2010/% \
	data/raw/geo/places-2020-index/% data/raw/socio/covariates/national_county.txt \
	data/raw/geo/census-cb-2015/% data/raw/geo/datacommons-city-geocodes/% \
	data/raw/geo/geocorr-2018-county-place/%,$(RAW_REQUIRED))

# Which optional files are here, as the last fetch saw them. The fetch rewrites
# this file only when that changes, so adding the files later rebuilds exactly
# what reads them, and a look that finds nothing new rebuilds nothing.
OPTIONAL_STAMP := .make/optional-sources.txt
OPTIONAL_PRESENT := $(wildcard $(RAW_OPTIONAL))
OPTIONAL_RECORDED := $(addprefix data/raw/,$(file <$(OPTIONAL_STAMP)))
# Look again when an optional file is absent and a mirror may hold it, or when
# optional files were added or removed by hand since the last look.
RAW_RECHECK := $(if $(and $(DATA_MIRROR),$(filter-out $(OPTIONAL_PRESENT),$(RAW_OPTIONAL))),FORCE,\
	$(if $(filter-out $(OPTIONAL_RECORDED),$(OPTIONAL_PRESENT))$(filter-out $(OPTIONAL_PRESENT),$(OPTIONAL_RECORDED)),FORCE))

PANEL := data/processed/county_panel.parquet
GEOMETRY := $(addprefix data/processed/,counties.parquet states.parquet map_counties.parquet \
	map_states.parquet neighbours.parquet)
DEFINITIONS := data/processed/definitions.parquet data/processed/jurisdictions.parquet \
	data/processed/city_definitions.parquet data/processed/state_definitions.parquet
CITY_PANEL := data/processed/city_panel.parquet
STATE_PANEL := data/processed/state_panel.parquet
# The FBI's city tables, the files that place each agency, and the Census names.
RAW_CITY := $(RAW_CITY_TABLES) $(filter data/raw/geo/datacommons-city-geocodes/% \
	data/raw/geo/geocorr-2018-county-place/% data/raw/geo/census-places-2010/% \
	data/raw/geo/places-2020-index/% data/raw/socio/covariates/national_county.txt \
	data/raw/geo/census-cb-2015/%,$(RAW_REQUIRED))
DATA := $(PANEL) $(CITY_PANEL) $(STATE_PANEL) $(GEOMETRY) $(DEFINITIONS)

# Each build records its products' sha256 in its log (data/processed/*.log.json).
# A product whose bytes no longer match (truncated, edited, or from an older
# layout without a record) is rebuilt, never trusted.
PRODUCTS_OK := $(shell cd data/processed 2>/dev/null && \
	sed -n 's/^ *"\([^"/]*\.parquet\)": "\([0-9a-f]\{64\}\)",\{0,1\}$$/\2  \1/p' *.log.json 2>/dev/null \
	| sha256sum --check 2>/dev/null | sed -n 's/: OK$$//p')
UNTRUSTED := $(filter-out $(addprefix data/processed/,$(PRODUCTS_OK)),$(wildcard $(DATA)))

# The library code each build runs (tests/test_makefile.py checks each list holds every
# file its build imports). The layers: src/analysis/{core,sources,geo,readers,names,panels,...}.
LIB := src/analysis
CORE_CODE := $(LIB)/__init__.py $(LIB)/__init__.pyi $(LIB)/__main__.py $(LIB)/cli/__init__.py \
	$(LIB)/cli/data.py $(wildcard $(LIB)/core/*.py $(LIB)/sources/*.py $(LIB)/geo/*.py) \
	$(addprefix $(LIB)/panels/,__init__.py load.py units.py years.py county_schema.py \
	city_schema.py state_schema.py)
PANEL_CODE := $(CORE_CODE) $(LIB)/panels/county.py $(LIB)/panels/availability.py \
	$(wildcard $(LIB)/readers/*.py)
GEOMETRY_CODE := $(CORE_CODE) $(LIB)/panels/geometry.py $(LIB)/readers/__init__.py \
	$(LIB)/readers/_common.py $(LIB)/readers/geo.py
DEFINITIONS_CODE := $(CORE_CODE) $(wildcard $(LIB)/jurisdictions/*.py $(LIB)/names/*.py) \
	$(addprefix $(LIB)/readers/,__init__.py _common.py geo.py census_codes.py places.py)
CITY_CODE := $(CORE_CODE) $(LIB)/panels/city.py $(wildcard $(LIB)/names/*.py) \
	$(addprefix $(LIB)/readers/,__init__.py _common.py geo.py census_codes.py fbi_cities.py places.py)
STATE_CODE := $(CORE_CODE) $(LIB)/panels/state.py $(addprefix $(LIB)/readers/,__init__.py \
	_common.py fbi_states.py saipe.py ers.py laus.py)

.PHONY: help setup lock fetch data reports report-pages test test-unit lint format lab bench clean clean-all FORCE

help: ## list the targets
	@echo "Sanctuary counties. Usage: make TARGET [DATA_MIRROR=folder-or-url] [PYTHON=python]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 14

setup: $(ENV_STAMP) ## create .venv, install the locked versions (uv.lock) and the package, register the Jupyter kernel

# The versions installed are the ones in uv.lock, which CI tested; `make lock`
# refreshes it from pyproject.toml. UV_VERSION is the uv that wrote the lock.
UV_VERSION := 0.13.9
LOCKED_REQUIREMENTS := .make/requirements.lock.txt

$(ENV_STAMP): pyproject.toml uv.lock
	@mkdir -p $(@D)
	@if [ "$(PYTHON)" = "$(VENV)/bin/python" ] && [ ! -x "$(PYTHON)" ]; then \
		echo "creating $(VENV) with $(BASE_PYTHON)"; $(BASE_PYTHON) -m venv "$(VENV)"; fi
	@# uv installs in seconds where pip takes minutes. Bytecode is compiled at install:
	@# imports (kernel starts) are seconds faster, also where PYTHONDONTWRITEBYTECODE
	@# stops Python writing it on first import.
	"$(PYTHON)" -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	"$(PYTHON)" -m uv export --quiet --frozen --no-emit-project --extra dev \
		--format requirements-txt --output-file $(LOCKED_REQUIREMENTS)
	"$(PYTHON)" -m uv pip install --quiet --compile-bytecode --python "$(PYTHON)" -r $(LOCKED_REQUIREMENTS)
	"$(PYTHON)" -m uv pip install --quiet --compile-bytecode --python "$(PYTHON)" --no-deps -e .
	"$(PYTHON)" -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $@

lock: | $(ENV_STAMP) ## resolve pyproject.toml's dependencies into uv.lock again (UPGRADE=1: newest allowed)
	"$(PYTHON)" -m uv lock $(if $(UPGRADE),--upgrade)

fetch: | $(ENV_STAMP) ## fetch and verify the source files (keeps every verified file; a rerun fetches only what is missing)
	$(RUN) fetch --record $(OPTIONAL_STAMP)

data: $(DATA) ## fetch and verify the sources, build the county, city and state panels, maps' geometry and sanctuary definitions

# One fetch makes every missing file present and verified, a line per file;
# files already here are checked, not fetched again. A failed fetch keeps every
# file it verified: .PRECIOUS exempts them from .DELETE_ON_ERROR.
.PRECIOUS: $(RAW) $(OPTIONAL_STAMP)
$(RAW_REQUIRED) $(OPTIONAL_STAMP) &: $(RAW_RECHECK) | $(ENV_STAMP)
	$(RUN) fetch --record $(OPTIONAL_STAMP)

$(PANEL): $(RAW_PANEL) $(OPTIONAL_STAMP) data/sources.toml $(PANEL_CODE) | $(ENV_STAMP)
	$(RUN) build panel

# Cities carry the covariates of their county, from the county panel.
$(CITY_PANEL): $(RAW_CITY) $(PANEL) data/city_aliases.csv data/sources.toml $(CITY_CODE) | $(ENV_STAMP)
	$(RUN) build city-panel

$(STATE_PANEL): $(RAW_STATE) data/sources.toml $(STATE_CODE) | $(ENV_STAMP)
	$(RUN) build state-panel

$(GEOMETRY) &: $(RAW_GEOMETRY) data/sources.toml $(GEOMETRY_CODE) | $(ENV_STAMP)
	$(RUN) build counties

# The users' own lists (`list = "..."` in data/definitions.toml): editing one rebuilds.
# A missing one is left to the build, whose error says where it looked.
USER_LISTS := $(wildcard $(shell sed -n 's/^ *list *= *"\([^"]*\)".*$$/\1/p' data/definitions.toml))

# The definitions classify the city panel's places too.
$(DEFINITIONS) &: $(RAW_DEFINITIONS) $(CITY_PANEL) data/sources.toml data/definitions.toml \
		data/aliases.csv data/city_aliases.csv $(USER_LISTS) $(DEFINITIONS_CODE) | $(ENV_STAMP)
	$(RUN) build definitions

$(UNTRUSTED): FORCE
FORCE:

# --- reports -------------------------------------------------------------------
# Per-report rules are generated from reports/reports.yml: each report depends
# on its notebook, its own parameters, the library modules that notebook uses
# and the data, so only what changed is rebuilt. They are read only when a
# goal needs them, so other targets never wait for Python.
REPORT_RULES := .make/reports.mk
ifneq ($(filter reports report-pages reports/% test bench,$(MAKECMDGOALS)),)
-include $(REPORT_RULES)
endif

$(REPORT_RULES): reports/reports.yml $(wildcard notebooks/*.ipynb) $(shell find src/analysis -name '*.py' -o -name '*.pyi') | $(ENV_STAMP)
	$(RUN) report-rules $@

# `make reports` runs the stale reports in one batch: JOBS processes, each running
# its reports one after another in one kernel (emptied between reports), which
# saves a kernel start and the library's imports per report. Make still decides
# what is stale, from the per-report rules (a dry run of `report-pages`), and any
# one page builds alone with `make reports/html/NAME.html`.
STALE_REPORTS := .make/stale-reports.txt
reports: $(DATA) | $(ENV_STAMP) ## run every stale report's notebook and build the HTML report site
	@# The sub-makes need not look for optional raw files again: this make just did.
	@$(MAKE) --no-print-directory -n report-pages RAW_RECHECK= \
		| sed -n 's/^.*-m analysis report \([^ ]*\)$$/\1/p' > $(STALE_REPORTS)
	$(RUN) report --jobs $(JOBS) --from $(STALE_REPORTS)
	@$(MAKE) --no-print-directory reports/index.html reports/explore.html reports/places.html RAW_RECHECK=

report-pages: $(REPORT_HTML)

# The index, the explorer (from the robustness report's table of specifications) and
# the place finder (from the panels and the definitions) have their rules in
# $(REPORT_RULES) too, each depending on the library code its builder runs.

# The browser tests drive Debian's chromium (playwright with the system browser,
# so nothing is downloaded at test time); installed here when it is missing.
CHROMIUM_STAMP := .make/chromium.stamp
$(CHROMIUM_STAMP):
	@mkdir -p $(@D)
	@if [ -z "$${CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null \
		|| { echo "could not install chromium: install it, or set CHROMIUM=/path/to/chromium"; exit 1; }; fi
	@touch $@

# The tests run in JOBS processes (pytest-xdist), a test file to each at a time:
# a file's tests share its fixtures (a scratch build, a browser) and their order.
test: lint reports | $(ENV_STAMP) $(CHROMIUM_STAMP) ## lint, then every test: unit tests, the real data, every notebook and the site in a browser
	"$(PYTHON)" -m pytest --numprocesses=$(JOBS) --dist=loadfile

test-unit: | $(ENV_STAMP) ## the unit tests alone: no data build, notebooks or browser (seconds)
	"$(PYTHON)" -m pytest -m "not integration" --numprocesses=$(JOBS) --dist=loadfile

lint: | $(ENV_STAMP) ## ruff: lint and format check, notebooks included
	"$(PYTHON)" -m ruff check .
	"$(PYTHON)" -m ruff format --check .

format: | $(ENV_STAMP) ## apply ruff's safe fixes and its formatting
	"$(PYTHON)" -m ruff check --fix .
	"$(PYTHON)" -m ruff format .

# JupyterLab will not start as root without --allow-root (a container, a cloud machine);
# LAB_ARGS passes more options, e.g. LAB_ARGS="--no-browser --port=8899".
LAB_ARGS ?=
lab: $(DATA) | $(ENV_STAMP) ## open JupyterLab on the notebooks (LAB_ARGS: more options)
	"$(PYTHON)" -m jupyter lab --ServerApp.root_dir=notebooks \
		--MappingKernelManager.default_kernel_name=$(KERNEL) \
		$$(if [ "$$(id -u)" = 0 ]; then echo --allow-root; fi) $(LAB_ARGS)

bench: $(DATA) | $(ENV_STAMP) ## time the builds and the library (results in benchmarks/results/)
	"$(PYTHON)" benchmarks/run.py

clean: ## remove processed data and generated reports (keeps data/raw and .venv)
	find data/processed -mindepth 1 ! -name .gitkeep -delete
	rm -rf reports/html reports/figures reports/tables reports/notebooks reports/meta reports/index.html \
		reports/explore.html reports/places.html

clean-all: clean ## also remove data/raw, .venv and build stamps
	find data/raw -mindepth 1 ! -name .gitkeep -delete
	rm -rf "$(VENV)" .make

print-%: ; @echo '$($*)'
