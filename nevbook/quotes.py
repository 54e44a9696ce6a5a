"""Verify that a quote occurs verbatim in its source text.

A stored quote is compared with the text after normalising quote marks and
whitespace only (no Unicode compatibility folding: a full-width ``３`` is not
the text's ``3``). Two editorial marks are allowed:

- ``[...]`` an insertion or substitution by the editors (a gloss such as
  ``"double points" [dual-credit]``, or ``[T]he`` for a changed capital).
  The verbatim pieces on either side must stand within ``MAX_SUBSTITUTION``
  characters of each other in the text. Insertions are short: at most
  ``MAX_INSERTION_WORDS`` words and ``MAX_INSERTION_CHARS`` characters each,
  no cut or sentence punctuation inside, and all of them together at most
  ``MAX_INSERTION_SHARE`` of the quote. They gloss; they never speak for
  the speaker.
- ``…`` (or ``...``) a cut: the next piece must follow later in the text.

Every verbatim piece must occur, in order. The matcher runs in time linear in
the number of occurrences of the pieces (no backtracking), and a quote holds
at most ``MAX_PIECES`` pieces and ``MAX_QUOTE_CHARS`` characters, so no input
can make it hang. When a quote does not verify, the message shows how far it
matched, where it departs from the text, and any invisible or look-alike
character by its code point.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_SUBSTITUTION = 80
MIN_VERBATIM_CHARS = 15
MAX_QUOTE_CHARS = 2000
MAX_PIECES = 24
MAX_INSERTION_WORDS = 6
MAX_INSERTION_CHARS = 40
MAX_INSERTION_SHARE = 0.25

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
})
_TOKEN = re.compile(r"(\[[^\[\]]*\]|\u2026|\.\.\.)")
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2000-\u200a\u202f\u205f]+")


def normalise(text: str) -> str:
    """Straight quotes, one space for any run of (visible) white space."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


@dataclass(frozen=True)
class Piece:
    text: str
    joiner: str  # how it joins the previous piece: "start", "insert" or "cut"


def insertions(quote: str) -> list[str]:
    """The editorial insertions of a quote, brackets removed."""
    return [t[1:-1] for t in _TOKEN.findall(normalise(quote)) if t.startswith("[")]


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
        return max(1, bisect.bisect_right(self.starts, offset))


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


@dataclass(frozen=True)
class Match:
    first: int  # first paragraph (1-based)
    last: int  # last paragraph
    start: int  # offset of the first verbatim character in SourceText.flat
    end: int  # offset after the last


def describe_char(ch: str) -> str:
    """'U+200B ZERO WIDTH SPACE' for a character a reader cannot tell apart."""
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def suspicious_chars(text: str, allowed: str = "") -> list[str]:
    """Characters a reader cannot see or tell apart, named by code point:
    invisible ones (format characters, spaces other than the plain space) and
    any non-ASCII character that ``allowed`` (the source text) never uses."""
    out = []
    for ch in dict.fromkeys(text):
        cat = unicodedata.category(ch)
        invisible = cat in ("Cf", "Cc", "Zl", "Zp") or (cat == "Zs" and ch != " ")
        if invisible or (not ch.isascii() and ch not in allowed):
            out.append(describe_char(ch))
    return out


def check_marks(quote: str) -> list[str]:
    """What is wrong with a quote's editorial marks and size (empty: fine)."""
    out = []
    norm = normalise(quote)
    if len(norm) > MAX_QUOTE_CHARS:
        out.append(f"{len(norm)} characters: a quote holds at most {MAX_QUOTE_CHARS}")
    ps = pieces(quote)
    if len(ps) > MAX_PIECES:
        out.append(f"{len(ps)} verbatim pieces: at most {MAX_PIECES} cuts and insertions in one quote")
    ins = insertions(quote)
    for text in ins:
        words = len(text.split())
        if "\u2026" in text or "..." in text:
            out.append(f"insertion [{text[:40]}] holds a cut (…): cuts go outside brackets")
        elif words > MAX_INSERTION_WORDS or len(text) > MAX_INSERTION_CHARS:
            out.append(f"insertion [{text[:40]}{'…' if len(text) > 40 else ''}] has {words} words and "
                       f"{len(text)} characters: an insertion glosses in at most {MAX_INSERTION_WORDS} "
                       f"words and {MAX_INSERTION_CHARS} characters; it never speaks for the speaker")
        elif re.search(r"[.!?;:]\s", text + " ") and not re.fullmatch(r"[A-Za-z]\.?", text):
            out.append(f"insertion [{text}] holds sentence punctuation: it reads as words of its own")
    verbatim = sum(len(p.text) for p in ps)
    inserted = sum(len(t) for t in ins)
    if verbatim and inserted > MAX_INSERTION_SHARE * (verbatim + inserted):
        out.append(f"insertions are {inserted / (verbatim + inserted):.0%} of the quote: at most "
                   f"{MAX_INSERTION_SHARE:.0%}")
    return out


def _occurrences(hay: str, needle: str, lo: int, hi: int) -> list[int]:
    """Start offsets of ``needle`` in ``hay`` that begin in [lo, hi]."""
    out, i = [], hay.find(needle, lo)
    while 0 <= i <= hi:
        out.append(i)
        i = hay.find(needle, i + 1)
    return out


