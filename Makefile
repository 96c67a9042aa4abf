# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Reinstall whenever pyproject.toml changes: what running needs for `make run`, the test tools too
# for `make test` (Playwright, Schemathesis, Hypothesis… would add half a minute to a first start).
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)

.PHONY: install run test demo clean system-deps

# Production is motcua's default (a production start refuses development secrets and stand-ins):
# `make run` and `make test` ask for development explicitly — debug, the test CA, and the local
# stand-ins of the payment gateways, the national portal, the population database and SMS/Zalo.
run test: export MOTCUA_DEBUG := 1
run test: export MOTCUA_TEST_PKI := 1
run test: export MOTCUA_PAYMENT_SIMULATOR := 1
run test: export MOTCUA_NATIONAL_STAND_IN := 1
run test: export MOTCUA_POPULATION_STAND_IN := 1
run test: export MOTCUA_TEXT_STAND_IN := 1

# The venv's own pip is recent enough for an editable install; upgrading it costs seconds for nothing.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || { echo "motcua: creating .venv…"; $(PYTHON) -m venv $(VENV); }
	@echo "motcua: installing the dependencies (first time: about 90 s with pip's cache warm)…"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

$(TEST_STAMP): $(STAMP)
	@echo "motcua: installing the test tools…"
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off -e '.[test]'
	@touch $@

install: $(STAMP)

# Links and QR codes printed by the worker (no request to take the address from) point to this server.
run: export MOTCUA_PUBLIC_URL ?= http://$(HOST):$(PORT)
run: install
	@echo "motcua: preparing the database…"
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo --if-empty --core
	$(BIN)/motcua pki init --if-missing
	@echo "motcua: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "The demo's history (past months, certified copies, petitions, the index of finished months) loads"
	@echo "  in the background: its progress below and on the pages; Ctrl-C and 'make run' again resume it."
	@echo "Periodic tasks (deadline scan, national sync to the local stand-in, notices, payments, index) in the background:"
	@echo "  enqueued by 'motcua schedule' (var/schedule.log), run by 'motcua db_worker' (var/worker.log);"
	@echo "  stopped with the server (a task cut short runs again at its next period: nothing is lost)."
	@mkdir -p var
	@trap 'kill $$history $$scheduler $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/motcua demo --history & history=$$!; \
	  $(BIN)/motcua schedule --loop > var/schedule.log 2>&1 & scheduler=$$!; \
	  MOTCUA_SYNC_TRANSPORT=in-process $(BIN)/motcua db_worker --queue-name '*' --no-reload > var/worker.log 2>&1 & worker=$$!; \
	  $(BIN)/motcua runserver --noreload $(HOST):$(PORT)

# The suite checks PDFs with poppler's pdftotext and drives Debian's Chromium (never a browser
# that Playwright would download).
SYSTEM_PACKAGES := poppler-utils chromium
system-deps:
	@command -v pdftotext >/dev/null && command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "The tests need Debian packages: sudo apt-get install $(SYSTEM_PACKAGES)"; exit 1; fi; }

test: $(TEST_STAMP) system-deps
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
