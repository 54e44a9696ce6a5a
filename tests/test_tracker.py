"""The tracker in Chromium (book/tracker.html): its filters show exactly the
records the data say they should, its counts agree, a permalink to a record
the filters hide brings it back, and it reads at phone width and without
JavaScript.

Expected rows are computed here from data/ (commitments' themes, claims'
themes through their quotes, headline statuses by nevbook.ledger), not read
from the page.
"""
from __future__ import annotations

import pytest

from conftest import SITE
from nevbook import ledger
from nevbook.data import book

PAGE = "book/tracker.html"


def records() -> list[dict]:
    """Every record the tracker holds: id, kind, themes, status (its class)."""
    b = book()
    quotes = b.by_id("quotes")
    out = [{"id": c["id"], "kind": "commitment", "themes": set(c["themes"]),
            "status": ledger.headline(c["action"], c["outcome"]), "src": c["source_id"]}
           for c in b.rows("commitments")]
    out += [{"id": c["id"], "kind": "forecast" if c["kind"] == "forecast" else "claim",
             "themes": {t for q in c.get("quote_ids") or [] for t in quotes[q]["themes"]},
             "status": f"v-{c['verdict']}", "src": c["source_id"]}
            for c in b.rows("claims")]
    return out


RECORDS = records()
THEMES = sorted({t for r in RECORDS for t in r["themes"]})
STATUSES = sorted({r["status"] for r in RECORDS})


@pytest.fixture(scope="module")
def tracker(browser, site_url):
    if not (SITE / PAGE).exists():
        pytest.fail(f"{SITE / PAGE} is missing: build the site")
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(f"{site_url}/{PAGE}", wait_until="load")
    pg.wait_for_selector("form.nev-tracker-controls:not([hidden])")
    yield pg
    assert not errors, f"{PAGE}: script errors {errors}"
    ctx.close()


def shown(pg) -> list[str]:
    """Ids of the records the page shows now, in page order."""
    return pg.eval_on_selector_all(
        "table.nev-tracker-table tbody tr",
        "rows => rows.filter(r => !r.hidden && r.offsetParent !== null)"
        ".map(r => (r.id || '').replace(/^record-/, ''))")


def choose(pg, **filters) -> None:
    pg.evaluate("() => document.querySelector('form.nev-tracker-controls').reset()")
    for name, value in filters.items():
        pg.select_option(f"select[data-filter='{name}']", value)
    pg.dispatch_event("form.nev-tracker-controls", "change")


def count_text(pg) -> str:
    return pg.inner_text(".nev-tracker-count")


def test_all_records_shown_and_counted(tracker):
    choose(tracker)
    assert sorted(shown(tracker)) == sorted(r["id"] for r in RECORDS), f"{PAGE}: the unfiltered table"
    assert count_text(tracker).startswith(f"Showing {len(RECORDS)} of {len(RECORDS)} records")


@pytest.mark.parametrize("theme", THEMES)
def test_theme_filter_shows_exactly_the_theme(tracker, theme):
    choose(tracker, theme=theme)
    want = [r["id"] for r in RECORDS if theme in r["themes"]]
    assert sorted(shown(tracker)) == sorted(want), f"{PAGE}: theme '{theme}'"
    assert count_text(tracker).startswith(f"Showing {len(want)} of {len(RECORDS)} records"), count_text(tracker)


@pytest.mark.parametrize("status", STATUSES)
def test_status_filter_shows_exactly_the_status(tracker, status):
    choose(tracker, status=status)
    want = [r["id"] for r in RECORDS if r["status"] == status]
    assert sorted(shown(tracker)) == sorted(want), f"{PAGE}: status '{status}'"
    label = {**{s: ledger.STATUS_LABEL[s] for s in ledger.STATUSES}}.get(status)
    if label:  # the per-status tally names the status and its count
        assert f"{label} {len(want)}" in count_text(tracker), count_text(tracker)


def test_filters_combine(tracker):
    pairs = sorted({(t, r["status"]) for r in RECORDS if r["kind"] == "commitment" for t in r["themes"]})
    theme, status = max(pairs, key=lambda p: sum(p[0] in r["themes"] and r["status"] == p[1] for r in RECORDS))
    choose(tracker, theme=theme, status=status, kind="commitment")
    want = [r["id"] for r in RECORDS if theme in r["themes"] and r["status"] == status and r["kind"] == "commitment"]
    assert want and sorted(shown(tracker)) == sorted(want), f"{PAGE}: {theme} and {status}"


def test_search_narrows_to_records_with_the_words(tracker):
    choose(tracker)
    tracker.fill("input[data-filter='q']", "lithium")
    tracker.dispatch_event("input[data-filter='q']", "input")
    ids = shown(tracker)
    assert ids and len(ids) < len(RECORDS)
    texts = tracker.eval_on_selector_all("table.nev-tracker-table tbody tr:not([hidden])",
                                         "rows => rows.map(r => r.textContent.toLowerCase())")
    assert all("lithium" in t for t in texts)


def test_a_permalink_to_a_hidden_record_clears_the_filters(tracker, site_url):
    target = next(r for r in RECORDS if r["kind"] == "claim")
    other = next(t for t in THEMES if t not in target["themes"])
    choose(tracker, theme=other)
    assert target["id"] not in shown(tracker)
    tracker.evaluate(f"() => {{ location.hash = 'record-{target['id']}'; }}")
    tracker.wait_for_function(f"() => !document.getElementById('record-{target['id']}').hidden")
    assert target["id"] in shown(tracker)
    outline = tracker.eval_on_selector(f"#record-{target['id']}", "el => getComputedStyle(el).outlineStyle")
    assert outline == "solid", f"{PAGE}: the record a permalink names is not highlighted ({outline})"


def test_phone_width_cards_without_overflow(browser, site_url):
    ctx = browser.new_context(viewport={"width": 375, "height": 800})
    pg = ctx.new_page()
    pg.goto(f"{site_url}/{PAGE}#record-{RECORDS[0]['id']}", wait_until="load")
    try:
        width = pg.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 376, f"{PAGE}: {width} px wide at a 375 px screen"
        display = pg.eval_on_selector("table.nev-tracker-table tbody tr", "el => getComputedStyle(el).display")
        assert display == "block", f"{PAGE}: rows are not cards at phone width ({display})"
        box = pg.eval_on_selector(f"#record-{RECORDS[0]['id']}", "el => el.getBoundingClientRect().right")
        assert box <= 376, f"{PAGE}: a record card runs off the screen ({box} px)"
    finally:
        ctx.close()


def test_without_javascript_the_whole_table_stands(browser, site_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    pg = ctx.new_page()
    try:
        pg.goto(f"{site_url}/{PAGE}", wait_until="load")
        assert not pg.is_visible("form.nev-tracker-controls"), f"{PAGE}: a filter form that cannot work shows"
        assert sorted(shown(pg)) == sorted(r["id"] for r in RECORDS)
    finally:
        ctx.close()
