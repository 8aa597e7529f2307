# leo-synth: the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
LEO    := $(VENV)/bin/leo-synth

.PHONY: demo test lint bench docs conformance calibrate dist clean

# A fresh virtual environment with the package installed (editable, so specs and configs in
# this checkout are the ones used).
$(VENV)/.installed: pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

## demo: generate out/leo.sqlite from config/default.yaml (10,000 persons) and run a linked query
demo: $(VENV)/.installed
	$(LEO) generate --config config/default.yaml --if-exists replace
	@echo
	@echo "Two-hop join (census PMR -> AE_ID -> EDUKEY -> employment), examples/two_hop_join.sql:"
	$(LEO) query out/leo.sqlite @examples/two_hop_join.sql

## test: dev extras, a reachable PostgreSQL (started if needed), lint, the whole suite on
## every core (up to 4 pytest-xdist workers, each with a PostgreSQL database of its own)
test: $(VENV)/.dev-installed
	$(PY) tests/postgres_server.py
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest -q -n auto --maxprocesses 4

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff check .

## bench: generation speed per backend (results appended to benchmarks/results.md)
bench: $(VENV)/.dev-installed
	$(PY) benchmarks/run.py

## calibrate: the whole extract for 200,000 persons on each seed of SEEDS (default "42 7"),
## then every calibration target on each; a figure passes within its tolerance or, for the
## small groups whose sampling error at this size exceeds it, 2.5 standard errors (both
## verdicts are printed; see README "Calibration"). Fails if any seed's report fails.
SEEDS ?= 42 7
calibrate: $(VENV)/.installed
	@failed=""; for seed in $(SEEDS); do \
		echo "== seed $$seed: 200,000 persons =="; \
		$(LEO) generate --persons 200000 --workers 2 --seed $$seed \
			--out out/calibrate_$$seed.sqlite --if-exists replace --quiet || exit 2; \
		$(LEO) report --db out/calibrate_$$seed.sqlite --statistical \
			--html out/calibration_report_$$seed.html \
			--json out/calibration_report_$$seed.json || failed="$$failed $$seed"; \
	done; \
	if [ -n "$$failed" ]; then echo "calibration failed on seed(s):$$failed"; exit 1; fi; \
	echo "calibration passed on seeds: $(SEEDS)"

## docs: regenerate docs/data_dictionary.md from the specs (a test checks it is current)
docs: $(VENV)/.installed
	$(PY) -m leo_synth.dictionary --out docs/data_dictionary.md

## conformance: record the small run's per-relation checksums after an intended data change
conformance: $(VENV)/.installed
	$(PY) tools/update_conformance.py

## dist: the sdist and the wheel in dist/ (schemas/, config/ and examples/ inside, as package data)
dist: $(VENV)/.dev-installed
	$(PY) -m build --no-isolation --outdir dist .

clean:
	rm -rf out .pytest_cache .ruff_cache build dist
