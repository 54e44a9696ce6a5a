"""Glue computed numbers into prose without quote marks.

``myst_nb.glue`` shows a string through its ``repr`` (with quote marks); a
value glued through :func:`glue_text` renders as plain text wherever the prose
says ``{glue:text}`name```.
"""
from __future__ import annotations


class _Plain(str):
    def __repr__(self) -> str:  # what glue:text shows
        return str(self)

    def _repr_markdown_(self) -> str:  # what glue:md shows
        return str(self)


def glue_text(name: str, text: str) -> str:
    """Glue ``text`` (already formatted) under ``name``; return it."""
    from myst_nb import glue

    glue(name, _Plain(text), display=False)
    return text


def glue_number(name: str, value: float, fmt: str = ",.1f", suffix: str = "") -> str:
    """Format ``value`` with ``fmt`` (plus ``suffix``) and glue it."""
    return glue_text(name, f"{value:{fmt}}{suffix}")
