"""Accessibility beyond axe: keyboard reach and the charts' own text contrast.

axe-core runs on every page in both colour schemes in test_site.py. It does
not look inside SVG text, nor does it press keys; these tests do, on every
chapter page.
"""
from __future__ import annotations

import pytest

from conftest import rgb, contrast
from test_site import CHAPTERS, open_page

MAX_TABS = 1500


def test_contrast_formula():
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((118, 118, 118), (255, 255, 255)), 2) == 4.54


@pytest.mark.site
@pytest.mark.parametrize("page", CHAPTERS)
def test_keyboard_reaches_every_chart_action(browser, site_url, page):
    """Tab alone reaches each figure's CSV download and table toggle, with a
    visible focus ring, and Enter on the toggle opens the data table."""
    ctx, pg, log = open_page(browser, site_url, page)
    try:
        pg.evaluate("""() => document.querySelectorAll(
            'figure.nev-figure a.nev-download, figure.nev-figure details.nev-table > summary')
            .forEach((e, i) => e.setAttribute('data-nev-key', i))""")
        wanted = pg.eval_on_selector_all("[data-nev-key]", "els => els.map(e => e.getAttribute('data-nev-key'))")
        assert wanted, f"{page}: no chart actions found"
        seen: dict[str, bool] = {}
        pg.focus("body")
        for _ in range(MAX_TABS):
            pg.keyboard.press("Tab")
            key, ring = pg.evaluate("""() => {
                const e = document.activeElement;
                if (!e || !e.hasAttribute('data-nev-key')) return [null, false];
                const s = getComputedStyle(e);
                const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
                return [e.getAttribute('data-nev-key'), ring];}""")
            if key is not None:
                seen[key] = ring
            if len(seen) == len(wanted):
                break
        missing = [k for k in wanted if k not in seen]
        labels = pg.eval_on_selector_all("[data-nev-key]", """els => Object.fromEntries(els.map(e => [
            e.getAttribute('data-nev-key'), e.closest('figure').id + ' ' + e.textContent.trim()]))""")
        assert not missing, f"{page}: Tab never reaches {[labels[k] for k in missing]}"
        unringed = [labels[k] for k, ring in seen.items() if not ring]
        assert not unringed, f"{page}: no visible focus indicator on {unringed}"
        summary = pg.locator("figure.nev-figure details.nev-table > summary").first
        summary.focus()
        pg.keyboard.press("Enter")
        assert pg.evaluate("() => document.querySelector('figure.nev-figure details.nev-table').open"), \
            f"{page}: Enter on the table toggle does not open the data table"
    finally:
        ctx.close()


@pytest.mark.site
@pytest.mark.parametrize("page", CHAPTERS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_text_contrast(browser, site_url, page, scheme):
    """Every text in every chart reaches 4.5:1 against the page (WCAG AA for
    text); labels printed on shaded cells are judged against their cell."""
    ctx, pg, log = open_page(browser, site_url, page, scheme=scheme)
    try:
        page_bg = rgb(pg.evaluate("getComputedStyle(document.body).backgroundColor"))
        # For a label on a shaded cell, the cell under its centre is its background.
        texts = pg.eval_on_selector_all(".nev-chart svg text", """els => els
            .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
            .map(t => {
                let under = null;
                if (t.closest('g.mark-text')) {
                    t.scrollIntoView({block: 'center'});
                    const r = t.getBoundingClientRect();
                    const cell = document.elementsFromPoint(r.x + r.width / 2, r.y + r.height / 2)
                        .find(e => e.closest && e.closest('g.mark-rect'));
                    under = cell ? getComputedStyle(cell).fill : null;
                }
                return [t.closest('.nev-chart').id, t.textContent.trim().slice(0, 40),
                        getComputedStyle(t).fill, under];})""")
        assert texts, f"{page}: no chart text found"
        low = []
        for chart, text, fill, under in texts:
            bg = rgb(under) if under and under.startswith("rgb") else page_bg
            ratio = contrast(rgb(fill), bg)
            if ratio < 4.5:
                low.append(f"{chart}: '{text}' {fill} on {bg} = {ratio:.2f}:1")
        assert not low, f"_build/html/{page} ({scheme}): chart text below 4.5:1:\n  " + "\n  ".join(low[:10])
    finally:
        ctx.close()
