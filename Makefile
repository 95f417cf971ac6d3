# HữuNghị — the two commands that matter: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup bench lint format messages clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.copied: node_modules/.package-lock.json scripts/copy_assets.py
	$(PY) scripts/copy_assets.py
	touch $@

setup: $(VENV)/.installed static/vendor/.copied
	@mkdir -p var
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0

run: setup
	$(PY) manage.py load_demo --if-empty
	HOST=$(HOST) PORT=$(PORT) $(PY) scripts/serve.py

# The suite on every core (pytest-xdist), a test file per worker: files share module-scoped data.
test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n auto --dist loadfile

bench: setup
	$(PY) bench/run.py

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages:
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=node_modules --ignore=var --no-obsolete

clean:
	rm -rf $(VENV) node_modules static/vendor var/staticfiles
