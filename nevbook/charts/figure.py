"""The figure contract: :func:`figure` checks a chart against it and returns
a :class:`Figure`, which a notebook displays as self-contained HTML."""
from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass, field

import altair as alt
import pandas as pd

from .render import compile_vega, figure_html
from .style import WRAP


@dataclass
class Figure:
    """A finished chart: Vega spec plus the HTML around it."""

    id: str
    vegalite: dict
    vega: dict
    takeaway: str
    description: str
    data: pd.DataFrame
    source: str
    meta: dict = field(default_factory=dict)

    def _repr_html_(self) -> str:
        return figure_html(self.id, self.vega, takeaway=self.takeaway,
                           description=self.description, data=self.data)

    def _repr_mimebundle_(self, include=None, exclude=None):
        if os.environ.get("NEVBOOK_PLAIN_ALTAIR") == "1":
            # Benchmark only (scripts/bench.py): Altair's own default output for
            # this chart (vega-embed HTML that loads its scripts from a CDN).
            return alt.renderers.get()(self.vegalite)
        return {"text/html": self._repr_html_(),
                "text/plain": f"<Figure {self.id}: {self.takeaway}>"}


_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(" ".join(text.split()), width=width) or [""]


def _norm_unit(s: str) -> str:
    return s.lower().replace("per cent", "percent")


def source_line(data: pd.DataFrame) -> str:
    """'Source: <reporting bodies>' from the series in ``data``."""
    from ..data import book

    series = book().by_id("series")
    bodies: list[str] = []
    if "series_id" in data.columns:
        bodies = list(dict.fromkeys(series[s]["reporting_body"] for s in data["series_id"]))
    if not bodies:
        bodies = list(dict.fromkeys(data["publisher"]))
    return "Source: " + "; ".join(bodies) + ". Citations in the data table."


def figure(chart: alt.TopLevelMixin, *, id: str, title: str, subtitle: str,
           description: str, takeaway: str, data: pd.DataFrame,
           source: str | None = None) -> Figure:
    """Check the chart contract and return a :class:`Figure` for display."""
    problems = []
    if not _ID.match(id):
        problems.append(f"id {id!r} must be lower-case words joined by hyphens")
    for name, val in (("title", title), ("subtitle", subtitle),
                      ("description", description), ("takeaway", takeaway)):
        if not val or not val.strip():
            problems.append(f"{name} is empty")
    if "citation_id" not in data.columns or data["citation_id"].isna().any() or (data["citation_id"] == "").any():
        problems.append("every row of data needs a citation_id (no number without a source)")
    if "unit" in data.columns:
        missing = [u for u in data["unit"].dropna().unique() if _norm_unit(u) not in _norm_unit(subtitle)]
        if missing:
            problems.append(f"subtitle must name the unit(s) {missing}")
    if problems:
        raise ValueError(f"figure {id!r}: " + "; ".join(problems))
    # Every chart's data table shows how good a copy each value rests on; a
    # derived row that cites several inputs ("a;b") shows the weakest.
    from ..data import book

    tiers = {c["id"]: c["tier"] for c in book().rows("citations")}
    rank = ["primary", "relay", "weak"]

    def weakest(ids: str) -> str:
        found = [tiers.get(i) for i in str(ids).split(";")]
        return max((t for t in found if t), key=rank.index, default="")
    mapped = data["citation_id"].map(weakest)
    given = data["source_tier"] if "source_tier" in data.columns else mapped
    data = data.assign(source_tier=given.where(given.notna() & (given != ""), mapped))

    src = source or source_line(data)
    chart = chart.properties(
        title=alt.Title(_wrap(title, WRAP["title"]), subtitle=_wrap(subtitle, WRAP["subtitle"])),
        description=description,
        width="container",
    )
    vl = chart.to_dict()
    vg = compile_vega(vl, _wrap(src, WRAP["source"]))
    return Figure(id=id, vegalite=vl, vega=vg, takeaway=takeaway, description=description,
                  data=data.reset_index(drop=True), source=src)


