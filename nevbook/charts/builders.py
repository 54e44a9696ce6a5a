"""Chart builders: one function a kind of chart, each returning an Altair
chart in the house style with formatted tooltips. Wrap the result in
:func:`nevbook.charts.figure`, which adds the title, the source line and the
rest of the chart contract."""
from __future__ import annotations

import altair as alt
import pandas as pd

from .style import CELL_INK_FLIP, CELL_INK_ON_DARK, CELL_INK_ON_LIGHT, INK, MUTED, PALETTE


def _tooltip(fields: list[tuple[str, str, str | None]]) -> list[alt.Tooltip]:
    out = []
    for name, title, fmt in fields:
        if fmt:
            out.append(alt.Tooltip(name, title=title, format=fmt))
        else:
            out.append(alt.Tooltip(name, title=title))
    return out


def _lines(text: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False) or [str(text)]


def wrapped(values, width: int) -> str | None:
    """A Vega ``labelExpr`` that draws long category labels on several lines
    (each at most ``width`` characters), so that no label is cut by its
    limit; None when every label fits on one line."""
    import json

    long = {str(v): _lines(v, width) for v in dict.fromkeys(values) if len(str(v)) > width}
    if not long:
        return None
    return f"({json.dumps(long, ensure_ascii=False, sort_keys=True)})[datum.label] || datum.label"


def _row_height(values, width: int, base: int) -> int:
    """Height of one row of a categorical axis whose labels wrap at ``width``
    characters: room for the tallest label (12 px a line)."""
    most = max((len(_lines(v, width)) for v in values), default=1)
    return max(base, 12 * most + 8)


def _axis(values, width: int, **kwargs) -> alt.Axis:
    expr = wrapped(values, width)
    return alt.Axis(labelExpr=expr, **kwargs) if expr else alt.Axis(**kwargs)


def _legend(values, width: int = 34, **kwargs):
    expr = wrapped(values, width)
    return alt.Legend(labelExpr=expr, **kwargs) if expr else (alt.Legend(**kwargs) if kwargs else alt.Undefined)


def _cols(df: pd.DataFrame, *names: str | None) -> pd.DataFrame:
    keep = [n for n in dict.fromkeys(names) if n]
    missing = [n for n in keep if n not in df.columns]
    if missing:
        raise KeyError(f"columns {missing} not in the data (have {list(df.columns)})")
    return df[keep].copy()


def lines(df: pd.DataFrame, *, x: str = "period", y: str = "value", color: str = "series",
          y_title: str, fmt: str = ",.1f", x_title: str | None = None,
          dash: str | None = None, points: bool = True, y_zero: bool = True,
          year_axis: bool = False) -> alt.Chart:
    """One line per ``color`` over ``x`` (years as ordinal labels).

    ``year_axis=True`` puts years on a true scale instead, so a run of missing
    years shows as a gap: lines join consecutive years only, and a point marks
    every value."""
    data = _cols(df, x, y, color, dash, "unit", "publisher")
    order = list(dict.fromkeys(data[color]))  # the author's order, before any sorting
    if year_axis:
        data["_year"] = data[x].astype(int)
        data = data.sort_values([color, "_year"]).reset_index(drop=True)
        step = data.groupby(color, sort=False)["_year"].diff().fillna(1)
        data["_run"] = (step != 1).astype(int).groupby(data[color]).cumsum()
        data["_run"] = data[color].astype(str) + "/" + data["_run"].astype(str)
    enc = dict(
        x=(alt.X("_year:Q", title=x_title, scale=alt.Scale(zero=False, nice=False, padding=12),
                 axis=alt.Axis(format="d", tickMinStep=1, labelOverlap=True)) if year_axis else
           alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelOverlap=True))),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=y_zero)),
        color=alt.Color(f"{color}:N", title=None, sort=order, legend=_legend(order)),
        tooltip=_tooltip([(f"{color}:N", "Series", None), (f"{x}:O", "Period", None),
                          (f"{y}:Q", "Value", fmt), ("unit:N", "Unit", None),
                          ("publisher:N", "Source", None)]),
    )
    if dash:
        dashes = list(dict.fromkeys(data[dash]))
        enc["strokeDash"] = alt.StrokeDash(f"{dash}:N", title=None, sort=dashes, legend=None)
    if year_axis:
        base = alt.Chart(data).encode(**enc)
        return alt.layer(base.mark_line().encode(detail="_run:N"),
                         base.mark_point(filled=True, size=40))
    return alt.Chart(data).mark_line(point=points).encode(**enc)


