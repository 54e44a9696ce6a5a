# The two commands (see README): `make book` builds the site, `make test` runs every check.
# Both install what they need first (scripts/setup.sh, idempotent).
SHELL := /bin/bash
VENV := .venv/bin
BUILD_FLAGS := -W -n --keep-going
PORT ?= 8000

.PHONY: setup setup-browser setup-author book test check stale pdf bench preview live lab strip hooks \
        chapter check-chapter clean

setup:
	@bash scripts/setup.sh

setup-browser:
	@bash scripts/setup.sh --browser

setup-author:
	@bash scripts/setup.sh --author

## Build the site into _build/html: data/ is validated first (one report, then stop);
## warnings are errors; a notebook re-runs only when its code or what it reads changed.
book: setup
	@$(VENV)/python -m nevbook check
	$(VENV)/jupyter-book build . $(BUILD_FLAGS)

## Every check: data and quotes, the build, the PDF, notebooks (nbval), the site in Chromium.
test: setup-browser
	$(VENV)/python -m nevbook check
	$(VENV)/python -m nevbook stale
	$(VENV)/jupyter-book build . $(BUILD_FLAGS)
	$(VENV)/python -m nevbook.publish.pdf
	$(VENV)/python -m pytest --nbval-lax -p no:cacheprovider

## The PDF edition: _build/pdf/nev-policy-book.pdf (one-page build, static charts, Chromium; offline).
pdf: setup-browser book
	$(VENV)/python -m nevbook.publish.pdf

## How current the book is: series behind the edition, tiers, ledger, chapter reviews.
stale: setup
	@$(VENV)/python -m nevbook stale

## Seconds: validate data/ and every quote, naming file and row.
check: setup
	@$(VENV)/python -m nevbook check

## A new chapter: make chapter ID=<theme-id> TITLE="Chapter title"
chapter: setup
	@test -n "$(ID)" || { echo 'usage: make chapter ID=<theme-id> TITLE="Chapter title"'; exit 2; }
	@$(VENV)/python -m nevbook chapter "$(ID)" "$(TITLE)"

## Every unmet rule of one chapter, at once: make check-chapter ID=<theme-id>
check-chapter: setup
	@test -n "$(ID)" || { echo 'usage: make check-chapter ID=<theme-id>'; exit 2; }
	@$(VENV)/python -m nevbook check-chapter "$(ID)"

## Live preview with reload on save: make live [PORT=8000]
live: setup
	@$(VENV)/python -m nevbook live $(PORT)

## Build, then serve the site: make preview [PORT=8000]
preview: book
	$(VENV)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

## Edit notebooks in JupyterLab (installed into .venv-lab on first use): make lab [PORT=8888]
lab: setup setup-author
	.venv-lab/bin/jupyter lab --ip 127.0.0.1 --port $(if $(filter 8000,$(PORT)),8888,$(PORT)) --no-browser notebooks

## Strip outputs from every notebook (nbstripout; the pre-commit hook does it too).
strip: setup
	$(VENV)/nbstripout --keep-id notebooks/*.ipynb

## Install the git hooks (strip notebooks and check data/ before each commit) and the
## merge driver that merges data tables row by row (scripts/csvmerge.py).
hooks:
	git config core.hooksPath .githooks
	git config merge.csvkey.name "data tables, row by row (scripts/csvmerge.py)"
	git config merge.csvkey.driver "python3 scripts/csvmerge.py %O %A %B %P"
	@echo "hooks: .githooks/pre-commit runs before each commit; data tables merge row by row"

## Benchmark against a default Jupyter Book + Altair build; rewrites BENCHMARK.md (~15 min).
bench: setup-browser
	$(VENV)/python scripts/bench.py

clean:
	rm -rf _build
