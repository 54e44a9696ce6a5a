"""The front of the print edition: a dated cover, the contents and the list
of figures, with page numbers (slots that the second printing fills).

Everything on the cover comes from the book's own files: the title from the
landing page, the authors and the licence from ``_config.yml`` (its footer
line, which the site shows on every page), the edition's number, name and
date from ``data/editions.csv`` (the latest row).
"""
from __future__ import annotations

from .printbase import ABOUT, Line, config


def edition() -> dict:
    from ..data import edition as latest

    return latest()


def licence() -> str:
    text = ((config().get("html") or {}).get("extra_footer") or "").strip()
    if not text:
        raise SystemExit("_config.yml states no licence (html.extra_footer): the cover needs one")
    return " ".join(text.split())


def book_url() -> str | None:
    cfg = config()
    sphinx = ((cfg.get("sphinx") or {}).get("config") or {})
    return (cfg.get("html") or {}).get("baseurl") or sphinx.get("html_baseurl") or None


def split_title(title: str) -> tuple[str, str]:
    head, sep, tail = title.partition(": ")
    return (head, tail) if sep else (title, "")


def citation(book_title: str) -> str:
    """How to cite the print edition: authors (year). Title. Edition, date. URL."""
    from ..text import prose_date

    ed = edition()
    authors = config().get("author") or "The editors"
    out = (f"{authors} ({ed['date'][:4]}). {book_title}. Edition {ed['edition']} "
           f"({ed['title'].lower()}), {prose_date(ed['date'])}. PDF edition.")
    url = book_url()
    return f"{out} {url}" if url else out


def contents_lines(docs) -> list[Line]:
    """A line per page of the site, in print order (see printcopy._restructure)."""
    root, rest = docs[0], docs[1:]
    lines = []
    for d in rest:
        lines.append(Line(d.title, d.anchor, d.depth, d.part))
        if d is rest[0]:
            lines.append(Line(ABOUT, root.anchor, 0, d.part))
    return lines


def _toc_line(soup, text: str, anchor: str, depth: int = 0):
    li = soup.new_tag("li", attrs={"class": "nev-toc-line"})
    if depth:
        li["style"] = f"margin-left:{depth * 1.4}rem"
    a = soup.new_tag("a", href=f"#{anchor}", attrs={"class": "nev-toc-text"})
    a.string = text
    li.append(a)
    li.append(soup.new_tag("span", attrs={"class": "nev-leader"}))
    no = soup.new_tag("a", href=f"#{anchor}", attrs={"class": "nev-pageno"})
    no.string = f"@@page:{anchor}@@"
    li.append(no)
    return li


def _front_list(soup, title: str, ident: str):
    """A front page of lines (the contents, the list of figures): its <nav>
    and the <ol> its lines go in."""
    nav = soup.new_tag("nav", attrs={"class": f"nev-front {ident}", "id": ident})
    h = soup.new_tag("h1")
    h.string = title
    nav.append(h)
    ol = soup.new_tag("ol")
    nav.append(ol)
    return nav, ol


def front_matter(soup, book_title: str, contents: list[Line], figures: list[Line]) -> list:
    from ..text import prose_date

    new = soup.new_tag
    ed = edition()
    title, subtitle = split_title(book_title)
    cover = new("section", attrs={"class": "nev-cover", "id": "nev-cover"})
    # The title as the book states it (colon and all), its subtitle on a line of its own.
    head = new("p", attrs={"class": "nev-cover-title"})
    head.string = f"{title}:" if subtitle else title
    if subtitle:
        sub = new("span", attrs={"class": "nev-cover-subtitle"})
        sub.string = subtitle
        head.append(sub)
    cover.append(head)
    for cls, text in (("nev-cover-authors", config().get("author") or ""),
                      ("nev-cover-edition", f"{ed['title']}, {prose_date(ed['date'])}")):
        if text:
            p = new("p", attrs={"class": cls})
            p.string = text
            cover.append(p)
    small = new("div", attrs={"class": "nev-cover-small"})
    for label, text in (("Licence. ", licence()), ("How to cite. ", citation(book_title)),
                        (None, "Print edition of the executable book: its charts are drawn from the "
                               "same data as the online edition, and the figures behind each are in "
                               "the appendix.")):
        p = new("p", attrs={"class": "nev-cover-licence" if label == "Licence. " else
                            "nev-cover-cite" if label else "nev-cover-note"})
        if label:
            b = new("strong")
            b.string = label
            p.append(b)
        p.append(text)
        small.append(p)
    cover.append(small)

    nav, ol = _front_list(soup, "Contents", "nev-contents")
    ol.append(_toc_line(soup, "List of figures", "nev-figures"))
    part = object()
    for line in contents:
        if line.part != part:
            part = line.part
            if part:
                cap = new("li", attrs={"class": "nev-part"})
                cap.string = part
                ol.append(cap)
        ol.append(_toc_line(soup, line.text, line.anchor, line.depth))

    lof, ol = _front_list(soup, "List of figures", "nev-figures")
    for line in figures:
        ol.append(_toc_line(soup, line.text, line.anchor))
    return [cover, nav, lof]
