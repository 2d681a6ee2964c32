# nolkumuh: the only entry points people must remember. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs: what running needs (make run, sample, docs, messages) and, on top, the development
# tools (tests, lint, benchmarks, screenshots). Both take their versions from the lock file.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
CONSTRAINTS := requirements/constraints.txt
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) --build-constraint $(CONSTRAINTS)
PORT ?= 8000
# 0.0.0.0 serves phones on the same Wi-Fi too (with NOLKUMUH_PUBLIC_URL=http://<this machine's IP>:$(PORT))
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install install-dev lock run sample test lint format bench bench-quick docs messages screenshots clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# pip first: the venv's own pip may predate --build-constraint (pip 25.3).
$(RUN_STAMP): pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) --upgrade pip
	$(PIP_INSTALL) -e .
	@touch $@

$(DEV_STAMP): $(RUN_STAMP)
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@

install: $(RUN_STAMP) ## create .venv and install nolkumuh with what running needs (locked versions)
install-dev: $(DEV_STAMP) ## install, plus the development tools: pytest, ruff, Playwright, …

lock: ## re-resolve every dependency in a throwaway venv and write requirements/constraints.txt
	$(PYTHON) scripts/lock.py $(CONSTRAINTS)

run: $(RUN_STAMP) ## install, migrate, load the demo, print the logins, serve on HOST:PORT (127.0.0.1:8000) with a job worker
	NOLKUMUH_DEMO=1 $(BIN)/nolkumuh manage migrate --noinput -v 0
	NOLKUMUH_DEMO=1 $(BIN)/nolkumuh demo
	NOLKUMUH_DEMO=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/nolkumuh serve

sample: $(RUN_STAMP) ## score the bundled sample data set on the command line and print it
	$(BIN)/nolkumuh sample

test: $(DEV_STAMP) ## run the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff check, ruff format check, and no missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	NOLKUMUH_DEMO=1 NOLKUMUH_DATA_DIR=$$(mktemp -d) $(BIN)/nolkumuh manage makemigrations --check --dry-run

format: $(DEV_STAMP) ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(DEV_STAMP) ## run the benchmarks (results go into docs/benchmarks.md by hand)
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_cli_xlsx.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_geo.py
	$(BIN)/python bench/bench_planning.py
	$(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_monitoring.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_guard.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_national.py

bench-quick: $(DEV_STAMP) ## every benchmark on small inputs (a few minutes): checks that each one runs
	$(BIN)/python bench/bench_scoring.py --rows 100000 --sample 2000
	$(BIN)/python bench/bench_cli_xlsx.py --rows 2000
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_geo.py
	$(BIN)/python bench/bench_planning.py
	$(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_monitoring.py
	$(BIN)/python bench/bench_scale.py --rts 2000 --runs 1
	$(BIN)/python bench/bench_guard.py --rows 2000 --repeat 1
	$(BIN)/python bench/bench_import.py --sizes 500 --baseline-rows 50
	$(BIN)/python bench/bench_national.py --rts 3000 --province 33 --runs 1

docs: $(RUN_STAMP) ## regenerate the generated part of docs/scoring.md from the ruleset data
	$(BIN)/python -m nolkumuh.scoring.docs docs/scoring.md

messages: $(RUN_STAMP) ## update and compile the English translation (needs GNU gettext)
	@command -v xgettext >/dev/null && command -v msgfmt >/dev/null \
	  || { echo "make messages needs GNU gettext (xgettext, msgfmt): apt-get install gettext"; exit 1; }
	cd src/nolkumuh && NOLKUMUH_DEMO=1 NOLKUMUH_DATA_DIR=$(CURDIR)/data ../../$(BIN)/nolkumuh manage makemessages -l en --ignore '*/migrations/*' --ignore 'data/*'
	cd src/nolkumuh && NOLKUMUH_DEMO=1 NOLKUMUH_DATA_DIR=$(CURDIR)/data ../../$(BIN)/nolkumuh manage compilemessages

screenshots: $(DEV_STAMP) ## regenerate the user guide's screenshots (docs/img) from a fresh demo, with Chromium
	$(BIN)/python scripts/screenshots.py

clean: ## remove .venv and caches (not the data folder)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build src/*.egg-info
