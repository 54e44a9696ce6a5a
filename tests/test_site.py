"""The built site (_build/html): offline, self-contained, charts drawn, contract kept.

Run after the build (the README's test command builds first). Browser checks
use Debian's chromium through Playwright, with every non-local request
blocked: that is the offline reader.
"""
from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from conftest import AXE, SITE, site_pages

ROOT = SITE.parents[1]
# Every executable chapter (theme chapters, overview, synthesis) that is in the book.
# A notebook left out of _toc.yml is not built, and its page tests fail.
CHAPTERS = sorted(f"notebooks/{nb.stem}.html" for nb in (ROOT / "notebooks").glob("*.ipynb"))
BUDGET_CHART_JS_GZIP = 200_000


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append((tag, a["src"]))
        elif tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "icon", "preload", "modulepreload", "manifest"}:
            self.urls.append((tag, a["href"]))
        elif tag in ("img", "iframe", "source", "video", "audio") and a.get("src"):
            self.urls.append((tag, a["src"]))


def test_site_was_built():
    assert (SITE / "index.html").exists()
    for page in CHAPTERS:
        assert (SITE / page).exists(), page


@pytest.mark.parametrize("page", site_pages())
def test_no_asset_from_another_host(page):
    parser = _Assets()
    parser.feed((SITE / page).read_text(encoding="utf-8"))
    # A data: URL is inline (the root redirect's empty icon); any other scheme names a host.
    foreign = [(t, u) for t, u in parser.urls
               if (urlparse(u).scheme and urlparse(u).scheme != "data") or u.startswith("//")]
    assert not foreign, f"{page} loads from another host: {foreign}"


def test_no_cdn_named_in_any_script_or_stylesheet():
    cdn = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs\.|googleapis\.com|THEBE_JS_URL")
    hits = []
    for p in list(SITE.rglob("*.html")) + list(SITE.rglob("*.js")) + list(SITE.rglob("*.css")):
        if cdn.search(p.read_text(encoding="utf-8", errors="ignore")):
            hits.append(str(p.relative_to(SITE)))
    assert not hits, hits


def test_chart_runtime_is_served_locally_within_budget():
    js = [SITE / "_static/vendor/vega.min.js", SITE / "_static/nevcharts.js"]
    total = sum(len(gzip.compress(p.read_bytes(), 9)) for p in js)
    assert total <= BUDGET_CHART_JS_GZIP, f"chart JavaScript is {total} bytes gzip"


@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_page_size_budget(page):
    """Every notebook page, the synthesis included (its own stated budget is in
    nevbook.chapter, with the reason)."""
    from nevbook import chapter

    size = len(gzip.compress((SITE / page).read_bytes(), 9))
    budget = chapter.PAGE_GZIP_OWN.get(page.split("/")[-1][:-5], chapter.PAGE_GZIP_BUDGET)
    assert size < budget, f"_build/html/{page}: {size} bytes gzip (budget {budget})"


def test_notebooks_are_committed_without_outputs():
    import json
    from pathlib import Path

    for nb in (Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"):
        cells = json.loads(nb.read_text())["cells"]
        dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
                 and (c.get("outputs") or c.get("execution_count") is not None)]
        assert not dirty, f"{nb.name}: cells {dirty} carry outputs; strip them before committing"


# ---------------------------------------------------------------------------
# In the browser


def open_page(browser, site_url, page, *, width=1280, height=900, scheme="light"):
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    pg = ctx.new_page()
    log = {"console": [], "external": [], "failed": []}
    pg.on("console", lambda m: log["console"].append((m.type, m.text)) if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: log["console"].append(("pageerror", str(e))))
    pg.on("response", lambda r: log["failed"].append((r.status, r.url)) if r.status >= 400 else None)
    pg.on("requestfailed", lambda r: log["failed"].append(("failed", r.url)) if r.url.startswith(site_url) else None)

    def route(r):
        if r.request.url.startswith(site_url + "/"):
            r.continue_()
        else:
            log["external"].append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.goto(f"{site_url}/{page}", wait_until="load")
    if page == "index.html":  # the site root forwards to the book's first page
        pg.wait_for_url(f"{site_url}/book/index.html")
        pg.wait_for_load_state("load")
    # Every chart settles (drawn or failed) before we judge the page.
    pg.wait_for_function(
        "() => [...document.querySelectorAll('.nev-chart')].every(e => e.hasAttribute('data-drawn'))",
        timeout=15_000)
    return ctx, pg, log


