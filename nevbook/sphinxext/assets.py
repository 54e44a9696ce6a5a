"""Static files: the pinned chart runtime (Vega from node_modules, never a
CDN), the book's stylesheet and loader, MyST-NB's stylesheet under a stable
name, the icon-font subset, and per page only the scripts and stylesheets
its body uses."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import paths

logger = logging.getLogger("nevbook")

VENDOR = [("node_modules/vega/build/vega.min.js", "vendor/vega.min.js"),
          ("node_modules/vega/LICENSE", "vendor/vega.LICENSE.txt")]
CHART_MARKER = 'class="nev-chart"'
TRACKER_MARKER = "nev-tracker-table"


def config_inited(app: Sphinx, config) -> None:
    # Stage the pinned runtime where Sphinx copies static files from, so that
    # it is in _static before pages are written (their ?v= checksums read it).
    # Outside the output folder (Sphinx refuses static paths inside it) for
    # both Jupyter Book's layout (_build/html) and plain sphinx-build.
    staging = Path(app.srcdir) / "_build" / ".nevbook-static"
    for src, dest in VENDOR:
        source = paths.root() / src
        if not source.exists():
            raise ExtensionError(
                f"nevbook: {src} is missing. Run `make setup` (npm ci) to install the "
                "pinned chart runtime; the book never loads it from a CDN.")
        target = staging / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
    _stage_mystnb_css(staging)
    config.html_static_path = list(config.html_static_path) + [str(paths.STATIC), str(staging)]
    if not config.html_favicon:
        config.html_favicon = str(paths.STATIC / "favicon.svg")


def _stage_mystnb_css(staging: Path) -> None:
    """MyST-NB copies its stylesheet only when the build has finished, so a
    clean build writes pages before the file exists (no ``?v=`` checksum) and
    an incremental one after (with it). Staging it under the same hashed name
    makes both builds write the same HTML."""
    from myst_nb import static
    from myst_nb.sphinx_ext import _get_file_hash, _import_resources_path

    with _import_resources_path(static, "mystnb.css") as source:
        target = staging / f"mystnb.{_get_file_hash(source)}.css"
        if not target.exists():
            shutil.copyfile(source, target)



# Extension assets a page does not need unless its body uses them: each is a
# render-blocking stylesheet or a script fewer on most pages. (Sphinx restores
# the full lists after every page.)
_ONLY_WHEN = [
    ('class="highlight', {"pygments.css", "copybutton.css", "copybutton.js", "clipboard.min.js"}),
    ("sd-", {"sphinx-design.min.css", "design-tabs.js"}),
    ("toggle", {"togglebutton.css", "togglebutton.js"}),
]


def _drop_unused_assets(context: dict) -> None:
    body = context.get("body") or ""
    unused = set().union(*(names for marker, names in _ONLY_WHEN if marker not in body))
    for key in ("css_files", "script_files"):
        files = context.get(key)
        if isinstance(files, list):
            files[:] = [f for f in files
                        if Path(str(getattr(f, "filename", "") or "")).name not in unused]



def figures_dir(app: Sphinx, docname: str) -> Path:
    """Where a notebook's figure files are collected while it executes."""
    return Path(app.outdir).parent / ".nevbook" / "figures" / docname.replace("/", "__")


def source_read(app: Sphinx, docname: str, source) -> None:
    from ..charts.render import FILES_ENV

    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        os.environ[FILES_ENV] = str(figures_dir(app, docname))
    else:
        os.environ.pop(FILES_ENV, None)


def doctree_read(app: Sphinx, doctree) -> None:
    from ..charts.render import FILES_ENV

    os.environ.pop(FILES_ENV, None)


_FILE_REF = re.compile(r'(href|src|srcset)="nevbook-file:([A-Za-z0-9._-]+)/([A-Za-z0-9._-]+)"')


def _serve_figure_files(app: Sphinx, pagename: str, context: dict) -> None:
    """Point each figure's download at its file under _figures/<notebook>/
    and copy the file there (the files were written when the notebook ran;
    a one-page build holds every notebook's figures)."""
    from markupsafe import escape

    from ..charts.render import CITE_PAGE

    body = context.get("body") or ""
    refs = _FILE_REF.findall(body)
    if not refs:
        return
    base = context["pathto"]("_figures", 1)
    figures = Path(app.outdir).parent / ".nevbook" / "figures"
    for _, folder, name in refs:
        src = figures / folder / name
        if not src.exists():
            logger.warning(f"nevbook: {src} is missing (the execution cache outlived the figure files); "
                           "delete _build/.jupyter_cache and build again", location=pagename,
                           type="nevbook", subtype="files")
            continue
        dest = Path(app.outdir) / "_figures" / folder / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if not dest.exists() or dest.read_bytes() != src.read_bytes():
            shutil.copyfile(src, dest)
    body = _FILE_REF.sub(lambda m: f'{m.group(1)}="{base}/{m.group(2)}/{m.group(3)}"', body)
    title = re.sub(r"<[^>]+>", "", str(context.get("title") or ""))
    context["body"] = body.replace(CITE_PAGE, f"\u201c{escape(title)}\u201d")


def html_page_context(app, pagename, templatename, context, doctree):
    _drop_unused_assets(context)
    _serve_figure_files(app, pagename, context)
    body = context.get("body") or ""
    if CHART_MARKER in body:
        app.add_js_file("vendor/vega.min.js", loading_method="defer", priority=600)
        app.add_js_file("nevcharts.js", loading_method="defer", priority=601)
    if TRACKER_MARKER in body:
        app.add_js_file("nevtracker.js", loading_method="defer", priority=602)


def builder_inited(app: Sphinx) -> None:
    if app.builder.format == "html":
        from ..publish.icons import restore_original

        restore_original(Path(app.outdir))


def build_finished(app: Sphinx, exception) -> None:
    if exception is None and app.builder.format == "html":
        from ..publish.icons import write_subset

        glyphs, size = write_subset(Path(app.outdir), cache=Path(app.outdir).parent / ".nevbook")
        if glyphs:
            logger.info(f"nevbook: icon font cut to the {glyphs} icons the site uses ({size:,} bytes)")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", builder_inited)
    app.connect("source-read", source_read)
    app.connect("doctree-read", doctree_read)
    app.connect("html-page-context", html_page_context, priority=901)
    app.connect("build-finished", build_finished, priority=400)
    app.add_css_file("nevbook.css")
