"""Patches to the theme's pages, each for accessibility or speed, none
changing what a page says: a lighter head (no fontawesome.js, deferred
scripts, basic.css linked directly), named sidebar toggles, a real root
redirect page, template overrides (``nevbook/templates``), and in-page links
for one-page builds (the PDF edition)."""
from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from .. import paths

_FONTAWESOME_JS = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')
_SEARCH_JS = re.compile(r'<script src="([^"]*(?:_static/searchtools|_static/language_data|searchindex)\.js)"></script>')


# theme.css holds only `@import "../basic.css"`: linking basic.css directly
# saves the browser a round trip before it can paint.
_THEME_CSS = re.compile(r'<link href="([^"]*_static/)styles/theme\.css\?[^"]*" rel="stylesheet" />')
# The theme preloads its two scripts at high priority; they then compete with
# the stylesheets for bandwidth before the first paint. They still load, deferred.
_PRELOAD_JS = re.compile(r'\s*<link rel="preload" as="script" href="[^"]*" />')


def trim_head(markup):
    """Jinja filter for nevbook/templates/layout.html (see there)."""
    from markupsafe import Markup

    text = _FONTAWESOME_JS.sub("", str(markup))
    text = _SEARCH_JS.sub(r'<script defer src="\1"></script>', text)
    text = _THEME_CSS.sub(r'<link href="\1basic.css" rel="stylesheet" />', text)
    text = _PRELOAD_JS.sub("", text)
    return Markup(text)



# The theme's sidebar folds a part's pages under a <summary> that holds only a
# chevron icon: a control with no name (axe: summary-name). Name it after the
# page or part it folds.
_TOGGLE = re.compile(
    r'(?:<a class="reference internal" href="[^"]*">(?P<page>[^<]*)</a>)?'
    r'(?P<details><details(?: open="open")?>)<summary>(?P<caption><p[^>]*>.*?</p>)?'
    r'<span class="toctree-toggle" role="presentation">')


def _name_toggles(html_text: str) -> str:
    def label(m: re.Match) -> str:
        what = m["page"] or re.sub(r"<[^>]+>", "", m["caption"] or "").strip() or "this part"
        name = html.escape(f"Show or hide the pages under {html.unescape(what)}", quote=True)
        before = m.group(0)[:m.start("details") - m.start()]
        return (f'{before}{m["details"]}'
                f'<summary aria-label="{name}">{m["caption"] or ""}'
                '<span class="toctree-toggle" role="presentation">')
    return _TOGGLE.sub(label, html_text)


def _wrap_toctree(context: dict) -> None:
    make = context.get("generate_toctree_html")
    if make is None or getattr(make, "nevbook_named", False):
        return

    def named(*args, **kwargs):
        return _name_toggles(str(make(*args, **kwargs)))
    named.nevbook_named = True  # type: ignore[attr-defined]
    context["generate_toctree_html"] = named


# Theme and extension scripts that need not block parsing: none is called by
# an inline script, and deferred scripts keep their order. Two stay: an inline
# script sets DOCUMENTATION_OPTIONS.pagename right after documentation_options.js,
# and the search page's own (blocking) searchtools.js calls doctools.js's _ready.
_DEFERRABLE = {"sphinx_highlight.js", "clipboard.min.js", "copybutton.js",
               "sphinx-book-theme.js", "togglebutton.js", "design-tabs.js"}


def _defer_scripts(context: dict) -> None:
    for js in context.get("script_files") or []:
        name = Path(str(getattr(js, "filename", "") or "")).name
        attrs = getattr(js, "attributes", None)
        if name in _DEFERRABLE and isinstance(attrs, dict) and "async" not in attrs:
            attrs.setdefault("defer", "defer")



_REDIRECT = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="icon" href="data:,">
<link rel="canonical" href="{target}">
</head>
<body><p><a href="{target}">{title}</a></p></body>
</html>
"""


def _write_root_redirect(app: Sphinx) -> None:
    """The site root's index.html, when the book starts elsewhere: a real page
    (language, title, a link) rather than the bare meta refresh that
    sphinx-external-toc writes. Its empty icon stops browsers asking for
    /favicon.ico (a 404), and, unlike a real icon, cannot be cut off by the
    instant redirect (a failed request)."""
    if app.builder.name != "html" or app.config.root_doc == "index":
        return
    target = app.builder.get_target_uri(app.config.root_doc)
    title = app.config.html_title or app.config.project
    page = _REDIRECT.format(title=html.escape(title), target=html.escape(target, quote=True))
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")



def single_page_anchors(app, doctree, fromdocname):
    """One-page builds (``singlehtml``, used for the PDF edition): a link to an
    anchor on another page becomes an in-page link.

    Sphinx writes such a link as ``#document-<doc>#<anchor>`` and then rewrites
    it to ``<root_doc>.html#<anchor>``, which is broken when the root document
    sits in a folder (``book/index``: the page is ``book/index.html``, links
    point to ``book/book/index.html``). Every page is on this one page, so the
    anchor alone is right. Other builders are left alone.
    """
    from sphinx.builders.singlehtml import SingleFileHTMLBuilder

    if not isinstance(app.builder, SingleFileHTMLBuilder):
        return
    for ref in doctree.findall(nodes.reference):
        uri = ref.get("refuri", "")
        if uri.startswith("#document-") and "#" in uri[1:]:
            ref["refuri"] = uri[uri.index("#", 1):]




def config_inited(app: Sphinx, config) -> None:
    # Our template overrides (accessibility fixes to theme components) win.
    config.templates_path = [str(paths.TEMPLATES)] + list(config.templates_path)


def builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["nev_trim_head"] = trim_head


def html_page_context(app, pagename, templatename, context, doctree):
    _wrap_toctree(context)
    _defer_scripts(context)


def build_finished(app: Sphinx, exception) -> None:
    if exception is None:
        _write_root_redirect(app)


def setup(app: Sphinx) -> None:
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", builder_inited)
    app.connect("html-page-context", html_page_context, priority=900)
    # Late, after every handler that adds links (ours, other extensions').
    app.connect("doctree-resolved", single_page_anchors, priority=900)
    # Before sphinx-external-toc writes its bare redirect.
    app.connect("build-finished", build_finished, priority=400)
