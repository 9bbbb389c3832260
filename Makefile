# The only entry points: run, test, lint, fmt, demo, messages.
PY ?= python3
UV := .uv/bin/uv
UV_VERSION := 0.13.8
export UV_PROJECT_ENVIRONMENT := .venv
# Installed packages are compiled to bytecode once, at install: with
# PYTHONDONTWRITEBYTECODE set (as on the CI machine), every Python process (each test
# server, worker and subprocess) otherwise compiled Django and the rest again, 3 s each.
export UV_COMPILE_BYTECODE := 1

.PHONY: run test test-unit test-e2e lint fmt demo messages deps clean

$(UV):
	$(PY) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.runtime: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --no-dev --inexact --quiet
	touch $@

.venv/.dev: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	touch .venv/.runtime $@

e2e/node_modules/.installed: e2e/package.json e2e/package-lock.json
	cd e2e && npm ci --silent --no-audit --no-fund
	touch $@

## run: Mend at http://127.0.0.1:8000 (SQLite under var/, plain HTTP on loopback only)
run: .venv/.runtime
	MEND_HTTPS=$${MEND_HTTPS:-0} .venv/bin/mend serve

## test: the whole suite (set MEND_DATABASE_URL to run it on PostgreSQL)
# In TEST_JOBS processes at once (pytest-xdist; one per core by default). The browser
# tests run after the rest, on their own: Playwright's event loop, once started in a
# process, would make Django refuse the plain tests that process ran next.
TEST_JOBS ?= auto
test: .venv/.dev
	bash e2e/setup.sh
	$(MAKE) --no-print-directory e2e/node_modules/.installed
	.venv/bin/python -m compileall -q -j 0 mend tests e2e conftest.py
	MEND_TESTING=1 .venv/bin/pytest -n $(TEST_JOBS) --dist worksteal $(PYTEST_ARGS) mend tests
	MEND_TESTING=1 .venv/bin/pytest -n $(TEST_JOBS) --dist worksteal $(PYTEST_ARGS) e2e

lint: .venv/.dev
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/mypy mend
	MEND_TESTING=1 .venv/bin/pytest -q tests/test_docs.py

fmt: .venv/.dev
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

## demo: a demo couple (ana / ben, password "a long enough passphrase 1")
demo: .venv/.runtime
	MEND_HTTPS=$${MEND_HTTPS:-0} .venv/bin/mend migrate --verbosity 0
	MEND_HTTPS=$${MEND_HTTPS:-0} .venv/bin/mend demo

## messages: refresh the Spanish catalogue from the source and compile it (needs gettext)
messages: .venv/.dev
	MEND_TESTING=1 .venv/bin/python manage.py makemessages -l es --no-obsolete \
		--ignore=.venv --ignore=e2e --ignore=bench --ignore=node_modules --ignore=var
	cd mend && MEND_TESTING=1 ../.venv/bin/python ../manage.py compilemessages -l es

clean:
	rm -rf .venv .uv e2e/node_modules