def _longest_prefix(hay: str, needle: str, lo: int, hi: int) -> int:
    """Length of the longest prefix of ``needle`` found starting in [lo, hi]."""
    a, b = 0, len(needle)
    while a < b:
        m = (a + b + 1) // 2
        if hay.find(needle[:m], lo, hi + m) >= 0:
            a = m
        else:
            b = m - 1
    return a


def match(quote: str, text: SourceText) -> Match:
    """Where the quote stands in the text; QuoteMismatch when it does not verify.

    Forward dynamic programming over the occurrences of each piece: an
    occurrence is reachable when a reachable occurrence of the previous piece
    ends before it (a cut) or at most ``MAX_SUBSTITUTION`` characters before it
    (an insertion). Each piece's occurrences are scanned once, so the time is
    linear in their number, whatever the quote."""
    problems = check_marks(quote)
    if problems:
        raise QuoteMismatch("; ".join(problems))
    ps = pieces(quote)
    if not ps:
        raise QuoteMismatch("the quote has no verbatim text")
    verbatim = sum(len(p.text) for p in ps)
    if verbatim < MIN_VERBATIM_CHARS:
        raise QuoteMismatch(
            f"only {verbatim} verbatim characters: too short to verify (min {MIN_VERBATIM_CHARS})")
    hay = text.flat
    # For each piece: the starts of its reachable occurrences (ascending) and,
    # for each, the earliest start of a whole match ending there.
    prev_ends: list[int] = []
    prev_first: list[int] = []
    for i, p in enumerate(ps):
        if i == 0:
            starts = _occurrences(hay, p.text, 0, len(hay))
            firsts = list(starts)
        else:
            lo = prev_ends[0]
            hi = len(hay) if p.joiner == "cut" else prev_ends[-1] + MAX_SUBSTITUTION
            starts, firsts = [], []
            if p.joiner == "cut":
                # Any reachable previous end at or before s will do.
                best, j = None, 0
                for s in _occurrences(hay, p.text, lo, hi):
                    while j < len(prev_ends) and prev_ends[j] <= s:
                        best = prev_first[j] if best is None else min(best, prev_first[j])
                        j += 1
                    if best is not None:
                        starts.append(s)
                        firsts.append(best)
            else:
                # A previous end within MAX_SUBSTITUTION before s: a sliding
                # window over the (ascending) previous ends, minimum kept in a deque.
                window: list[int] = []  # indexes into prev_*, prev_first increasing
                head, j = 0, 0
                for s in _occurrences(hay, p.text, lo, hi):
                    while j < len(prev_ends) and prev_ends[j] <= s:
                        while len(window) > head and prev_first[window[-1]] >= prev_first[j]:
                            window.pop()
                        window.append(j)
                        j += 1
                    while head < len(window) and prev_ends[window[head]] < s - MAX_SUBSTITUTION:
                        head += 1
                    if head < len(window):
                        starts.append(s)
                        firsts.append(prev_first[window[head]])
        if not starts:
            raise QuoteMismatch(_diagnose(ps, i, prev_ends, hay, quote))
        prev_ends = [s + len(p.text) for s in starts]
        prev_first = firsts
    k = min(range(len(prev_ends)), key=lambda n: (prev_first[n], prev_ends[n]))
    first, end = prev_first[k], prev_ends[k]
    return Match(text.paragraph_at(first), text.paragraph_at(max(first, end - 1)), first, end)


def _diagnose(ps: list[Piece], i: int, prev_ends: list[int], hay: str, quote: str) -> str:
    p = ps[i]
    if i == 0:
        lo, hi = 0, len(hay)
    else:
        lo = min(prev_ends)
        hi = len(hay) if p.joiner == "cut" else max(prev_ends) + MAX_SUBSTITUTION
    n = _longest_prefix(hay, p.text, lo, hi)
    if n == 0:
        detail = f"'{p.text[:60]}' does not occur"
    else:
        detail = (f"matches as far as '…{p.text[max(0, n - 40):n]}' "
                  f"and then departs from the text at '{p.text[n:n + 40]}'")
    odd = suspicious_chars(p.text[n:n + 40] or p.text, hay)
    if odd:
        detail += f" (it holds {', '.join(odd)}, which the text does not have there)"
    where = "" if i == 0 else (" after the previous piece" if p.joiner == "cut"
                                else f" within {MAX_SUBSTITUTION} characters of the previous piece")
    return f"piece {i + 1} of {len(ps)}{where}: {detail}"


def locate(quote: str, text: SourceText) -> tuple[int, int]:
    """(first paragraph, last paragraph) where the quote stands."""
    m = match(quote, text)
    return m.first, m.last


_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"')\]]*\s+")


def sentence_spans(text: SourceText) -> list[tuple[int, int]]:
    """(start, end) offsets in ``text.flat`` of each sentence: a paragraph
    break or a full stop, question or exclamation mark followed by a space
    ends one."""
    spans = []
    for n, start in enumerate(text.starts):
        end = text.starts[n + 1] - 1 if n + 1 < len(text.starts) else len(text.flat)
        para = text.flat[start:end]
        pos = 0
        for m in _SENTENCE_END.finditer(para):
            spans.append((start + pos, start + m.start()))
            pos = m.end()
        if pos < len(para):
            spans.append((start + pos, end))
    return spans


def sentences_of(m: Match, text: SourceText) -> list[int]:
    """Indexes (into :func:`sentence_spans`) of the sentences a match touches."""
    return [i for i, (a, b) in enumerate(sentence_spans(text)) if a < m.end and m.start < b]
