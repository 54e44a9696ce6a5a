"""Verify that a quote occurs verbatim in its source text.

A stored quote is compared with the text after normalising Unicode (NFKC),
quote marks and whitespace. Two editorial marks are allowed:

- ``[...]`` an insertion or substitution by the editors (a gloss such as
  ``"double points" [dual-credit]``, or ``[T]he`` for a changed capital).
  The verbatim pieces on either side must stand within ``MAX_SUBSTITUTION``
  characters of each other in the text.
- ``…`` (or ``...``) a cut: the next piece must follow later in the text.

Every verbatim piece must occur, in order. When a quote does not verify, the
message shows how far it matched and where it departs from the text.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_SUBSTITUTION = 80
MIN_VERBATIM_CHARS = 15

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
_TOKEN = re.compile(r"(\[[^\[\]]*\]|\u2026|\.\.\.)")


def normalise(text: str) -> str:
    """NFKC, straight quotes, one space for any run of whitespace."""
    text = unicodedata.normalize("NFKC", text.replace("\u2026", "\x00"))
    text = text.translate(_QUOTES).replace("\x00", "\u2026")
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Piece:
    text: str
    joiner: str  # how it joins the previous piece: "start", "insert" or "cut"


def pieces(quote: str) -> list[Piece]:
    """Split a stored quote into verbatim pieces and how they join."""
    out: list[Piece] = []
    joiner = "start"
    for tok in _TOKEN.split(normalise(quote)):
        if tok in ("\u2026", "..."):
            joiner = "cut"
            continue
        if tok.startswith("[") and tok.endswith("]"):
            if joiner != "cut":
                joiner = "insert" if out else "start"
            continue
        tok = tok.strip()
        if tok:
            out.append(Piece(tok, joiner if out else "start"))
            joiner = "insert"
    return out


@dataclass(frozen=True)
class SourceText:
    paragraphs: tuple[str, ...]  # original paragraphs (non-blank lines)
    flat: str  # normalised paragraphs joined by one space
    starts: tuple[int, ...]  # offset of each paragraph in ``flat``

    def paragraph_at(self, offset: int) -> int:
        """1-based paragraph number containing ``offset``."""
        n = 0
        for i, s in enumerate(self.starts):
            if s <= offset:
                n = i
        return n + 1


@lru_cache(maxsize=32)
def _load_text(path: str, mtime: float) -> SourceText:
    raw = Path(path).read_text(encoding="utf-8")
    paras = tuple(line.strip() for line in raw.splitlines() if line.strip())
    starts, parts, pos = [], [], 0
    for p in paras:
        n = normalise(p)
        starts.append(pos)
        parts.append(n)
        pos += len(n) + 1
    return SourceText(paras, " ".join(parts), tuple(starts))


def load_text(path: Path) -> SourceText:
    return _load_text(str(path), path.stat().st_mtime)


class QuoteMismatch(ValueError):
    pass


def _longest_prefix(hay: str, needle: str, lo: int, hi: int) -> int:
    """Length of the longest prefix of ``needle`` found in ``hay[lo:hi]``."""
    a, b = 0, len(needle)
    while a < b:
        m = (a + b + 1) // 2
        if hay.find(needle[:m], lo, hi + m) >= 0:
            a = m
        else:
            b = m - 1
    return a


def locate(quote: str, text: SourceText) -> tuple[int, int]:
    """Return (first paragraph, last paragraph) where the quote stands.

    Raise QuoteMismatch with a diagnostic when it does not verify.
    """
    ps = pieces(quote)
    if not ps:
        raise QuoteMismatch("the quote has no verbatim text")
    verbatim = sum(len(p.text) for p in ps)
    if verbatim < MIN_VERBATIM_CHARS:
        raise QuoteMismatch(
            f"only {verbatim} verbatim characters: too short to verify (min {MIN_VERBATIM_CHARS})")
    hay = text.flat
    best_fail: list[tuple[int, int, int]] = []  # (piece index, window start, end)

    def window(p: Piece, lo: int) -> int:
        return lo + MAX_SUBSTITUTION if p.joiner == "insert" else len(hay)

    def search(i: int, lo: int, first: int | None) -> tuple[int, int] | None:
        if i == len(ps):
            return (first or 0), lo
        p = ps[i]
        hi = window(p, lo) + len(p.text)
        start = lo
        found_any = False
        while True:
            pos = hay.find(p.text, start, min(hi, len(hay)))
            if pos < 0:
                break
            found_any = True
            got = search(i + 1, pos + len(p.text), pos if first is None else first)
            if got:
                return got
            start = pos + 1
        if not found_any:
            best_fail.append((i, lo, window(p, lo)))
        return None

    got = search(0, 0, None)
    if got is None:
        i, lo, hi = max(best_fail) if best_fail else (0, 0, len(hay))
        p = ps[i]
        n = _longest_prefix(hay, p.text, lo, hi)
        if n == 0:
            detail = f"'{p.text[:60]}' does not occur"
        else:
            detail = (f"matches as far as '…{p.text[max(0, n - 40):n]}' "
                      f"and then departs from the text at '{p.text[n:n + 40]}'")
        where = "" if i == 0 else (" after the previous piece" if p.joiner == "cut"
                                    else f" within {MAX_SUBSTITUTION} characters of the previous piece")
        raise QuoteMismatch(f"piece {i + 1} of {len(ps)}{where}: {detail}")
    first, end = got
    return text.paragraph_at(first), text.paragraph_at(max(first, end - 1))