# Only these impacts fail the build; "moderate" and "minor" findings are
# reported by the benchmark (Lighthouse) rather than failing every page.
AXE_FAIL = ("serious", "critical")


def axe_violations(pg) -> list[dict]:
    """Run axe-core (pinned in package.json, served from node_modules, never a
    CDN) on the page as it stands, and return its violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make setup` (npm ci) installs the pinned axe-core")
    pg.add_script_tag(path=str(AXE))
    return pg.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")


@pytest.mark.site
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("page", site_pages())
def test_page_offline_clean_accessible(browser, site_url, page, scheme):
    """One load per page and colour scheme: offline, no console error or
    warning, every chart drawn, and no serious or critical axe violation."""
    ctx, pg, log = open_page(browser, site_url, page, scheme=scheme)
    try:
        assert not log["external"], f"{page}: requests left localhost: {log['external']}"
        assert not log["failed"], f"{page}: failed requests: {log['failed']}"
        assert not log["console"], f"{page} ({scheme}): console errors or warnings: {log['console']}"
        states = pg.eval_on_selector_all(".nev-chart", "els => els.map(e => [e.id, e.getAttribute('data-drawn'), e.querySelectorAll('svg.marks g.role-mark > *').length])")
        for cid, state, marks in states:
            assert state == "true" and marks > 0, f"{page}: chart {cid} not drawn ({state}, {marks} marks)"
        bad = [v for v in axe_violations(pg) if v["impact"] in AXE_FAIL]
        assert not bad, f"_build/html/{page} ({scheme} mode): axe violations:\n" + "\n".join(
            f"  {v['impact']} {v['id']}: {v['help']} at {v['nodes']}" for v in bad)
    finally:
        ctx.close()


@pytest.mark.parametrize("page", site_pages())
def test_element_ids_are_unique(page):
    """Two figures (or anchors) with one id would break links and CSV names."""
    ids = re.findall(r'\sid="([^"]+)"', (SITE / page).read_text(encoding="utf-8"))
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, f"{page}: duplicate element ids {dupes}"


@pytest.mark.site
@pytest.mark.parametrize("page", CHAPTERS)
def test_chapter_contract_in_the_browser(browser, site_url, page):
    """What only a browser sees of the chapter contract (the rest is in
    nevbook.chapter, tested in test_chapters.py): every chart drawn, its
    source line in the drawn chart, and Vega's graphics role with the
    description as its name."""
    ctx, pg, log = open_page(browser, site_url, page)
    try:
        figs = pg.eval_on_selector_all("figure.nev-figure", """els => els.map(f => ({
            drawn: f.querySelector('.nev-chart').getAttribute('data-drawn'),
            svgText: f.querySelector('svg') ? f.querySelector('svg').textContent : '',
            aria: f.querySelector('.nev-chart').getAttribute('aria-label'),
            role: f.querySelector('.nev-chart').getAttribute('role')}))""")
        assert len(figs) >= 2, f"{page}: {len(figs)} charts"
        for f in figs:
            assert f["drawn"] == "true"
            assert "Source:" in f["svgText"] or "Sources:" in f["svgText"], "no source line in the chart"
            # Vega marks the container as a graphics document labelled by the spec's description.
            assert f["aria"] and f["role"] == "graphics-document", (f["aria"], f["role"])
    finally:
        ctx.close()


@pytest.mark.site
@pytest.mark.parametrize("page", CHAPTERS)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_width_and_colour_scheme(browser, site_url, page, scheme):
    ctx, pg, log = open_page(browser, site_url, page, width=375, height=812, scheme=scheme)
    try:
        assert pg.evaluate("document.documentElement.scrollWidth") <= 375, "page scrolls sideways"
        # Each chart's marks spread across its width: text too wide for a phone
        # makes Vega squeeze the plot, which then collapses towards a line.
        spans = pg.eval_on_selector_all(".nev-chart", """els => els.map(e => {
            const box = e.getBoundingClientRect();
            const svg = e.querySelector('svg').getBoundingClientRect();
            const marks = [...e.querySelectorAll('g.role-mark')].map(g => g.getBoundingClientRect()).filter(r => r.width > 0);
            const left = Math.min(...marks.map(r => r.left)), right = Math.max(...marks.map(r => r.right));
            return [e.id, (right - left) / box.width, svg.right - box.right];})""")
        for cid, span, overflow in spans:
            assert span > 0.3, f"{cid}: marks span only {span:.0%} of the chart width"
            assert overflow <= 1, f"{cid}: chart overflows its box by {overflow}px"
        theme = pg.evaluate("document.documentElement.dataset.theme")
        assert theme == scheme
        # An axis label: cell labels on shaded cells keep their own ink in both modes.
        fill = pg.eval_on_selector(".nev-chart svg .role-axis-label text", "e => getComputedStyle(e).fill")
        r, g, b = map(int, re.findall(r"\d+", fill)[:3])
        light_text = (r + g + b) / 3 > 128
        assert light_text == (scheme == "dark"), f"chart text {fill} in {scheme} mode"
    finally:
        ctx.close()


@pytest.mark.site
def test_search_finds_a_chapter_offline(browser, site_url):
    """The search box (Ctrl+K) works from a chapter page, offline, and finds
    the chapter that treats a term."""
    ctx, pg, log = open_page(browser, site_url, "notebooks/dual-credit.html")
    try:
        pg.keyboard.press("Control+k")
        box = pg.locator("#pst-search-dialog input[name='q'], .bd-search input[name='q']").first
        box.wait_for(state="visible", timeout=5_000)
        box.fill("lithium carbonate")
        box.press("Enter")
        pg.wait_for_url("**/search.html?q=*")
        pg.wait_for_selector("#search-results ul.search li a", timeout=15_000)
        hits = pg.eval_on_selector_all("#search-results ul.search li a", "els => els.map(e => e.getAttribute('href'))")
        assert any("notebooks/resources.html" in h for h in hits), hits[:10]
        assert not log["console"] and not log["external"], (log["console"], log["external"])
    finally:
        ctx.close()


def test_icon_font_is_cut_to_the_icons_used():
    """The theme's solid icon font (156 KB) is replaced by a subset holding
    every icon a page names, and the theme's own controls."""
    from fontTools.ttLib import TTFont

    from nevbook.publish import icons

    font_path = SITE / "_static" / icons.FONT
    assert font_path.stat().st_size < 20_000, f"{font_path}: {font_path.stat().st_size} bytes"
    cmap = set(TTFont(str(font_path)).getBestCmap())
    # Brand icons (GitHub, ...) live in another font file: judge solid glyphs only.
    solid = set(TTFont(str(icons.theme_root() / "static" / icons.FONT)).getBestCmap())
    css = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in (SITE / "_static").rglob("*.css"))
    names, direct = icons.catalogue_and_direct(css)
    named = set()
    for page in site_pages():
        named.update(re.findall(r"\bfa-[a-z0-9-]+", (SITE / page).read_text(encoding="utf-8")))
    controls = {"fa-bars", "fa-magnifying-glass", "fa-sun", "fa-moon", "fa-circle-half-stroke",
                "fa-list", "fa-chevron-down", "fa-arrow-up", "fa-xmark"}
    missing = sorted(c for c in named | controls if c in names and names[c] in solid and names[c] not in cmap)
    assert not missing, f"{font_path}: icons without a glyph: {missing}"
    assert direct & solid <= cmap, f"glyphs the stylesheets draw are missing: {sorted(map(hex, (direct & solid) - cmap))}"


