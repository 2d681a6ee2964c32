# nolkumuh: the only entry points people must remember. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# 0.0.0.0 serves phones on the same Wi-Fi too (with NOLKUMUH_PUBLIC_URL=http://<this machine's IP>:$(PORT))
HOST ?= 127.0.0.1
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run sample test lint format bench bench-quick docs messages screenshots clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-11s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install nolkumuh with its development tools

run: $(STAMP) ## install, migrate, load the demo, print the logins, serve on $(HOST):$(PORT) with a job worker
	NOLKUMUH_DEMO=1 $(BIN)/nolkumuh manage migrate --noinput -v 0
	NOLKUMUH_DEMO=1 $(BIN)/nolkumuh demo
	NOLKUMUH_DEMO=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/nolkumuh serve

sample: $(STAMP) ## score the bundled sample data set on the command line and print it
	$(BIN)/nolkumuh sample

test: $(STAMP) ## run the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP) ## ruff check, ruff format check, and no missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	NOLKUMUH_DEMO=1 NOLKUMUH_DATA_DIR=$$(mktemp -d) $(BIN)/nolkumuh manage makemigrations --check --dry-run

format: $(STAMP) ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## run the benchmarks (results go into docs/benchmarks.md by hand)
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_cli_xlsx.py
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_geo.py
	$(BIN)/python bench/bench_planning.py
	$(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_monitoring.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_guard.py

bench-quick: $(STAMP) ## every benchmark on small inputs (a few minutes): checks that each one runs
	$(BIN)/python bench/bench_scoring.py --rows 100000 --sample 2000
	$(BIN)/python bench/bench_cli_xlsx.py --rows 2000
	$(BIN)/python bench/bench_web.py
	$(BIN)/python bench/bench_geo.py
	$(BIN)/python bench/bench_planning.py
	$(BIN)/python bench/bench_training.py
	$(BIN)/python bench/bench_monitoring.py
	$(BIN)/python bench/bench_scale.py --rts 2000 --runs 1
	$(BIN)/python bench/bench_guard.py --rows 2000 --repeat 1

docs: $(STAMP) ## regenerate the generated part of docs/scoring.md from the ruleset data
	$(BIN)/python -m nolkumuh.scoring.docs docs/scoring.md

messages: $(STAMP) ## update and compile the English translation (needs gettext)
	cd src/nolkumuh && NOLKUMUH_DEMO=1 NOLKUMUH_DATA_DIR=$(CURDIR)/data ../../$(BIN)/nolkumuh manage makemessages -l en --ignore '*/migrations/*' --ignore 'data/*'
	cd src/nolkumuh && NOLKUMUH_DEMO=1 NOLKUMUH_DATA_DIR=$(CURDIR)/data ../../$(BIN)/nolkumuh manage compilemessages

screenshots: $(STAMP) ## regenerate the user guide's screenshots (docs/img) from a fresh demo, with Chromium
	$(BIN)/python scripts/screenshots.py

clean: ## remove .venv and caches (not the data folder)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build src/*.egg-info
