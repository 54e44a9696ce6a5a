"""Chart text is never cut or overlapping (BOOK.md §11): on a 375 px phone
(the live chart) and in the build-time drawings that show at first paint,
without JavaScript and in print (the phone and desktop SVGs).

A text is cut when Vega shortens it with an ellipsis (its label limit) or
when it runs out of the drawing; two texts overlap when their boxes cross by
more than a pixel. Axis labels Vega hides to avoid overlap are not counted.
"""
from __future__ import annotations

import re

import pytest

from conftest import SITE

CHAPTERS = sorted(str(p.relative_to(SITE)) for p in (SITE / "notebooks").glob("*.html"))

# Boxes of every visible text of each SVG in the page (or of an SVG document).
TEXT_BOXES = """() => [...document.querySelectorAll('svg.marks')].filter(s => !s.closest('.nev-static')).map(svg => {
  const frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].filter(t => {
    const st = getComputedStyle(t);
    const op = parseFloat(t.getAttribute('opacity') ?? '1') * parseFloat(st.opacity);
    return op > 0 && st.visibility !== 'hidden' && t.textContent.trim() !== '';
  }).map(t => {
    const r = t.getBoundingClientRect();
    const g = t.closest('g[class*="role-"]');
    return {text: t.textContent, role: g ? g.getAttribute('class') : '', x: r.left - frame.left,
            y: r.top - frame.top, w: r.width, h: r.height};
  });
  return {id: svg.closest('.nev-chart') ? svg.closest('.nev-chart').id : '', w: frame.width, h: frame.height, texts};
})"""


def problems(chart: dict) -> list[str]:
    out = []
    texts = chart["texts"]
    for t in texts:
        if t["text"].endswith("\u2026") and any(r in t["role"] for r in ("axis-label", "legend-label", "axis-title")):
            out.append(f"cut by its label limit: {t['text']!r}")
        if t["x"] < -1 or t["y"] < -1 or t["x"] + t["w"] > chart["w"] + 1 or t["y"] + t["h"] > chart["h"] + 1:
            out.append(f"runs out of the chart: {t['text']!r}")
    guides = [t for t in texts if any(r in t["role"] for r in ("axis-label", "legend-label", "axis-title",
                                                               "legend-title", "title-text", "title-subtitle"))]
    for i, a in enumerate(guides):
        for b in guides[i + 1:]:
            dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if dx > 1 and dy > 1:
                out.append(f"{a['text']!r} overlaps {b['text']!r}")
    return out


@pytest.mark.site
@pytest.mark.parametrize("page", CHAPTERS)
def test_live_chart_text_at_phone_width(browser, site_url, page):
    from test_site import open_page

    ctx, pg, _ = open_page(browser, site_url, page, width=375, height=812)
    try:
        found = {c["id"]: problems(c) for c in pg.evaluate(TEXT_BOXES)}
        bad = {k: v for k, v in found.items() if v}
        assert not bad, f"{page} at 375 px: " + "; ".join(f"{k}: {v[:4]}" for k, v in bad.items())
    finally:
        ctx.close()


def drawings() -> list[str]:
    out = []
    for folder in sorted((SITE / "_figures").glob("*")) if (SITE / "_figures").exists() else []:
        out += [str(p.relative_to(SITE)) for p in sorted(folder.glob("*.svg")) if not p.stem.endswith("-dark")]
    return out


@pytest.mark.site
def test_build_time_drawings_text(browser, site_url):
    """The phone and desktop drawings (first paint, no JavaScript, print)."""
    files = drawings()
    assert files, "no build-time drawings in _build/html/_figures"
    ctx = browser.new_context(viewport={"width": 800, "height": 900})
    pg = ctx.new_page()
    bad = {}
    try:
        for f in files:
            pg.goto(f"{site_url}/{f}")
            for chart in pg.evaluate(TEXT_BOXES):
                found = problems(chart)
                if found:
                    bad[f] = found[:4]
    finally:
        ctx.close()
    assert not bad, "; ".join(f"{k}: {v}" for k, v in bad.items())


def test_every_chart_has_its_drawings_and_downloads():
    """PNG (2x) and SVG downloads with the title and source line baked in,
    the CSV, a permalink and a citation, for every chart of every chapter."""
    for page in CHAPTERS:
        html = (SITE / page).read_text(encoding="utf-8")
        for fid in re.findall(r'<figure class="nev-figure" id="fig-([a-z0-9-]+)"', html):
            for what in (f'download="{fid}.png"', f'download="{fid}.svg"', f'download="{fid}.csv"',
                         f'class="nev-permalink" href="#fig-{fid}"', 'class="nev-cite"'):
                assert what in html, f"{page}: chart {fid} lacks {what}"
            folder = re.search(rf'href="(?:\.\./)*_figures/([^/]+)/{fid}\.svg"', html)
            assert folder, f"{page}: chart {fid}: no SVG file link"
            svg = (SITE / "_figures" / folder.group(1) / f"{fid}.svg").read_text(encoding="utf-8")
            png = (SITE / "_figures" / folder.group(1) / f"{fid}.png").read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            title = re.search(r'id="' + re.escape(fid) + r'-spec">(.*?)</script>', html, re.S).group(1)
            first_words = re.search(r'"text":\["([^"]{1,30})', title)
            assert "Source" in svg and (first_words is None or first_words.group(1).split()[0] in svg), fid
