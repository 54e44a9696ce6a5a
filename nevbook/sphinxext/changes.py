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

        # Series, by chapter (collapsed: the list is long)
        series = b.by_id("series")
        titles = b.by_id("themes")
        then = {r["series_id"]: r["latest_period"] for r in b.rows("edition1_series")}
        added: dict[str, list[str]] = {}
        extended: dict[str, list[str]] = {}
        for sid, s in sorted(series.items(), key=lambda x: x[1]["title"].lower()):
            now = latest(sid)
            if now is None:
                continue
            body = s["reporting_body"]
            name = s["title"] if f"({body})" in s["title"] else f"{s['title']} ({body})"
            if sid not in then:
                added.setdefault(s["theme"], []).append(f"{name}, to {now}")
            elif now > then[sid]:
                extended.setdefault(s["theme"], []).append(f"{s['title']}, from {then[sid]} to {now}")
        dropped = sorted(set(then) - set(series))
        n_added, n_extended = (sum(map(len, d.values())) for d in (added, extended))
        out.append(nodes.rubric(text="Series"))
        out.append(nodes.paragraph(text=(
            f"{n_added} series added and {n_extended} extended since the first edition"
            + (f"; {len(dropped)} dropped (their figures rested on weak copies or were superseded)" if dropped else "")
            + ". By chapter (added, extended): "
            + "; ".join(f"{titles[t]['title']} {len(added.get(t, []))}, {len(extended.get(t, []))}"
                        for t in sorted(set(added) | set(extended), key=lambda t: titles[t]["title"]))
            + ".")))
        for label, groups in (("Series added", added), ("Series extended", extended)):
            if not groups:
                continue
            out.append(nodes.raw("", f'<details class="nev-changes-details"><summary>{label}, by chapter</summary>',
                                 format="html"))
            for t in sorted(groups, key=lambda t: titles[t]["title"]):
                p = nodes.paragraph(classes=["nev-changes-group"])
                p += nodes.strong("", f"{titles[t]['title']} ({len(groups[t])}). ")
                p += nodes.Text("; ".join(groups[t]) + ".")
                out.append(p)
            out.append(nodes.raw("", "</details>", format="html"))

        # Judgements: where the first edition's statuses went
        hist = [h for h in b.rows("history") if h["field"] == "status" and h["date"] >= ed["date"]]
        was = {h["record_id"]: [o for o in (h.get("old") or "").split(";") if o] for h in hist}
        now = {c["id"]: ledger.headline(c["action"], c["outcome"]) for c in b.rows("commitments")}
        kept = [r for r, olds in was.items() if olds and set(olds) == {now.get(r)}]
        fresh = [r for r, olds in was.items() if not olds]
        to_claims = sum(len(c.get("replaces") or []) for c in b.rows("claims"))
        went: dict[str, Counter] = {}
        for r, olds in was.items():
            for o in olds:
                went.setdefault(o, Counter())[now.get(r, "?")] += 1
        counts = ledger.counts(b.rows("commitments"))
        out.append(nodes.rubric(text="Judgements"))
        para = nodes.paragraph()
        para += nodes.Text(
            f"The ledger was rebuilt: {sum(map(len, was.values()))} of the first edition's pledges are now "
            f"{len(b.rows('commitments'))} commitments (a sentence gives one record, so pledges drawn from one "
            f"sentence were merged; {len(fresh)} new), each judged on action and outcome; {to_claims} became "
            f"claims or forecasts, which are checked apart ({len(b.rows('claims'))} in all). Headline statuses now: "
            + "; ".join(f"{ledger.STATUS_LABEL[s]} {n}" for s, n in counts.items() if n)
            + f". Judged again, {len(kept)} commitments kept the first edition's status and "
              f"{len(was) - len(kept) - len(fresh)} changed. Where the first edition's statuses went: ")
        para += nodes.Text("; ".join(
            f"{o.replace('-', ' ')} ({sum(c.values())}) to "
            + ", ".join(f"{ledger.STATUS_LABEL.get(n, n)} {k}" for n, k in c.most_common())
            for o, c in sorted(went.items(), key=lambda x: -sum(x[1].values()))) + ". ")
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
