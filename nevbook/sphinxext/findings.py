"""The key findings and the links back to them (BOOK.md §10).

- ``nev-findings`` wraps the numbered list of book/findings.md: each finding
  gets an anchor (``finding-<first words of its bold head>``), a label other
  pages can link to, and is remembered with what it links to and says.
- ``nev-findings-summary`` lists the findings' bold heads, each linking to its
  finding (the landing page's summary; read from the findings page's source,
  so the two never differ).
- Back-links, once every page is read: a tracker record a finding links to,
  a glossary term a finding links ({term}), and a web source behind a chart a finding
  links to each say "In the key findings: N", linking to that finding.
"""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.environment.collectors import EnvironmentCollector
from sphinx.util.docutils import SphinxDirective

from .base import logger, xref

ITEM = re.compile(r"^\d+\.\s+\*\*(?P<head>[^*]+)\*\*", re.M)


def _slug(head: str, words: int = 5) -> str:
    return "finding-" + "-".join(re.findall(r"[a-z0-9]+", re.sub("['\u2019]", "", head.lower()))[:words])


def _store(env) -> dict[str, list[dict]]:
    """docname -> its findings: [{id, n, head, targets, text}] in page order."""
    if not hasattr(env, "nevbook_findings"):
        env.nevbook_findings = {}
    return env.nevbook_findings


def _figure_cites(env) -> dict[str, dict[str, set[str]]]:
    """docname -> {figure anchor: citation ids its source line links}."""
    if not hasattr(env, "nevbook_figure_cites"):
        env.nevbook_figure_cites = {}
    return env.nevbook_figure_cites


def _backlink_docs(env) -> dict[str, bool]:
    """Pages that carry back-links (tracker, glossary, references)."""
    if not hasattr(env, "nevbook_backlink_docs"):
        env.nevbook_backlink_docs = {}
    return env.nevbook_backlink_docs


_STORES = (_store, _figure_cites, _backlink_docs)


class FindingsDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        box = nodes.container(classes=["nev-findings"])
        self.state.nested_parse(self.content, self.content_offset, box)
        lists = [n for n in box.findall(nodes.enumerated_list)]
        if not lists:
            logger.warning(f"{self.env.docname}: nev-findings holds no numbered list of findings",
                           location=(self.env.docname, self.lineno))
            return [box]
        std = self.env.get_domain("std")
        found = []
        for n, item in enumerate(lists[0].children, 1):
            strong = next(iter(item.findall(nodes.strong)), None)
            if strong is None:
                logger.warning(f"{self.env.docname}: finding {n} has no bold head (**...**)",
                               location=(self.env.docname, self.lineno))
                continue
            head = strong.astext().strip()
            fid = _slug(head)
            item["ids"].append(fid)
            std.note_hyperlink_target(fid, self.env.docname, fid, f"Key finding {n}")
            targets = sorted({x["reftarget"] for x in item.findall(lambda x: x.get("reftarget") if hasattr(x, "get") else None)})
            found.append({"id": fid, "n": n, "head": head, "targets": targets, "text": item.astext()})
        _store(self.env)[self.env.docname] = found
        return [box]