def bars(df: pd.DataFrame, *, x: str = "period", y: str = "value", color: str = "series",
         y_title: str, fmt: str = ",.1f", x_title: str | None = None,
         stack: bool = False, colors: dict[str, str] | None = None,
         x_order: list | None = None) -> alt.Chart:
    """Bars per ``x``: grouped by ``color`` side by side, or stacked (``stack=True``,
    e.g. a mix of chemistries that adds up to a total). ``colors`` fixes a
    colour for each value of ``color`` (e.g. the ledger's statuses), in that order;
    ``x_order`` the order of the bars (default: sorted)."""
    data = _cols(df, x, y, color, "unit", "publisher")
    order = list(dict.fromkeys(data[color]))
    if colors:
        order = [k for k in colors if k in set(order)] + [k for k in order if k not in colors]
        scale = alt.Scale(domain=order, range=[colors.get(k, PALETTE[-1]) for k in order])
    else:
        scale = alt.Undefined
    enc = dict(
        x=alt.X(f"{x}:O", title=x_title, sort=x_order if x_order else alt.Undefined,
                axis=_axis(data[x], 10) if data[x].astype(str).str.len().max() > 10 else alt.Undefined),
        y=alt.Y(f"{y}:Q", title=y_title, stack="zero" if stack else None),
        color=alt.Color(f"{color}:N", title=None, sort=order, scale=scale, legend=_legend(order)),
        tooltip=_tooltip([(f"{color}:N", "Series", None), (f"{x}:O", "Period", None),
                          (f"{y}:Q", "Value", fmt), ("unit:N", "Unit", None),
                          ("publisher:N", "Source", None)]),
    )
    if stack:
        data["_order"] = data[color].map({c: i for i, c in enumerate(order)})
        enc["order"] = alt.Order("_order:Q", sort="ascending")
    else:
        enc["xOffset"] = alt.XOffset(f"{color}:N", sort=order)
    return alt.Chart(data).mark_bar().encode(**enc)


def _when(df: pd.DataFrame, date: str) -> pd.Series:
    # Dates may be YYYY, YYYY-MM or YYYY-MM-DD (the events schema allows all three).
    return pd.to_datetime(df[date].astype(str), format="mixed").dt.strftime("%Y-%m-%d")


def _mark_layers(marks: pd.DataFrame, date: str, mark_label: str) -> list:
    """Dashed vertical rules with labels (e.g. the dates of the statements)."""
    m = _cols(marks, date, mark_label)
    m["when"] = _when(m, date)
    rule = alt.Chart(m).encode(
        x="when:T",
        tooltip=_tooltip([(f"{mark_label}:N", "Marked", None), ("when:T", "Date", "%d %B %Y")]))
    return [
        rule.mark_rule(strokeDash=[4, 3], color=MUTED),
        # The label runs down beside its line, from the top of the plot.
        rule.mark_text(angle=90, align="left", baseline="bottom", dx=3, dy=-2,
                       fontSize=10, color=MUTED).encode(y=alt.value(0), text=f"{mark_label}:N"),
    ]


def statement_marks(source_ids=None, merge_days: int = 45) -> pd.DataFrame:
    """The dates of the five statements (or of ``source_ids``) as ``marks``:
    columns ``date``, ``label`` ("Feb 2022 SCIO") and ``source_id``.

    Statements less than ``merge_days`` apart share one line (labels such as
    "Feb–Mar 2022 SCIO, EV100"), since their lines would overlap on a
    multi-year axis."""
    from ..data import table

    src = table("sources")
    if source_ids is not None:
        src = src[src["id"].isin(list(source_ids))]
    short = {"scio": "SCIO", "miit-qa": "MIIT Q&A", "ev100": "EV100", "miit": "MIIT"}
    src = src.assign(when=pd.to_datetime(src["date"]),
                     kind=src["id"].str.replace(r"-\d{4}(-\d\d-\d\d)?$", "", regex=True).map(short))
    src = src.sort_values("when")
    groups: list[list] = []
    for row in src.itertuples():
        if groups and (row.when - groups[-1][-1].when).days < merge_days:
            groups[-1].append(row)
        else:
            groups.append([row])
    out = []
    for g in groups:
        first, last = g[0].when, g[-1].when
        if first.strftime("%b %Y") == last.strftime("%b %Y"):
            when = first.strftime("%b %Y")
        elif first.year == last.year:
            when = f"{first:%b}\u2013{last:%b %Y}"
        else:
            when = f"{first:%b %Y}\u2013{last:%b %Y}"
        out.append({"date": g[0].date, "label": f"{when} " + ", ".join(r.kind for r in g),
                    "source_id": ";".join(r.id for r in g)})
    return pd.DataFrame(out, columns=["date", "label", "source_id"])


