"""The PDF edition, in one command and offline: ``python -m nevbook.publish.pdf``.

1. Sphinx's one-page builder, through Jupyter Book, with the site's flags
   (``jupyter-book build . --builder singlehtml -W -n --keep-going``), into
   ``_build/singlehtml``. It shares the site's doctrees and execution cache,
   so after ``make book`` it reads and executes nothing.
2. A print copy of that page, ``_build/pdf/nev-policy-book.html``, laid out
   as a report (``printcopy``, ``printfront``, ``printcss``): a dated cover,
   contents and list of figures, the key findings first, numbered figures
   drawn as static SVG, one references list, one appendix of chart data.
3. Debian's Chromium, through Playwright, prints it to A4 with page numbers
   and a bookmark outline, twice: the first printing shows where each
   chapter and figure fell (Chromium's named destinations, read back with
   pypdf), the second writes those pages into the contents, the list of
   figures and the figures' data references. If a number moved, it prints
   once more. Every request that is not a local file is blocked; one attempt
   fails the command.

Fonts (``scripts/setup.sh --browser`` installs them with chromium): Debian's
``fonts-noto-cjk`` for the Chinese names and terms, and ``fonts-liberation``,
whose metrics vl-convert lays the charts out with.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from .. import paths
from . import chromium, pdfpages, printcopy
from .printcopy import CHART_WIDTH, spec_title, toc_entries  # noqa: F401  (the tests' API)

ROOT = paths.root()
BUILD = ROOT / "_build"
SINGLE = BUILD / "singlehtml"
OUT = BUILD / "pdf"
PDF = OUT / "nev-policy-book.pdf"
PRINT_HTML = OUT / "nev-policy-book.html"
BUILD_FLAGS = ["-W", "-n", "--keep-going"]
MARGIN = {"top": "14mm", "bottom": "15mm", "left": "15mm", "right": "15mm"}
FOOTER = ('<div style="width:100%;font-size:8pt;color:#555;text-align:center;'
          'font-family:sans-serif"><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')
PRINTINGS = 3  # the first shows where things fall; at most two more to settle the numbers


def log(msg: str) -> None:
    print(f"[pdf] {msg}", flush=True)


def build_single_page() -> Path:
    jb = Path(sys.executable).parent / "jupyter-book"
    cmd = [str(jb), "build", str(ROOT), "--builder", "singlehtml", *BUILD_FLAGS]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-6000:] + run.stderr[-6000:])
        raise SystemExit(f"the one-page build failed: {' '.join(cmd[1:])}")
    return single_page()


def single_page() -> Path:
    page = SINGLE / f"{toc_entries()[0][1][0][0]}.html"
    if not page.exists():
        raise SystemExit(f"{page} is missing: run `python -m nevbook.publish.pdf` without --no-build")
    return page


def print_pdf(html_path: Path, pdf_path: Path) -> None:
    if not chromium.available():
        raise SystemExit(chromium.MISSING)
    blocked: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    with chromium.browser() as browser:
        ctx = browser.new_context(color_scheme="light", offline=True)
        page = ctx.new_page()
        page.route("**/*", route)
        page.emulate_media(media="print", color_scheme="light")
        page.goto(html_path.resolve().as_uri(), wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        page.pdf(path=str(pdf_path), format="A4", margin=MARGIN, print_background=True,
                 display_header_footer=True, header_template="<span></span>",
                 footer_template=FOOTER, outline=True, tagged=True)
    if blocked:
        raise SystemExit(f"the print page asked for {len(blocked)} non-local resource(s), "
                         f"all blocked: {blocked[:5]}")


def printed_pages(copy: printcopy.PrintCopy) -> dict[str, int]:
    """Where the last printing put each anchor the copy numbers."""
    from pypdf import PdfReader

    found = pdfpages.pages_of(PdfReader(PDF))
    missing = [a for a in copy.anchors if a not in found]
    if missing:
        raise SystemExit(f"{PDF.name}: no destination for {len(missing)} numbered anchor(s): {missing[:5]}")
    return {a: found[a] for a in copy.anchors}


def print_numbered(copy: printcopy.PrintCopy) -> tuple[int, list[float]]:
    """Print until the page numbers written in are the pages things fall on."""
    pages = None
    times = []
    for n in range(1, PRINTINGS + 1):
        t = time.perf_counter()
        PRINT_HTML.write_text(copy.html(pages), encoding="utf-8")
        print_pdf(PRINT_HTML, PDF)
        found = printed_pages(copy)
        times.append(time.perf_counter() - t)
        if found == pages:
            return n, times
        if pages is not None:
            moved = [a for a in found if found[a] != pages[a]]
            log(f"printing {n}: {len(moved)} number(s) moved ({moved[:3]}); printing again")
        pages = found
    raise SystemExit(f"page numbers still moved after {PRINTINGS} printings")


def layout_report(copy: printcopy.PrintCopy) -> list[str]:
    """How full each page is; the pages before a figure that starts a page."""
    from pypdf import PdfReader

    reader = PdfReader(PDF)
    fills = pdfpages.fill(reader, MARGIN)
    dests = pdfpages.destinations(reader)
    top_pt = float(MARGIN["top"].removesuffix("mm")) * pdfpages.MM_PT
    before = []
    for line in copy.figures:
        page, y = dests[line.anchor]
        if page > 1 and y - top_pt < 30:  # the figure opens its page
            before.append((fills[page - 2], page - 1, line.text.split(".")[0]))
    before.sort()
    body = sorted((f, i + 1) for i, f in enumerate(fills))
    out = [f"pages: {len(fills)}; median fill {sorted(fills)[len(fills) // 2]:.0%}; "
           f"emptiest: " + ", ".join(f"p{p} {f:.0%}" for f, p in body[:5])]
    if before:
        out.append(f"{len(before)} figure(s) open a page; the page before is filled: "
                   + ", ".join(f"p{p} {f:.0%} ({fig})" for f, p, fig in before[:6]))
    return out


def page_count(pdf_path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf_path).pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nevbook.publish.pdf", description=__doc__.split("\n")[0])
    ap.add_argument("--no-build", action="store_true",
                    help="use the existing _build/singlehtml (skip the one-page build)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    page = single_page() if args.no_build else build_single_page()
    t1 = time.perf_counter()
    OUT.mkdir(parents=True, exist_ok=True)
    copy = printcopy.build(page)
    t2 = time.perf_counter()
    printings, times = print_numbered(copy)
    size = PDF.stat().st_size
    log(f"one-page build {t1 - t0:.1f} s, print copy ({len(copy.figures)} charts to SVG) {t2 - t1:.1f} s, "
        f"{printings} printings " + " + ".join(f"{t:.1f}" for t in times) + " s")
    for line in layout_report(copy):
        log(line)
    print(f"{PDF.relative_to(ROOT)}: {page_count(PDF)} pages, {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
