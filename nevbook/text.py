"""Prose helpers shared by every chapter: dates and lists as the book writes
them (BOOK.md §7: "6 September 2022" in prose, ISO in data). Plain Python
and pandas; nothing of Sphinx."""
from __future__ import annotations

import datetime as dt


def _ts(when):
    """A date-like value (datetime, pandas Timestamp) from an ISO string
    ('2022', '2022-09' or '2022-09-06') or a date; pandas is imported only
    for values that are neither."""
    if hasattr(when, "strftime"):
        return when
    if isinstance(when, str):
        parts = when[:10].split("-")
        if all(p.isdigit() for p in parts) and 1 <= len(parts) <= 3:
            nums = [int(p) for p in parts] + [1] * (3 - len(parts))
            return dt.datetime(*nums)
    import pandas as pd

    return pd.Timestamp(when)


def prose_date(when) -> str:
    """'6 September 2022' from an ISO date, a datetime or a Timestamp."""
    d = _ts(when)
    return f"{d.day} {d:%B %Y}"


def prose_month(when) -> str:
    """'September 2022'."""
    return f"{_ts(when):%B %Y}"


def short_month(when) -> str:
    """'Sep 2022' (chart labels)."""
    return f"{_ts(when):%b %Y}"


def month_name(month: int | str, short: bool = False) -> str:
    """'August' (or 'Aug') from 8, '8', '08' or 'Aug'."""
    if isinstance(month, str) and not month.isdigit():
        month = dt.datetime.strptime(month[:3], "%b").month
    d = dt.date(2000, int(month), 1)
    return d.strftime("%b" if short else "%B")


def months_between(start, end) -> int:
    """Whole months from ``start`` to ``end``, rounded (30.44 days a month)."""
    a, b = _ts(start), _ts(end)
    a, b = dt.datetime(a.year, a.month, a.day), dt.datetime(b.year, b.month, b.day)
    return round((b - a).days / 30.44)


def month_end(period):
    """The last day of a 'YYYY-MM' period (or of the month of any date), as
    a pandas Timestamp."""
    import pandas as pd

    return pd.Timestamp(_ts(period)) + pd.offsets.MonthEnd(0)


def and_join(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


__all__ = ["prose_date", "prose_month", "short_month", "month_name", "months_between",
           "month_end", "and_join"]
