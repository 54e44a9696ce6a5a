"""Checks Table Schema cannot express, reported like schema problems (file,
line, row id, what is wrong).

- a source text exists and matches its recorded SHA-256;
- every quote occurs verbatim in its source text (:mod:`nevbook.quotes`),
  inside a turn of its speaker (``speaker_turns.csv``);
- an observation's unit is its series' unit and its period has the series'
  granularity;
- the ledger (:mod:`nevbook.ledger`): a record rests on quotes of its own
  statement and speaker; no sentence yields two commitments, nor a commitment
  and a claim; every numbered priority is there; evidence is cited; "no
  evidence" has a search record; a computed claim's verdict follows from
  the data; every record has its history.
"""
from __future__ import annotations

import hashlib
import re

from . import ledger as ledger_rules
from .quotes import Match, QuoteMismatch, load_text, match, sentences_of
from .validate import Package, Problem

PERIOD_PATTERNS = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
}


def _problem(res, i: int, msg: str) -> Problem:
    return Problem(res.relpath, res.lines[i], res.row_id(i), msg)


def check_sources(pkg: Package) -> list[Problem]:
    out = []
    res = pkg["sources"]
    for i, row in enumerate(res.rows):
        if not row.get("file"):
            continue
        path = pkg.root / row["file"]
        if not path.exists():
            out.append(_problem(res, i, f"source text data/{row['file']} is missing"))
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if row.get("sha256") and digest != row["sha256"]:
            out.append(_problem(res, i, f"data/{row['file']} has changed: SHA-256 is {digest}, "
                                        f"the registry records {row['sha256']}"))
    return out


def quote_matches(pkg: Package) -> tuple[dict[str, Match], list[Problem]]:
    """Verify every quote against its text and its speaker's turns; return
    {quote id: where it stands}."""
    out: list[Problem] = []
    where: dict[str, Match] = {}
    files = {r["id"]: r.get("file") for r in pkg["sources"].rows}
    turns: dict[tuple[str, str], list[tuple[int, int]]] = {}
    if "speaker_turns" in pkg.resources:
        for t in pkg["speaker_turns"].rows:
            if t.get("first_paragraph") and t.get("last_paragraph"):
                turns.setdefault((t["source_id"], t["speaker_id"]), []).append(
                    (t["first_paragraph"], t["last_paragraph"]))
    res = pkg["quotes"]
    for i, q in enumerate(res.rows):
        rel = files.get(q.get("source_id"))
        if not rel or not q.get("text"):
            continue  # unknown source or empty text: already reported
        path = pkg.root / rel
        if not path.exists():
            continue  # reported by check_sources
        try:
            m = match(q["text"], load_text(path))
        except QuoteMismatch as exc:
            out.append(_problem(res, i, f"quote does not verify against data/{rel}: {exc}"))
            continue
        where[q["id"]] = m
        spans = turns.get((q["source_id"], q.get("speaker_id")), [])
        if turns and not any(a <= m.first and m.last <= b for a, b in spans):
            said = sorted({sp for (src, sp), ss in turns.items() if src == q["source_id"]
                           for a, b in ss if a <= m.first <= b})
            out.append(_problem(res, i, (
                f"paragraphs {m.first}–{m.last} of data/{rel} are not words of '{q.get('speaker_id')}'"
                + (f"; the text gives them to {', '.join(repr(s) for s in said)}" if said else "")
                + " (data/speaker_turns.csv)")))
    return where, out


