# Two commands do all the set-up on a fresh machine:
#   make run    create .venv (Python 3.12) if missing, install, run the default scenario
#   make test   same set-up, then run the test suite (what CI runs)
#   make check  the fast tier while developing: unit and in-process integration tests (under
#               2 minutes); make test adds the command lines in fresh processes and the slow ones
#   make dashboard   same set-up plus the dashboard and its front-end assets, then serve it
# Extra arguments for the model go in ARGS, e.g. `make run ARGS="seed=7 scenario=baseline"`.

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
DASH_STAMP := $(VENV)/.dashboard-installed
ARGS      ?=
PYTEST_ARGS ?=

# Python 3.12: the first of python3.12 on PATH or a pyenv-installed 3.12 that runs.
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { command -v "$$p" || echo "$$p"; } && break; done)

.PHONY: run test check setup lint bench clean-venv system-deps dashboard dashboard-assets

setup: $(STAMP)

$(PY):
	@test -n "$(PYTHON312)" || { echo "error: Python 3.12 not found (needed by mesa 3.5). Install python3.12 and retry." >&2; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The dashboard extra, then its front-end assets (npm packages from the npm registry, unpacked
# into the venv) so the page works without internet.
$(DASH_STAMP): $(STAMP) pyproject.toml simulation/apps/dashboard/assets.py | system-deps
	$(PY) -m pip install --quiet -e '.[dashboard]'
	$(PY) -m simulation.apps.dashboard.assets
	@touch $(DASH_STAMP)

dashboard-assets: $(DASH_STAMP)

run: $(STAMP)
	$(PY) -m simulation $(ARGS)

# Serves the dashboard on http://localhost:8765/ (options in ARGS, e.g. ARGS="--port 9000")
dashboard: $(DASH_STAMP)
	$(PY) -m simulation.dashboard $(ARGS)

# Debian packages the tests need, installed only when missing: chromium for the dashboard's
# browser test (Playwright's own browser download is not used), npm for the dashboard's
# front-end assets, iproute2 and util-linux for the offline (loopback-only) server test.
system-deps:
	@need=""; \
	[ -x /usr/bin/chromium ] || need="$$need chromium"; \
	command -v npm >/dev/null || need="$$need npm"; \
	command -v ip >/dev/null || need="$$need iproute2"; \
	command -v nsenter >/dev/null || need="$$need util-linux"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "error: install these Debian packages first:$$need" >&2; exit 1; fi; \
	  echo "installing system packages:$$need"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$need; \
	fi

test: system-deps $(STAMP) $(DASH_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(PY) -m pytest -q -m "not slow and not cli" $(PYTEST_ARGS)

# Each benchmark prints its figures with the ratio to the last recorded ones and records them
# in benchmarks/results/*.json; the README's Performance table is then regenerated from them.
# Paired "before" figures come from temporary checkouts of these revisions:
BENCH_BEFORE ?= 42a9f62# main before the ensemble engine (replications one by one)
BENCH_OLD_MODEL ?= 731e37e# the last model before the economic core v2
bench: $(STAMP)
	$(PY) benchmarks/bench_single.py --against $(BENCH_OLD_MODEL)
	$(PY) benchmarks/bench_ensemble.py --against $(BENCH_BEFORE)
	$(PY) benchmarks/bench_scaling.py
	$(PY) benchmarks/bench_decision.py
	$(PY) benchmarks/bench_replications.py
	$(PY) benchmarks/bench_dashboard.py
	$(PY) benchmarks/bench_plot.py
	$(PY) benchmarks/report.py

lint: $(STAMP)
	$(VENV)/bin/ruff check simulation tests benchmarks

clean-venv:
	rm -rf $(VENV)
