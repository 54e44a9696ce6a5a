"""``nev-freshness`` (``:theme:``): when the chapter was last reviewed, and
each of its series' latest period and next release (BOOK.md §9)."""
from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from ..data import Book, edition
from ..freshness import latest
from ..text import prose_date, prose_month
from .base import DataDirective


def _period(p: str) -> str:
    return prose_date(p) if len(p) == 10 else prose_month(p) if len(p) == 7 else p


class FreshnessDirective(DataDirective):
    option_spec = {"theme": directives.unchanged, "series": directives.unchanged}

    def render(self, b: Book) -> list[nodes.Node]:
        theme = self.theme(b)
        t = b.by_id("themes")[theme]
        ed = edition()
        box = nodes.container(classes=["nev-freshness"])
        head = nodes.paragraph()
        if t.get("reviewed"):
            head += nodes.Text(f"Reviewed on {prose_date(t['reviewed'])} for the {_ordinal(ed['edition'])} "
                               f"edition ({prose_date(ed['date'])}). ")
        else:
            head += nodes.Text("Not yet reviewed for this edition. ")
        ids = [s["id"] for s in b.rows("series") if s["theme"] == theme]
        ids += [s for s in (self.options.get("series") or "").split() if s not in ids]
        series = b.by_id("series")
        lasts = []
        for sid in ids:
            if sid not in series:
                return self.warn(f"unknown series '{sid}' (not in data/series.csv)")
            last = latest(sid)
            if last is not None:
                lasts.append((sid, last))
        if lasts:
            newest = max(p for _, p in lasts)
            head += nodes.Text(f"Its {len(lasts)} series run to {_period(newest)} at the latest; "
                               "each one's latest figure and next release are listed here.")
            box += head
            items = nodes.bullet_list()
            for sid, last in sorted(lasts, key=lambda x: series[x[0]]["title"].lower()):
                s = series[sid]
                text = f"{s['title']}: to {_period(last)}" + (f"; next: {s['next_release']}" if s.get("next_release") else "")
                items += nodes.list_item("", nodes.paragraph(text=text))
            details = nodes.container(classes=["nev-freshness-list"])
            details += items
            box += nodes.raw("", '<details class="nev-freshness-details"><summary>Latest figures</summary>',
                             format="html")
            box += details
            box += nodes.raw("", "</details>", format="html")
        else:
            box += head
        return [box]


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(n, f"{n}th")


def setup(app) -> None:
    app.add_directive("nev-freshness", FreshnessDirective)
