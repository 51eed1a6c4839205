# govsim — quick start: `make run`, then `make test`.
# Every target sets up .venv first (Python >= 3.12; .python-version makes pyenv pick 3.12).

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PYTHON ?= python3

.PHONY: setup run test validate bench app app-load clean browser-deps cjk-font

# setup also brings govsim's bytecode up to date (quick when it is): an editable install
# compiles nothing, and where PYTHONDONTWRITEBYTECODE is set Python would compile every
# module again at every command — 0.08 s of a one-seed `govsim run`.
setup: $(STAMP)
	@$(PY) -m compileall -q govsim

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
	  { echo "govsim needs Python >= 3.12; '$(PYTHON)' is $$($(PYTHON) --version 2>&1)."; \
	    echo "With pyenv: 'pyenv install 3.12' (the .python-version file selects it)."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask,ema]'
	@touch $(STAMP)

run: setup
	$(VENV)/bin/govsim run scenarios/parking_x_community.toml --regime all --seeds 20 --out out

test: setup browser-deps
	$(PY) -m pytest -q

# The browser tests drive Debian's chromium; the app draws Chinese with a CJK font. Both
# come from Debian's packages, installed only when missing (Playwright never downloads a
# browser here).
APT := $(shell [ "$$(id -u)" = 0 ] || echo sudo) env DEBIAN_FRONTEND=noninteractive apt-get
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f $(CJK_FONT) ]; then \
	  echo "installing chromium and fonts-wqy-microhei from Debian"; \
	  $(APT) update -qq && $(APT) install -y -qq chromium fonts-wqy-microhei; fi

cjk-font:
	@[ -f $(CJK_FONT) ] || { $(APT) update -qq && $(APT) install -y -qq fonts-wqy-microhei; }

# The browser app on http://127.0.0.1:8765 (SCENARIO=file.toml PORT=... to change).
SCENARIO ?= scenarios/parking_x_community.toml
PORT ?= 8765
app: setup cjk-font
	$(VENV)/bin/govsim app $(SCENARIO) --port $(PORT)

# A class of thirty on this machine (loopback only, about two minutes): writes
# benchmarks/app_load.json. APP_LOAD_ARGS='--check' asserts issue 12's goals;
# '--client browser' runs the sessions in chromium pages instead of over the websocket.
APP_LOAD_ARGS ?=
app-load: setup browser-deps
	$(PY) -m benchmarks.app_load $(APP_LOAD_ARGS)

# Measured, not asserted: writes benchmarks/results.json and prints a short table (~13 min on
# 2 cores; every figure a median of interleaved repeats, with its range and the load average).
# Smoke test of the harness: .venv/bin/python -m benchmarks --quick --out /tmp/bench.json
bench: setup
	$(PY) -m benchmarks

# Stylized facts (MODEL.md §8) and the parking-case replay with its sensitivity table, each
# a sweep of named points on all cores (Ctrl-C, then the same command with --resume).
# Reports, JSON, figures and the runs' stores go to out/validation/.
VALIDATION_SEEDS ?= 50
validate: setup
	$(VENV)/bin/govsim facts --seeds $(VALIDATION_SEEDS) --out out/validation/facts $(RESUME)
	$(VENV)/bin/govsim replay --seeds $(VALIDATION_SEEDS) --sensitivity-seeds 20 \
	  --out out/validation/replay $(RESUME)
	$(VENV)/bin/govsim facts xianlin_facts --seeds 10 --out out/validation/xianlin $(RESUME)
	$(VENV)/bin/govsim decompose --seeds 20 --out out/validation/decompose $(RESUME)

clean:
	rm -rf $(VENV) out .pytest_cache build *.egg-info
