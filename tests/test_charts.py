"""The chart toolkit keeps the chart contract (design/BOOK.md §4)."""
from __future__ import annotations

import json
import re
import urllib.parse

import pandas as pd
import pytest

import nevbook as nb
from nevbook import charts

from conftest import contrast


def _html(fig) -> str:
    """The HTML a page embeds for ``fig``."""
    return fig._repr_html_()


def make(df=None, **kw):
    df = nb.series("credits-nev-positive", "credits-nev-negative") if df is None else df
    args = dict(id="t-fig", title="NEV credits grew", subtitle="Million credits, 2019–2023",
                description="Bars of credits by year.", takeaway="They grew.", data=df)
    args.update(kw)
    return charts.figure(charts.bars(df, y_title="Million credits"), **args)


def spec_of(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="t-fig-spec">(.*?)</script>', html, re.S)
    assert m, "no inert JSON spec in the figure HTML"
    return json.loads(m.group(1))


def test_spec_carries_title_subtitle_source_and_description():
    fig = make()
    vg = spec_of(_html(fig))
    assert vg["title"]["text"] == ["NEV credits grew"]
    assert vg["title"]["subtitle"] == ["Million credits, 2019–2023"]
    assert vg["description"] == "Bars of credits by year."
    body = vg["marks"][0]
    assert body["name"] == "nev_body" and body["title"]["orient"] == "bottom"
    assert " ".join(body["title"]["text"]).startswith("Source: MIIT, MOFCOM, GAC and SAMR")
    assert "$schema" not in vg  # nothing in the page names a remote URL to load


def test_tooltips_are_formatted_with_units():
    vl = make().vegalite
    tips = {t["title"]: t for t in vl["encoding"]["tooltip"]}
    assert tips["Value"]["format"] == ",.1f"
    assert set(tips) >= {"Series", "Period", "Value", "Unit", "Source"}


def test_same_input_same_html():
    a = _html(make())
    b = _html(make())
    assert a == b
    ids = re.findall(r'\bid="([^"]+)"', a)
    assert ids == ["fig-t-fig", "t-fig-view", "t-fig-spec"]  # derived from the author's id, not random


def test_csv_download_and_table_hold_the_data_with_citations():
    fig = make()
    html = _html(fig)
    # Outside a build the CSV travels as a data: URL (in a build, as a file).
    href = re.search(r'download="t-fig.csv" href="data:text/csv;charset=utf-8,([^"]+)"', html).group(1)
    csv = urllib.parse.unquote(href)
    assert csv.splitlines()[0].startswith("series_id,series,period,value,unit,citation_id")
    first = fig.data.iloc[0]
    assert first["source_url"] and first["source_url"] in csv  # each value carries its source
    assert len(csv.splitlines()) == len(fig.data) + 1
    assert "<details class=\"nev-table\"><summary>" in html and "<details open" not in html
    assert html.count("<tr>") == len(fig.data) + 1


def test_script_breakout_is_inert():
    df = nb.series("credits-nev-positive").copy()
    df.loc[0, "series"] = "</script><script>alert(1)</script>"
    html = _html(make(df))
    assert "<script>alert(1)" not in html
    assert spec_of(html)  # still valid JSON
    assert "&lt;/script&gt;" in html  # escaped in the table


@pytest.mark.parametrize("bad,message", [
    (dict(title=" "), "title is empty"),
    (dict(description=""), "description is empty"),
    (dict(subtitle="Industry totals, 2019–2023"), "subtitle must name the unit"),
    (dict(id="Fig 1"), "lower-case words joined by hyphens"),
])
def test_contract_violations_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        make(**bad)


def test_a_number_without_citation_is_refused():
    df = nb.series("credits-nev-positive").copy()
    df.loc[2, "citation_id"] = None
    with pytest.raises(ValueError, match="needs a citation_id"):
        make(df)


def test_rerunning_a_cell_is_allowed():
    """Authors re-run cells; uniqueness on the page is checked on the built site."""
    assert _html(make()) == _html(make())


@pytest.mark.parametrize("background", ["#ffffff", "#121212"])
def test_palette_contrast_in_light_and_dark(background):
    """Data colours reach 3:1 (WCAG non-text contrast) on both page colours."""
    colours = (list(charts.PALETTE) + list(charts.STATUS_COLORS.values())
               + list(charts.VERDICT_COLORS.values()))
    for colour in colours:
        assert contrast(colour, background) >= 3, (colour, background, contrast(colour, background))


def test_titles_wrap_to_phone_width():
    fig = make(title="A deliberately long title that would not fit on a phone screen in one line")
    lines = fig.vega["title"]["text"]
    assert len(lines) > 1 and all(len(l) <= charts.style.WRAP["title"] for l in lines)


def test_timeline_and_lines_builders_compile():
    ev = nb.data.cite(nb.table("events"))
    f1 = charts.figure(charts.timeline(ev), id="t-timeline", title="Events", subtitle="Dates",
                       description="d", takeaway="t", data=ev)
    assert f1.vega["marks"][0]["marks"]
    mandate = nb.series("credits-nev-ratio", "market-nev-share")
    f2 = charts.figure(charts.lines(mandate, y_title="Per cent", dash="series"), id="t-lines",
                       title="Ratio and share", subtitle="Per cent", description="d", takeaway="t",
                       data=mandate)
    assert len(f2.vega["marks"][0]["legends"]) == 1  # dash does not add a second legend
    assert isinstance(pd.DataFrame(f2.data), pd.DataFrame)


def test_points_draw_one_legend_for_colour_and_shape():
    """Colour and shape on one field must merge into one legend, in the
    author's order, also with statement marks layered in."""
    swaps = nb.series("charging-swap-stations", "charging-swap-stations-monthly")
    swaps["date"] = swaps.period.where(swaps.period.str.len() > 4, swaps.period + "-12-31")
    fig = charts.figure(charts.points(swaps, y_title="Stations", marks=charts.statement_marks()),
                        id="t-points", title="Swaps", subtitle="Stations", description="d",
                        takeaway="t", data=swaps)
    legends = fig.vega["marks"][0]["legends"]
    assert len(legends) == 1, legends
    assert {"fill", "shape"} <= set(legends[0])


@pytest.mark.parametrize("text", ["1,204", "2,088", "12.3", "1, 2", "it's \"quoted\"", "(a)", "3 of 5", "0.1"])
def test_glued_text_renders_exactly_as_formatted(text):
    """MyST-NB literal-evals a glued text/plain value: "1,204" must not become (1, 204)."""
    from myst_nb.core.variables import format_plain_text

    from nevbook.glue import _Plain

    assert format_plain_text(repr(_Plain(text)), "") == text


def test_year_axis_shows_gaps_and_keeps_the_authors_order():
    df = pd.DataFrame({"period": ["2014", "2020", "2021", "2014", "2020", "2021"],
                       "value": [1.0, 2, 3, 4, 5, 6], "series": ["Zeta"] * 3 + ["Alpha"] * 3,
                       "unit": "u", "publisher": "p"})
    spec = charts.lines(df, y_title="Million", year_axis=True).to_dict()
    line, dots = spec["layer"]
    assert line["encoding"]["x"]["type"] == "quantitative"
    assert line["encoding"]["color"]["sort"] == ["Zeta", "Alpha"]
    runs = pd.DataFrame(spec["datasets"][spec["data"]["name"]]).groupby("series")["_run"].nunique()
    assert runs.to_dict() == {"Alpha": 2, "Zeta": 2}  # 2014 alone, then 2020-2021 joined


def test_csv_download_neutralises_spreadsheet_formulas():
    """A text cell a spreadsheet would run (=HYPERLINK(...), +, -, @) starts
    with an apostrophe in the CSV; numbers, negative ones included, do not."""
    from nevbook.charts.render import csv_text

    df = pd.DataFrame({"note": ['=HYPERLINK("http://x","y")', "+1 evil", "@SUM(A1)", "plain", "-cmd"],
                       "value": [1.0, -2.5, 3.0, 4.0, 5.0], "num_text": ["-2.5", "3", "x", "y", "z"]})
    lines = csv_text(df).splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[2].startswith("'+1 evil")
    assert lines[3].startswith("'@SUM") and lines[4].startswith("plain") and lines[5].startswith("'-cmd")
    assert ",-2.5,-2.5" in lines[1] or ",-2.5," in lines[2]


def test_a_data_table_shows_dates_without_a_midnight_clock_time():
    from nevbook.charts.render import table_html

    df = pd.DataFrame({"date": pd.to_datetime(["2021-10-01 00:00", None, "2022-08-01 13:30"]), "value": [1.0, 2.0, 3.0]})
    html = table_html(df)
    assert "00:00:00" not in html and "NaT" not in html, html
    assert "<td>2021-10-01</td>" in html and "<td></td>" in html and "2022-08-01 13:30:00" in html, html


def test_no_data_table_of_the_site_shows_a_midnight_clock_time():
    from conftest import SITE

    hits = []
    for page in sorted(SITE.rglob("*.html")):
        for m in re.finditer(r"<td>(\d{4}-\d\d-\d\d 00:00:00)</td>", page.read_text(encoding="utf-8")):
            hits.append(f"{page.relative_to(SITE)}: {m.group(1)}")
    assert not hits, f"{len(hits)} table cells show a clock time of midnight: {hits[:5]}"
