"""``nev-quote``: a verbatim quote, attributed and linked to the paragraph of
its source text where it stands."""
from __future__ import annotations

from docutils import nodes

from ..data import Book
from ..labels import attribution, paragraphs_label
from .base import DataDirective, mark, xref_to_source


class QuoteDirective(DataDirective):
    """```{nev-quote} quote-id```"""

    required_arguments = 1
    has_content = False

    def render(self, b: Book) -> list[nodes.Node]:
        qid = self.arguments[0]
        q = self.lookup(b, "quotes", qid)
        # The anchor source pages link back to ("quoted in"): a quote shown
        # twice on one page is anchored once.
        seen = self.env.temp_data.setdefault("nevbook_quotes_here", set())
        first_use = qid not in seen
        seen.add(qid)
        quote = nodes.block_quote(classes=["nev-quote"], ids=[f"quote-{qid}"] if first_use else [])
        mark(quote, quote=qid)
        quote += nodes.paragraph(text=f"\u201c{q['text']}\u201d")
        attr = nodes.paragraph(classes=["attribution"])
        attr += nodes.Text("\u2014 " + attribution(b, q) + " ")
        first, last = b.quote_paragraphs.get(qid, (0, 0))
        attr += xref_to_source(q["source_id"], f"Source text, {paragraphs_label(first, last)}", first)
        quote += attr
        if q.get("note"):
            quote += nodes.paragraph(text=f"Note: {q['note']}", classes=["attribution"])
        return [quote]


def setup(app) -> None:
    app.add_directive("nev-quote", QuoteDirective)
