# Two entry points for a fresh machine with Python 3.11, make and git:
#   make run   - install the runtime, build the store from data/ if missing, start the dashboard
#   make test  - install runtime + test tools, make sure Chromium is there, run the whole suite
#                (ruff first: a lint failure fails the suite before any test runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test system-deps sample assets bench clean

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: $(VENV)/.runtime-installed
	$(PY) -m conflictmap.render.assets

sample: $(VENV)/.runtime-installed
	$(PY) -m conflictmap sample --if-empty

run: sample assets
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

# System packages the tests need: Debian's Chromium for the browser tests (driven by
# Playwright; its own browser download cannot work offline and is not needed) and a
# PostgreSQL server that the store tests start privately on a Unix socket.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then \
		echo "system packages present: chromium, postgresql"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	elif [ "$$CI" = "true" ]; then \
		echo "error: missing$$missing and cannot install them here (needs root and apt-get)" >&2; exit 1; \
	else \
		echo "warning: missing$$missing (Debian packages); those tests will be skipped with the reason" >&2; \
	fi

test: $(VENV)/.dev-installed system-deps assets
	$(PY) -m ruff check .
	$(PY) -m pytest

bench: $(VENV)/.dev-installed
	$(PY) bench/geoparse_eval.py
	$(PY) bench/geoparse_speed.py

clean:
	rm -rf $(VENV) data/cache data/conflictmap.db* static/vendor test-artifacts
