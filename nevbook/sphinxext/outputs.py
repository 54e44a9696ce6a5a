"""Bounded notebook outputs: a cell that prints a huge or one very long line
is truncated on the page, with a warning naming the notebook and the cell
(``-W`` makes it fail the build), in time linear in the output's size.

MyST-NB's default renderer, selected in ``_config.yml`` as
``nb_render_plugin: nevbook`` (entry point ``myst_nb.renderers``), with
limits. A chapter prints nothing: its outputs are figures, tables and glue.
"""
from __future__ import annotations

from myst_nb.core.render import MimeData, NbElementRenderer

MAX_TEXT = 50_000  # characters of one text output (stdout, stderr, text/plain)
MAX_HTML = 1_000_000  # characters of one HTML output (a figure is some 30,000)


class BoundedRenderer(NbElementRenderer):

    def _bounded(self, text: str, cell_index: int, what: str, limit: int) -> str:
        if len(text) <= limit:
            return text
        longest = max((len(line) for line in text.split("\n")), default=0)
        self.logger.warning(
            f"cell {cell_index + 1} prints {len(text):,} characters of {what} (its longest line "
            f"{longest:,}); a notebook's outputs are limited to {limit:,}: the page shows the first "
            f"{limit:,}. Remove the print, or write the data to a file",
            subtype="output")
        return text[:limit] + f"\n… [cut: {len(text) - limit:,} more characters]"

    def render_stdout(self, output, cell_metadata, cell_index, source_line):
        output = dict(output, text=self._bounded(output["text"], cell_index, "output", MAX_TEXT))
        return super().render_stdout(_Node(output), cell_metadata, cell_index, source_line)

    def render_stderr(self, output, cell_metadata, cell_index, source_line):
        output = dict(output, text=self._bounded(output["text"], cell_index, "error output", MAX_TEXT))
        return super().render_stderr(_Node(output), cell_metadata, cell_index, source_line)

    def render_text_plain(self, data: MimeData):
        text = self._bounded(data.string, data.cell_index, "text", MAX_TEXT)
        return super().render_text_plain(_replace(data, text))

    def render_text_html(self, data: MimeData):
        text = self._bounded(data.string, data.cell_index, "HTML", MAX_HTML)
        return super().render_text_html(_replace(data, text))


class _Node(dict):
    """A stream output as MyST-NB reads it (keys and attributes)."""

    __getattr__ = dict.get


def _replace(data: MimeData, text: str) -> MimeData:
    import dataclasses

    return dataclasses.replace(data, content=text) if text != data.string else data
