"""The book's own prose, read as a reader reads it: roles resolved to what
they show, numbers that were typed rather than computed, sentences counted.

Used by the chapter rules (the verdict: at most three sentences, every number
glued) and by the findings page's checks. A number a reader sees must come
from the data; what the rules still allow typed are years and months (the
period a glued number belongs to), names that contain digits (the 14th
Five-Year Plan, a GB standard, 5G, L2) and list numbering.
"""
from __future__ import annotations

import re

ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<body>[^`]*)`")
GLUE = "\u2460"  # stands in for a glued value: a reader sees a number there
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_REF_TEXT = re.compile(r"^(?P<text>.*?)\s*<[^>]*>$", re.S)
# Names and periods that hold digits without being a typed figure.
ALLOWED = re.compile(
    r"\b(1[89]|20)\d\d[\u2013-]\d\d\b"                # year ranges (2021–22)
    r"|\b(1[89]|20)\d\d(s)?\b"                      # years, decades
    r"|\b\d{1,2}(st|nd|rd|th)\s+Five-Year\s+Plan"   # plan names
    r"|\bGB(/T)?\s*\d+(\.\d+)?(-\d{4})?"             # national standards
    r"|\b[1-6]G\b|\bL[0-5]\b|\bV2X\b|\bC-V2X\b"       # 5G, driving levels
    r"|\b(Q[1-4]|H[12])\b"                           # quarters, halves
    r"|\b\d{1,2}\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b",
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[A-Z\"'\u201c\u2018(\u2460])")


def _role_text(role: str, body: str, glued: dict[str, str] | None) -> str:
    if role.startswith("glue"):
        return (glued or {}).get(body, GLUE)
    if role in ("ref", "doc", "numref", "term"):
        m = _REF_TEXT.match(body)
        return m.group("text") if m else body
    return body


def plain(md: str, glued: dict[str, str] | None = None) -> str:
    """The text a reader sees of a passage of MyST: roles give their text
    (a glued value becomes ``glued[body]``, or the placeholder ``GLUE``),
    links their words; directive fences, options and comments go."""
    lines = [ln for ln in md.splitlines()
             if not re.match(r"\s*(```|:::|:\w[\w-]*:|%|\(\S+\)=\s*$|#+\s)", ln)]
    text = "\n".join(lines)
    text = ROLE.sub(lambda m: _role_text(m["role"], m["body"], glued), text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"^\s*(\d+\.|[-*])\s+", "", text, flags=re.M)  # list markers
    text = re.sub(r"[*_]{1,2}(\S[^*_]*?)[*_]{1,2}", r"\1", text)
    return " ".join(text.split())


def typed_numbers(md: str) -> list[str]:
    """Numbers in the prose that were typed, not glued (see ``ALLOWED``)."""
    text = ALLOWED.sub(" ", plain(md))
    return _NUMBER.findall(text)


def sentences(md: str) -> list[str]:
    """The sentences of a passage (glued values and abbreviations such as
    "U.S." or "e.g." do not end one)."""
    text = plain(md)
    text = re.sub(r"\b(e\.g|i\.e|U\.S|U\.K|Co|Ltd|Inc|No|vs|approx)\.", lambda m: m[0].replace(".", "\u2024"), text)
    return [s for s in _SENTENCE_END.split(text) if s.strip()]
