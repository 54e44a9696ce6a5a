"""The PDF edition (_build/pdf/nev-policy-book.pdf, made by `python -m nevbook.publish.pdf`).

Judged against the built site (_build/html) and the data: every page of
_toc.yml starts a page of the PDF under its title, every chart of the site is
in it as a static vector drawing (its finding, source line and takeaway in the
text), every quote shown and every reference listed is in its text, and the
Chinese names and terms are text, not boxes from a missing font.

Text is compared with quotes made straight and every space removed (lines
wrap differently on paper). Chromium maps a CJK glyph that the font shares
with a radical (车 and ⻋) to the radical, and records the real character as
/ActualText; pypdf reads only the former, so the test puts the /ActualText
characters back (see ``page_text``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pytest

from conftest import ROOT, SITE, site_pages
from nevbook import data
from nevbook.publish.pdf import PDF, PRINT_HTML, spec_title, toc_entries

TOC_DOCS = [doc for _, docs in toc_entries() for doc, _ in docs]
MAKE_PDF = "run `make pdf` (python -m nevbook.publish.pdf) after building the site"
FOOTER = re.compile(r"^\s*\d+ / \d+\s*$", re.M)
RADICAL = re.compile("[\u2e80-\u2fdf]")  # CJK Radicals Supplement, Kangxi Radicals
IDEOGRAPH = re.compile("[\u3400-\u9fff\uf900-\ufaff]")


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # Straight quotes; soft hyphens go; the katakana middle dot shares its glyph
    # (and so its text in the PDF) with the Latin one.
    text = text.translate(str.maketrans("\u2018\u2019\u201c\u201d\u00ad\u30fb", "''\"\"\u200b\u00b7"))
    return re.sub(r"[\s\u200b]+", "", text)


def _text_string(value) -> str:
    if isinstance(value, bytes):
        return value[2:].decode("utf-16-be") if value[:2] == b"\xfe\xff" else value.decode("latin-1")
    return str(value)


def page_text(page) -> str:
    """A page's text, with each radical stand-in replaced by the character
    its /ActualText span names. The spans and the radicals are paired in
    order: a Kangxi radical pairs with the next span that names its unified
    ideograph (NFKC), a supplement radical (no such mapping) with the next
    span; spans that pair with nothing (Chromium writes some for characters
    it extracts correctly) are skipped."""
    actual: list[str] = []

    def before(op, args, cm, tm):
        if op == b"BDC" and len(args) > 1 and hasattr(args[1], "get") and args[1].get("/ActualText") is not None:
            actual.append(_text_string(args[1]["/ActualText"]))

    text = page.extract_text(visitor_operand_before=before) or ""
    real = [a for a in actual if len(a) == 1 and IDEOGRAPH.match(a)]
    pos = 0

    def swap(m):
        nonlocal pos
        radical = m.group(0)
        unified = unicodedata.normalize("NFKC", radical)
        if unified != radical:  # Kangxi: NFKC knows the character; resynchronise on it
            k = next((i for i in range(pos, len(real)) if real[i] == unified), None)
            if k is None:
                return radical
            pos = k + 1
            return unified
        if pos < len(real):
            pos += 1
            return real[pos - 1]
        return radical

    return RADICAL.sub(swap, text)


@dataclass
class Pdf:
    pages: list[str]  # each page's text, normalised, footer removed
    text: str  # the whole book, normalised
    reader: object


@pytest.fixture(scope="module")
def pdf() -> Pdf:
    if not PDF.exists():
        pytest.fail(f"no PDF at {PDF.relative_to(ROOT)}: {MAKE_PDF}")
    if not (SITE / "index.html").exists():
        pytest.fail("no built site in _build/html: run the README's build or test command")
    newest = max(p.stat().st_mtime for p in SITE.rglob("*.html"))
    if PDF.stat().st_mtime < newest:
        pytest.fail(f"{PDF.relative_to(ROOT)} is older than _build/html: {MAKE_PDF}")
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    pages = [norm(FOOTER.sub("", page_text(p))) for p in reader.pages]
    return Pdf(pages=pages, text="".join(pages), reader=reader)


@lru_cache(maxsize=None)
def soup(rel: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((SITE / rel).read_text(encoding="utf-8"), "html.parser")


def heading_text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).rstrip("#¶ ").split())


@dataclass
class Chart:
    page: str
    id: str
    title: str
    source: str
    takeaway: str


def site_charts() -> list[Chart]:
    out = []
    for page in site_pages():
        for fig in soup(page).select("figure.nev-figure"):
            spec = json.loads(fig.select_one('script[type="application/json"]').string)
            source = spec["marks"][0]["title"]["text"]  # render.compile_vega: the source line
            out.append(Chart(page, fig["id"].removeprefix("fig-"), spec_title(spec),
                             " ".join(source) if isinstance(source, list) else source,
                             fig.select_one("figcaption").get_text(" ", strip=True)))
    return out


def test_pdf_exists_and_has_pages(pdf):
    assert len(pdf.pages) > len(TOC_DOCS), f"{PDF.name}: only {len(pdf.pages)} pages"


@pytest.mark.parametrize("doc", TOC_DOCS)
def test_every_chapter_starts_a_page_under_its_title(pdf, doc):
    page = soup(f"{doc}.html")
    title = heading_text(page.select_one("article h1"))
    starts = [i + 1 for i, p in enumerate(pdf.pages) if p.startswith(norm(title))]
    assert starts, f"{doc} ({title!r}): no page of {PDF.name} starts with its title"
    # And its text is there: the first paragraph of some length on its page.
    lead = next((p for p in page.select("article section p")
                 if len(p.get_text()) >= 60 and not p.find_parent(["figure", "table", "blockquote", "li"])
                 and "nev-source-note" not in (p.get("class") or [])), None)
    assert lead is not None, f"_build/html/{doc}.html: no paragraph to look for"
    assert norm(lead.get_text()) in pdf.text, \
        f"{doc} ({title!r}): its text is missing from {PDF.name}: {lead.get_text()[:80]!r}"


def test_every_chart_of_the_site_is_in_the_pdf(pdf):
    charts = site_charts()
    assert len(charts) >= 10, f"only {len(charts)} charts in _build/html"
    missing = []
    for c in charts:
        for what, text in (("title", c.title), ("source line", c.source), ("takeaway", c.takeaway)):
            if norm(text) not in pdf.text:
                missing.append(f"chart {c.id} ({c.page}): its {what} {text[:70]!r}")
    assert not missing, f"{PDF.name} lacks {len(missing)} chart text(s):\n" + "\n".join(missing)


def test_every_chart_is_a_static_svg_in_the_print_copy(pdf):
    if not PRINT_HTML.exists():
        pytest.fail(f"no print copy at {PRINT_HTML.relative_to(ROOT)}: {MAKE_PDF}")
    from bs4 import BeautifulSoup

    printed = BeautifulSoup(PRINT_HTML.read_text(encoding="utf-8"), "html.parser")
    site = [(c.id, c.page) for c in site_charts()]
    static = [d["data-nev-chart"] for d in printed.select("div.nev-chart.nev-static")
              if d.find("svg", recursive=False) is not None and d.svg.find("path")]
    missing = [f"{cid} ({page})" for cid, page in site if cid not in static]
    assert not missing, f"charts not drawn as SVG in the print copy: {missing}"
    assert len(static) == len(site), f"{len(static)} SVG charts in the print copy, {len(site)} in the site"
    assert not printed.find("script"), "the print copy still holds a script"
    assert not printed.select("[data-spec]"), "a chart still waits for JavaScript"


def test_the_pdf_is_vector_only(pdf):
    """No raster image anywhere: the charts were printed as vector drawings."""
    images = []

    def walk(resources, where, depth=0):
        xobjects = resources.get_object().get("/XObject") if resources else None
        for name, x in (xobjects.get_object().items() if xobjects else []):
            x = x.get_object()
            if x.get("/Subtype") == "/Image":
                images.append(f"{where} {name}")
            elif "/Resources" in x and depth < 8:
                walk(x["/Resources"], where, depth + 1)

    for n, page in enumerate(pdf.reader.pages, start=1):
        walk(page.get("/Resources"), f"page {n}")
    assert not images, f"raster images in {PDF.name}: {images[:10]}"


def test_in_page_links_of_the_print_copy_land():
    """Quotes link to their source paragraph, pages to glossary terms and
    references: on one page, every such link is an anchor on that page."""
    if not PRINT_HTML.exists():
        pytest.fail(f"no print copy at {PRINT_HTML.relative_to(ROOT)}: {MAKE_PDF}")
    text = PRINT_HTML.read_text(encoding="utf-8")
    ids = set(re.findall(r'\bid="([^"]+)"', text))
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', text)
    local = [h for h in hrefs if not re.match(r"^[a-z]+:|^//", h)]
    broken = sorted({h for h in local if h != "#" and (not h.startswith("#") or h[1:] not in ids)})
    assert not broken, f"{len(broken)} links of the print copy lead nowhere: {broken[:10]}"
    assert sum(h.startswith("#source-") for h in local) >= 10, "quotes no longer link to their paragraph"


def test_every_quote_shown_in_the_site_is_in_the_pdf(pdf):
    quotes = data.book().by_id("quotes")
    shown = {}
    for page in site_pages():
        for qid in re.findall(r'id="quote-([a-z0-9-]+)"', (SITE / page).read_text(encoding="utf-8")):
            shown.setdefault(qid, page)
    assert len(shown) >= 10, f"only {len(shown)} quotes in _build/html"
    missing = [f"{qid} ({page})" for qid, page in shown.items() if norm(quotes[qid]["text"]) not in pdf.text]
    assert not missing, f"quotes missing from {PDF.name}: {missing}"


def test_the_references_list_every_citation(pdf):
    missing = [c["id"] for c in data.book().rows("citations")
               if norm(f"{c['publisher']}. {c['title']}") not in pdf.text]
    assert not missing, f"references missing from {PDF.name}: {missing[:10]} ({len(missing)} in all)"


def test_chinese_is_text_not_tofu(pdf):
    """Chinese names and glossary terms extract as the characters themselves:
    without a CJK font (Debian's fonts-noto-cjk) they print as empty boxes and
    extract as nothing."""
    b = data.book()
    speaking = {s["speaker_id"] for s in b.rows("source_speakers")}
    names = [s["name_zh"] for s in b.rows("speakers") if s.get("name_zh") and s["id"] in speaking]
    terms = [g["chinese"] for g in b.rows("glossary") if g.get("chinese")]
    assert names and terms, "no Chinese names or terms in data/ to look for"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in pdf.text), f"no CJK character in {PDF.name}"
    missing = [t for t in names + terms if norm(t) not in pdf.text]
    assert not missing, (f"Chinese text missing from {PDF.name} (no CJK font? "
                         f"`scripts/setup.sh --browser` installs fonts-noto-cjk): {missing[:10]}")
