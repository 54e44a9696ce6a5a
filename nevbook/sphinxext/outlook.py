"""What others estimate and what to watch (BOOK.md §10):

- ``nev-estimates`` (``:theme:``): published estimates of whether the
  policies worked, each attributed (who, method, result, range, source);
- ``nev-milestones`` (``:theme:``, or all): dated milestones after the
  edition date, with the indicator to watch and what would confirm or
  contradict the statements' aims.
"""
from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives

from ..data import Book
from ..text import prose_date, prose_month
from .base import DataDirective, mark
from .references import citation_link


def _when(date: str) -> str:
    if len(date) == 10:
        return prose_date(date)
    if len(date) == 7:
        return prose_month(date)
    return date


def _number(x: float) -> str:
    return f"{x:,.10g}"


class EstimatesDirective(DataDirective):
    option_spec = {"theme": directives.unchanged}

    def render(self, b: Book) -> list[nodes.Node]:
        theme = self.theme(b)
        rows = sorted((e for e in b.rows("estimates") if theme in e["themes"]),
                      key=lambda e: (-(e.get("year") or 0), e["id"]))
        if not rows:
            return [nodes.paragraph(text="We found no published estimate of this policy's effect "
                                         "(the searches are in the notes).", classes=["nev-empty"])]
        cites = b.by_id("citations")
        out = nodes.bullet_list(classes=["nev-estimates"])
        for e in rows:
            para = nodes.paragraph()
            para += nodes.strong("", f"{e['author']}")
            para += nodes.Text(f" ({e.get('institution') + ', ' if e.get('institution') else ''}"
                               f"{e.get('year') or 'undated'}). ")
            para += nodes.emphasis("", e["question"])
            para += nodes.Text(f" {e['result']}")
            if e.get("low") is not None:
                rng = _number(e["low"]) + (f" to {_number(e['high'])}" if e.get("high") not in (None, e["low"]) else "")
                para += nodes.Text(f" Estimate: {rng} {e.get('unit') or ''}.".replace(" .", "."))
            para += nodes.Text(f" Method: {e['method'].rstrip('.')}.")
            if e.get("coverage"):
                para += nodes.Text(f" Covers {e['coverage'].rstrip('.')}.")
            para += nodes.Text(" [")
            para += citation_link(cites[e["citation_id"]])
            para += nodes.Text("]")
            out += nodes.list_item("", para, ids=[f"estimate-{e['id']}"])
        return [mark(out, citations=[e["citation_id"] for e in rows], anchored=False)]


class MilestonesDirective(DataDirective):
    option_spec = {"theme": directives.unchanged}

    def render(self, b: Book) -> list[nodes.Node]:
        theme = self.theme(b, required=False)
        rows = sorted((m for m in b.rows("milestones") if not theme or theme in m["themes"]),
                      key=lambda m: (m["date"], m["id"]))
        if not rows:
            return [nodes.paragraph(text="No dated milestone of this theme is known after the edition date.",
                                    classes=["nev-empty"])]
        cites = b.by_id("citations")
        themes = b.by_id("themes")
        out = nodes.bullet_list(classes=["nev-milestones"])
        for m in rows:
            para = nodes.paragraph()
            para += nodes.strong("", _when(m["date"]) + ". ")
            para += nodes.Text(m["what"] + " ")
            para += nodes.Text(f"Watch: {m['indicator'].rstrip('.')}. ")
            para += nodes.Text(f"Would confirm the aims: {m['confirms'].rstrip('.')}. ")
            para += nodes.Text(f"Would contradict them: {m['contradicts'].rstrip('.')}.")
            if not theme:
                para += nodes.Text(" (" + ", ".join(themes[t]["title"] for t in m["themes"] if t in themes) + ".)")
            para += nodes.Text(" [")
            para += citation_link(cites[m["citation_id"]])
            para += nodes.Text("]")
            out += nodes.list_item("", para, ids=[f"milestone-{m['id']}"])
        return [mark(out, citations=[m["citation_id"] for m in rows], anchored=False)]


def setup(app) -> None:
    app.add_directive("nev-estimates", EstimatesDirective)
    app.add_directive("nev-milestones", MilestonesDirective)
