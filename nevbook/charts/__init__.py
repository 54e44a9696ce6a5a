"""The book's one chart toolkit.

Build a chart with one of the builders (``lines``, ``bars``, ``timeline``,
``points``, ``ranges``, ``matrix``), then wrap it with :func:`figure`, which
enforces the chart contract:

- a title that states the finding, a subtitle that names the unit and scope,
  and a source line naming the reporting bodies, all inside the chart spec;
- tooltips with formatted values and units (the builders add them);
- a screen-reader description and a visible takeaway sentence;
- the data as a CSV download and as a table (collapsed), with citations;
- no number without a citation: ``data`` must carry ``citation_id``.

The figure is compiled from Vega-Lite to Vega at build time (vl-convert), so
the page needs only the Vega runtime, served from the site itself.

Layers, each importing only those below it: ``style`` (palette, theme) ←
``render`` (Vega compilation, the HTML and tables a page embeds) ←
``figure`` (the contract) ; ``builders`` (chart kinds) uses ``style`` only.
"""
from ..text import and_join
from .builders import bars, lines, matrix, points, ranges, statement_marks, timeline
from .figure import Figure, figure, source_line
from .render import Table
from .style import PALETTE, STATUS_COLORS, VERDICT_COLORS, theme

__all__ = ["PALETTE", "STATUS_COLORS", "VERDICT_COLORS", "theme", "lines", "bars", "timeline", "points", "ranges", "matrix",
           "statement_marks", "figure", "Figure", "source_line", "Table", "and_join"]
