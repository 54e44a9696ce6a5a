"""``nev-glossary``: the glossary from data/glossary.csv, as a Sphinx
glossary. Chapters link terms with ``{term}`dual-credit policy```; ``-n``
builds fail on a term that is not defined."""
from __future__ import annotations

from docutils import nodes

from ..data import Book
from ..text import prose_date
from .base import DataDirective, xref_to_source


class GlossaryDirective(DataDirective):

    def render(self, b: Book) -> list[nodes.Node]:
        from sphinx import addnodes
        from sphinx.domains.std import make_glossary_term

        sources = b.by_id("sources")
        glossary = addnodes.glossary()
        glossary["sorted"] = False  # already sorted by term
        dl = nodes.definition_list(classes=["glossary", "nev-glossary"])
        glossary += dl
        for g in sorted(b.rows("glossary"), key=lambda g: g["term"].lower().lstrip('"(')):
            item = nodes.definition_list_item()
            item += make_glossary_term(self.env, [nodes.Text(g["term"])], None, self.env.docname,
                                       self.lineno, node_id=f"term-{g['id']}",
                                       document=self.state.document)
            body = nodes.definition()
            if g.get("detail"):
                body += nodes.paragraph(text=g["detail"])
            body += nodes.paragraph(text=f"Chinese: {g['chinese']}")
            body += nodes.paragraph(text=f"In the translations: {g['wording_in_texts']}")
            used = nodes.paragraph(text="Used in: ")
            for i, sid in enumerate(sorted(g["source_ids"], key=lambda s: sources[s]["date"])):
                if i:
                    used += nodes.Text("; ")
                used += xref_to_source(sid, prose_date(sources[sid]["date"]))
            body += used
            if g["confidence"] != "high":
                body += nodes.paragraph(text=f"Confidence in this mapping: {g['confidence']}.")
            item += body
            dl += item
        return [glossary]


def setup(app) -> None:
    app.add_directive("nev-glossary", GlossaryDirective)