def points(df: pd.DataFrame, *, date: str = "date", y: str = "value", color: str = "series",
           y_title: str, fmt: str = ",.1f", connect: bool = False,
           marks: pd.DataFrame | None = None, mark_label: str = "label",
           y_zero: bool = True) -> alt.Chart:
    """Dated values on a true time axis (irregular dates, e.g. spot prices),
    one colour and shape per ``color`` (e.g. the assessor). ``connect`` joins
    the points of each colour; never join different assessors into one line.
    ``marks`` as in :func:`timeline`."""
    data = _cols(df, date, y, color, "unit", "publisher")
    data["when"] = _when(data, date)
    order = list(dict.fromkeys(data[color]))
    enc = dict(
        x=alt.X("when:T", title=None, scale=alt.Scale(padding=10),
                axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True, labelFlush=True, labelBound=True)),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=y_zero)),
        color=alt.Color(f"{color}:N", title=None, scale=alt.Scale(domain=order), legend=_legend(order)),
        tooltip=_tooltip([(f"{color}:N", "Series", None), ("when:T", "Date", "%d %B %Y"),
                          (f"{y}:Q", "Value", fmt), ("unit:N", "Unit", None),
                          ("publisher:N", "Source", None)]),
    )
    # Colour and shape on the same field with the same explicit domain, in every
    # layer: one legend, not two. (A `sort` array would not do: Vega-Lite sorts
    # each channel by its own computed field, and the two legends stay apart.)
    enc["shape"] = alt.Shape(f"{color}:N", title=None, scale=alt.Scale(domain=order))
    base = alt.Chart(data).encode(**enc)
    layers = []
    if connect:
        layers.append(base.mark_line(strokeWidth=1.5, opacity=0.7))
    layers.append(base.mark_point(size=60, filled=True))
    if marks is not None:
        layers[:0] = _mark_layers(marks, date, mark_label)
    return alt.layer(*layers)


def ranges(df: pd.DataFrame, *, label: str = "label", low: str = "low", high: str = "high",
           value: str | None = None, color: str | None = None, x_title: str,
           fmt: str = ",.0f", order: list | None = None) -> alt.Chart:
    """Horizontal ranges, one row per ``label``: a bar from ``low`` to ``high``
    (bounds, estimates that only exist as intervals) and, where ``value`` is
    given, a point. Rows with low == high show as a point."""
    data = _cols(df, label, low, high, value, color, "unit", "publisher")
    sort = order or list(dict.fromkeys(data[label]))
    tips = [(f"{label}:N", "Estimate", None), (f"{low}:Q", "From", fmt), (f"{high}:Q", "To", fmt),
            ("unit:N", "Unit", None), ("publisher:N", "Source", None)]
    enc = dict(y=alt.Y(f"{label}:N", title=None, sort=sort, axis=_axis(sort, 22, labelLimit=170)),
               tooltip=_tooltip(tips))
    col = alt.Color(f"{color}:N", title=None) if color else alt.value(PALETTE[0])
    base = alt.Chart(data).encode(**enc)
    layers = [
        base.mark_bar(height=10, cornerRadius=5, opacity=0.85).encode(
            x=alt.X(f"{low}:Q", title=x_title), x2=f"{high}:Q", color=col),
        base.mark_tick(thickness=2, size=16).encode(x=f"{low}:Q", color=col),
        base.mark_tick(thickness=2, size=16).encode(x=f"{high}:Q", color=col),
    ]
    if value:
        layers.append(base.mark_point(size=70, filled=True, color=INK).encode(x=f"{value}:Q"))
    return alt.layer(*layers).properties(height=max(100, _row_height(sort, 22, 30) * len(sort)))


