# Two entry points for a fresh machine with Python 3.11, make and git:
#   make run   - install the runtime, build the store from data/ if missing, start the dashboard
#   make test  - install runtime + test tools, make sure Chromium is there, run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test browser sample assets bench clean

$(VENV)/.runtime-installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.runtime-installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: $(VENV)/.runtime-installed
	$(PY) -m conflictmap.assets

sample: $(VENV)/.runtime-installed
	$(PY) -m conflictmap sample --if-empty

run: sample assets
	$(PY) -m streamlit run dashboard.py --server.port $(PORT)

# The browser tests drive Debian's Chromium through Playwright; Playwright's own
# browser download cannot work offline and is not needed.
browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && \
		echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	elif [ "$$CI" = "true" ]; then \
		echo "error: /usr/bin/chromium is missing and cannot be installed here; browser tests cannot run" >&2; exit 1; \
	else \
		echo "warning: no /usr/bin/chromium (install Debian's 'chromium' package); browser tests will be skipped" >&2; \
	fi

test: $(VENV)/.dev-installed browser assets
	$(PY) -m pytest

bench: $(VENV)/.dev-installed
	$(PY) bench/geoparse_eval.py
	$(PY) bench/geoparse_speed.py

clean:
	rm -rf $(VENV) data/cache data/conflictmap.db* static/vendor test-artifacts
