"""The chapter contract (design/BOOK.md §3), checked on each chapter notebook.

Which chapter treats which theme comes from data/themes.csv; which statements
a chapter must quote from data/source_themes.csv (every statement that treats
the theme explicitly). The browser test checks the rendered page as well.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nevbook import data

ROOT = Path(__file__).resolve().parents[1]
QUOTE = re.compile(r"```\{nev-quote\}\s+([a-z0-9-]+)")


def chapters() -> list[tuple[str, Path]]:
    """(theme, notebook) for every theme whose chapter notebook exists."""
    out = []
    for t in data.table("themes").itertuples():
        nb = ROOT / f"{t.chapter}.ipynb"
        if nb.exists() and t.chapter.startswith("notebooks/") and t.id not in ("overview", "charging", "public-sector", "industrial-layout"):
            out.append((t.id, nb))
    return out


def cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text(encoding="utf-8"))["cells"]


def test_there_is_at_least_one_chapter():
    assert chapters(), "no theme chapter found (data/themes.csv -> notebooks/)"


@pytest.mark.parametrize("theme,nb", chapters(), ids=lambda x: getattr(x, "name", x))
def test_quotes_from_every_statement_that_covers_the_theme(theme, nb):
    b = data.book()
    quotes = b.by_id("quotes")
    used = [q for c in cells(nb) if c["cell_type"] == "markdown" for q in QUOTE.findall("".join(c["source"]))]
    unknown = [q for q in used if q not in quotes]
    assert not unknown, f"{nb.name}: unknown quote ids {unknown}"
    assert len(used) >= 3, f"{nb.name}: {len(used)} quotes; the contract asks for at least three"
    required = {r["source_id"] for r in b.rows("source_themes") if r["theme"] == theme and r["coverage"] == "explicit"}
    quoted = {quotes[q]["source_id"] for q in used}
    assert required <= quoted, f"{nb.name}: no quote from {sorted(required - quoted)}, which treat '{theme}' explicitly"


@pytest.mark.parametrize("theme,nb", chapters(), ids=lambda x: getattr(x, "name", x))
def test_chapter_has_every_part(theme, nb):
    cs = cells(nb)
    md = "\n".join("".join(c["source"]) for c in cs if c["cell_type"] == "markdown")
    code = [c for c in cs if c["cell_type"] == "code"]
    src = "\n".join("".join(c["source"]) for c in code)
    assert "{glue:text}" in md, f"{nb.name}: the lead glues no computed number"
    assert f"```{{nev-pledges}}\n:theme: {theme}" in md, f"{nb.name}: no pledge table for '{theme}'"
    assert "```{nev-citations}" in md, f"{nb.name}: no list of sources"
    assert "{term}`" in md, f"{nb.name}: no glossary link"
    assert src.count("charts.figure(") >= 2, f"{nb.name}: fewer than two figures"
    hidden = [c for c in code if "remove-cell" in c.get("metadata", {}).get("tags", []) and "assert" in "".join(c["source"])]
    assert hidden, f"{nb.name}: no hidden check cell (tag remove-cell) asserting data against the texts"
    assert "checks.figures(" in src, f"{nb.name}: no check ties the data to a figure an official quoted"
    for c in code:
        if "charts.figure(" in "".join(c["source"]):
            assert "remove-input" in c.get("metadata", {}).get("tags", []), f"{nb.name}: chart cell shows its code"
