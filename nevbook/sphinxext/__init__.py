"""Sphinx extension: the book's data, rendered in its pages.

A thin layer over the domain code (``nevbook.data``, ``nevbook.labels``,
``nevbook.quotes``), one module a concern, each with its own ``setup``:

- ``quotes``: ``nev-quote``, a verified quote, attributed and linked to its paragraph;
- ``ledger``: ``nev-ledger``, ``nev-claims``, ``nev-tracker``, ``nev-ledger-rule``: commitments judged on action and outcome, claims checked;
- ``sources``: ``nev-sources`` and ``nev-source`` (a statement whole, every
  paragraph anchored, "quoted in" lists);
- ``references``: ``nev-citations``, ``nev-references`` ("cited in"), ``nev-downloads``;
- ``glossary``: ``nev-glossary``;
- ``blocks``: ``nev-verdict``, the box that opens a chapter;
- ``findings``: ``nev-findings``, ``nev-findings-summary``: the key findings, anchored, and links back to them;
- ``outlook``: ``nev-estimates`` (what others estimate), ``nev-milestones`` (what to watch);
- ``freshness``: ``nev-freshness``, a chapter's review date and its series' latest periods;
- ``changes``: ``nev-changes``, what changed in this edition, from the data;
- ``roles``: ``{nev-value}`` and ``{nev-stat}`` for numbers on prose pages;
- ``base``: the directive base (id look-up, one warning naming file and id);
- ``collector``: the environment collector (quoted in, cited in, dependencies);
- ``assets``: the chart runtime from node_modules (never a CDN), per-page assets, icon subset;
- ``theme``: patches to the theme's pages (accessibility, speed);
- ``search``: an incremental build's search index equals a clean build's;
- ``outputs``: notebook outputs bounded (the ``nevbook`` MyST-NB renderer);
- ``execution``: data first, one build at a time, re-execute only what changed.

A bad id, or data that do not validate, is a build warning (or error) naming
the file and row; ``-W`` turns warnings into errors.
"""
from __future__ import annotations

from sphinx.application import Sphinx

from . import (assets, blocks, changes, collector, execution, findings, freshness, glossary, ledger,
               outlook, quotes, references, roles, search, sources, theme)


def setup(app: Sphinx) -> dict:
    for module in (execution, collector, quotes, ledger, sources, references, glossary, roles,
                   blocks, findings, outlook, freshness, changes, assets, theme, search):
        module.setup(app)
    return {"version": "2", "parallel_read_safe": True, "parallel_write_safe": True}
