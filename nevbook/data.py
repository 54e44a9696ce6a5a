"""Load the book's data, validated. The first call checks the whole package
(schemas, foreign keys, quotes, units); any problem raises ``DataError``
naming file, line and row id, so a notebook stops at a bad row at once.

Notebooks read through the accessors here (``table``, ``series``, ``cite``,
``events``, ``quoted_sources``): each notes what it read (:mod:`nevbook.reads`),
so that a notebook re-runs only when its own inputs change.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths, reads
from .rules import check_all
from .validate import DataError, Package, Problem, load_package

if TYPE_CHECKING:  # pandas is imported where a frame is made (the build does not need it)
    import pandas as pd

__all__ = ["DataError", "Problem", "Book", "book", "table", "series", "cite", "check",
           "events", "quoted_sources", "source_date", "edition"]
CITE_COLUMNS = {"publisher": "publisher", "source_title": "title", "source_url": "url",
                "source_published": "published", "source_tier": "tier"}


@dataclass
class Book:
    """The validated package plus derived facts (where each quote stands)."""

    package: Package
    quote_matches: dict  # quote id -> nevbook.quotes.Match (where it stands)

    @property
    def quote_paragraphs(self) -> dict[str, tuple[int, int]]:
        """quote id -> (first paragraph, last paragraph)."""
        return {q: (m.first, m.last) for q, m in self.quote_matches.items()}

    def rows(self, name: str) -> list[dict]:
        return self.package[name].rows

    def by_id(self, name: str) -> dict[str, dict]:
        return {r["id"]: r for r in self.package[name].rows}


def _fingerprint(data_dir: Path) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                        for p in data_dir.rglob("*") if p.is_file()))


_CACHE: dict[Path, tuple[tuple, Book]] = {}


def check(data_dir: Path | None = None) -> list[Problem]:
    """Every problem in ``data/`` (empty list: the data are valid)."""
    data_dir = data_dir or paths.data_dir()
    try:
        pkg = load_package(data_dir)
    except DataError as exc:
        return exc.problems
    return check_all(pkg)[1]


def book(data_dir: Path | None = None) -> Book:
    """The validated data; raises DataError listing every problem."""
    data_dir = (data_dir or paths.data_dir()).resolve()
    fp = _fingerprint(data_dir)
    hit = _CACHE.get(data_dir)
    if hit and hit[0] == fp:
        return hit[1]
    pkg = load_package(data_dir)
    where, problems = check_all(pkg)
    if problems:
        raise DataError(problems)
    result = Book(pkg, where)
    _CACHE[data_dir] = (fp, result)
    return result


def edition() -> dict:
    """The current edition (the last row of data/editions.csv): number, date, title."""
    rows = book().rows("editions")
    return max(rows, key=lambda e: e["edition"])


def table(name: str) -> pd.DataFrame:
    """One table of the package as a DataFrame (lists stay Python lists)."""
    b = book()
    if name not in b.package.resources:
        raise KeyError(f"no table {name!r} in data/datapackage.json; "
                       f"tables: {sorted(b.package.resources)}")
    res = b.package[name]
    reads.note("table", name)
    import pandas as pd

    return pd.DataFrame(res.rows, columns=[f["name"] for f in res.fields])


def series(*ids: str) -> pd.DataFrame:
    """Tidy observations for the given series ids, with their citations.

    Columns: series_id, series (title), period, value, unit, citation_id,
    flag, note, publisher, source_title, source_url, source_published,
    source_tier. Rows
    are in the order of ``ids``, then by period. Unknown ids raise KeyError.
    """
    b = book()
    meta = b.by_id("series")
    unknown = [i for i in ids if i not in meta]
    if unknown:
        raise KeyError(f"unknown series {unknown}; see data/series.csv")
    for i in ids:
        reads.note("series", i)
    rows = [r for res in b.package.observations for r in res.rows if r["series_id"] in ids]
    import pandas as pd

    out = pd.DataFrame(rows, columns=["series_id", "period", "value", "unit",
                                      "citation_id", "flag", "note"])
    out.insert(1, "series", out["series_id"].map(lambda s: meta[s]["title"]))
    out = cite(out)
    order = {s: k for k, s in enumerate(ids)}
    out = out.sort_values(["series_id", "period"], key=lambda c: c.map(order) if c.name == "series_id" else c)
    return out.reset_index(drop=True)


def coverage(series_id: str) -> str:
    """Where a series lives and which periods it covers, for error messages:
    "data/observations/market.csv holds 2012 to 2025 (14 periods)"."""
    b = book()
    for res in b.package.observations:
        periods = sorted(r["period"] for r in res.rows if r["series_id"] == series_id)
        if periods:
            return f"{res.relpath} holds {periods[0]} to {periods[-1]} ({len(periods)} periods)"
    if series_id in b.by_id("series"):
        return "no file in data/observations/ holds any value for it yet"
    return "it is not in data/series.csv"


def cite(df: pd.DataFrame, column: str = "citation_id") -> pd.DataFrame:
    """Add the citation's publisher, title, URL, date and tier to each row."""
    cites = book().by_id("citations")
    for cid in dict.fromkeys(df[column]):
        reads.note("citation", cid)
    out = df.copy()
    for col, key in CITE_COLUMNS.items():
        out[col] = out[column].map(lambda c, key=key: cites[c][key])
    return out


def events(*themes: str) -> pd.DataFrame:
    """The dated events of any of ``themes``, oldest first, with their
    citations (columns of data/events.csv plus publisher, title, URL, date)."""
    known = book().by_id("themes")
    unknown = [t for t in themes if t not in known]
    if unknown:
        raise KeyError(f"unknown themes {unknown}; see data/themes.csv")
    ev = table("events")
    ev = ev[ev["themes"].map(lambda ts: bool(set(ts) & set(themes)))]
    return cite(ev.sort_values(["date", "id"])).reset_index(drop=True)


def quoted_sources(theme: str) -> pd.DataFrame:
    """The statements the book quotes on ``theme`` (rows of data/sources.csv),
    oldest first."""
    q = table("quotes")
    used = set(q[q["themes"].map(lambda ts: theme in ts)]["source_id"])
    src = table("sources")
    return src[src["id"].isin(used)].sort_values("date").reset_index(drop=True)


def source_date(source_id: str) -> pd.Timestamp:
    """The date of a statement (data/sources.csv)."""
    src = table("sources").set_index("id")
    if source_id not in src.index:
        raise KeyError(f"unknown source id {source_id!r} (not in data/sources.csv)")
    import pandas as pd

    return pd.Timestamp(src.loc[source_id, "date"])
