"""How the book names its sources and speakers in text: attributions, event
lines, page titles. Shared by the Sphinx layer, the tracker and the PDF;
plain Python (no Sphinx)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .data import Book
from .text import prose_date


def source_label(source_id: str, paragraph: int | None = None) -> str:
    """Cross-reference label of a source page, or of one of its paragraphs."""
    return f"source-{source_id}" + (f"-p{paragraph}" if paragraph else "")


def event_line(src: dict) -> str:
    """'SCIO press conference, 28 February 2022' style short event line."""
    return f"{src['event'].split(',')[0]}, {prose_date(src['date'])}"


def source_title(src: dict) -> str:
    """'28 February 2022: State Council Information Office (SCIO) press conference ...'."""
    return f"{prose_date(src['date'])}: {src['event'].split(',')[0]}"


def speaker_name(sp: dict) -> str:
    """The speaker's name with a capital first letter ('An unnamed MIIT official')."""
    return sp["name"][:1].upper() + sp["name"][1:]


def attribution(b: Book, q: dict) -> str:
    """'Xin Guobin, Vice Minister ..., MIIT. SCIO press conference, 28 February 2022.'"""
    src = b.by_id("sources")[q["source_id"]]
    sp = b.by_id("speakers")[q["speaker_id"]]
    if sp["id"] == "narration":
        who = f"Reported by {src['outlet'].split(' (')[0]}"
    else:
        who = f"{sp['name']}, {sp['title']}, {sp['organisation']}"
    return f"{who}. {event_line(src)}."


def speaker_line(b: Book, source_id: str) -> str:
    """Every named speaker of a statement, with Chinese name, title and body."""
    speakers = b.by_id("speakers")
    names = [s["speaker_id"] for s in b.rows("source_speakers")
             if s["source_id"] == source_id and s["speaker_id"] != "narration"]
    return "; ".join(
        f"{speakers[n]['name']}"
        + (f" ({speakers[n]['name_zh']})" if speakers[n].get("name_zh") else "")
        + f", {speakers[n]['title']}, {speakers[n]['organisation']}"
        for n in names)


def paragraphs_label(first: int, last: int) -> str:
    """'paragraph 4' or 'paragraphs 4–6'."""
    return f"paragraph {first}" if first == last else f"paragraphs {first}\u2013{last}"


TIERS = {"primary": "primary source", "relay": "reputable relay", "weak": "weak copy"}


def tier_label(tier: str) -> str:
    """How the book names a citation's tier to readers (BOOK.md §9)."""
    return TIERS.get(tier, tier)


def body_of(sp: dict, src: dict) -> str:
    """The speaker's body, short: 'MIIT', 'NDRC', 'CPPCC' ...; the report
    itself for narration."""
    import re

    if sp["id"] == "narration":
        return "Report"
    m = re.search(r"\(([A-Z]{2,})\)", sp.get("organisation") or "")
    return m.group(1) if m else (sp.get("organisation") or "Other").split(" (")[0]
