# Two commands do all the set-up on a fresh machine:
#   make run    create .venv (Python 3.12) if missing, install, run the default scenario
#   make test   same set-up, then run the test suite
# Extra arguments for the model go in ARGS, e.g. `make run ARGS="seed=7 scenario=baseline"`.

VENV      := .venv
PY        := $(VENV)/bin/python
STAMP     := $(VENV)/.installed
ARGS      ?=
PYTEST_ARGS ?=

# Python 3.12: the first of python3.12 on PATH or a pyenv-installed 3.12 that runs.
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12 /usr/local/bin/python3.12 /usr/bin/python3.12; do \
	"$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' >/dev/null 2>&1 && { command -v "$$p" || echo "$$p"; } && break; done)

.PHONY: run test setup lint bench clean-venv

setup: $(STAMP)

$(PY):
	@test -n "$(PYTHON312)" || { echo "error: Python 3.12 not found (needed by mesa 3.5). Install python3.12 and retry." >&2; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m simulation $(ARGS)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(PY) benchmarks/bench_scaling.py
	$(PY) benchmarks/bench_decision.py
	$(PY) benchmarks/bench_replications.py
	$(PY) benchmarks/bench_plot.py

lint: $(STAMP)
	$(VENV)/bin/ruff check simulation tests benchmarks

clean-venv:
	rm -rf $(VENV)
