# govsim — quick start: `make run`, then `make test`.
# Every target sets up .venv first (Python >= 3.12; .python-version makes pyenv pick 3.12).

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: setup run test validate bench app clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
	  { echo "govsim needs Python >= 3.12; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	    echo "With pyenv: 'pyenv install 3.12' (the .python-version file selects it)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	@touch $(STAMP)

run: setup
	$(VENV)/bin/govsim run scenarios/parking_x_community.toml --regime all --seeds 20 --out out

test: setup
	$(PY) -m pytest -q

# Measured, not asserted: writes benchmarks/results.json and prints a short table.
bench: setup
	$(PY) -m benchmarks

# Stylized facts (MODEL.md §8) and the parking-case replay with its sensitivity table:
# about 15 minutes on 2 cores. Reports, JSON and figures go to out/validation.
VALIDATION_SEEDS ?= 50
validate: setup
	$(VENV)/bin/govsim facts --seeds $(VALIDATION_SEEDS) --workers 2 --out out/validation
	$(VENV)/bin/govsim replay --seeds $(VALIDATION_SEEDS) --sensitivity-seeds 20 --workers 2 \
	  --out out/validation

clean:
	rm -rf $(VENV) out .pytest_cache build *.egg-info
