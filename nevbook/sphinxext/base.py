"""What every directive and role of the book shares: the validated data, the
id look-up with its warning, links to source paragraphs, and the marker the
environment collector reads (:mod:`.collector`)."""
from __future__ import annotations

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..data import Book, DataError, book
from ..labels import source_label

logger = logging.getLogger("nevbook")

# Attribute set on every node the book renders from data/: the collector
# makes the page depend on data/ and collects what the node names.
DATA = "nevbook_data"


class NotFound(Exception):
    """An id that is not in its table (already reported as a warning)."""


def mark(node: nodes.Element, **what) -> nodes.Element:
    """Mark ``node`` as rendered from data/, with what the collector needs
    (``quote=id``, ``citations=[ids]``, ``source=id``, ``references=True``)."""
    node[DATA] = dict(what)
    return node


def xref_to_source(source_id: str, text: str, paragraph: int | None = None) -> nodes.Node:
    """A link to a statement's page, or to one of its paragraphs."""
    from sphinx.addnodes import pending_xref

    ref = pending_xref("", refdomain="std", reftype="ref",
                       reftarget=source_label(source_id, paragraph),
                       refexplicit=True, refwarn=True)
    ref += nodes.inline(text, text)
    return ref


def xref(target: str, text: str, classes: list[str] | None = None, title: str = "") -> nodes.Node:
    """A link to any label in the book (``ref-<citation>``, ``record-<id>``)."""
    from sphinx.addnodes import pending_xref

    ref = pending_xref("", refdomain="std", reftype="ref", reftarget=target,
                       refexplicit=True, refwarn=True)
    ref += nodes.inline("", text, classes=classes or [])
    if title:
        ref["reftitle"] = title
    return ref


class DataDirective(SphinxDirective):
    """A directive that renders from data/. ``run`` calls :meth:`render`
    with the validated data; a bad id or invalid data is one warning
    naming the file and the id (``-W`` makes it an error), and no output."""

    def run(self) -> list[nodes.Node]:
        try:
            b = book()
        except DataError as exc:
            return self.warn(str(exc))
        try:
            out = self.render(b)
        except NotFound:
            return []
        for node in out:
            if isinstance(node, nodes.Element) and DATA not in node:
                mark(node)
        return out

    def render(self, b: Book) -> list[nodes.Node]:  # pragma: no cover - abstract
        raise NotImplementedError

    def warn(self, msg: str) -> list[nodes.Node]:
        logger.warning(msg, location=self.get_location(), type="nevbook", subtype="data")
        return []

    def lookup(self, b: Book, table: str, key: str, what: str | None = None) -> dict:
        """The row of ``table`` with id ``key``; warns and raises NotFound if absent."""
        row = b.by_id(table).get(key)
        if row is None:
            self.warn(f"unknown {what or table[:-1] + ' id'} '{key}' (not in data/{table}.csv)")
            raise NotFound(key)
        return row

    def theme(self, b: Book, required: bool = True) -> str | None:
        """The ``:theme:`` option, checked against data/themes.csv."""
        theme = self.options.get("theme")
        if theme is None and not required:
            return None
        self.lookup(b, "themes", theme or "", "theme")
        return theme
