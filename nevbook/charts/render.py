"""Turn a Figure into Vega and into the HTML a page embeds.

The HTML is deterministic (no random ids, no timestamps) and self-contained:
the Vega spec travels as inert JSON in a ``<script type="application/json">``
element, drawn by ``nevcharts.js`` with the site's own copy of Vega; the data
travel as a CSV ``data:`` link and as an HTML table that needs no JavaScript.
"""
from __future__ import annotations

import html
import json
import urllib.parse

import pandas as pd
import vl_convert as vlc

from ..labels import tier_label
from .style import MUTED

# Columns that travel in the CSV but not as table columns.
_HIDDEN = {"series_id", "citation_id", "source_title", "source_url", "source_published", "when",
           "id", "source_id", "record_id", "quote_id", "speaker_id"}  # ids travel in the CSV, not to readers
_HEADERS = {"series": "Series", "period": "Period", "value": "Value", "unit": "Unit",
            "publisher": "Source", "flag": "Flag", "note": "Note", "date": "Date",
            "title": "Event", "kind": "Kind", "label": "Label", "source_tier": "Copy"}


def compile_vega(vegalite: dict, source_lines: list[str]) -> dict:
    """Vega-Lite to Vega (at build time), with the source line added.

    The source line is the title of a group that holds the chart's axes,
    legends and marks, placed below them; the Vega-Lite title (finding and
    subtitle) stays at the top. Both survive export to SVG or PNG.
    """
    vg = vlc.vegalite_to_vega(vegalite)
    vg.pop("$schema", None)
    body: dict = {
        "type": "group",
        "name": "nev_body",
        "encode": {"update": {"width": {"signal": "width"}, "height": {"signal": "height"}}},
        "title": {"text": source_lines, "orient": "bottom", "anchor": "start",
                  "frame": "bounds", "fontSize": 10.5, "fontWeight": "normal",
                  "color": MUTED, "offset": 14, "lineHeight": 14, "limit": 0},
    }
    for key in ("layout", "axes", "legends", "marks"):
        if key in vg:
            body[key] = vg.pop(key)
    vg["marks"] = [body]
    return vg


def _json_script(obj: dict) -> str:
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # Inert inside <script>: no "</script>", no "<!--", no entity surprises.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _cell(value) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, pd.Timestamp):  # a date a chart derived: no midnight clock time
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat(sep=" ")
    return str(value)


def table_html(df: pd.DataFrame) -> str:
    cols = [c for c in df.columns if c not in _HIDDEN]
    head = "".join(f'<th scope="col">{html.escape(_HEADERS.get(c, c.replace("_", " ").capitalize()))}</th>'
                   for c in cols)
    body = []
    for _, row in df.iterrows():
        cells = []
        for c in cols:
            text = html.escape(tier_label(_cell(row[c])) if c == "source_tier" else _cell(row[c]))
            if c == "publisher" and "source_url" in df.columns and row.get("source_url"):
                title = html.escape(_cell(row.get("source_title")), quote=True)
                url = html.escape(row["source_url"], quote=True)
                text = f'<a href="{url}" title="{title}" rel="noopener">{text}</a>'
            cls = ' class="nev-num"' if c == "value" else ""
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="nev-data"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


# Where the build collects each figure's files (set by the Sphinx extension
# while a notebook executes), and the placeholder it resolves in each page to
# the files' URL. Outside a build (nbval, an author's kernel) the CSV travels
# in the page as a data: URL instead.
FILES_ENV = "NEVBOOK_FIGURES"
FILE_PREFIX = "nevbook-file:"
CITE_PAGE = "nevbook-cite-page"  # the build puts the page's title here


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """A text cell a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's advice for CSV injection); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
            return value
        except ValueError:
            return "'" + value
    return value


def csv_text(df: pd.DataFrame) -> str:
    cols = [c for c in df.columns if c != "when"]
    out = df[cols].copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].map(_inert)
    return out.to_csv(index=False, lineterminator="\n")


def _write(name: str, content: str | bytes) -> str | None:
    """Write one of a figure's files where the build collects them; return
    the placeholder the build turns into its URL (None outside a build)."""
    import os
    from pathlib import Path

    folder = os.environ.get(FILES_ENV)
    if not folder:
        return None
    target = Path(folder) / name
    target.parent.mkdir(parents=True, exist_ok=True)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
    return f"{FILE_PREFIX}{Path(folder).name}/{name}"


def csv_href(df: pd.DataFrame, name: str) -> str:
    """The CSV download's href: a file the build serves, or a data: URL."""
    text = csv_text(df)
    return _write(name, text) or "data:text/csv;charset=utf-8," + urllib.parse.quote(text, safe="")


