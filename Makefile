# Two commands do all the set-up on a fresh machine:
#   make site   build the site into _site/ (creates .venv with the locked runtime dependencies)
#   make test   run every test (also installs Chromium, Java and the npm test tools when missing)
# Python dependencies come only from the hashed lock files requirements.txt and
# requirements-dev.txt; `make lock` remakes them from requirements.in and requirements-dev.in.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install -q --disable-pip-version-check --no-deps --require-hashes
PIP_TOOLS := pip-tools==7.6.2
LOCK_VENV := .venv-lock
COMPILE := $(LOCK_VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-header --no-emit-index-url --no-emit-find-links --upgrade

.PHONY: site test check serve schemas lock clean

# The program's own modules are compiled before each command: Python reads compiled modules but, where
# PYTHONDONTWRITEBYTECODE is set, never writes them, and compiling them all again took 0.07 s of every run.
# A compiled module whose source has changed since is compiled again in memory, never used as it is.
BYTECODE := $(PY) -m compileall -q labsite

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PIP) -r requirements.txt -r requirements-dev.txt
	touch $@

site: $(VENV)/.runtime
	$(BYTECODE)
	$(PY) build.py build

check: $(VENV)/.runtime
	$(BYTECODE)
	$(PY) build.py check --strict

serve: $(VENV)/.runtime
	$(BYTECODE)
	$(PY) build.py serve

# After a change to labsite/model/schema.py: rewrite schemas/, .vscode/settings.json and the table in docs/content.md.
schemas: $(VENV)/.runtime
	$(PY) build.py schemas

# The tests must leave the working tree as they found it (no state file, catalogue or lock rewritten).
# They run on every core (pytest-xdist; one test file per worker at a time, so that a file's shared
# fixtures are made once), except Lighthouse, which measures speed and so runs last, alone.
test: $(VENV)/.dev
	$(BYTECODE)
	$(PY) scripts/tree_state.py save $(VENV)/tree-before.json
	bash scripts/install-test-tools.sh
	$(PY) -m ruff check --quiet .
	$(PY) -m mypy --no-error-summary
	$(PY) build.py check --strict
	$(PY) -m pytest -q -n auto --dist loadfile -m "not lighthouse"
	$(PY) -m pytest -q -m lighthouse
	$(PY) scripts/tree_state.py compare $(VENV)/tree-before.json

# Upgrade every pinned dependency to its newest release within requirements*.in.
# Review: `git diff requirements*.txt`, then `make test` shows every output change it brings.
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install -q $(PIP_TOOLS); }
	$(COMPILE) -o requirements.txt requirements.in
	$(COMPILE) -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf _site $(VENV) $(LOCK_VENV) tools/node_modules
