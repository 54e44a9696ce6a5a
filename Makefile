# The two commands (see README): `make book` builds the site, `make test` runs every check.
# Both install what they need first (scripts/setup.sh, idempotent).
SHELL := /bin/bash
VENV := .venv/bin
BUILD_FLAGS := -W -n --keep-going

.PHONY: setup setup-browser book test check pdf bench preview clean

setup:
	@bash scripts/setup.sh

setup-browser:
	@bash scripts/setup.sh --browser

## Build the site into _build/html (warnings are errors; notebooks execute, cached).
book: setup
	$(VENV)/jupyter-book build . $(BUILD_FLAGS)

## Every check: data and quotes, notebooks (nbval), the build, the PDF, the site in Chromium.
test: setup-browser
	$(VENV)/python -m nevbook check
	$(VENV)/jupyter-book build . $(BUILD_FLAGS)
	$(VENV)/python -m nevbook.publish.pdf
	$(VENV)/python -m pytest --nbval-lax -p no:cacheprovider

## The PDF edition: _build/pdf/nev-policy-book.pdf (one-page build, static charts, Chromium; offline).
pdf: setup-browser book
	$(VENV)/python -m nevbook.publish.pdf

## Fast feedback for authors: validate data/ and every quote, naming file and row.
check: setup
	$(VENV)/python -m nevbook check

## Benchmark against a default Jupyter Book + Altair build; rewrites BENCHMARK.md (~15 min).
bench: setup-browser
	$(VENV)/python scripts/bench.py

## Build, then serve the site at http://127.0.0.1:8000
preview: book
	$(VENV)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

clean:
	rm -rf _build
