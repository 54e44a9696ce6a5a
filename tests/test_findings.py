"""The key findings (book/findings.md, BOOK.md §10) and the prose rules
behind them: each finding is one sentence with its numbers glued from the
chapters' data and a link to the chart or ledger record that shows it.

Judged on the source (no typed number), on the built page (the text a reader
sees is the source with each glued value put in, from the notebooks' glue
records; every link lands on a figure or a record on another page) and on the
landing page (findings first).
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITE
from nevbook import prose

SOURCE = ROOT / "book" / "findings.md"
PAGE = "book/findings.html"
GLUE_DIR = ROOT / "_build" / "jupyter_execute" / "notebooks"
ITEM = re.compile(r"^(\d+)\.\s+(.*?)(?=^\d+\.\s|^\S|\Z)", re.S | re.M)


def findings_source() -> list[str]:
    """The numbered findings of the source, one string each."""
    return [m.group(2) for m in ITEM.finditer(SOURCE.read_text(encoding="utf-8"))]


def soup(rel: str) -> BeautifulSoup:
    path = SITE / rel
    if not path.exists():
        pytest.fail(f"{path} is missing: run the README's build command")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def rendered_findings() -> list:
    article = soup(PAGE).select_one("article")
    return article.select(".nev-findings > ol > li")


def glued_value(body: str) -> str:
    """What ``{glue:text}`body``` shows: the glued text/plain, literal-evaluated
    as MyST-NB does, from the build's glue record of the notebook named."""
    doc, _, rest = body.rpartition("::")
    key = rest.rsplit(":", 1)[0] if ":" in rest else rest
    path = GLUE_DIR / f"{Path(doc).stem}.glue.json"
    assert path.exists(), f"{path} is missing: build the site"
    records = json.loads(path.read_text(encoding="utf-8"))
    assert key in records, f"{SOURCE.name}: no glued value '{key}' in notebooks/{Path(doc).stem}.ipynb"
    return str(ast.literal_eval(records[key]["data"]["text/plain"]))


def flat(text: str) -> str:
    """Text compared without spacing or quote style (smart quotes, line wraps)."""
    return re.sub(r"[\s'\u2019\u2018\"\u201c\u201d]+", "", text)


# --- The prose rules themselves: they catch what they must.

@pytest.mark.parametrize("text, typed", [
    ("sales rose 37.9 per cent in 2024", ["37.9"]),
    ("{glue:text}`share` per cent in 2024", []),
    ("the 2021–22 shortage, the 14th Five-Year Plan, GB 38031-2025, 5G and L3", []),
    ("from 1 January 2026, 1,204 sites", ["1,204"]),
    ("{glue:text}`../notebooks/x.ipynb::n:s` of 44 records", ["44"]),
])
def test_typed_numbers_are_found_and_years_and_names_are_not(text, typed):
    assert prose.typed_numbers(text) == typed


def test_sentences_are_counted_past_abbreviations_and_glue():
    text = ("U.S. duties rose to {glue:text}`rate` per cent. Europe followed, e.g. with "
            "countervailing duties. {glue:text}`n` jurisdictions acted. A fourth.")
    assert len(prose.sentences(text)) == 4


# --- The findings page.

def test_between_eight_and_twelve_findings_each_one_sentence():
    items = findings_source()
    assert 8 <= len(items) <= 12, f"{SOURCE}: {len(items)} findings (BOOK.md §10 asks for 8-12)"
    for i, item in enumerate(items, 1):
        body = re.sub(r"^\*\*[^*]+\*\*\s*", "", item.strip())  # the bold head is a title, not a sentence
        n = len(prose.sentences(body))
        assert n == 1, f"{SOURCE}: finding {i} has {n} sentences: {prose.plain(body)[:120]}"


def test_no_number_in_the_findings_is_typed():
    for i, item in enumerate(findings_source(), 1):
        typed = prose.typed_numbers(item)
        assert not typed, (f"{SOURCE}: finding {i} types {typed}; glue them from the chapter "
                           "({glue:text}`../notebooks/<chapter>.ipynb::<key>:s`)")


