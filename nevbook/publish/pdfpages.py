"""Reading the printed PDF (pypdf): where each anchor landed, the bookmarks,
and how much of each page's text block is used.

Chromium writes a named destination for every element id that a link of the
page points to, at the element's top-left corner: the contents, the list of
figures and the figures' data references link to what they number, so their
pages can be read back after printing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MM_PT = 72 / 25.4


@dataclass
class Bookmark:
    title: str
    page: int
    children: list["Bookmark"] = field(default_factory=list)


def destinations(reader) -> dict[str, tuple[int, float]]:
    """Element id -> (page, from 1; distance of the element's top from the
    page's top edge, in points)."""
    out = {}
    for name, dest in reader.named_destinations.items():
        page_no = reader.get_destination_page_number(dest)
        height = float(reader.pages[page_no].mediabox.height)
        top = dest.get("/Top")
        out[str(name).lstrip("/")] = (page_no + 1, height - float(top) if top is not None else 0.0)
    return out


def pages_of(reader) -> dict[str, int]:
    return {name: page for name, (page, _) in destinations(reader).items()}


def outline(reader) -> list[Bookmark]:
    def walk(items) -> list[Bookmark]:
        out: list[Bookmark] = []
        for it in items:
            if isinstance(it, list):
                if out:
                    out[-1].children = walk(it)
                continue
            out.append(Bookmark(str(it.title), reader.get_destination_page_number(it) + 1))
        return out

    return walk(reader.outline)


def lowest_text(page, bottom_pt: float) -> float | None:
    """The lowest text baseline on a page above ``bottom_pt`` (the footer's
    margin), in points from the page's bottom edge; None on an empty page."""
    ys: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if y > bottom_pt:
                ys.append(y)

    page.extract_text(visitor_text=visit)
    return min(ys) if ys else None


def fill(reader, margin_mm: dict) -> list[float]:
    """For each page, the share of its text block (top to bottom margin)
    that lies above its lowest line of text: 1.0 is a full page."""
    top = float(margin_mm["top"].removesuffix("mm")) * MM_PT
    bottom = float(margin_mm["bottom"].removesuffix("mm")) * MM_PT
    out = []
    for page in reader.pages:
        height = float(page.mediabox.height)
        low = lowest_text(page, bottom)
        block = height - top - bottom
        out.append(0.0 if low is None else max(0.0, min(1.0, (height - top - low) / block)))
    return out
