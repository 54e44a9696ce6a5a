"""``nev-changes``: what changed in this edition, generated from the data
(BOOK.md §10): the edition date, chapters added, series added or extended
since the first edition, judgements changed (the ledger's history) and
corrections made."""
from __future__ import annotations

from collections import Counter

from docutils import nodes

from .. import ledger
from ..data import Book, edition
from ..freshness import latest
from ..text import prose_date
from .base import DataDirective, xref
from .references import citation_link


def _list(items: list[nodes.Node], classes: list[str] | None = None) -> nodes.bullet_list:
    out = nodes.bullet_list(classes=classes or [])
    for it in items:
        out += nodes.list_item("", it if isinstance(it, nodes.paragraph) else nodes.paragraph("", "", it))
    return out


class ChangesDirective(DataDirective):

    def render(self, b: Book) -> list[nodes.Node]:
        ed = edition()
        first = min(b.rows("editions"), key=lambda e: e["edition"])
        out: list[nodes.Node] = []
        lead = nodes.paragraph()
        lead += nodes.Text(f"This is edition {ed['edition']}, {ed['title'].lower()}, dated {prose_date(ed['date'])}: "
                           f"every chapter is current to that date. Edition {first['edition']} was dated "
                           f"{prose_date(first['date'])}. {ed.get('note') or ''}")
        out.append(lead)

        # Chapters added
        # (the first edition named files with underscores: dual_credit is dual-credit)
        old = {r["docname"].replace("_", "-") for r in b.rows("edition1_chapters")}
        themes = [t for t in b.rows("themes") if t["chapter"] == f"notebooks/{t['id']}"]
        new = [t for t in themes if t["chapter"] not in old]
        out.append(nodes.rubric(text="Chapters added"))
        out.append(_list([self._doc(t["chapter"], t["title"]) for t in new]) if new
                   else nodes.paragraph(text="None."))

        # Series
        series = b.by_id("series")
        then = {r["series_id"]: r["latest_period"] for r in b.rows("edition1_series")}
        added, extended = [], []
        for sid, s in sorted(series.items(), key=lambda x: x[1]["title"].lower()):
            now = latest(sid)
            if now is None:
                continue
            if sid not in then:
                added.append(f"{s['title']} ({s['reporting_body']}), to {now}")
            elif now > then[sid]:
                extended.append(f"{s['title']}: from {then[sid]} to {now}")
        dropped = sorted(set(then) - set(series))
        out.append(nodes.rubric(text="Series"))
        summary = nodes.paragraph(text=(
            f"{len(added)} series added and {len(extended)} extended since the first edition"
            + (f"; {len(dropped)} dropped (their figures rested on weak copies or were superseded)" if dropped else "")
            + "."))
        out.append(summary)
        for title, items in (("Added", added), ("Extended", extended)):
            if items:
                out.append(nodes.paragraph("", "", nodes.strong("", title)))
                out.append(_list([nodes.paragraph(text=i) for i in items], ["nev-changes-list"]))

        # Judgements
        hist = [h for h in b.rows("history") if h["field"] == "status" and h["date"] >= ed["date"]]
        moves = Counter()
        for h in hist:
            for old in (h.get("old") or "none").split(";"):
                moves[(old, h["new"])] += 1
        out.append(nodes.rubric(text="Judgements"))
        counts = ledger.counts(b.rows("commitments"))
        para = nodes.paragraph()
        para += nodes.Text(
            f"The ledger was rebuilt: {len(b.rows('commitments'))} commitments, each judged on action and outcome, "
            f"and {len(b.rows('claims'))} claims and forecasts, checked. Headline statuses now: "
            + "; ".join(f"{ledger.STATUS_LABEL[s]} {n}" for s, n in counts.items() if n)
            + f". {len(hist)} records log a change of status in this edition, against the first edition's "
              "statuses (first edition, then this one): ")
        para += nodes.Text("; ".join(f"{o.replace('-', ' ')} to {ledger.STATUS_LABEL.get(n, n)}: {k}"
                                     for (o, n), k in sorted(moves.items(), key=lambda x: -x[1])) + ". ")
        para += nodes.Text("Each record's history, with the reason, is on ")
        para += xref("the-tracker", "the tracker")
        para += nodes.Text(".")
        out.append(para)

        # Corrections
        corr = sorted(b.rows("corrections"), key=lambda c: (c["themes"][0], c["id"]))
        out.append(nodes.rubric(text="Corrections"))
        if not corr:
            out.append(nodes.paragraph(text="None recorded."))
        else:
            cites = b.by_id("citations")
            titles = b.by_id("themes")
            items = []
            for c in corr:
                p = nodes.paragraph()
                p += nodes.strong("", ", ".join(titles[t]["title"] for t in c["themes"]) + ". ")
                p += nodes.Text(f"The first edition said {c['was'].rstrip('.')}. Now: {c['now'].rstrip('.')}.")
                for i, cid in enumerate(c.get("citation_ids") or []):
                    p += nodes.Text(" [" if i == 0 else "; ")
                    p += citation_link(cites[cid])
                if c.get("citation_ids"):
                    p += nodes.Text("]")
                items.append(p)
            out.append(_list(items, ["nev-corrections"]))
        return out

    def _doc(self, docname: str, title: str) -> nodes.paragraph:
        from sphinx.addnodes import pending_xref

        ref = pending_xref("", refdomain="std", reftype="doc", reftarget="/" + docname, refexplicit=False,
                           refwarn=True)
        ref += nodes.inline("", title)  # replaced by the chapter's own title
        return nodes.paragraph("", "", ref)


def setup(app) -> None:
    app.add_directive("nev-changes", ChangesDirective)
