"""The PDF edition, in one command and offline: ``python -m nevbook.publish.pdf``.

1. Sphinx's one-page builder, through Jupyter Book, with the site's flags
   (``jupyter-book build . --builder singlehtml -W -n --keep-going``), into
   ``_build/singlehtml``. It shares the site's doctrees and execution cache,
   so after ``make book`` it reads and executes nothing.
2. A print copy of that page, ``_build/pdf/nev-policy-book.html``: every
   chart drawn once, from the Vega spec its page embeds, into a static SVG by
   vl-convert (the engine that compiled it), at print width; no scripts; a
   contents list; each chapter on a new page; print styles (no sidebars, no
   buttons; a figure is never split across pages). The takeaway and the
   source line stay with each chart; its data table (with each value's
   source) moves to an appendix the figure links to; CSV downloads stay
   online and in the data package (``data/``).
3. Debian's Chromium, through Playwright, prints it to A4 with page numbers
   and a bookmark outline. Every request that is not a local file is
   blocked; one attempt fails the command.

Fonts (``scripts/setup.sh --browser`` installs them with chromium): Debian's
``fonts-noto-cjk`` for the Chinese names and terms, and ``fonts-liberation``,
whose metrics vl-convert lays the charts out with.
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .. import paths
from . import chromium

ROOT = paths.root()
BUILD = ROOT / "_build"
SINGLE = BUILD / "singlehtml"
OUT = BUILD / "pdf"
PDF = OUT / "nev-policy-book.pdf"
PRINT_HTML = OUT / "nev-policy-book.html"
BUILD_FLAGS = ["-W", "-n", "--keep-going"]
# Charts are drawn this many CSS pixels wide (the A4 text column is ~650 px);
# their titles are wrapped for narrow screens and fit at any width.
CHART_WIDTH = 620
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "17mm", "right": "17mm"}
FOOTER = ('<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
          'font-family:sans-serif"><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')

PRINT_CSS = """
/* Print edition (nevbook.pdf): paper, not screen. */
/* Chinese names and terms: Simplified Chinese glyphs (Debian's fonts-noto-cjk). */
html { font-size: 12.5px; --pst-font-family-base: system-ui, "Noto Sans CJK SC", sans-serif; }
body { background: #fff !important; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article,
.header-article-items, .prev-next-area, .prev-next-footer, .bd-footer, .bd-footer-article,
.bd-footer-content, footer, .headerlink, .skip-link, #pst-back-to-top, .search-button,
.theme-switch-button, .sidebar-toggle, .copybtn, .toggle-button, .bd-search,
.nev-figure-tools, .nev-print-hide, .pst-primary-sidebar-modal, .search-button-field,
dialog, .bd-sidebar { display: none !important; }
.bd-page-width, .bd-main, .bd-main .bd-content, .bd-article-container, .bd-article,
.bd-container, .bd-container__inner { max-width: none !important; width: auto !important;
  padding: 0 !important; margin: 0 !important; overflow: visible !important; }
.bd-main .bd-content .bd-article-container .bd-article { padding: 0 !important; }
a { text-decoration: none; }
h1, h2, h3, h4, .rubric { break-after: avoid; page-break-after: avoid; }
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
h1 { font-size: 2.2rem; margin-top: 0; }
section.nev-chapter > h2:first-of-type { font-size: 1.9rem; margin-top: 0; }
section.nev-chapter section.nev-chapter { break-before: page; }
figure.nev-figure { break-inside: avoid; page-break-inside: avoid; margin: 1rem 0 1.4rem; }
.nev-chart.nev-static { min-height: 0; }
/* vl-convert laid the chart out with Liberation Sans metrics (its sans-serif);
   Chromium's system-ui (DejaVu Sans) is wider and would spill labels. */
.nev-chart.nev-static svg text { font-family: "Liberation Sans", Arimo, Arial, sans-serif; }
/* At most a page tall (the A4 text block is ~260 mm), so no figure splits. */
.nev-chart.nev-static svg { display: block; width: auto; height: auto; max-width: 100%; max-height: 215mm; }
blockquote.nev-quote, tr, .sd-card { break-inside: avoid; page-break-inside: avoid; }
table { width: 100%; }
.nev-chapter { break-before: page; page-break-before: always; }
.nev-cover { break-after: page; page-break-after: always; padding-top: 30%; }
.nev-cover p.nev-cover-title { font-size: 2.6rem; line-height: 1.2; font-weight: 600; }
.nev-cover p { font-size: 1.1rem; }
.nev-contents { break-after: page; page-break-after: always; }
.nev-contents ol, .nev-contents ul { list-style: none; padding-left: 1.2rem; }
.nev-contents > ol { padding-left: 0; }
.nev-contents .nev-part { font-weight: 600; margin-top: 0.8rem; }
p.nev-data-ref { font-size: 0.85rem; color: #595959; margin: 0.2rem 0 0; }
.nev-chart-data h4 { font-size: 1rem; margin: 1rem 0 0.2rem; }
.nev-chart-data table.nev-data { font-size: 0.78rem; }
div.cell_output, div.output, .cell_output .text_html { padding: 0 !important; border: 0 !important;
  background: transparent !important; overflow: visible !important; }
pre { white-space: pre-wrap; word-break: break-word; }
"""


def log(msg: str) -> None:
    print(f"[pdf] {msg}", flush=True)


# ---------------------------------------------------------------------------
# 1. The one-page build


def build_single_page() -> Path:
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(ROOT), "--builder", "singlehtml", *BUILD_FLAGS]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-6000:] + run.stderr[-6000:])
        raise SystemExit(f"the one-page build failed: {' '.join(cmd[1:])}")
    return single_page()


def single_page() -> Path:
    page = SINGLE / f"{toc_entries()[0][1][0][0]}.html"
    if not page.exists():
        raise SystemExit(f"{page} is missing: run `python -m nevbook.publish.pdf` without --no-build")
    return page


# ---------------------------------------------------------------------------
# 2. The print copy


def chart_svg(spec: dict, prefix: str, width: int = CHART_WIDTH) -> str:
    """A chart as static SVG, from its compiled Vega spec, ``width`` pixels
    wide. Ids inside the SVG get ``prefix`` so that many SVGs share a page."""
    from ..charts import static

    return static.prefix_ids(static.svg(spec, width), prefix)


def toc_entries() -> list[tuple[str | None, list[tuple[str, int]]]]:
    """(part caption, [(docname, depth)]) in the book's order, from _toc.yml."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    out: list[tuple[str | None, list[tuple[str, int]]]] = [(None, [(toc["root"], 0)])]

    def walk(items, depth, acc):
        for it in items or []:
            acc.append((it["file"], depth))
            walk(it.get("sections"), depth + 1, acc)

    for part in toc.get("parts", []):
        acc: list[tuple[str, int]] = []
        walk(part.get("chapters"), 0, acc)
        out.append((part.get("caption"), acc))
    return out


def _text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).rstrip("#¶ ").split())


