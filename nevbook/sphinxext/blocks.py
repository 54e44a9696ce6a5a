"""Blocks of the chapter layout that are not rendered from data/:
``nev-verdict``, the box that opens every chapter with the book's judgement
(BOOK.md §10)."""
from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class VerdictDirective(SphinxDirective):
    """```{nev-verdict}``` with the verdict as MyST content (glue allowed)."""

    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["nev-verdict"], ids=["verdict"])
        box += nodes.paragraph(text="Our verdict", classes=["nev-verdict-label"])
        self.state.nested_parse(self.content, self.content_offset, box)
        return [box]


def setup(app) -> None:
    app.add_directive("nev-verdict", VerdictDirective)
