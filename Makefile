# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Reinstall whenever pyproject.toml changes.
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

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

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# Links and QR codes printed by the worker (no request to take the address from) point to this server.
run: export MOTCUA_PUBLIC_URL ?= http://$(HOST):$(PORT)
run: install
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo --if-empty
	$(BIN)/motcua pki init --if-missing
	@echo "motcua: http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@echo "Periodic tasks (deadline scan, national sync to the local stand-in, notices, payments, index) in the background:"
	@echo "  enqueued by 'motcua schedule' (var/schedule.log), run by 'motcua db_worker' (var/worker.log);"
	@echo "  stopped with the server (a task cut short runs again at its next period: nothing is lost)."
	@mkdir -p var
	@trap 'kill $$scheduler $$worker 2>/dev/null' EXIT INT TERM; \
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

test: install system-deps
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
