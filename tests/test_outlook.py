"""The outlook (book/outlook.html, BOOK.md §10): at least twelve dated
milestones after the edition date, each cited, each on the page with its
date, what to watch and its source; each chapter lists its own."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from conftest import SITE
from nevbook import chapter
from nevbook.data import book, edition

MIN_MILESTONES = 12  # issue 21


def page(rel: str):
    path = SITE / rel
    if not path.exists():
        pytest.fail(f"{path} is missing: build the site")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_at_least_twelve_cited_milestones_after_the_edition_date():
    ed = edition()["date"]
    rows = book().rows("milestones")
    # a period (2027, 2026-12) counts as after the edition when it does not end before it
    after = [m for m in rows if m["date"] >= ed[: len(m["date"])]]
    assert len(after) >= MIN_MILESTONES, f"data/milestones.csv: {len(after)} milestones after {ed}"
    uncited = [m["id"] for m in rows if not m.get("citation_id")]
    assert not uncited, f"data/milestones.csv: milestones without a citation: {uncited}"


def test_the_outlook_lists_every_milestone_in_date_order_with_its_source():
    rows = sorted(book().rows("milestones"), key=lambda m: (m["date"], m["id"]))
    items = page("book/outlook.html").select("ul.nev-milestones > li")
    assert [li.get("id") for li in items] == [f"milestone-{m['id']}" for m in rows]
    for li, m in zip(items, rows):
        assert "Watch:" in li.get_text() and li.select("a[href]"), f"milestone {m['id']} shown without its indicator or source"


@pytest.mark.parametrize("theme", chapter.chapters())
def test_each_chapter_ends_with_its_own_milestones(theme):
    housed = {t["id"] for t in book().rows("themes") if t["chapter"] == f"notebooks/{theme}"}  # overview: charging too
    want = {f"milestone-{m['id']}" for m in book().rows("milestones") if housed & set(m["themes"])}
    shown = {li.get("id") for li in page(f"notebooks/{theme}.html").select("ul.nev-milestones > li")}
    assert shown == want, f"notebooks/{theme}.html: milestones shown {sorted(shown)} not {sorted(want)}"
