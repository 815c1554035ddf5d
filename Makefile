# Two commands do all the set-up on a fresh machine:
#   make site   build the site into _site/ (creates .venv with the runtime dependencies)
#   make test   run every test (also installs Chromium, Java and the npm test tools when missing)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test check serve clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

site: $(VENV)/.runtime
	$(PY) build.py build

check: $(VENV)/.runtime
	$(PY) build.py check --strict

serve: $(VENV)/.runtime
	$(PY) build.py serve

test: $(VENV)/.dev
	bash scripts/install-test-tools.sh
	$(PY) -m ruff check --quiet .
	$(PY) -m mypy --no-error-summary
	$(PY) -m pytest -q

clean:
	rm -rf _site $(VENV) tools/node_modules
