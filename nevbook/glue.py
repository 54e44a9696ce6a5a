"""Glue computed numbers into prose.

``{glue:text}`name``` renders the glued value's ``text/plain`` output after
passing it through ``ast.literal_eval`` (MyST-NB strips a string's quotes that
way). Plain text such as ``1,204`` would come out as the tuple ``(1, 204)``,
so the text is stored as a Python string literal, which evaluates back to
exactly the text. A test guards this.
"""
from __future__ import annotations


class _Plain(str):
    def __repr__(self) -> str:  # text/plain: a literal that evaluates to the text
        return repr(str(self))

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
