"""What changed in this edition (book/changes.html, BOOK.md §10): generated
from the data, so the page must say what the data say. The expected values are
computed here from data/ (editions, the first edition's chapters and series,
the ledger's history, corrections), independently of nevbook.sphinxext.changes.
"""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from conftest import SITE
from nevbook import ledger
from nevbook.data import book, edition
from nevbook.freshness import latest
from nevbook.text import prose_date

PAGE = SITE / "book" / "changes.html"


@pytest.fixture(scope="module")
def page():
    if not PAGE.exists():
        pytest.fail(f"{PAGE} is missing: build the site")
    return BeautifulSoup(PAGE.read_text(encoding="utf-8"), "html.parser").select_one("article")


def flat(text: str) -> str:
    return re.sub(r"[\s'\u2019\u2018\"\u201c\u201d]+", " ", text).strip()


def test_the_edition_and_its_date(page):
    ed = edition()
    assert f"This is edition {ed['edition']}" in page.get_text(" ")
    assert prose_date(ed["date"]) in page.get_text(" ")


def test_chapters_added_are_the_chapters_the_first_edition_lacked(page):
    b = book()
    old = {r["docname"].replace("_", "-") for r in b.rows("edition1_chapters")}
    new = sorted(t["chapter"] for t in b.rows("themes")
                 if t["chapter"] == f"notebooks/{t['id']}" and t["chapter"] not in old)
    assert new, "the second edition adds chapters"
    links = {a["href"].split("#")[0] for a in page.select("a[href]")}
    for doc in new:
        assert f"../{doc}.html" in links, f"{PAGE.name}: no link to the added chapter {doc}"


def test_every_series_added_or_extended_is_listed_once(page):
    b = book()
    then = {r["series_id"]: r["latest_period"] for r in b.rows("edition1_series")}
    added = [s for s in b.rows("series") if s["id"] not in then and latest(s["id"]) is not None]
    extended = [s for s in b.rows("series") if s["id"] in then and (latest(s["id"]) or "") > then[s["id"]]]
    text = flat(page.get_text(" "))
    assert f"{len(added)} series added and {len(extended)} extended" in text
    groups = flat(" ".join(p.get_text(" ") for p in page.select("p.nev-changes-group")))
    for s in added:
        assert f"{flat(s['title'])}" in groups and f"to {latest(s['id'])}" in groups, (
            f"{PAGE.name}: series {s['id']} ({s['title']}) not listed as added")


def test_judgements_count_what_the_history_holds(page):
    b = book()
    ed = edition()
    now = {c["id"]: ledger.headline(c["action"], c["outcome"]) for c in b.rows("commitments")}
    kept = changed = 0
    for h in b.rows("history"):
        if h["field"] != "status" or h["date"] < ed["date"]:
            continue
        olds = [o for o in (h.get("old") or "").split(";") if o]
        if olds:
            kept += set(olds) == {now[h["record_id"]]}
            changed += set(olds) != {now[h["record_id"]]}
    text = flat(page.get_text(" "))
    assert f"{kept} commitments kept the first edition s status and {changed} changed" in text, text[:3000]


def test_every_correction_is_shown_with_its_evidence(page):
    rows = book().rows("corrections")
    items = page.select(".nev-corrections > li")
    assert len(items) == len(rows) > 0, f"{PAGE.name}: {len(items)} corrections shown, {len(rows)} in data"
    shown = [flat(li.get_text(" ")) for li in items]
    for c in rows:
        hits = [s for s in shown if flat(c["now"].rstrip(".")) in s and flat(c["was"].rstrip(".")) in s]
        assert hits, f"data/corrections.csv: [{c['id']}] is not on the page"
        if c.get("citation_ids"):
            li = items[shown.index(hits[0])]
            assert len(li.select("a[href]")) >= len(c["citation_ids"]), f"[{c['id']}] shown without its sources"
