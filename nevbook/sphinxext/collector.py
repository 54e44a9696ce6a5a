"""One environment collector for what pages rendered from data/ say about
each other, read from the markers directives leave in the doctree
(:func:`.base.mark`):

- which page shows which quote (source pages list "quoted in");
- which page lists which citation (the references page lists "cited in");
- which pages hold a source text or the references list (they must be
  written again when another page gains or loses a quote or a citation);
- dependencies: a page rendered from data/ is read again when a file under
  data/ changes.

Kept on the Sphinx environment (pickled with it) and merged after parallel
reads.
"""
from __future__ import annotations

import re

from sphinx.environment.collectors import EnvironmentCollector

from .. import paths
from .base import DATA


def _store(env, name: str, factory):
    if not hasattr(env, name):
        setattr(env, name, factory())
    return getattr(env, name)


def quote_uses(env) -> dict[str, list[str]]:
    """docname -> quote ids shown there, in page order."""
    return _store(env, "nevbook_quote_uses", dict)


def cite_uses(env) -> dict[str, set[str]]:
    """docname -> citation ids listed there (each with its ``cite-<id>`` anchor)."""
    return _store(env, "nevbook_cite_uses", dict)


def cite_mentions(env) -> dict[str, set[str]]:
    """docname -> citation ids linked there without an anchor of their own
    (the tracker's evidence, estimates, milestones)."""
    return _store(env, "nevbook_cite_mentions", dict)


def source_docs(env) -> set[str]:
    """Pages that hold a source text."""
    return _store(env, "nevbook_source_docs", set)


def reference_docs(env) -> set[str]:
    """Pages that hold the references list."""
    return _store(env, "nevbook_reference_docs", set)


_STORES = (quote_uses, cite_uses, cite_mentions, source_docs, reference_docs)


class DataCollector(EnvironmentCollector):

    def clear_doc(self, app, env, docname):
        for get in _STORES:
            store = get(env)
            if isinstance(store, dict):
                store.pop(docname, None)
            else:
                store.discard(docname)

    def merge_other(self, app, env, docnames, other):
        for get in _STORES:
            mine, theirs = get(env), get(other)
            for d in docnames:
                if d in theirs:
                    if isinstance(mine, dict):
                        mine[d] = theirs[d]
                    else:
                        mine.add(d)

    def process_doc(self, app, doctree):
        env, doc = app.env, app.env.docname
        _note_figures(env, doc, doctree)
        marked = [n for n in doctree.findall(lambda n: hasattr(n, "get") and DATA in n.attributes)]
        if not marked:
            return
        for f in sorted(paths.data_dir().rglob("*")):
            if f.is_file():
                env.note_dependency(str(f))
        for node in marked:
            what = node[DATA]
            if "quote" in what:
                quote_uses(env).setdefault(doc, []).append(what["quote"])
            if "citations" in what:
                store = cite_uses(env) if what.get("anchored", True) else cite_mentions(env)
                store.setdefault(doc, set()).update(what["citations"])
            if "source" in what:
                source_docs(env).add(doc)
            if what.get("references"):
                reference_docs(env).add(doc)

    def get_outdated_docs(self, app, env, added, changed, removed):
        # A page that gains or loses a quote or a citation changes the source
        # pages' "quoted in" and the references' "cited in".
        if added or changed or removed:
            return sorted((source_docs(env) | reference_docs(env)) - set(added) - set(changed))
        return []


_FIGURE = re.compile(r'<figure class="nev-figure" id="(fig-[a-z0-9-]+)">')


def _note_figures(env, doc, doctree) -> None:
    """Each chart's anchor (``fig-<id>``) is a label other pages can link to
    with {ref}, in every builder (the one-page PDF build included)."""
    from docutils import nodes

    std = env.get_domain("std")
    for raw in doctree.findall(nodes.raw):
        for fid in _FIGURE.findall(raw.astext()):
            std.note_hyperlink_target(fid, doc, fid, fid)


def setup(app) -> None:
    app.add_env_collector(DataCollector)
