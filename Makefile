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

clean:
	rm -rf $(VENV) out .pytest_cache build *.egg-info
