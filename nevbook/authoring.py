"""Authoring commands: ``make chapter`` and ``make check-chapter``.

- :func:`new_chapter` writes ``notebooks/<id>.ipynb`` from the chapter
  template (the sections of BOOK.md §3 and §10, in order), lists it in
  ``_toc.yml`` and makes it the theme's home in ``data/themes.csv`` (adding
  the theme if it is new). The scaffold builds cleanly; ``make check-chapter``
  then lists every rule it does not meet yet.
- :func:`check_chapter` builds the book (a warm build only re-reads what
  changed) and reports every unmet chapter rule at once (:mod:`nevbook.chapter`).
"""
from __future__ import annotations

import csv
import io
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from . import chapter, paths

PART = "Themes"  # the _toc.yml part new chapters join


def _md(text: str) -> dict:
    return nbformat.v4.new_markdown_cell(text.strip("\n"))


def _code(text: str, *tags: str) -> dict:
    c = nbformat.v4.new_code_cell(text.strip("\n"))
    if tags:
        c.metadata["tags"] = list(tags)
    return c


def template(theme: str, title: str, quote_ids: list[str]) -> nbformat.NotebookNode:
    """The chapter scaffold: every section of the contract, in order, with
    what goes in each. It executes as it stands."""
    quotes = "\n\n".join(f"```{{nev-quote}} {q}\n```" for q in quote_ids) or (
        "% Add quotes of this theme to data/quotes.csv (verbatim from data/sources/texts/),\n"
        "% then show each one here:\n"
        "%\n% ```{nev-quote} quote-id\n% ```")
    cells = [
        _md(f"""
# {title}

```{{nev-verdict}}
% The book's judgement, in at most three sentences: did the policy do what
% officials said? Numbers glued from the code below, never typed.
Verdict to come: {{glue:text}}`n_quotes` quotes of this theme are in the data so far.
```

```{{nev-freshness}}
:theme: {theme}
```

% The lead: the finding in two or three sentences, with glued numbers.
"""),
        _code(f"""
import pandas as pd

import nevbook as nb
from nevbook import charts, checks

THEME = "{theme}"
quotes = nb.table("quotes")
quotes = quotes[quotes.themes.map(lambda t: THEME in t)]
events = nb.events(THEME)

nb.glue_number("n_quotes", len(quotes), "d")
""", "remove-cell"),
        _md(f"""
% The decisive chart goes here, right after the verdict (a code cell tagged
% remove-input that ends with charts.figure(...)).

## What officials said

{quotes}
"""),
        _md("""
## What the data show

% One section a question the statements raise, each with a chart on sourced
% data. Describe the series in data/series.csv, cite each source once in
% data/citations.csv, add the values to data/observations/<file>.csv.
"""),
        _code("""
# A chart: build with a charts builder, wrap in charts.figure (README: Add a chart).
# charts.figure(
#     charts.lines(nb.series("series-id"), y_title="Million vehicles"),
#     id="chart-id", title="The finding, computed", subtitle="Unit, years, scope",
#     description="For screen readers", takeaway="One sentence under the chart",
#     data=nb.series("series-id"))
""", "remove-input"),
        _md(f"""
## What happened next

The commitments the statements made on this theme, each judged on action and
outcome.

```{{nev-ledger}}
:theme: {theme}
```

```{{nev-claims}}
:theme: {theme}
```
"""),
        _md(f"""
## What others estimate

% Published estimates of whether the policy worked (data/estimates.csv): who,
% method, result, range, attributed. Our prose around them; theirs are theirs.

```{{nev-estimates}}
:theme: {theme}
```
"""),
        _md(f"""
## What to watch

% Dated milestones after the edition date (data/milestones.csv).

```{{nev-milestones}}
:theme: {theme}
```
"""),
        _md(f"""
## Notes

% Terms glossed ({{term}}`...`), caveats on data, conflicts between sources.

**Sources.**

```{{nev-citations}}
:theme: {theme}
```
"""),
        _code("""
# Hidden checks: the data agree with the figures officials quoted.
# said = checks.figures("source-id", r"reaching ([\\d.]+) million")
# assert said == [checks.value(nb.series("series-id"), "series-id", "2021")]
""", "remove-cell"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{theme}-{i:02d}"
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    return nb


def _add_to_toc(docname: str, part: str = PART) -> bool:
    """Add ``docname`` as the last chapter of ``part`` in _toc.yml (keeping
    its comments and layout); False if it is listed already."""
    toc = paths.root() / "_toc.yml"
    lines = toc.read_text(encoding="utf-8").splitlines(keepends=True)
    if any(line.strip() == f"- file: {docname}" for line in lines):
        return False
    start = next((i for i, line in enumerate(lines) if line.strip() == f"- caption: {part}"), None)
    if start is None:
        raise SystemExit(f"_toc.yml has no part '{part}'")
    end, indent = start + 1, None
    for i in range(start + 1, len(lines)):
        s = lines[i]
        if s.strip().startswith("- caption:"):
            break
        if s.strip().startswith("- file:") and (indent is None or len(s) - len(s.lstrip()) <= indent):
            indent = len(s) - len(s.lstrip())
        if s.strip():
            end = i + 1
    indent = 6 if indent is None else indent
    lines.insert(end, " " * indent + f"- file: {docname}\n")
    toc.write_text("".join(lines), encoding="utf-8")
    return True


def _set_theme_home(theme: str, title: str) -> str:
    """Make notebooks/<theme> the theme's home in data/themes.csv."""
    path = paths.data_dir() / "themes.csv"
    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    fields = list(rows[0].keys()) if rows else ["id", "title", "chapter"]
    home = f"notebooks/{theme}"
    for r in rows:
        if r["id"] == theme:
            if r["chapter"] == home:
                return "unchanged"
            r["chapter"] = home
            break
    else:
        rows.append({"id": theme, "title": title, "chapter": home})
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return "updated"


def new_chapter(theme: str, title: str) -> list[str]:
    """Scaffold a chapter; returns what was done, a line each."""
    from .data import book

    if not chapter.ID_RULE.match(theme):
        raise SystemExit(f"ID={theme!r}: a theme id is lower-case words joined by hyphens "
                         "(the notebook is notebooks/<id>.ipynb)")
    if not title.strip():
        raise SystemExit('TITLE is empty: make chapter ID=<theme-id> TITLE="Chapter title"')
    nb_path = chapter.notebook_path(theme)
    if nb_path.exists():
        raise SystemExit(f"{nb_path.relative_to(paths.root())} exists already; "
                         f"`make check-chapter ID={theme}` lists what it still needs")
    quote_ids = [q["id"] for q in book().rows("quotes") if theme in q["themes"]]
    nbformat.write(template(theme, title.strip(), quote_ids), nb_path)
    done = [f"wrote notebooks/{theme}.ipynb ({len(quote_ids)} quotes of the theme placed)"]
    done.append(f"data/themes.csv: notebooks/{theme} is the home of '{theme}' ({_set_theme_home(theme, title.strip())})")
    done.append("_toc.yml: " + (f"added under '{PART}'" if _add_to_toc(f"notebooks/{theme}") else "listed already"))
    done.append(f"next: `make check-chapter ID={theme}` lists every rule the chapter does not meet yet")
    return done


def check_chapter(theme: str, build: bool = True) -> int:
    """Build (warm), then report every unmet rule; exit code 1 if any."""
    if build:
        t0 = time.perf_counter()
        jb = Path(sys.executable).parent / "jupyter-book"
        run = subprocess.run([str(jb), "build", str(paths.root()), "-W", "-n", "--keep-going"],
                             cwd=paths.root(), capture_output=True, text=True)
        took = time.perf_counter() - t0
        warnings = [line for line in (run.stdout + run.stderr).splitlines()
                    if "WARNING" in line or "ERROR" in line]
        mine = [w for w in warnings if f"notebooks/{theme}" in w]
        print(f"build: {took:.1f} s, {'ok' if run.returncode == 0 else 'FAILED'}"
              + (f"; {len(warnings)} warning(s), {len(mine)} in this chapter" if warnings else ""))
        for w in (mine or warnings)[:20]:
            print("  " + w.strip())
    rules = chapter.check(theme)
    print(chapter.report(theme, rules))
    return 0 if all(r.ok for r in rules) else 1


def live(port: int = 8000) -> int:
    """A live preview: rebuild on save and reload the browser (sphinx-autobuild).

    Jupyter Book 1 has no live mode; its configuration is written out as a
    Sphinx conf.py in _build/live (never in the repository) and
    sphinx-autobuild serves the site from _build/html, sharing the book's
    doctrees and execution cache, watching data/ and nevbook/ too."""
    import os

    from jupyter_book.config import get_final_config

    root = paths.root()
    conf_dir = root / "_build" / "live"
    conf_dir.mkdir(parents=True, exist_ok=True)
    config, _ = get_final_config(user_yaml=root / "_config.yml", sourcedir=root)
    lines = ["# Written by `make live` from _config.yml; not for editing."]
    lines += [f"{k} = {config[k]!r}" for k in sorted(config)]
    (conf_dir / "conf.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    cmd = [str(Path(sys.executable).parent / "sphinx-autobuild"), "-c", str(conf_dir),
           "-d", str(root / "_build" / ".doctrees"), "--host", "127.0.0.1", "--port", str(port),
           "--watch", str(root / "data"), "--watch", str(root / "nevbook"),
           "--watch", str(root / "_toc.yml"), "--watch", str(root / "_config.yml"),
           "--ignore", "*/_build/*", "--ignore", "*/.venv/*", "--ignore", "*/node_modules/*",
           "--ignore", "*/.git/*", "--ignore", "*/.ipynb_checkpoints/*", "--ignore", "*/__pycache__/*",
           "--ignore", "*/.jupyter_cache/*", "--ignore", "*.tmp",
           str(root), str(root / "_build" / "html")]
    print(f"live preview at http://127.0.0.1:{port}/ (Ctrl+C stops it)", flush=True)
    os.execv(cmd[0], cmd)
    return 0  # not reached


README_START = "<!-- tables:start (python -m nevbook tables rewrites this part) -->"
README_END = "<!-- tables:end -->"


def tables_markdown() -> str:
    """Every table of the data package an author edits, with every column,
    from data/datapackage.json (the README's reference part)."""
    import json

    pkg = json.loads((paths.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    schema_files: dict[str, dict] = {}
    out = []
    seen_obs = False
    for r in pkg["resources"]:
        schema = r["schema"]
        if isinstance(schema, str):
            schema = schema_files.setdefault(schema, json.loads((paths.data_dir() / schema).read_text(encoding="utf-8")))
            if r["name"].startswith("observations-"):
                if seen_obs:
                    continue
                seen_obs = True
                files = [x["path"] for x in pkg["resources"] if x["name"].startswith("observations-")]
                head = (f"**`data/observations/*.csv`** (one schema, `data/{r['schema']}`; files: "
                        + ", ".join(f"`{f.split('/')[-1]}`" for f in files) + "). "
                        "A series may live in any of them (by convention its chapter's file); "
                        "the check refuses the same series and period in two files.")
            else:
                head = f"**`data/{r['path']}`**. {r.get('description', '')}"
        else:
            head = f"**`data/{r['path']}`**. {r.get('description', '')}"
        out.append(head)
        out.append("")
        out.append("| column | meaning |")
        out.append("|---|---|")
        for f in schema["fields"]:
            c = f.get("constraints", {})
            bits = []
            if c.get("required"):
                bits.append("required")
            if c.get("enum"):
                bits.append("one of " + ", ".join(f"`{e}`" for e in c["enum"]))
            if f.get("nevbook:list"):
                bits.append("`;`-separated list")
            if f.get("type") not in (None, "string"):
                bits.append(f["type"])
            desc = f.get("description", "").replace("|", "\\|")
            extra = f" ({'; '.join(bits)})" if bits else ""
            out.append(f"| `{f['name']}` | {desc}{extra} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def rewrite_readme_tables() -> bool:
    """Rewrite the README's table reference; True if it changed."""
    readme = paths.root() / "README.md"
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        raise SystemExit(f"README.md lacks the markers {README_START!r} and {README_END!r}")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    new = before + README_START + "\n\n" + tables_markdown() + "\n" + README_END + after
    if new != text:
        readme.write_text(new, encoding="utf-8")
        return True
    return False