def spec_title(spec: dict) -> str:
    """A chart's finding: its Vega title, lines joined."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join([text] if isinstance(text, str) else text)


def print_html(page: Path) -> tuple[str, int]:
    """The print copy of the one-page build, and how many charts it holds."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    html = soup.html
    html["data-theme"] = "light"
    html["data-mode"] = "light"
    article = soup.select_one("article.bd-article")
    new = soup.new_tag

    # Where each page of the site begins in the one page: Sphinx marks it
    # with <span id="document-...">; its title is the first heading after it.
    # Each starts a new sheet.
    root_doc = toc_entries()[0][1][0][0]
    root_h1 = article.find("h1")
    titles = {root_doc: _text(root_h1)}
    anchors = {root_doc: root_h1.find_parent("section")["id"]}
    for span in soup.select('span[id^="document-"]'):
        doc = span["id"][len("document-"):]
        section = span.find_next("section")
        heading = section.find(re.compile("^h[1-6]$")) if section else None
        if heading is not None:
            titles[doc], anchors[doc] = _text(heading), span["id"]
            section["class"] = section.get("class", []) + ["nev-chapter"]

    # Charts: the Vega spec each embeds, drawn now as static SVG (spliced in
    # as text after serialising: no HTML parser touches the SVG). The data
    # table, with each figure's citation, moves to an appendix the figure
    # links to; the CSV download stays online.
    svgs: list[str] = []
    appendix = new("section", attrs={"class": "nev-chapter nev-chart-data", "id": "nev-chart-data"})
    h = new("h2")
    h.string = "Appendix: chart data"
    appendix.append(h)
    p = new("p")
    p.string = ("The figures behind each chart, with the source of each value. The online "
                "edition offers each table as CSV; the data package (data/) holds them all.")
    appendix.append(p)
    chapter = None
    for div in soup.select("div.nev-chart[data-spec]"):
        script = soup.find("script", id=div["data-spec"])
        spec = json.loads(script.string)
        fid = div["id"].removesuffix("-view")
        svgs.append(chart_svg(spec, prefix=div["id"]))
        del div["data-spec"]
        div["class"] = div.get("class", []) + ["nev-static"]
        div["data-nev-chart"] = fid
        div.clear()
        div.string = f"@@nev-svg-{len(svgs) - 1}@@"
        script.decompose()

        figure = div.find_parent("figure")
        tools = figure.select_one(".nev-figure-tools")
        table = tools.select_one("table") if tools else None
        span = div.find_previous("span", id=re.compile("^document-"))
        doc = span["id"][len("document-"):] if span else root_doc
        if table is not None:
            if doc != chapter:
                chapter = doc
                h = new("h3")
                h.string = titles.get(doc, doc)
                appendix.append(h)
            h = new("h4", id=f"data-{fid}")
            h.string = spec_title(spec)
            appendix.append(h)
            appendix.append(table.extract())
            ref = new("p", attrs={"class": "nev-data-ref"})
            ref.append("Data and sources: ")
            a = new("a", href=f"#data-{fid}")
            a.string = "appendix, chart data"
            ref.append(a)
            ref.append(".")
            tools.replace_with(ref)
    article.append(appendix)

    # Nothing runs on paper; nothing links to a file that print cannot reach.
    for el in soup.find_all("script"):
        el.decompose()
    for el in soup.select("#jb-print-docs-body"):  # the theme's print header: the cover replaces it
        el.decompose()
    for el in soup.find_all("link"):
        if "stylesheet" not in (el.get("rel") or []):
            el.decompose()
    for a in soup.select('a[href^="_downloads/"], a[download]'):
        a.unwrap()
    for d in soup.find_all("details"):
        d["open"] = ""
    # Sphinx writes the one page as if it sat at the build's root; the print
    # copy lives in _build/pdf.
    rel = os.path.relpath(SINGLE, OUT)
    for el in soup.find_all(["link", "img"]):
        attr = "href" if el.name == "link" else "src"
        url = el.get(attr, "")
        if url and not re.match(r"^[a-z]+:|^/|^#", url):
            el[attr] = f"{rel}/{url}"

    # Cover and contents, before the landing page.
    cover = new("section", attrs={"class": "nev-cover"})
    h = new("p", attrs={"class": "nev-cover-title"})
    h.string = titles[root_doc]
    cover.append(h)
    for text in ("The editors",
                 "Print edition of the executable book. Its charts are drawn from the same data "
                 "as the online edition; the figures behind each are in the appendix."):
        p = new("p")
        p.string = text
        cover.append(p)
    contents = new("nav", attrs={"class": "nev-contents"})
    h = new("h2")
    h.string = "Contents"
    contents.append(h)
    top = new("ol")
    contents.append(top)
    parts = toc_entries() + [("Appendix", [])]
    for caption, docs in parts:
        li = new("li")
        if caption:
            cap = new("div", attrs={"class": "nev-part"})
            cap.string = caption
            li.append(cap)
        ol = new("ol")
        for doc, depth in docs:
            item = new("li", attrs={"style": f"margin-left:{depth * 1.2}rem"})
            a = new("a", href=f"#{anchors.get(doc, '')}")
            a.string = titles.get(doc, doc)
            item.append(a)
            ol.append(item)
        if caption == "Appendix":
            item = new("li")
            a = new("a", href="#nev-chart-data")
            a.string = "Chart data"
            item.append(a)
            ol.append(item)
        li.append(ol)
        top.append(li)
    article.insert(0, contents)
    article.insert(0, cover)

    style = new("style")
    style.string = PRINT_CSS
    soup.head.append(style)
    text = str(soup)
    for i, svg in enumerate(svgs):
        text = text.replace(f"@@nev-svg-{i}@@", svg, 1)
    return text, len(svgs)


