"""Shared code for the NEV policy book.

Notebooks use four things from here:

- ``nevbook.data``: load validated tables (``table``, ``series``) and the
  ``DataError`` raised when an input is wrong (it names file, line and id);
- ``nevbook.charts``: the house chart builders and ``figure``, which turns an
  Altair chart into a self-contained, offline, accessible figure;
- ``nevbook.checks``: helpers for hidden check cells (``text_states``);
- ``nevbook.glue_text``: glue a formatted number into the prose.

The Sphinx extension ``nevbook.sphinxext`` renders quotes, pledges, sources
and citations from the same data, and serves the chart runtime locally.
"""
from .data import DataError, series, table  # noqa: F401
from .glue import glue_number, glue_text  # noqa: F401

__all__ = ["DataError", "series", "table", "glue_text", "glue_number"]