def _period_end(period: str):
    import calendar
    import datetime as dt

    parts = [int(p) for p in period.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(*parts)


def check_observations(pkg: Package) -> list[Problem]:
    out = []
    series = {r["id"]: r for r in pkg["series"].rows}
    editions = pkg["editions"].rows if "editions" in pkg.resources else []
    edition = max(editions, key=lambda e: e.get("edition") or 0).get("date") if editions else None
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    for res in pkg.observations:
        for i, row in enumerate(res.rows):
            key = (row.get("series_id"), row.get("period"))
            if None not in key:
                if key in seen and seen[key][0] != res.relpath:
                    out.append(_problem(res, i, f"{key[0]} {key[1]} is also in {seen[key][0]} (line "
                                                f"{seen[key][1]}): one value per series and period, in one file"))
                seen.setdefault(key, (res.relpath, res.lines[i]))
            if edition and row.get("period"):
                try:
                    future = _period_end(row["period"]).isoformat() > edition
                except ValueError:
                    future = False  # not a real date: reported by the parser
                if future and row.get("flag") not in ("estimate", "forecast", "target", "partial-year"):
                    out.append(_problem(res, i, f"period {row['period']} ends after the edition date "
                                                f"{edition}: flag it estimate, forecast, target or partial-year"))
            s = series.get(row.get("series_id"))
            if s is None:
                continue  # reported as a foreign-key problem
            if row.get("unit") and row["unit"] != s["unit"]:
                out.append(_problem(res, i, f"unit '{row['unit']}' differs from the series' unit "
                                            f"'{s['unit']}' (data/series.csv): one unit per series"))
            pat = PERIOD_PATTERNS.get(s.get("period_type") or "")
            if pat and row.get("period") and not pat.fullmatch(row["period"]):
                out.append(_problem(res, i, f"period '{row['period']}' is not a {s['period_type']} "
                                            f"(series {s['id']} is by {s['period_type']})"))
    return out


def _sentences(pkg: Package, where: dict[str, Match], quote_ids) -> set[tuple[str, int]]:
    quotes = {q["id"]: q for q in pkg["quotes"].rows}
    files = {r["id"]: r.get("file") for r in pkg["sources"].rows}
    out: set[tuple[str, int]] = set()
    for qid in quote_ids or []:
        q, m = quotes.get(qid), where.get(qid)
        if q is None or m is None or not files.get(q["source_id"]):
            continue
        text = load_text(pkg.root / files[q["source_id"]])
        out |= {(q["source_id"], n) for n in sentences_of(m, text)}
    return out


def _check_record_quotes(pkg: Package, res, i: int, row: dict) -> list[Problem]:
    out = []
    quotes = {q["id"]: q for q in pkg["quotes"].rows}
    for qid in row.get("quote_ids") or []:
        q = quotes.get(qid)
        if q is None:
            continue  # reported as a foreign-key problem
        if q["source_id"] != row.get("source_id"):
            out.append(_problem(res, i, f"quote '{qid}' is from {q['source_id']}, the record from "
                                        f"{row.get('source_id')}"))
        elif q["speaker_id"] != row.get("speaker_id"):
            out.append(_problem(res, i, f"quote '{qid}' is {q['speaker_id']}'s words, the record "
                                        f"{row.get('speaker_id')}'s: a record rests on its speaker's quotes"))
    return out


def check_ledger(pkg: Package, where: dict[str, Match]) -> list[Problem]:
    if "commitments" not in pkg.resources:
        return []
    out: list[Problem] = []
    com, cl = pkg["commitments"], pkg["claims"]
    searched = {s["record_id"] for s in pkg["searches"].rows} if "searches" in pkg.resources else set()
    first_at: dict[tuple[str, int], str] = {}
    for i, c in enumerate(com.rows):
        out += _check_record_quotes(pkg, com, i, c)
        if c.get("action") == "no-evidence" and c.get("id") not in searched:
            out.append(_problem(com, i, "action 'no-evidence' needs a record of the search "
                                        "(where, terms, up to which date) in data/searches.csv"))
        if c.get("action") not in (None, "no-evidence") and not c.get("action_citation_ids"):
            out.append(_problem(com, i, f"action '{c['action']}' needs evidence: action_citation_ids is empty"))
        if c.get("outcome") not in (None, "too-early", "not-measurable") and not c.get("outcome_citation_ids"):
            out.append(_problem(com, i, f"outcome '{c['outcome']}' needs evidence: outcome_citation_ids is empty"))
        for s in sorted(_sentences(pkg, where, c.get("quote_ids"))):
            if s in first_at and first_at[s] != c["id"]:
                out.append(_problem(com, i, f"rests on sentence {s[1] + 1} of {s[0]}, as commitment "
                                            f"'{first_at[s]}' does: one sentence is one record"))
            first_at.setdefault(s, c["id"])
    sources = pkg["sources"]
    for i, src in enumerate(sources.rows):
        n = src.get("numbered_priorities")
        if not n:
            continue
        have = {c.get("priority") for c in com.rows if c.get("source_id") == src["id"]}
        missing = [f"{k} of {n}" for k in range(1, n + 1) if f"{k} of {n}" not in have]
        if missing:
            out.append(_problem(sources, i, f"the ledger (data/commitments.csv) lacks priorities {missing}: "
                                            "every numbered priority is recorded"))
    book = _BookView(pkg)
    # A value that did not parse is reported where it stands; recomputing the
    # claims that read it would only repeat it.
    unreadable = {p.file for p in pkg.problems}
    recompute = not any(res.relpath in unreadable for res in pkg.observations)
    held = {(r["series_id"], r["period"]) for res in pkg.observations for r in res.rows}
    for i, c in enumerate(cl.rows):
        out += _check_record_quotes(pkg, cl, i, c)
        for s in sorted(_sentences(pkg, where, c.get("quote_ids"))):
            if s in first_at:
                out.append(_problem(cl, i, f"rests on sentence {s[1] + 1} of {s[0]}, which commitment "
                                           f"'{first_at[s]}' rests on: a sentence is a commitment or a claim, "
                                           "not both"))
        if c.get("method") and c["method"] != "evidence" and recompute:
            if not c.get("check_series") or not c.get("check_periods"):
                out.append(_problem(cl, i, f"method '{c['method']}' recomputes the figure: it needs "
                                           "check_series and check_periods"))
                continue
            for msg in ledger_rules.claim_problems(ledger_rules.as_claim(c), book):
                out.append(_problem(cl, i, msg))
        else:
            if c.get("verdict") not in (None, "not-checkable") and not c.get("citation_ids"):
                out.append(_problem(cl, i, f"verdict '{c['verdict']}' on the evidence needs citation_ids"))
            if recompute:
                for msg in _evidence_series_problems(held, c):
                    out.append(_problem(cl, i, msg))
    records = {r["id"] for r in com.rows} | {r["id"] for r in cl.rows}
    if "history" in pkg.resources:
        hist = pkg["history"]
        logged = set()
        for i, h in enumerate(hist.rows):
            logged.add(h.get("record_id"))
            if h.get("record_id") and h["record_id"] not in records:
                out.append(_problem(hist, i, f"unknown record '{h['record_id']}' (not in data/commitments.csv "
                                             "or data/claims.csv)"))
        for i, c in enumerate(com.rows):
            if c.get("id") not in logged:
                out.append(_problem(com, i, "no entry in data/history.csv: every record logs its judgement"))
    return out


class _BookView:
    """What :func:`nevbook.ledger.check_claim` needs of a Book, from a Package."""

    def __init__(self, pkg: Package):
        self.package = pkg


def check_outlook(pkg: Package) -> list[Problem]:
    """Milestones lie after the edition date; estimates' ranges run low to high."""
    out: list[Problem] = []
    if "editions" in pkg.resources and pkg["editions"].rows and "milestones" in pkg.resources:
        edition = max(pkg["editions"].rows, key=lambda e: e.get("edition") or 0).get("date")
        res = pkg["milestones"]
        for i, m in enumerate(res.rows):
            if edition and m.get("date") and m["date"] < edition[: len(m["date"])]:
                out.append(_problem(res, i, f"dated {m['date']}, before the edition date {edition}: a past "
                                            "milestone is evidence now (events, series, the ledger)"))
    if "estimates" in pkg.resources:
        res = pkg["estimates"]
        for i, e in enumerate(res.rows):
            if e.get("low") is not None and e.get("high") is not None and e["low"] > e["high"]:
                out.append(_problem(res, i, f"low {e['low']} is above high {e['high']}"))
            if (e.get("low") is not None or e.get("high") is not None) and not e.get("unit"):
                out.append(_problem(res, i, "a number needs its unit"))
    return out


# Text fields a reader sees (on a page or in a chart's data table): no
# internal id may stand in them (BOOK.md §10).
READER_FIELDS = {"citations": ["note", "relay_of"], "history": ["why"], "events": ["title", "description"],
                 "quotes": ["note"], "commitments": ["commitment", "aim", "action_evidence", "outcome_evidence"],
                 "claims": ["claim", "evidence", "found"], "estimates": ["question", "result", "method", "coverage"],
                 "milestones": ["what", "indicator", "confirms", "contradicts"], "glossary": ["detail", "wording_in_texts"],
                 "searches": ["result"], "corrections": ["was", "now"], "observations": ["note"]}
_WORD = re.compile(r"(?<![\w/.-])[a-z0-9]+(?:-[a-z0-9]+)+(?![\w/-])")
_SHARED = re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b|\((?:00[0-4])(?:,\s*00[0-4])*\)")


def check_reader_text(pkg: Package) -> list[Problem]:
    ids: set[str] = set()
    for name in ("citations", "quotes", "commitments", "claims", "series", "sources", "events",
                 "estimates", "milestones", "searches", "corrections"):
        if name in pkg.resources:
            ids |= {str(r["id"]) for r in pkg[name].rows if r.get("id")}
    ids = {i for i in ids if re.search(r"\d", i) or i.count("-") >= 2}
    out = []
    for name, fields in READER_FIELDS.items():
        resources = pkg.observations if name == "observations" else (
            [pkg[name]] if name in pkg.resources else [])
        for res in resources:
            for i, row in enumerate(res.rows):
                for f in fields:
                    v = row.get(f)
                    if not isinstance(v, str):
                        continue
                    found = sorted({w for w in _WORD.findall(v) if w in ids}) + _SHARED.findall(v)
                    if found:
                        out.append(_problem(res, i, f"field '{f}' shows readers internal ids {found[:4]}: "
                                                    "name the source, series or record in words"))
    return out


def check_all(pkg: Package) -> tuple[dict[str, Match], list[Problem]]:
    problems = list(pkg.problems)
    problems += check_sources(pkg)
    where, qp = quote_matches(pkg)
    problems += qp
    problems += check_observations(pkg)
    problems += check_ledger(pkg, where)
    problems += check_outlook(pkg)
    problems += check_reader_text(pkg)
    return where, problems


def _evidence_series_problems(held: set[tuple[str, str]], claim: dict) -> list[str]:
    """A claim judged on the evidence may name the series and periods it was
    read against; each series named must hold one of the periods named, and
    each period must be held by one of the series (no check against data
    the book does not have)."""
    series, periods = claim.get("check_series") or [], claim.get("check_periods") or []
    if isinstance(periods, str):
        periods = [p for p in periods.split(";") if p]
    if not series or not periods:
        return []
    out = [f"check_series '{s}' has no value for any of the periods {periods} in data/observations"
           for s in series if not any((s, p) in held for p in periods)]
    out += [f"check_periods '{p}' is held by none of the series {series} in data/observations"
            for p in periods if not any((s, p) in held for s in series)]
    return out
