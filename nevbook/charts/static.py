"""Charts drawn at build time (vl-convert), for first paint, for pages read
without JavaScript, for downloads and for print.

The live chart fits its width and keeps its height (titles are wrapped to a
fixed number of characters), so a static drawing at one width has the height
the live chart will have at any width: the page reserves it, and the live
chart takes over without a layout shift.
"""
from __future__ import annotations

import copy
import re

from .style import GRID, INK, MUTED

DESKTOP = 680  # about the width of the book's text column
PHONE = 340  # a 375 px phone, less the page's margins
# Chart text in static drawings: the metrics vl-convert lays charts out with
# (Liberation Sans; Arimo and Arial share them), whatever fonts the reader has.
STATIC_FONT = "'Liberation Sans', Arimo, Arial, Helvetica, sans-serif"
# Dark mode, as nevbook.css recolours live charts.
DARK = {"text": "#e3e3e3", GRID: "#3d3d3d", "#8c8c8c": "#a0a0a0", MUTED: "#a0a0a0"}


def at_width(vega: dict, width: int) -> dict:
    """The spec with its width fixed (the live chart reads its container's)."""
    spec = copy.deepcopy(vega)
    for sig in spec.get("signals", []):
        if sig.get("name") == "width":
            sig.clear()
            sig.update(name="width", value=width)
    return spec


def svg(vega: dict, width: int, *, dark: bool = False) -> str:
    """The chart as SVG, ``width`` pixels wide, in the light or dark scheme."""
    import vl_convert as vlc

    out = vlc.vega_to_svg(at_width(vega, width))
    out = re.sub(r'font-family="[^"]*"', f'font-family="{STATIC_FONT}"', out)
    if dark:
        # Text (not the exact black and white of cell labels on shaded cells),
        # grid, axis lines and rules, as the page's dark-mode rules do.
        out = re.sub(r'(<text\b[^>]*\bfill=")(#[0-9a-fA-F]{6})(")',
                     lambda m: m.group(1) + (m.group(2) if m.group(2).lower() in ("#000000", "#ffffff")
                                             else DARK["text"]) + m.group(3), out)
        for light, dark_colour in ((GRID, DARK[GRID]), ("#8c8c8c", DARK["#8c8c8c"]), (MUTED, DARK[MUTED])):
            out = out.replace(f'stroke="{light}"', f'stroke="{dark_colour}"')
    return out


def png(vega: dict, width: int = DESKTOP, scale: float = 2) -> bytes:
    import vl_convert as vlc

    return vlc.svg_to_png(svg(vega, width), scale=scale)


def size(svg_text: str) -> tuple[int, int]:
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg_text)
    return (round(float(m.group(1))), round(float(m.group(2)))) if m else (DESKTOP, 300)


def prefix_ids(svg_text: str, prefix: str) -> str:
    """Give every id in an SVG ``prefix``, so that many SVGs share a page."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg_text))
    for i in sorted(ids, key=len, reverse=True):
        new = f"{prefix}-{i}"
        svg_text = (svg_text.replace(f'id="{i}"', f'id="{new}"').replace(f"url(#{i})", f"url(#{new})")
                    .replace(f'href="#{i}"', f'href="#{new}"'))
    return svg_text


__all__ = ["DESKTOP", "PHONE", "at_width", "svg", "png", "size", "prefix_ids", "INK"]
