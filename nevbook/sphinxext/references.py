"""The web sources behind the figures: ``nev-citations`` (a chapter's
sources), ``nev-references`` (every source, with links back to the pages
that cite it) and ``nev-downloads`` (every table of the data package)."""
from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives

from .. import paths
from ..data import Book
from ..labels import tier_label
from ..text import prose_date
from .base import DataDirective, mark, xref
from .collector import cite_mentions, cite_uses


def citation_link(c: dict) -> nodes.Node:
    """The publisher's short name, linking to the page (title on hover)."""
    return nodes.reference("", c["publisher"].split(" (")[0], refuri=c["url"], reftitle=c["title"])


def citation_entry(c: dict, *, full: bool = True) -> nodes.paragraph:
    """A source as the references page lists it (``full``: with the date it
    was checked, whose release it reprints and its note), or as a chapter's
    short list does (publisher, title, date, tier)."""
    para = nodes.paragraph()
    para += nodes.Text(f"{c['publisher']}. ")
    para += nodes.reference("", c["title"], refuri=c["url"])
    date = f", {c['published']}" if c.get("published") else ""
    para += nodes.Text(f"{date}. " + (f"Checked {prose_date(c['accessed'])}. " if full else ""))
    para += nodes.inline("", tier_label(c["tier"]).capitalize() + ".", classes=["nev-tier", f"nev-tier-{c['tier']}"])
    if full and c.get("relay_of"):
        para += nodes.Text(f" Reprints or reports: {c['relay_of']}.")
    if full and c.get("note"):
        para += nodes.Text(" ")
        para += nodes.inline("", c["note"], classes=["nev-ref-note"])
    return para


class CitationsDirective(DataDirective):
    """Web sources behind a theme's series, events, estimates and milestones,
    plus any other series the chapter uses (``:series:`` ids, space-separated);
    the ledger's evidence is cited on the tracker. Without ``:theme:`` (the
    synthesis): the five texts."""

    option_spec = {"theme": directives.unchanged, "series": directives.unchanged}

    def render(self, b: Book) -> list[nodes.Node]:
        if "theme" not in self.options:
            # Its pledge tables link each citation in place, and the
            # references page lists them all.
            return [self.listing(b, [c["id"] for c in b.rows("citations") if c["id"].startswith("text-")])]
        theme = self.theme(b)
        series = {s["id"] for s in b.rows("series") if s["theme"] == theme}
        extra = (self.options.get("series") or "").split()
        unknown = [s for s in extra if s not in b.by_id("series")]
        if unknown:
            return self.warn(f"unknown series {unknown} (not in data/series.csv)")
        series |= set(extra)
        used: list[str] = []
        for res in b.package.observations:
            used += [r["citation_id"] for r in res.rows if r["series_id"] in series]
        used += [e["citation_id"] for e in b.rows("events") if theme in e["themes"]]
        used += [e["citation_id"] for e in b.rows("estimates") if theme in e["themes"]]
        used += [m["citation_id"] for m in b.rows("milestones") if theme in m["themes"]]
        # The ledger's evidence is cited with each record on the tracker.
        return [self.listing(b, used)]

    def listing(self, b: Book, used: list[str]) -> nodes.Node:
        cites = b.by_id("citations")
        out = nodes.bullet_list(classes=["nev-citations"])
        ids = sorted(set(used), key=lambda c: (cites[c]["publisher"].lower(), c))
        mark(out, citations=ids)
        for cid in ids:
            para = citation_entry(cites[cid], full=False)
            para["ids"] = [f"cite-{cid}"]
            para += nodes.Text(" ")
            para += xref(f"ref-{cid}", "Details", classes=["nev-ref-link"], title="The source on the references page")
            out += nodes.list_item("", para)
        return out


class cited_in(nodes.General, nodes.Element):
    """Placeholder: the pages that cite a web source."""


class ReferencesDirective(DataDirective):
    """Every web source in data/citations.csv, each with links back to the
    pages that cite it (filled in once every page has been read)."""

    def render(self, b: Book) -> list[nodes.Node]:
        std = self.env.get_domain("std")
        out = nodes.bullet_list(classes=["nev-references"])
        mark(out, references=True)
        for c in sorted(b.rows("citations"), key=lambda c: (c["publisher"].lower(), c["title"].lower(), c["id"])):
            label = f"ref-{c['id']}"
            std.note_hyperlink_target(label, self.env.docname, label, c["title"])
            item = nodes.list_item("", ids=[label])
            item += citation_entry(c)
            item += cited_in(citation_id=c["id"])
            out += item
        return [out]


def resolve_cited_in(app, doctree, fromdocname):
    env = app.env
    uses, mentions = cite_uses(env), cite_mentions(env)
    for node in list(doctree.findall(cited_in)):
        cid = node["citation_id"]
        docs = sorted({d for d in uses if cid in uses[d]} | {d for d in mentions if cid in mentions[d]})
        p = nodes.paragraph(classes=["nev-cited-in"])
        if not docs:
            p += nodes.Text("Cited in the data only (see the data package).")
        else:
            p += nodes.Text("Cited in: ")
            for i, d in enumerate(docs):
                if i:
                    p += nodes.Text("; ")
                title = env.titles[d].astext() if d in env.titles else d
                anchor = f"#cite-{cid}" if cid in uses.get(d, ()) else ""
                uri = app.builder.get_relative_uri(fromdocname, d) + anchor
                p += nodes.reference("", title, refuri=uri, internal=True)
        node.replace_self(p)


class DownloadsDirective(DataDirective):
    """Every table of the data package as a download, with its description
    (from datapackage.json), so that a new table is listed without edits."""

    def render(self, b: Book) -> list[nodes.Node]:
        from sphinx import addnodes

        docdir = (Path(self.env.srcdir) / self.env.docname).parent
        out = nodes.bullet_list(classes=["nev-downloads"])
        entries = [("datapackage.json", "The package descriptor: every table's fields, types, units and keys.")]
        entries += [(r["path"], r.get("description") or r.get("title", ""))
                    for r in b.package.descriptor["resources"]]
        for path, desc in entries:
            target = os.path.relpath(paths.data_dir() / path, docdir)
            para = nodes.paragraph()
            ref = addnodes.download_reference("", "", refdoc=self.env.docname, reftarget=target,
                                              refexplicit=True, refwarn=True)
            ref += nodes.literal(path, path)
            para += ref
            para += nodes.Text(f": {desc}")
            out += nodes.list_item("", para)
        return [out]


def setup(app) -> None:
    app.add_directive("nev-citations", CitationsDirective)
    app.add_directive("nev-references", ReferencesDirective)
    app.add_directive("nev-downloads", DownloadsDirective)
    app.add_node(cited_in)
    app.connect("doctree-resolved", resolve_cited_in)
