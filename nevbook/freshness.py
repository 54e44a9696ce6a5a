"""How current the book is (BOOK.md §9): each series' latest period, the
chapters' review dates, and ``python -m nevbook stale``, which reports

- running series (three periods or more, or a stated next release) behind
  the latest full year: a yearly series without the year before the
  edition's, a monthly one without a month of the edition's year;
- citations without a tier (the schema refuses them: the count stays 0);
- ledger records and chapters not re-checked since the edition date;
- the share of each chapter's data points on weak copies (target: at most 10%).

The test command prints the report; it fails only on a missing tier.
"""
from __future__ import annotations

from .data import book, edition


def latest(series_id: str) -> str | None:
    """The latest period of a series in the data (None if it has none)."""
    periods = [r["period"] for res in book().package.observations for r in res.rows
               if r["series_id"] == series_id]
    return max(periods) if periods else None


def behind(b=None) -> list[tuple[str, str, str]]:
    """(series, latest period, what is missing) for series behind the edition."""
    b = b or book()
    ed = edition()["date"]
    year = int(ed[:4])
    out = []
    for s in b.rows("series"):
        periods = [r["period"] for res in b.package.observations for r in res.rows if r["series_id"] == s["id"]]
        if len(periods) < 3 and not s.get("next_release"):
            continue  # a one-off figure (an estimate, a target), not a running series
        last = max(periods)
        if s["period_type"] == "year" and int(last[:4]) < year - 1:
            out.append((s["id"], last, f"no {year - 1} value"))
        elif s["period_type"] == "month" and last[:4] < str(year) and int(last[:4]) >= year - 2:
            out.append((s["id"], last, f"no month of {year}"))
    return out


def weak_shares(b=None) -> dict[str, tuple[int, int]]:
    """theme -> (data points on weak copies, all data points): observations
    of the theme's series, its events and its commitments' evidence."""
    b = b or book()
    tiers = {c["id"]: c["tier"] for c in b.rows("citations")}
    series_theme = {s["id"]: s["theme"] for s in b.rows("series")}
    out: dict[str, list[int]] = {}

    def add(theme: str, cid: str) -> None:
        n = out.setdefault(theme, [0, 0])
        n[1] += 1
        n[0] += tiers.get(cid) == "weak"
    for res in b.package.observations:
        for r in res.rows:
            add(series_theme.get(r["series_id"], "?"), r["citation_id"])
    for e in b.rows("events"):
        for t in e["themes"]:
            add(t, e["citation_id"])
    return {t: (w, n) for t, (w, n) in out.items()}


def report() -> tuple[str, int]:
    """The freshness report, and the number of problems that fail the test
    command (citations without a tier)."""
    b = book()
    ed = edition()
    lines = [f"Edition {ed['edition']} of {ed['date']}."]
    late = behind(b)
    lines.append(f"{len(late)} series behind the latest full year or month:")
    lines += [f"  {s}: latest {last} ({why})" for s, last, why in late]
    untiered = [c["id"] for c in b.rows("citations") if not c.get("tier")]
    lines.append(f"{len(untiered)} citations without a tier" + (f": {untiered}" if untiered else "."))
    old = [c["id"] for c in b.rows("commitments") if c["as_of"] < ed["date"]]
    old += [c["id"] for c in b.rows("claims") if c["as_of"] < ed["date"]]
    lines.append(f"{len(old)} ledger records not re-checked since {ed['date']}" + (f": {old}" if old else "."))
    unreviewed = [t["id"] for t in b.rows("themes") if t["chapter"] == f"notebooks/{t['id']}"
                  and (not t.get("reviewed") or t["reviewed"] < ed["date"])]
    lines.append(f"{len(unreviewed)} chapters not reviewed since {ed['date']}"
                 + (f": {', '.join(unreviewed)}" if unreviewed else "."))
    lines.append("Data points on weak copies, by theme (target: at most 10%):")
    for t, (w, n) in sorted(weak_shares(b).items()):
        lines.append(f"  {t}: {w} of {n} ({w / n:.0%})")
    return "\n".join(lines), len(untiered)
