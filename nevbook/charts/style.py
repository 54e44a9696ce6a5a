"""The house style: palette, inks, fonts and the Vega-Lite theme.

The lowest layer of the chart toolkit: it imports nothing of the book's.
"""
from __future__ import annotations

import altair as alt

# Colour-blind-safe (Okabe & Ito hues), each at least 3:1 against both the
# light (#ffffff) and the dark (#121212) page background (tested).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#767676"]
# The ledger's statuses and verdicts, one colour each (each 3:1 on both
# backgrounds, tested): green for delivered or consistent, amber for partly,
# vermillion for not delivered or inconsistent, greys and soft hues between.
STATUS_COLORS = {"delivered": "#009E73", "action-only": "#0072B2", "partly": "#B07A00",
                 "too-early": "#8E7CC3", "not-delivered": "#D55E00", "contrary": "#CC79A7",
                 "no-evidence": "#767676"}
VERDICT_COLORS = {"consistent": "#009E73", "partly": "#B07A00", "inconsistent": "#D55E00",
                  "not-checkable": "#767676", "forecast": "#0072B2"}
INK = "#303030"  # text in light mode; dark mode recolours it in nevbook.css
MUTED = "#595959"
GRID = "#dddddd"
# Text on shaded matrix cells (kept as is in dark mode). On Vega's "blues"
# ramp, black reaches 4.5:1 up to 74% of the way and white from there on,
# so the ink flips at CELL_INK_FLIP of the domain (checked in the browser by
# tests/test_a11y.py; near-black #111 left a band where neither ink passed).
CELL_INK_ON_LIGHT = "#000000"
CELL_INK_ON_DARK = "#ffffff"
CELL_INK_FLIP = 0.74
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
HEIGHT = 260
# Characters per line that fit a 375 px phone (about 320 px of chart) at the
# theme's font sizes. Vega's autosize squeezes the plot to make room for text
# that is too wide, so text must fit by itself (the browser test checks it).
WRAP = {"title": 36, "subtitle": 48, "source": 52}

def theme() -> dict:
    return {
        "config": {
            "background": "transparent",
            "font": FONT,
            "padding": 4,
            "view": {"stroke": None, "continuousHeight": HEIGHT},
            "title": {"anchor": "start", "frame": "bounds", "fontSize": 14, "fontWeight": 600, "color": INK,
                      "subtitleFontSize": 12, "subtitleColor": MUTED, "subtitlePadding": 4,
                      "offset": 10, "lineHeight": 19, "subtitleLineHeight": 15},
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": 500,
                     "labelColor": MUTED, "titleColor": MUTED, "domainColor": "#8c8c8c",
                     "tickColor": "#8c8c8c", "gridColor": GRID, "labelLimit": 180},
            "axisX": {"labelAngle": 0},
            "legend": {"orient": "top", "direction": "horizontal", "labelFontSize": 11,
                       "titleFontSize": 11, "labelColor": INK, "titleColor": MUTED,
                       "columns": 1, "labelLimit": 260, "symbolStrokeWidth": 3},
            "range": {"category": PALETTE},
            "line": {"strokeWidth": 2.5},
            "point": {"size": 55, "filled": True},
            "bar": {"cornerRadiusEnd": 1},
            "text": {"fontSize": 11, "color": INK},
        }
    }


alt.theme.register("nevbook", enable=True)(theme)