def matrix(df: pd.DataFrame, *, x: str, y: str, value: str | None = None,
           x_title: str | None = None, color_title: str | None = None,
           x_order: list | None = None, y_order: list | None = None,
           fmt: str = ",.0f") -> alt.Chart:
    """A grid of ``y`` rows by ``x`` columns (cities by programme, themes by
    statement). With ``value``, cells are shaded and labelled by it; without,
    a dot marks each (x, y) pair present in the data."""
    data = _cols(df, x, y, value, "publisher")
    xs = x_order or list(dict.fromkeys(data[x]))
    ys = y_order or list(dict.fromkeys(data[y]))
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=xs,
                axis=alt.Axis(orient="top", labelAngle=-90, labelAlign="left", labelBaseline="middle",
                              labelLimit=120, domain=False, ticks=False)),
        y=alt.Y(f"{y}:N", title=None, sort=ys, axis=_axis(ys, 22, labelLimit=170, domain=False, ticks=False)),
    )
    tips = [(f"{y}:N", "Row", None), (f"{x}:N", "Column", None)]
    if value:
        tips.append((f"{value}:Q", color_title or "Value", fmt))
        layers = [
            base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
                color=alt.Color(f"{value}:Q", title=color_title,
                                scale=alt.Scale(scheme="blues", domainMin=0),
                                legend=alt.Legend(orient="bottom", direction="horizontal")),
                tooltip=_tooltip(tips)),
            # Cell labels: white on dark cells, black on light ones. These two
            # exact colours are exempt from the dark-mode recolouring (nevbook.css).
            base.mark_text(fontSize=11).encode(
                text=alt.Text(f"{value}:Q", format=fmt),
                color=alt.condition(f"datum['{value}'] > {float(data[value].max()) * CELL_INK_FLIP}",
                                    alt.value(CELL_INK_ON_DARK), alt.value(CELL_INK_ON_LIGHT)),
                tooltip=_tooltip(tips)),
        ]
    else:
        layers = [base.mark_point(size=90, filled=True, color=PALETTE[0]).encode(tooltip=_tooltip(tips))]
    return alt.layer(*layers).properties(height=max(100, _row_height(ys, 22, 24) * len(ys)))


def timeline(df: pd.DataFrame, *, date: str = "date", label: str = "title",
             color: str | None = None, color_title: str | None = None,
             marks: pd.DataFrame | None = None, mark_label: str = "label",
             detail: str | None = None) -> alt.Chart:
    """Dated events on a time axis, one row per ``label`` (newest at the
    bottom); ``color`` (optional) names a column to colour and shape the
    points by. With ``detail``, rows are groups (e.g. a theme) holding several
    events, and the tooltip names each event by its ``detail`` column.

    ``marks`` (optional, columns ``date`` and ``mark_label``) are drawn as
    vertical rules, e.g. the dates of the official statements.
    """
    data = _cols(df, date, label, color, detail, "publisher")
    data["when"] = _when(data, date)
    order = list(dict.fromkeys(data.sort_values("when")[label]))
    base = alt.Chart(data).encode(
        x=alt.X("when:T", title=None, scale=alt.Scale(padding=10),
                axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True, labelFlush=True, labelBound=True)),
        y=alt.Y(f"{label}:N", title=None, sort=order, axis=_axis(order, 18, labelLimit=130, domain=False, ticks=False)),
    )
    tips = [(f"{detail}:N", "Event", None), (f"{label}:N", "Group", None)] if detail else [(f"{label}:N", "Event", None)]
    if color:
        tips.append((f"{color}:N", color_title or "Kind", None))
    tips += [("when:T", "Date", "%d %B %Y"), ("publisher:N", "Source", None)]
    point_enc: dict = dict(tooltip=_tooltip(tips))
    if color:
        point_enc["color"] = alt.Color(f"{color}:N", title=color_title,
                                       legend=_legend(data[color].dropna().unique()))
        point_enc["shape"] = alt.Shape(f"{color}:N", title=color_title)
    layers = [base.mark_point(size=80, filled=True, color=PALETTE[0], opacity=0.85).encode(**point_enc)]
    if marks is not None:
        layers[:0] = _mark_layers(marks, date, mark_label)
    return alt.layer(*layers).properties(height=max(120, _row_height(order, 18, 34 if detail else 26) * len(order)))


