#!/usr/bin/env bash
# Install everything the book needs, on a fresh machine or an existing one.
# Idempotent: each step is skipped when its inputs have not changed.
#   scripts/setup.sh            Python env (.venv) + pinned chart runtime (node_modules)
#   scripts/setup.sh --browser  ... and Debian's chromium and CJK fonts for the browser
#                               tests and the PDF edition (python -m nevbook.publish.pdf)
#   scripts/setup.sh --author   ... and JupyterLab for editing notebooks (make lab)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .setup-stamps

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Python: a virtual environment with the pinned requirements.
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
py_key=$(cat requirements.txt constraints.txt pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f ".setup-stamps/python-$py_key" ]; then
  say "installing Python packages (requirements.txt, constraints.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  # The build backend's notice about editable installs (a folder named like the
  # package in the working directory) is expected here: PYTHONWARNINGS keeps it quiet.
  PYTHONWARNINGS=ignore::UserWarning \
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
  rm -f .setup-stamps/python-*
  touch ".setup-stamps/python-$py_key"
fi

# 2. The chart runtime (Vega), pinned with integrity hashes in package-lock.json.
command -v npm >/dev/null || { say "npm is missing: install Node.js (Debian: apt-get install nodejs npm)"; exit 1; }
js_key=$(cat package.json package-lock.json | sha256sum | cut -c1-16)
if [ ! -f ".setup-stamps/js-$js_key" ] || [ ! -f node_modules/vega/build/vega.min.js ]; then
  say "installing the chart runtime (npm ci)"
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  rm -f .setup-stamps/js-*
  touch ".setup-stamps/js-$js_key"
fi

# 3. Chromium for the browser tests and the PDF edition (Debian's package;
#    Playwright never downloads a browser), and fonts for the PDF edition: Noto
#    CJK (without it Chinese names and terms print as empty boxes) and Liberation
#    (the metrics vl-convert lays charts out with).
if [ "${1:-}" = "--browser" ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  for pkg in fonts-noto-cjk fonts-liberation; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
# 4. The author environment, only when asked for (make lab): JupyterLab in its
#    own .venv-lab (its dependencies would slow every build if they shared .venv),
#    running notebooks on the book's kernel: .venv's Python, registered in
#    .venv-lab as the "python3" kernel the notebooks name.
if [ "${1:-}" = "--author" ]; then
  lab_key=$(cat requirements-author.txt constraints-author.txt | sha256sum | cut -c1-16)
  if [ ! -f ".setup-stamps/author-$lab_key" ] || [ ! -x .venv-lab/bin/jupyter-lab ]; then
    say "installing JupyterLab for authors into .venv-lab (requirements-author.txt)"
    [ -x .venv-lab/bin/python ] || "$PYTHON" -m venv .venv-lab
    .venv-lab/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-author.txt \
      -c constraints-author.txt
    .venv/bin/python -m ipykernel install --prefix "$PWD/.venv-lab" --name python3 \
      --display-name "Python 3 (the book's .venv)" >/dev/null
    rm -f .setup-stamps/author-*
    touch ".setup-stamps/author-$lab_key"
  fi
fi
say "ready"
