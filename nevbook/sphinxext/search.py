"""An incremental build's search index equals a clean build's.

Sphinx 7.4 keeps two kinds of stale data between incremental builds:

- words a rewritten page no longer holds stay in the index with an empty
  list of pages (harmless to readers, but the index differs from a clean
  build's);
- index entries (the glossary's terms, for example) are gathered while pages
  are written, after the environment has been saved, so pages not rewritten
  lose theirs on the next build.

Before the index is written (``html-collect-pages``, which Sphinx runs just
before dumping it) the empty words are dropped and missing entries restored
from the ones this extension saved at the end of the last build.
"""
from __future__ import annotations

import json
from pathlib import Path

from sphinx.application import Sphinx


def _saved(app: Sphinx) -> Path:
    return Path(app.outdir).parent / ".nevbook" / f"search-entries-{app.builder.name}.json"


def html_collect_pages(app: Sphinx):
    indexer = getattr(app.builder, "indexer", None)
    if indexer is None:
        return []
    for mapping in (indexer._mapping, indexer._title_mapping):
        for word in [w for w, docs in mapping.items() if not docs]:
            del mapping[word]
    try:
        saved = json.loads(_saved(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    docs = set(app.env.all_docs)
    for doc, entries in saved.items():
        if doc in docs and doc not in indexer._index_entries:
            indexer._index_entries[doc] = [tuple(e) for e in entries]
    for doc in [d for d in indexer._index_entries if d not in docs]:
        del indexer._index_entries[doc]
    return []


def build_finished(app: Sphinx, exception) -> None:
    indexer = getattr(app.builder, "indexer", None)
    if exception is None and indexer is not None:
        path = _saved(app)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(indexer._index_entries, sort_keys=True), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("html-collect-pages", html_collect_pages)
    app.connect("build-finished", build_finished)
