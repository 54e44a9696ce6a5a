"""The print copy: Sphinx's one-page build turned into a report.

In the order of ``_toc.yml``, after a cover and the front matter (contents and
list of figures, with page numbers): the key findings first, then the landing
page as "About this book", the chapters and the reference pages, and one
appendix of chart data. On paper:

- every page of the site is a chapter that starts a sheet, its title a level-1
  heading and its sections below it (the PDF's bookmarks follow the headings);
- every chart is drawn once, from the Vega spec its page embeds, into a static
  SVG by vl-convert (the engine that compiled it), at print width and a
  shorter plot height; it is numbered, its finding the caption above it, its
  takeaway and source line below; its data table (with each value's source)
  moves to the appendix under its number, the CSV download stays online;
- the chapters' own source lists go: the references page lists every source
  once, and links to a chapter's list lead to the reference itself;
- a record, milestone or reference shown in several places keeps its anchor
  in one (the tracker, the outlook, the references), so links land there;
- nothing runs (no scripts), nothing is folded (``details`` open).

Page numbers are slots (``@@page:<anchor>@@``) that ``PrintCopy.html`` fills
from where the first printing put each anchor (``pdf.py`` prints twice).
"""
from __future__ import annotations

import copy
import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .. import paths

# Charts are drawn this many CSS pixels wide (the A4 text block is ~680 px).
CHART_WIDTH = 620
# Plot areas are drawn shorter on paper, so that a chart is wider than tall
# and its text keeps its size: the house default (260 px) by PLOT_SCALE,
# taller plots (one row per event or theme) by ROW_SCALE, rows still apart.
PLOT_HEIGHT = 260
PLOT_SCALE = 0.7
ROW_SCALE = 0.8
PX_MM = 25.4 / 96
from .printbase import ABOUT, APPENDIX, SLOT, Line, PrintCopy, config, toc_entries  # noqa: F401



def spec_title(spec: dict) -> str:
    """A chart's finding: its Vega title, lines joined."""
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join([text] if isinstance(text, str) else text)


def print_spec(spec: dict) -> dict:
    """The spec as printed: the finding leaves the drawing (it is the
    figure's caption, as text), the subtitle stays; default plots are shorter."""
    spec = copy.deepcopy(spec)
    if isinstance(spec.get("title"), dict):
        spec["title"]["text"] = ""
    if isinstance(spec.get("height"), (int, float)):
        spec["height"] = round(spec["height"] * (PLOT_SCALE if spec["height"] <= PLOT_HEIGHT else ROW_SCALE))
    return spec


def chart_svg(spec: dict, prefix: str, width: int = CHART_WIDTH) -> str:
    """A chart as static SVG, ``width`` pixels wide; ids get ``prefix``."""
    from ..charts import static

    return static.prefix_ids(static.svg(spec, width), prefix)


def text_of(el) -> str:
    return " ".join(el.get_text(" ", strip=True).rstrip("#¶ ").split())


# ---------------------------------------------------------------------------


@dataclass
class Doc:
    name: str
    section: object
    title: str
    depth: int
    part: str | None

    @property
    def anchor(self) -> str:
        return self.section["id"]


def _documents(soup, article) -> list[Doc]:
    """Each page of the site in the one page, in the order of _toc.yml.
    Sphinx marks where a page begins with <span id="document-...">; the span
    moves into its section, so that links to it land on the section's page."""
    order = toc_entries()
    root_name = order[0][1][0][0]
    root = article.find("h1").find_parent("section")
    found = {root_name: root}
    for span in soup.select('span[id^="document-"]'):
        section = span.find_next("section")
        if section is not None:
            found[span["id"][len("document-"):]] = section
            section.insert(0, span.extract())
    docs = []
    for part, names in order:
        for name, depth in names:
            sec = found.get(name)
            if sec is None:
                raise SystemExit(f"{name} (in _toc.yml) is not in the one-page build")
            sec["class"] = sec.get("class", []) + ["nev-chapter"]
            sec["data-nev-doc"] = name
            docs.append(Doc(name, sec, text_of(sec.find(re.compile("^h[1-6]$"))), depth, part))
    return docs