def test_every_glued_value_is_on_the_page_as_glued():
    items = findings_source()
    shown = rendered_findings()
    assert len(shown) == len(items), f"{PAGE}: {len(shown)} findings shown, {len(items)} in the source"
    for i, (src, li) in enumerate(zip(items, shown), 1):
        bodies = [m["body"] for m in prose.ROLE.finditer(src) if m["role"].startswith("glue")]
        assert bodies, f"{SOURCE}: finding {i} glues no number"
        expected = prose.plain(src, {b: glued_value(b) for b in bodies})
        assert flat(li.get_text(" ")) == flat(expected), (
            f"{PAGE}: finding {i} reads\n  {' '.join(li.get_text(' ').split())}\nnot\n  {expected}")


def test_every_finding_links_to_a_chart_or_record_on_another_page():
    for i, li in enumerate(rendered_findings(), 1):
        proofs = []
        for a in li.select("a[href]"):
            href = a["href"]
            assert not re.match(r"^[a-z]+:", href), f"{PAGE}: finding {i} links outside the book: {href}"
            page, _, frag = href.partition("#")
            assert page and frag, f"{PAGE}: finding {i} links to {href!r}, not to a place on another page"
            target = (SITE / "book" / page).resolve().relative_to(SITE.resolve())
            el = soup(str(target)).find(id=frag)
            assert el is not None, f"{PAGE}: finding {i}: {href} does not land (no id '{frag}' in {target})"
            if el.name == "figure" or "nev-rec" in (el.get("class") or []):
                proofs.append(href)
        assert proofs, f"{PAGE}: finding {i} links to no chart (figure) or ledger record"


def test_the_landing_page_leads_with_the_findings():
    article = soup("book/index.html").select_one("article")
    first = next((a for a in article.select("a[href]") if "headerlink" not in (a.get("class") or [])), None)
    assert first is not None and first["href"].split("#")[0] == "findings.html", (
        f"book/index.html: the first link is {first and first['href']}, not the key findings")
    summary = article.select("ol.nev-findings-summary > li, .nev-findings-summary li")
    assert 3 <= len(summary) <= 12, f"book/index.html: the findings summary lists {len(summary)} items"


def _backlinks(rel: str, anchor: str) -> set[str]:
    """The findings an element of a reference page says it is used in."""
    el = soup(rel).find(id=anchor)
    assert el is not None, f"{rel}: no element '{anchor}'"
    scope = el.find_next_sibling("dd") if el.name == "dt" else el
    return {a["href"].split("#")[-1] for p in scope.select(".nev-in-findings") for a in p.select("a[href]")}


def test_tracker_glossary_and_references_link_back_to_the_findings():
    """BOOK.md §10, issue 21: a record, a term or a source a finding rests on
    says so, linking to the finding."""
    from nevbook.data import book

    b = book()
    by_url = {c["url"]: c["id"] for c in b.rows("citations")}
    checked = 0
    for li in rendered_findings():
        fid = li.get("id")
        assert fid and fid.startswith("finding-"), f"{PAGE}: a finding without its anchor: {li.get_text()[:60]}"
        for a in li.select("a[href]"):
            page, _, frag = a["href"].partition("#")
            if frag.startswith("record-"):
                assert fid in _backlinks("book/tracker.html", frag), f"book/tracker.html: {frag} does not link back to {fid}"
                checked += 1
            elif frag.startswith("term-"):
                assert fid in _backlinks("book/glossary.html", frag), f"book/glossary.html: {frag} does not link back to {fid}"
                checked += 1
            elif frag.startswith("fig-"):
                target = (SITE / "book" / page).resolve().relative_to(SITE.resolve())
                fig = soup(str(target)).find(id=frag)
                cites = {by_url[x["href"]] for x in fig.select("a[href^=http]") if x["href"] in by_url}
                if not cites:  # drawn from the book's own ledger, not from a web source
                    continue
                missing = sorted(c for c in cites if fid not in _backlinks("book/references.html", f"ref-{c}"))
                assert not missing, f"book/references.html: sources of {frag} without a link back to {fid}: {missing}"
                checked += 1
    assert checked >= len(rendered_findings()), f"{PAGE}: only {checked} back-links checked"