class FindingsSummaryDirective(SphinxDirective):
    """The bold heads of the findings page named by the argument."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        rel = self.arguments[0].lstrip("/")
        path = Path(self.env.srcdir) / (rel if rel.endswith(".md") else rel + ".md")
        if not path.exists():
            logger.warning(f"{self.env.docname}: nev-findings-summary: no page {rel}",
                           location=(self.env.docname, self.lineno))
            return []
        self.env.note_dependency(str(path))
        heads = [m["head"].strip() for m in ITEM.finditer(path.read_text(encoding="utf-8"))]
        out = nodes.enumerated_list(classes=["nev-findings-summary"], enumtype="arabic")
        for head in heads:
            p = nodes.paragraph()
            p += xref(_slug(head), head)
            out += nodes.list_item("", p)
        return [out]


class FindingsCollector(EnvironmentCollector):
    """Keeps the stores right across incremental and parallel builds, and
    notes which pages carry back-links and which sources each chart cites."""

    def clear_doc(self, app, env, docname):
        for get in _STORES:
            get(env).pop(docname, None)

    def merge_other(self, app, env, docnames, other):
        for get in _STORES:
            mine, theirs = get(env), get(other)
            for d in docnames:
                if d in theirs:
                    mine[d] = theirs[d]

    def process_doc(self, app, doctree):
        env, doc = app.env, app.env.docname
        classes = {c for n in doctree.findall(nodes.Element) for c in n.get("classes", [])}
        if classes & {"nev-tracker-table", "nev-glossary", "nev-references"}:
            _backlink_docs(env)[doc] = True
        by_url = {c["url"]: c["id"] for c in _citations()}
        figs: dict[str, set[str]] = {}
        for raw in doctree.findall(nodes.raw):
            html = raw.astext()
            for m in re.finditer(r'<figure class="nev-figure" id="(fig-[a-z0-9-]+)">(.*?)</figure>', html, re.S):
                urls = re.findall(r'href="(https?://[^"]+)"', m.group(2))
                figs[m.group(1)] = {by_url[u.replace("&amp;", "&")] for u in urls if u.replace("&amp;", "&") in by_url}
        if figs:
            _figure_cites(env)[doc] = figs

    def get_outdated_docs(self, app, env, added, changed, removed):
        # Any page may gain or lose a finding, a chart or a source: the pages
        # that carry back-links are read again (as the references page is).
        if added or changed or removed:
            return sorted(set(_backlink_docs(env)) - set(added) - set(changed))
        return []


def _citations() -> list[dict]:
    from ..data import book

    return book().rows("citations")


def _para(app, fromdoc: str, found: list[tuple[str, dict]]) -> nodes.paragraph:
    p = nodes.paragraph(classes=["nev-in-findings"])
    p += nodes.Text("In the key findings: ")
    for i, (doc, f) in enumerate(sorted(found, key=lambda x: x[1]["n"])):
        if i:
            p += nodes.Text(", ")
        uri = app.builder.get_relative_uri(fromdoc, doc) + "#" + f["id"]
        p += nodes.reference("", str(f["n"]), refuri=uri, internal=True, reftitle=f["head"])
    return p


def add_backlinks(app, doctree, fromdoc):
    env = app.env
    if fromdoc not in _backlink_docs(env):
        return
    findings = [(d, f) for d, fs in _store(env).items() for f in fs]
    if not findings:
        return
    cites_of = {fid: c for figs in _figure_cites(env).values() for fid, c in figs.items()}
    from ..data import book

    terms = {g["id"]: g["term"] for g in book().rows("glossary")}
    for el in list(doctree.findall(nodes.Element)):
        ids = el.get("ids") or []
        for anchor in ids:
            hits: list[tuple[str, dict]] = []
            if anchor.startswith("record-") and isinstance(el, nodes.row):
                hits = [(d, f) for d, f in findings if anchor in f["targets"]]
                where = next(iter(el.findall(nodes.entry)), None)
            elif anchor.startswith("ref-") and isinstance(el, nodes.list_item):
                cid = anchor[len("ref-"):]
                hits = [(d, f) for d, f in findings
                        if any(cid in cites_of.get(t, ()) for t in f["targets"])]
                where = el
            elif anchor.startswith("term-") and isinstance(el, nodes.term):
                term = terms.get(anchor[len("term-"):], "").lower()
                hits = [(d, f) for d, f in findings if term and term in {t.lower() for t in f["targets"]}]
                item = el.parent
                where = next(iter(item.findall(nodes.definition)), None) if item is not None else None
            else:
                continue
            if hits and where is not None:
                where += _para(app, fromdoc, hits)
            break


def setup(app) -> None:
    app.add_directive("nev-findings", FindingsDirective)
    app.add_directive("nev-findings-summary", FindingsSummaryDirective)
    app.add_env_collector(FindingsCollector)
    app.connect("doctree-resolved", add_backlinks)