# ---------------------------------------------------------------------------
# 3. Print


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    if not chromium.available():
        raise SystemExit(chromium.MISSING)
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with chromium.browser() as browser:
        ctx = browser.new_context(color_scheme="light", offline=True)
        page = ctx.new_page()
        page.route("**/*", route)
        page.emulate_media(media="print", color_scheme="light")
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.pdf(path=str(pdf_path), format="A4", margin=MARGIN, print_background=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER, outline=True, tagged=True)
    if blocked:
        raise SystemExit(f"the print page asked for {len(blocked)} non-local resource(s), "
                         f"all blocked: {blocked[:5]}")


def page_count(pdf_path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf_path).pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nevbook.publish.pdf", description=__doc__.split("\n")[0])
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing _build/singlehtml (skip the one-page build)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    page = single_page() if args.no_build else build_single_page()
    t1 = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    text, charts = print_html(page)
    PRINT_HTML.write_text(text, encoding="utf-8")
    t2 = time.perf_counter()
    print_pdf(PRINT_HTML, PDF)
    t3 = time.perf_counter()
    size = PDF.stat().st_size
    log(f"one-page build {t1 - t0:.1f} s, {charts} charts to SVG {t2 - t1:.1f} s, print {t3 - t2:.1f} s")
    print(f"{PDF.relative_to(ROOT)}: {page_count(PDF)} pages, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
