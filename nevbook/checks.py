"""Helpers for a chapter's hidden check cells (tag ``remove-cell``).

They tie the data to what the officials said: ``figures`` reads numbers out
of a source text with a regular expression, so a check fails if either the
text or the data change.
"""
from __future__ import annotations

import re

from . import paths, reads
from .data import book
from .quotes import load_text


def _text(source_id: str):
    src = book().by_id("sources").get(source_id)
    if src is None:
        raise KeyError(f"unknown source id {source_id!r} (not in data/sources.csv)")
    reads.note("text", source_id)
    return load_text(paths.data_dir() / src["file"])


def source_text(source_id: str) -> str:
    """A source text, normalised (as quotes are matched against it)."""
    return _text(source_id).flat


def figures(source_id: str, pattern: str) -> list[float]:
    """The numbers captured by ``pattern``'s groups in a source text."""
    m = re.search(pattern, source_text(source_id))
    if m is None:
        raise AssertionError(f"{source_id}: the text does not say {pattern!r}")
    return [float(g.replace(",", "")) for g in m.groups()]


def value(df, series_id: str, period: str) -> float:
    """One value from a tidy frame; fails loudly if absent or duplicated."""
    hit = df[(df["series_id"] == series_id) & (df["period"] == period)]["value"]
    if len(hit) != 1:
        from .data import coverage
        raise AssertionError(f"{series_id} {period}: {len(hit)} values in the data; "
                             f"{coverage(series_id)}")
    return float(hit.iloc[0])


def paragraphs(source_id: str) -> tuple[str, ...]:
    """The paragraphs of a source text, as numbered on its page (from 1)."""
    return _text(source_id).paragraphs



def claims(theme: str | None = None) -> list:
    """Recompute every checkable claim of ``theme`` (all claims if None) from
    the data, by the method the claims table records, and fail if a verdict or
    a stored figure does not follow. Returns the checks (nevbook.ledger.ClaimCheck).
    The chapters' hidden cells call this: the check CI runs is the one the
    claims table shows the reader."""
    from . import ledger

    b = book()
    quotes = b.by_id("quotes")
    out, problems = [], []
    for c in b.rows("claims"):
        themes = {t for q in c.get("quote_ids") or [] for t in quotes[q]["themes"]}
        if theme is not None and theme not in themes:
            continue
        row = ledger.as_claim(c)
        for s in row.get("check_series") or []:
            reads.note("series", s)
        problems += [f"{c['id']}: {p}" for p in ledger.claim_problems(row, b)]
        out.append(ledger.check_claim(row, b))
    if problems:
        raise AssertionError("claims that do not follow from the data:\n" + "\n".join(problems))
    reads.note("table", "claims")
    return out
