# hrhelper — `make run` serves the API with embedded defaults; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install the project with its dev tools

run: install ## migrate and serve on http://127.0.0.1:8000 (SQLite under ./var, jobs in-process)
	$(BIN)/hrhelper migrate
	$(BIN)/hrhelper serve --host $(HOST) --port $(PORT)

lint: install ## ruff, the import contracts and mypy
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test: lint ## lint, then the whole test suite
	$(BIN)/pytest

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

clean: ## remove the virtualenv, caches and the local database
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis

.PHONY: help install run lint test format clean
