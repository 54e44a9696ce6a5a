"""Checks Table Schema cannot express, reported like schema problems.

- a source text exists and matches its recorded SHA-256;
- every quote occurs verbatim in its source text (see :mod:`nevbook.quotes`);
- an observation's unit is its series' unit and its period has the series'
  granularity;
- a pledge rests on a quote from the same statement and, unless its status is
  ``no-evidence``, cites its evidence.
"""
from __future__ import annotations

import hashlib
import re

from .quotes import QuoteMismatch, load_text, locate
from .validate import Package, Problem

PERIOD_PATTERNS = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def check_sources(pkg: Package) -> list[Problem]:
    out = []
    res = pkg["sources"]
    for i, row in enumerate(res.rows):
        if not row.get("file"):
            continue
        path = pkg.root / row["file"]
        if not path.exists():
            out.append(Problem(res.relpath, res.lines[i], row["id"],
                               f"source text data/{row['file']} is missing"))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            out.append(Problem(res.relpath, res.lines[i], row["id"],
                               f"data/{row['file']} has changed: SHA-256 is {digest}, "
                               f"the registry records {row['sha256']}"))
    return out


def quote_locations(pkg: Package) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    """Verify every quote; return {quote id: (first, last paragraph)}."""
    out: list[Problem] = []
    where: dict[str, tuple[int, int]] = {}
    files = {r["id"]: r.get("file") for r in pkg["sources"].rows}
    res = pkg["quotes"]
    for i, q in enumerate(res.rows):
        rel = files.get(q.get("source_id"))
        if not rel or not q.get("text"):
            continue  # unknown source or empty text: already reported
        path = pkg.root / rel
        if not path.exists():
            continue  # reported by check_sources
        try:
            where[q["id"]] = locate(q["text"], load_text(path))
        except QuoteMismatch as exc:
            out.append(Problem(res.relpath, res.lines[i], q["id"],
                               f"quote does not verify against data/{rel}: {exc}"))
    return where, out


def check_observations(pkg: Package) -> list[Problem]:
    out = []
    series = {r["id"]: r for r in pkg["series"].rows}
    for res in pkg.observations:
        for i, row in enumerate(res.rows):
            s = series.get(row.get("series_id"))
            if s is None:
                continue  # reported as a foreign-key problem
            if row.get("unit") and row["unit"] != s["unit"]:
                out.append(Problem(res.relpath, res.lines[i], res.row_id(i),
                                   f"unit '{row['unit']}' differs from the series' unit "
                                   f"'{s['unit']}' (data/series.csv): one unit per series"))
            pat = PERIOD_PATTERNS.get(s.get("period_type") or "")
            if pat and row.get("period") and not pat.fullmatch(row["period"]):
                out.append(Problem(res.relpath, res.lines[i], res.row_id(i),
                                   f"period '{row['period']}' is not a {s['period_type']} "
                                   f"(series {s['id']} is by {s['period_type']})"))
    return out


def check_pledges(pkg: Package) -> list[Problem]:
    out = []
    quotes = {q["id"]: q for q in pkg["quotes"].rows}
    res = pkg["pledges"]
    for i, p in enumerate(res.rows):
        q = quotes.get(p.get("quote_id"))
        if q and q.get("source_id") != p.get("source_id"):
            out.append(Problem(res.relpath, res.lines[i], p["id"],
                               f"quote '{q['id']}' is from {q['source_id']}, "
                               f"the pledge from {p['source_id']}"))
        if p.get("status") and p["status"] != "no-evidence" and not p.get("citation_ids"):
            out.append(Problem(res.relpath, res.lines[i], p["id"],
                               f"status '{p['status']}' needs evidence: citation_ids is empty"))
    return out


def check_all(pkg: Package) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    problems = list(pkg.problems)
    problems += check_sources(pkg)
    where, qp = quote_locations(pkg)
    problems += qp
    problems += check_observations(pkg)
    problems += check_pledges(pkg)
    return where, problems
