"""Numbers on prose pages, which cannot glue from a notebook:
``{nev-value}`series-id period [format]``` and ``{nev-stat}`name```."""
from __future__ import annotations

from docutils import nodes

from ..data import Book, DataError, book, coverage
from ..text import prose_date
from .base import mark, xref


def _problem(inliner, rawtext, lineno, msg):
    m = inliner.reporter.warning(msg, line=lineno)
    return [inliner.problematic(rawtext, rawtext, m)], [m]


def format_value(value, fmt: str | None = None) -> str:
    """A stored value as prose shows it: ``fmt`` if given, else as stored
    (thousands separated, no trailing zeros)."""
    if fmt:
        return format(value, fmt)
    if isinstance(value, float):
        return f"{value:,}".rstrip("0").rstrip(".")
    return f"{value:,}"


def value_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """A value from the data with its unit, linked to its citation on the
    references page. ``{nev-value}`series-id period .1f``` chooses the
    number format (default: as stored)."""
    parts = text.split()
    try:
        b = book()
    except DataError as exc:
        return _problem(inliner, rawtext, lineno, str(exc))
    if len(parts) not in (2, 3):
        return _problem(inliner, rawtext, lineno, f"nev-value: expected 'series-id period [format]', got {text!r}")
    sid, period = parts[:2]
    rows = [r for res in b.package.observations for r in res.rows
            if r["series_id"] == sid and r["period"] == period]
    if len(rows) != 1:
        return _problem(inliner, rawtext, lineno,
                        f"nev-value: no single observation for series '{sid}' period '{period}' "
                        f"({len(rows)} found): {coverage(sid)}")
    r = rows[0]
    unit = r["unit"].replace("percent", "per cent")
    ref = xref(f"ref-{r['citation_id']}", f"{format_value(r['value'], parts[2] if len(parts) == 3 else None)} {unit}",
               classes=["nev-value"], title="Source")
    return [mark(ref)], []


def stat(b: Book, name: str) -> str:
    """Counts for prose pages: ``commitments``, ``commitments:<status>`` (a
    headline status, e.g. ``commitments:partly``), ``claims``,
    ``claims:<verdict>``, ``quotes``, ``citations``, ``observations``,
    ``series``, ``events``; ``as-of`` is the date the sources were last checked;
    ``edition`` the current edition's title (data/editions.csv)."""
    from .. import ledger

    if name == "as-of":
        return prose_date(max(c["accessed"] for c in b.rows("citations")))
    if name == "edition":
        from ..data import edition

        return edition()["title"]
    if name == "observations":
        return f"{sum(len(r.rows) for r in b.package.observations):,}"
    table, _, which = name.partition(":")
    if table not in ("commitments", "claims", "quotes", "citations", "series", "events"):
        raise KeyError(name)
    rows = b.rows(table)
    if which and table == "commitments":
        if which not in ledger.STATUSES:
            raise KeyError(name)
        rows = [r for r in rows if ledger.headline(r["action"], r["outcome"]) == which]
    elif which and table == "claims":
        if which not in ledger.VERDICTS:
            raise KeyError(name)
        rows = [r for r in rows if r["verdict"] == which]
    elif which:
        raise KeyError(name)
    return f"{len(rows):,}"


def stat_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{nev-stat}`commitments:partly``` and the like (see :func:`stat`)."""
    try:
        value = stat(book(), text.strip())
    except (KeyError, DataError) as exc:
        return _problem(inliner, rawtext, lineno, f"nev-stat: unknown or unreadable statistic {text!r} ({exc})")
    return [mark(nodes.inline("", value, classes=["nev-stat"]))], []


def setup(app) -> None:
    app.add_role("nev-value", value_role)
    app.add_role("nev-stat", stat_role)