def _static(fid: str, vega: dict) -> tuple[str, str, str]:
    """The chart drawn at build time: (markup that shows at first paint and
    without JavaScript, the container's style reserving its height, the
    download links for the drawings). Empty outside a build."""
    from . import static

    light = static.svg(vega, static.DESKTOP)
    phone = static.svg(vega, static.PHONE)
    width, height = static.size(light)
    phone_height = static.size(phone)[1]
    urls = {
        "svg": _write(f"{fid}.svg", light),
        "dark": _write(f"{fid}-dark.svg", static.svg(vega, static.DESKTOP, dark=True)),
        "phone": _write(f"{fid}-phone.svg", phone),
        "phone-dark": _write(f"{fid}-phone-dark.svg", static.svg(vega, static.PHONE, dark=True)),
        "png": _write(f"{fid}.png", static.png(vega)),
    }
    if not urls["svg"]:
        return "", "", ""

    def picture(scheme: str, lazy: bool) -> str:
        suffix = "-dark" if scheme == "dark" else ""
        lazy_attr = ' loading="lazy"' if lazy else ""
        return (f'<picture class="nev-static nev-static-{scheme}">'
                f'<source media="(max-width: 599px)" srcset="{urls["phone" + suffix]}">'
                f'<img src="{urls["dark" if suffix else "svg"]}" alt="" width="{width}" height="{height}"'
                f' decoding="async"{lazy_attr}></picture>')
    markup = picture("light", False) + picture("dark", True)
    style = f' style="--nev-h:{height}px;--nev-hp:{phone_height}px"'
    downloads = (f'<a class="nev-png" download="{fid}.png" href="{urls["png"]}">Image (PNG)</a>'
                 f'<a class="nev-svg" download="{fid}.svg" href="{urls["svg"]}">Image (SVG)</a>')
    return markup, style, downloads


def _events_list(data: pd.DataFrame) -> str:
    """A visible list of the events a timeline draws (readable without a
    pointer, and in print)."""
    from ..text import prose_date, prose_month

    if not {"date", "title"} <= set(data.columns):
        return ""
    rows = data.drop_duplicates(["date", "title"]).sort_values("date", kind="stable")

    def when(d: str) -> str:
        return prose_date(d) if len(d) == 10 else prose_month(d) if len(d) == 7 else d
    items = "".join(f'<li><time datetime="{html.escape(str(r.date), quote=True)}">{html.escape(when(str(r.date)))}'
                    f'</time> {html.escape(str(r.title))}</li>' for r in rows.itertuples())
    return f'<ol class="nev-events" aria-label="The events in the chart, by date">{items}</ol>'


def _citation(fid: str, title: str) -> str:
    """A suggested citation for the chart (the page's title is filled in by
    the build: CITE_PAGE)."""
    from ..data import edition
    from ..text import prose_date

    ed = edition()
    return ("<details class=\"nev-cite\"><summary>Cite this chart</summary><p>"
            f"The editors, \u201c{html.escape(title)}\u201d, chart in {CITE_PAGE}, "
            f"<cite>China's NEV industrial policy: what officials said, what the data show</cite>, "
            f"edition {ed['edition']} ({html.escape(prose_date(ed['date']))}), "
            f'<a href="#fig-{fid}">#fig-{fid}</a>. Text and data: CC BY 4.0.</p></details>')


def figure_html(id: str, vega: dict, *, takeaway: str, description: str,
                data: pd.DataFrame) -> str:
    """The HTML a page embeds for one chart (see the module docstring)."""
    fid = html.escape(id, quote=True)
    desc = html.escape(description, quote=True)
    static_markup, style, drawings = _static(id, vega)
    title = vega.get("title", {}).get("text", "")
    title = " ".join(title) if isinstance(title, list) else str(title)
    return "\n".join([
        f'<figure class="nev-figure" id="fig-{fid}">',
        f'<div class="nev-chart" id="{fid}-view" data-spec="{fid}-spec" role="img" aria-label="{desc}"{style}>'
        f'{static_markup}</div>',
        f'<script type="application/json" id="{fid}-spec">{_json_script(vega)}</script>',
        f'<figcaption class="nev-takeaway">{html.escape(takeaway)}</figcaption>',
        _events_list(data),
        '<div class="nev-figure-tools">',
        f'<a class="nev-download" download="{fid}.csv" href="{csv_href(data, f"{fid}.csv")}">'
        f'Data (CSV)</a>{drawings}',
        f'<a class="nev-permalink" href="#fig-{fid}">Link to this chart</a>',
        _citation(id, title) if drawings else "",
        f'<details class="nev-table"><summary>Show the data table</summary>'
        f'<div class="nev-table-scroll">{table_html(data)}</div></details>',
        '</div>',
        '</figure>',
    ])


class Table:
    """A table for display in a chapter (not a chart's data): an HTML table
    with a caption, in the book's table style; links in ``link`` columns."""

    def __init__(self, df: pd.DataFrame, caption: str, id: str | None = None):
        self.df, self.caption, self.id = df, caption, id

    def _repr_html_(self) -> str:
        cols = list(self.df.columns)
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in cols)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in self.df.itertuples(index=False))
        ident = f' id="{html.escape(self.id, quote=True)}"' if self.id else ""
        return (f'<div class="nev-table-scroll"><table class="nev-data nev-display"{ident}>'
                f'<caption>{html.escape(self.caption)}</caption>'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
