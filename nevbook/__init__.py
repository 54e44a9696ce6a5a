"""Shared code for the NEV policy book.

What notebooks use (``import nevbook as nb``):

- data: ``nb.table``, ``nb.series``, ``nb.events``, ``nb.quoted_sources``,
  ``nb.source_date``, ``nb.cite`` (validated tables; a bad input raises
  ``nb.DataError`` naming file, line and id);
- prose: ``nb.glue_number`` and ``nb.glue_text`` (numbers into the text),
  ``nb.prose_date`` ("6 September 2022"), ``nb.prose_month``,
  ``nb.short_month``, ``nb.month_name``, ``nb.months_between``,
  ``nb.month_end``, ``nb.and_join``;
- ``nevbook.charts``: the chart builders and ``figure`` (the chart contract);
- ``nevbook.checks``: helpers for hidden check cells.

The package is laid out by layer; lower layers never import higher ones, and
nothing outside ``sphinxext`` imports Sphinx (BOOK.md §1):

- ``paths``, ``text``, ``validate``, ``quotes``, ``rules``, ``reads``,
  ``data``, ``glue``, ``checks``, ``labels``, ``chapter``: the domain;
- ``charts``: the chart toolkit (style, builders, figure, render);
- ``sphinxext``: the thin Sphinx layer (directives, roles, collector,
  assets, theme patches, execution);
- ``publish``: the PDF edition, the link report, the icon subset, Chromium;
- ``authoring``: ``make chapter`` and ``make check-chapter``.
"""
from .data import DataError, cite, events, quoted_sources, series, source_date, table  # noqa: F401
from .glue import glue_number, glue_text  # noqa: F401
from .text import (and_join, month_end, month_name, months_between, prose_date,  # noqa: F401
                   prose_month, short_month)

__all__ = ["DataError", "table", "series", "events", "quoted_sources", "source_date", "cite",
           "glue_text", "glue_number", "prose_date", "prose_month", "short_month", "month_name",
           "months_between", "month_end", "and_join"]
