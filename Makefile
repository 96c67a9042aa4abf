# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Reinstall whenever pyproject.toml changes.
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test demo clean system-deps

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

run: install
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo --if-empty
	@echo "motcua: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "Pushing the demo's status changes to the national-portal stand-in in the background: var/sync-push.log, or 'motcua sync status'."
	@mkdir -p var && ($(BIN)/motcua sync push --transport in-process > var/sync-push.log 2>&1 &)
	$(BIN)/motcua runserver --noreload $(HOST):$(PORT)

# The suite checks PDFs with poppler's pdftotext and drives Debian's Chromium (never a browser
# that Playwright would download).
SYSTEM_PACKAGES := poppler-utils chromium
system-deps:
	@command -v pdftotext >/dev/null && command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "The tests need Debian packages: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; }

test: install system-deps
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