def _restructure(soup, article, docs: list[Doc]) -> None:
    """Findings first, then the landing page ("About this book"), then the
    rest; every top-level page a child of the article; headings re-levelled
    from the nesting of sections (a page's title is h1)."""
    root, rest = docs[0], docs[1:]
    tops = [d for d in rest if d.depth == 0]
    for d in tops:
        d.section.extract()
    for wrapper in root.section.select("div.toctree-wrapper"):
        wrapper.decompose()
    # The contents and the cover replace the landing page's list of chapters,
    # its citation and its licences.
    for sid in ("chapters", "how-to-cite", "licences"):
        el = root.section.find("section", id=sid, recursive=False)
        if el is not None:
            el.decompose()
    h1 = root.section.find("h1")
    h1.clear()
    h1.string = ABOUT
    root.title = ABOUT
    root.section.extract()
    order = [tops[0], root, *tops[1:]]
    for d in order:
        article.append(d.section)
    for h in article.find_all(re.compile("^h[1-6]$")):
        level = len([s for s in h.parents if s.name == "section"]) if h.find_parent("article") else 1
        h.name = f"h{min(max(level, 1), 6)}"
    from . import printcompact

    printcompact.mark_small(article)


def _drop_chapter_sources(soup, article, docs: list[Doc]) -> None:
    """The chapters' "Sources" lists go; the references page has every
    source once. Links to an item of those lists lead to the reference; the
    references' links back to a chapter lead to the chapter."""
    by_title = {d.title: d.anchor for d in docs}
    for ul in article.select("ul.nev-citations"):
        prev = ul.find_previous_sibling()
        if prev is not None and prev.name == "p" and text_of(prev).rstrip(".") == "Sources":
            prev.decompose()
        ul.decompose()
    refs = article.select_one("ul.nev-references")
    for a in article.select('a[href^="#cite-"]'):
        ref = "ref-" + a["href"][len("#cite-"):]
        if refs is not None and a.find_parent("ul", class_="nev-references") is not None:
            target = by_title.get(text_of(a))
            a["href"] = f"#{target}" if target else f"#{ref}"
        else:
            a["href"] = f"#{ref}"


def _unique_ids(article, docs: list[Doc]) -> None:
    """One element per id. A record, milestone or reference keeps its anchor
    where the book holds all of them; a repeated section id is renamed within
    its page (and that page's links to it follow)."""
    home = {"record-": "book/tracker", "pledge-": "book/tracker", "milestone-": "book/outlook",
            "ref-": "book/references"}
    sections = {d.name: d.section for d in docs}
    by_id = defaultdict(list)
    for el in article.find_all(id=True):
        by_id[el["id"]].append(el)
    for ident, els in by_id.items():
        if len(els) < 2:
            continue
        keep = els[0]
        for prefix, doc in home.items():
            if ident.startswith(prefix) and doc in sections:
                inside = [e for e in els if sections[doc] in e.parents]
                keep = inside[0] if inside else keep
        for n, el in enumerate(e for e in els if e is not keep):
            page = el.find_parent("section", attrs={"data-nev-doc": True})
            if el.name == "section" and page is not None:
                new = f"{page['id']}--{ident}"
                el["id"] = new
                for a in page.select(f'a[href="#{ident}"]'):
                    a["href"] = f"#{new}"
            elif el.name == "span" and not el.contents:
                el.decompose()
            else:
                del el["id"]


