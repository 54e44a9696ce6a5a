"""Print styles of the PDF edition: paper, not screen.

The page box is set by Chromium's print call (``pdf.MARGIN``); the text block
of A4 is then 180 x 268 mm. Charts are at most ``CHART_MAX_MM`` tall, so a
figure that does not fit where it falls leaves at most that much white space
on the page before it (figures are never split). Event timelines, one row per
event or theme, are unreadable at that height: they get ``TALL_MAX_MM``.
"""
from __future__ import annotations

CHART_MAX_MM = 75
TALL_MAX_MM = 130

CSS = """
/* Print edition (nevbook.publish): paper, not screen. */
/* Chinese names and terms: Simplified Chinese glyphs (Debian's fonts-noto-cjk). */
/* Liberation Sans (Arial's metrics, Debian's fonts-liberation) sets about a
   tenth more text to the line than DejaVu Sans, the system-ui font here. */
html { font-size: 11.5px; --pst-font-size-base: 1rem;
  --pst-font-family-base: "Liberation Sans", Arimo, Arial, "Noto Sans CJK SC", sans-serif;
  --pst-font-family-heading: "Liberation Sans", Arimo, Arial, "Noto Sans CJK SC", sans-serif; }
body { background: #fff !important; line-height: 1.38; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article,
.header-article-items, .prev-next-area, .prev-next-footer, .bd-footer, .bd-footer-article,
.bd-footer-content, footer, .headerlink, .skip-link, #pst-back-to-top, .search-button,
.theme-switch-button, .sidebar-toggle, .copybtn, .toggle-button, .bd-search,
.nev-figure-tools, .nev-print-hide, .pst-primary-sidebar-modal, .search-button-field,
dialog, .bd-sidebar, form.nev-tracker-controls { display: none !important; }
/* The one column is the page's width, never wider: the theme's flex items
   would otherwise grow to their widest table and be centred, shifting every
   line to the left of the page, where Chromium clips its first letters and
   drops the named destinations of in-page links. */
.bd-page-width, .bd-main, .bd-main .bd-content, .bd-article-container, .bd-article,
.bd-container, .bd-container__inner { max-width: 100% !important; min-width: 0 !important;
  width: 100% !important; flex: 1 1 100% !important; padding: 0 !important; margin: 0 !important;
  overflow: visible !important; }
.bd-main .bd-content .bd-article-container .bd-article { padding: 0 !important; }
.pst-scrollable-table-container, .nev-table-scroll, div.cell_output, div.output,
.cell_output .text_html { overflow: visible !important; max-width: 100% !important; }
a { text-decoration: none; }
p, li, dd { orphans: 2; widows: 2; }
.bd-article p { margin: 0 0 0.5rem; }
.bd-article ul, .bd-article ol { margin-bottom: 0.5rem; }
h1, h2, h3, h4, .rubric, p.nev-fig-label { break-after: avoid; page-break-after: avoid; }
h1, h2, h3, h4 { break-inside: avoid; line-height: 1.2; }
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
h1 { font-size: 1.9rem; margin: 0 0 0.8rem; }
h2 { font-size: 1.35rem; margin: 1.2rem 0 0.45rem; }
h3 { font-size: 1.1rem; margin: 0.9rem 0 0.35rem; }
h4 { font-size: 1rem; margin: 0.7rem 0 0.3rem; }
.nev-chapter { break-before: page; page-break-before: always; }
/* A page nested under another (the five statements under their part) runs on. */
.nev-chapter .nev-chapter { break-before: auto; page-break-before: auto; }

/* Figures: number and finding above, the drawing, takeaway and source below. */
figure.nev-figure { break-inside: avoid; page-break-inside: avoid; margin: 0.6rem 0 0.9rem; }
p.nev-fig-label { font-weight: 600; font-size: 1rem; margin: 0 0 0.2rem; }
p.nev-fig-label .nev-fig-no { color: #595959; }
figure.nev-figure figcaption { font-size: 0.95rem; margin-top: 0.2rem; }
.nev-chart.nev-static { min-height: 0 !important; height: auto !important; }
/* vl-convert laid the chart out with Liberation Sans metrics (its sans-serif);
   Chromium's system-ui (DejaVu Sans) is wider and would spill labels. */
.nev-chart.nev-static svg text { font-family: "Liberation Sans", Arimo, Arial, sans-serif; }
.nev-chart.nev-static svg { display: block; width: auto; height: auto; max-width: 100%;
  max-height: @CHART@mm; }
.nev-chart.nev-static.nev-tall svg { max-height: @TALL@mm; }
p.nev-data-ref { font-size: 0.85rem; color: #595959; margin: 0.15rem 0 0; }
ol.nev-events { font-size: 0.85rem; columns: 2; column-gap: 1.5rem; }
ol.nev-events li { break-inside: avoid; }

blockquote.nev-quote, .sd-card, .nev-verdict { break-inside: avoid; page-break-inside: avoid; }
blockquote.nev-quote { margin: 0.4rem 0 0.6rem; padding: 0.2rem 0.8rem; }
tr { break-inside: avoid; page-break-inside: avoid; }
table { width: 100%; }
.bd-article table td, .bd-article table th { padding: 0.15rem 0.3rem; }
table.nev-wide { font-size: 0.78rem; }
table.nev-wide td, table.nev-wide th { word-break: break-word; hyphens: auto; }
pre { white-space: pre-wrap; word-break: break-word; }

/* Long lists, small. */
ul.nev-changes-list { columns: 2; column-gap: 1.5rem; font-size: 0.8rem; }
ul.nev-changes-list li { break-inside: avoid; }
ul.nev-changes-list li p, ol.nev-events li p { margin: 0; }
/* A chapter's latest figures run on, one paragraph. */
details.nev-freshness-details { font-size: 0.8rem; color: #333; }
details.nev-freshness-details > summary { display: inline; font-weight: 600; list-style: none; }
details.nev-freshness-details > summary::after { content: ": "; }
details.nev-freshness-details > summary::-webkit-details-marker { display: none; }
.nev-freshness-list, .nev-freshness-list ul { display: inline; padding: 0; margin: 0; }
.nev-freshness-list li, .nev-freshness-list li p { display: inline; margin: 0; }
.nev-freshness-list li:not(:last-child)::after { content: "; "; }
.nev-freshness-list li:last-child::after { content: "."; }
ul.nev-estimates, ul.nev-milestones, section.nev-print-small, blockquote.nev-quote p.attribution
  { font-size: 0.88rem; }
section.nev-print-small ul.nev-estimates { font-size: 1em; }
ul.nev-ledger-print { list-style: none; padding-left: 0; font-size: 0.88rem; }
ul.nev-ledger-print li { margin: 0 0 0.4rem; break-inside: avoid; }
ul.nev-ledger-print p { margin: 0; }
ul.nev-ledger-print p.nev-lp-what { font-weight: 600; }
ul.nev-ledger-print p.nev-lp-line { color: #333; font-size: 0.92em; }
ul.nev-milestones-print li p { margin: 0 0 0.25rem; }
/* The tracker: every record in full, as cards in two columns. */
table.nev-tracker-table, table.nev-tracker-table tbody, table.nev-tracker-table tr,
table.nev-tracker-table td { display: block; width: auto !important; }
table.nev-tracker-table thead, table.nev-tracker-table colgroup { display: none; }
table.nev-tracker-table { font-size: 0.72rem; line-height: 1.28; }
/* The five statements, in full: reference text, two columns. */
section[data-nev-doc^="book/sources/"] > *:not(h2):not(span) { font-size: 0.82rem; }
section[data-nev-doc^="book/sources/"] div.nev-source-text { columns: 2; column-gap: 1.3rem; }
section[data-nev-doc^="book/sources/"] div.nev-source-text p { margin: 0 0 0.35rem; }
table.nev-tracker-table tbody { columns: 2; column-gap: 1.1rem; }
table.nev-tracker-table tr { break-inside: avoid; border: 1px solid #c8c8c8; border-radius: 4px;
  padding: 0.25rem 0.4rem; margin: 0 0 0.4rem; }
table.nev-tracker-table td { border: 0 !important; padding: 0.05rem 0 !important; }
table.nev-tracker-table p { margin: 0 0 0.12rem; }
dl.nev-glossary { columns: 2; column-gap: 1.4rem; }
dl.nev-glossary dt { break-after: avoid; }
dl.nev-glossary dd { break-inside: avoid; margin-bottom: 0.4rem; }
dl.nev-glossary dd p { margin: 0 0 0.1rem; }
p.nev-data-constant { margin: 0 0 0.15rem; }
nav.nev-front a { color: inherit; }

/* Cover, contents, list of figures. */
.nev-cover { break-after: page; page-break-after: always; padding-top: 28%; }
.nev-cover p.nev-cover-title { font-size: 2.6rem; line-height: 1.15; font-weight: 600; margin-bottom: 0.6rem; }
.nev-cover .nev-cover-subtitle { display: block; font-size: 1.6rem; line-height: 1.25; font-weight: 400;
  color: #333; margin: 0.5rem 0 2.5rem; }
.nev-cover p { font-size: 1.1rem; }
.nev-cover p.nev-cover-edition { font-size: 1.25rem; font-weight: 600; }
.nev-cover .nev-cover-small { margin-top: 3rem; font-size: 0.95rem; color: #333; }
.nev-cover .nev-cover-small p { font-size: 0.95rem; margin-bottom: 0.6rem; }
.nev-front { break-after: page; page-break-after: always; }
.nev-front ol { list-style: none; padding-left: 0; margin: 0; }
.nev-front li { margin: 0.12rem 0; break-inside: avoid; }
.nev-front .nev-part { font-weight: 600; margin-top: 0.7rem; }
.nev-toc-line { display: flex; align-items: baseline; }
.nev-toc-line .nev-toc-text { flex: 0 1 auto; }
.nev-toc-line .nev-leader { flex: 1 1 1rem; border-bottom: 1px dotted #8c8c8c; margin: 0 0.35rem; min-width: 1rem; }
.nev-toc-line .nev-pageno { flex: 0 0 2.2rem; text-align: right; font-variant-numeric: tabular-nums; }
nav.nev-figures li { font-size: 0.9rem; }
nav.nev-figures .nev-toc-text { padding-left: 4.2rem; text-indent: -4.2rem; }

/* Reference matter: one list of references, two columns, small. */
p.nev-print-note { font-size: 0.85rem; color: #333; }
ul.nev-references { columns: 2; column-gap: 1.4rem; font-size: 0.72rem; line-height: 1.28;
  padding-left: 0; list-style: none; }
ul.nev-references li { break-inside: avoid; margin: 0 0 0.25rem; }
ul.nev-references li p { margin: 0; display: inline; }
ul.nev-references li p.nev-cited-in::before { content: " "; }
ul.nev-references p.nev-cited-in { color: #595959; }
dl.nev-glossary { font-size: 0.82rem; }
.nev-chart-data { font-size: 0.85rem; }
.nev-chart-data p.nev-appendix-group { font-weight: 600; font-size: 1.05rem; margin: 1rem 0 0.2rem;
  break-after: avoid; border-bottom: 1px solid #ccc; }
.nev-chart-data h2 { font-size: 0.95rem; margin: 0.7rem 0 0.2rem; }
.nev-chart-data table.nev-data { font-size: 0.68rem; line-height: 1.25; }
.nev-chart-data ul.nev-data-entries { columns: 2; column-gap: 1.2rem; font-size: 0.72rem;
  line-height: 1.28; list-style: none; padding-left: 0; margin: 0 0 0.4rem; }
.nev-chart-data ul.nev-data-entries li { break-inside: avoid; margin: 0 0 0.2rem; }
.nev-chart-data div.nev-cols2 { columns: 2; column-gap: 1.2rem; }
.nev-chart-data div.nev-cols2 table { width: 100%; break-inside: avoid; margin-bottom: 0.3rem; }
.nev-chart-data table.nev-data td, .nev-chart-data table.nev-data th { padding: 0.05rem 0.2rem; }
""".replace("@CHART@", str(CHART_MAX_MM)).replace("@TALL@", str(TALL_MAX_MM))
