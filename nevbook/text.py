"""Prose helpers shared by every chapter: dates and lists as the book writes
them (BOOK.md §7: "6 September 2022" in prose, ISO in data). Plain Python
and pandas; nothing of Sphinx."""
from __future__ import annotations

import datetime as dt

import pandas as pd


def _ts(when) -> pd.Timestamp:
    return when if isinstance(when, pd.Timestamp) else pd.Timestamp(str(when) if isinstance(when, dt.date) else when)


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
    return round((_ts(end) - _ts(start)).days / 30.44)


def month_end(period) -> pd.Timestamp:
    """The last day of a 'YYYY-MM' period (or of the month of any date)."""
    return _ts(period) + pd.offsets.MonthEnd(0)


def and_join(items) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = [str(i) for i in items]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


__all__ = ["prose_date", "prose_month", "short_month", "month_name", "months_between",
           "month_end", "and_join"]