def _charts(soup, article, docs: list[Doc]) -> tuple[list[str], list[Line], object]:
    """Each chart drawn as SVG (spliced in later as text: no HTML parser
    touches it), numbered, its finding the caption; its data table moved to
    the appendix under its number."""
    from . import printcompact, printcss

    new = soup.new_tag
    svgs: list[str] = []
    figures: list[Line] = []
    appendix = new("section", attrs={"class": "nev-chapter nev-chart-data", "id": "nev-chart-data"})
    h = new("h1")
    h.string = APPENDIX
    appendix.append(h)
    p = new("p")
    p.string = ("The figures behind each chart, by figure number, with the source of each value. "
                "The online edition offers each table as CSV; the data package (data/) holds them all.")
    appendix.append(p)
    group = None
    for div in article.select("div.nev-chart[data-spec]"):
        script = soup.find("script", id=div["data-spec"])
        spec = json.loads(script.string)
        fid = div["id"].removesuffix("-view")
        figure = div.find_parent("figure")
        number = len(svgs) + 1
        title = spec_title(spec)
        svg = chart_svg(print_spec(spec), prefix=div["id"])
        svgs.append(svg)
        from ..charts import static

        w, hgt = static.size(svg)
        tall = hgt * min(1.0, 680 / w) * PX_MM > printcss.CHART_MAX_MM * 1.5
        del div["data-spec"]
        div["class"] = div.get("class", []) + ["nev-static"] + (["nev-tall"] if tall else [])
        div["data-nev-chart"] = fid
        if "style" in div.attrs:
            del div["style"]
        div.clear()
        div.string = f"@@nev-svg-{number - 1}@@"
        script.decompose()
        label = new("p", attrs={"class": "nev-fig-label"})
        no = new("span", attrs={"class": "nev-fig-no"})
        no.string = f"Figure {number}."
        label.append(no)
        label.append(f" {title}")
        figure.insert(0, label)
        anchor = figure.get("id") or f"fig-{fid}"
        figure["id"] = anchor
        figures.append(Line(f"Figure {number}. {title}", anchor))

        tools = figure.select_one(".nev-figure-tools")
        table = tools.select_one("table") if tools else None
        page = div.find_parent("section", attrs={"data-nev-doc": True})
        if table is not None:
            doc_title = text_of(page.find(re.compile("^h[1-6]$"))) if page else ""
            if doc_title != group:
                group = doc_title
                g = new("p", attrs={"class": "nev-appendix-group"})
                g.string = doc_title
                appendix.append(g)
            h = new("h2", id=f"data-{fid}")
            h.string = f"Figure {number}. {title}"
            appendix.append(h)
            table = table.extract()
            appendix.append(table)
            printcompact.lift_constant_columns(soup, table)
            printcompact.merge_copy_column(soup, table)
            if not printcompact.rows_as_entries(soup, table):
                printcompact.narrow_in_columns(soup, table)
            ref = new("p", attrs={"class": "nev-data-ref"})
            ref.append("Data and sources: ")
            a = new("a", href=f"#data-{fid}")
            a.string = f"appendix, page @@page:data-{fid}@@"
            ref.append(a)
            ref.append(".")
            tools.replace_with(ref)
    return svgs, figures, appendix


def _paper(soup, article) -> None:
    """Nothing runs on paper; nothing links to a file that print cannot
    reach; nothing is folded; wide tables are set smaller."""
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
    for table in article.find_all("table"):
        cols = max((len(tr.find_all(["td", "th"], recursive=False)) for tr in table.find_all("tr")), default=0)
        if cols >= 5:
            table["class"] = table.get("class", []) + ["nev-wide"]
    # Sphinx writes the one page as if it sat at the build's root; the print
    # copy lives in _build/pdf.
    build = paths.root() / "_build"
    rel = os.path.relpath(build / "singlehtml", build / "pdf")
    for el in soup.find_all(["link", "img"]):
        attr = "href" if el.name == "link" else "src"
        url = el.get(attr, "")
        if url and not re.match(r"^[a-z]+:|^/|^#", url):
            el[attr] = f"{rel}/{url}"


def build(page: Path) -> PrintCopy:
    """The print copy of the one-page build ``page``."""
    from bs4 import BeautifulSoup

    from . import printcompact, printcss, printfront

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    soup.html["data-theme"] = "light"
    soup.html["data-mode"] = "light"
    article = soup.select_one("article.bd-article")
    docs = _documents(soup, article)
    book_title = docs[0].title
    _restructure(soup, article, docs)
    _drop_chapter_sources(soup, article, docs)
    printcompact.compact_records(soup, article)
    printcompact.compact_milestones(soup, article)
    printcompact.reorder_for_paper(article)
    _unique_ids(article, docs)
    svgs, figures, appendix = _charts(soup, article, docs)
    article.append(appendix)
    from ..text import prose_date

    edition_date = prose_date(printfront.edition()["date"])
    printcompact.compact_references(soup, article, edition_date)
    printcompact.compact_as_of(soup, article, edition_date)
    printcompact.source_cells_to_references(soup, appendix, article)
    _paper(soup, article)
    contents = printfront.contents_lines(docs) + [Line(APPENDIX, "nev-chart-data", 0, "Appendix")]
    front = printfront.front_matter(soup, book_title, contents, figures)
    for el in reversed(front):
        article.insert(0, el)
    style = soup.new_tag("style")
    style.string = printcss.CSS
    soup.head.append(style)
    text = str(soup)
    for i, svg in enumerate(svgs):
        text = text.replace(f"@@nev-svg-{i}@@", svg, 1)
    return PrintCopy(text, contents, figures)
