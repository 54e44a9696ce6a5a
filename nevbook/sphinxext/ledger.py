"""``nev-pledges``: the commitments of a theme (or of one statement), with
their status and evidence."""
from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives

from ..data import Book
from ..labels import speaker_name
from ..text import prose_date
from .base import DataDirective, xref_to_source
from .references import citation_link


class PledgesDirective(DataDirective):
    """Table of pledges for a theme: who, what, status, evidence, as of."""

    option_spec = {"theme": directives.unchanged, "source": directives.unchanged}

    def render(self, b: Book) -> list[nodes.Node]:
        # :theme: for a chapter; :source: for one statement (the synthesis).
        theme = self.theme(b, required=False)
        source = self.options.get("source")
        if source:
            self.lookup(b, "sources", source)
        rows = [p for p in b.rows("pledges")
                if (not theme or theme in p["themes"]) and (not source or p["source_id"] == source)]
        if not rows:
            # A new chapter before its commitments are in the ledger: the
            # chapter rules report it (`make check-chapter`).
            return [nodes.paragraph(text="No commitments of this theme are in the ledger yet.",
                                    classes=["nev-empty"])]
        sources, speakers, cites = b.by_id("sources"), b.by_id("speakers"), b.by_id("citations")

        def order(p):  # by statement, then by the priority's number ("2 of 5"), then id
            m = re.match(r"(\d+)", p.get("priority") or "")
            return (sources[p["source_id"]]["date"], int(m.group(1)) if m else 99, p["id"])
        rows.sort(key=order)
        table = nodes.table(classes=["nev-pledges"])
        widths = [22, 30, 12, 36]
        tgroup = nodes.tgroup(cols=len(widths))
        table += tgroup
        for w in widths:
            tgroup += nodes.colspec(colwidth=w)
        head = nodes.thead()
        tgroup += head
        hrow = nodes.row()
        for h in ("Who and when", "Commitment (our summary)", "Status", "What happened"):
            hrow += nodes.entry("", nodes.paragraph(text=h))
        head += hrow
        body = nodes.tbody()
        tgroup += body
        for p in rows:
            src = sources[p["source_id"]]
            sp = speakers[p["speaker_id"]]
            row = nodes.row(ids=[f"pledge-{p['id']}"])
            who = nodes.paragraph()
            who += nodes.Text(f"{speaker_name(sp)}, {prose_date(src['date'])} ")
            para = b.quote_paragraphs.get(p.get("quote_id") or "", (None,))[0]
            who += xref_to_source(p["source_id"], "(source)", para)
            row += nodes.entry("", who)
            row += nodes.entry("", nodes.paragraph(text=p["commitment"]))
            status = nodes.paragraph()
            status += nodes.inline(text=p["status"].replace("-", " "),
                                   classes=["nev-status", f"nev-status-{p['status']}"])
            row += nodes.entry("", status)
            ev = nodes.paragraph(text=p["evidence"] + " ")
            for i, cid in enumerate(p.get("citation_ids") or []):
                ev += nodes.Text("[" if i == 0 else "; ")
                ev += citation_link(cites[cid])
            if p.get("citation_ids"):
                ev += nodes.Text("]")
            ev += nodes.Text(f" As of {prose_date(p['as_of'])}.")
            row += nodes.entry("", ev)
            body += row
        return [table]


def setup(app) -> None:
    app.add_directive("nev-pledges", PledgesDirective)