def _reader_text(page: str) -> str:
    """What a reader reads on a page: the article's text, without code, the
    charts' specs and the page's own addresses."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    for el in article.select("code, pre, script, style, .nev-downloads, .headerlink"):
        el.decompose()
    return article.get_text(" ")


def _internal_ids() -> set[str]:
    from nevbook.data import book

    b = book()
    ids = set()
    for table in ("citations", "quotes", "commitments", "claims", "series", "sources", "events",
                  "estimates", "milestones", "searches", "corrections"):
        ids |= {r["id"] for r in b.rows(table) if r.get("id")}
    # Plain words ("overview") are not ids a reader would notice; ids with a
    # digit or two hyphens are.
    return {i for i in ids if re.search(r"\d", i) or i.count("-") >= 2}


@pytest.mark.parametrize("page", site_pages())
def test_no_internal_id_reaches_the_reader(page):
    """Readers never see the book's internal ids (BOOK.md §10): no record,
    citation, series or source id, no shared file name ("000_…", "(002)"),
    no data file name in the text of a page (code is for authors)."""
    text = _reader_text(page)
    words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text))
    leaked = sorted(words & _internal_ids())
    leaked += re.findall(r"\b\d{3}_[0-9a-f]{16}\.txt\b|\((?:00[0-4])(?:,\s*00[0-4])*\)", text)
    assert not leaked, f"{page}: internal ids in the text: {leaked[:10]}"
