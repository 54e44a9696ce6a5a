"""The five statements: ``nev-sources`` (a list linking to their pages) and
``nev-source`` (one statement whole: metadata, where the book quotes it, and
the full text with every paragraph anchored). "Quoted in" lists are filled
in once every page has been read (:func:`resolve_quoted_in`)."""
from __future__ import annotations

from docutils import nodes

from .. import paths
from ..data import Book, book
from ..labels import paragraphs_label, source_label, source_title, speaker_line
from ..quotes import load_text
from ..text import prose_date
from .base import DataDirective, mark, xref_to_source
from .collector import quote_uses


class quoted_in(nodes.General, nodes.Element):
    """Placeholder, filled once every page has been read: where the book
    quotes a source (``para`` unset) or one of its paragraphs."""


class SourcesDirective(DataDirective):
    """The five statements in date order: a short entry each, linking to
    the page that holds the full text (``nev-source``)."""

    def render(self, b: Book) -> list[nodes.Node]:
        counts: dict[str, int] = {}
        for q in b.rows("quotes"):
            counts[q["source_id"]] = counts.get(q["source_id"], 0) + 1
        out = nodes.bullet_list(classes=["nev-source-list"])
        for src in sorted(b.rows("sources"), key=lambda s: s["date"]):
            para = nodes.paragraph()
            strong = nodes.strong()
            strong += xref_to_source(src["id"], source_title(src))
            para += strong
            para += nodes.Text(f". {src['kind'].capitalize()}. Speakers: {speaker_line(b, src['id'])}. "
                               f"Quoted {counts.get(src['id'], 0)} times in the data.")
            out += nodes.list_item("", para)
        return [out]


class SourceDirective(DataDirective):
    """One statement whole (label ``source-<id>``, paragraphs ``source-<id>-p<n>``)."""

    required_arguments = 1

    def render(self, b: Book) -> list[nodes.Node]:
        sid = self.arguments[0]
        src = self.lookup(b, "sources", sid)
        std = self.env.get_domain("std")
        label = source_label(sid)
        std.note_hyperlink_target(label, self.env.docname, label, source_title(src))
        out: list[nodes.Node] = [mark(nodes.target("", "", ids=[label]), source=sid)]

        dl = nodes.definition_list(classes=["nev-source-meta"])
        items = [("Date", prose_date(src["date"])), ("Event", src["event"]),
                 ("Place", src.get("place") or ""), ("Kind", src["kind"]),
                 ("Speakers", speaker_line(b, sid)), ("Text quoted", src["outlet"]),
                 ("Headline", src.get("headline") or ""),
                 ("Translation notes", src["translation_notes"]),
                 ("Text checksum", f"SHA-256 {src['sha256'][:12]}… (the quoted text cannot change unnoticed)")]
        for term, val in items:
            if val:
                dl += _item(term, nodes.paragraph(text=val))
        links = nodes.bullet_list()
        for u in b.rows("source_urls"):
            if u["source_id"] == sid:
                para = nodes.paragraph()
                para += nodes.reference("", u["label"], refuri=u["url"])
                links += nodes.list_item("", para)
        dl += _item("Links", links)
        out.append(dl)

        out.append(nodes.rubric(text="Quoted in this book"))
        out.append(quoted_in(source_id=sid))

        out.append(nodes.rubric(text="Full text"))
        out.append(nodes.paragraph(classes=["nev-source-note"], text=(
            "The translation as published, one numbered paragraph per line of the file. "
            "Paragraphs quoted in the book are marked, with links to where they are quoted.")))
        text = load_text(paths.data_dir() / src["file"])
        body = nodes.container(classes=["nev-source-text"])
        for n, para_text in enumerate(text.paragraphs, start=1):
            plabel = source_label(sid, n)
            std.note_hyperlink_target(plabel, self.env.docname, plabel, f"{source_title(src)}, paragraph {n}")
            para = nodes.paragraph(ids=[plabel], classes=["nev-para"])
            para += nodes.reference("", str(n), refid=plabel, classes=["nev-para-num"],
                                    reftitle=f"Link to paragraph {n}")
            para += nodes.Text(" " + para_text)
            body += para
            body += quoted_in(source_id=sid, para=n)
        out.append(body)
        return out


def _item(term: str, definition: nodes.Node) -> nodes.definition_list_item:
    item = nodes.definition_list_item()
    item += nodes.term(text=term)
    item += nodes.definition("", definition)
    return item


def resolve_quoted_in(app, doctree, fromdocname):
    placeholders = list(doctree.findall(quoted_in))
    if not placeholders:
        return
    env = app.env
    b = book()
    quotes = b.by_id("quotes")
    uses = quote_uses(env)
    for node in placeholders:
        sid, para = node["source_id"], node.get("para")
        hits: list[tuple[int, str, str]] = []
        for docname in sorted(uses):
            for qid in dict.fromkeys(uses[docname]):
                q = quotes.get(qid)
                if q is None or q["source_id"] != sid:
                    continue
                first, last = b.quote_paragraphs.get(qid, (0, 0))
                if para is None or first <= para <= last:
                    hits.append((first, docname, qid))
        hits.sort()
        if not hits:
            node.replace_self(nodes.paragraph(text="Not quoted yet.") if para is None else [])
            continue
        items = nodes.bullet_list(classes=["nev-quoted-in"] + (["nev-quoted-in-para"] if para else []))
        for _, docname, qid in hits:
            title = env.titles[docname].astext() if docname in env.titles else docname
            uri = app.builder.get_relative_uri(fromdocname, docname) + f"#quote-{qid}"
            p = nodes.paragraph()
            if para:
                p += nodes.Text("Quoted in ")
            p += nodes.reference("", title, refuri=uri, internal=True)
            if para is None:
                first, last = b.quote_paragraphs.get(qid, (0, 0))
                p += nodes.Text(f" ({paragraphs_label(first, last)})")
            items += nodes.list_item("", p)
        node.replace_self(items)


def setup(app) -> None:
    app.add_directive("nev-sources", SourcesDirective)
    app.add_directive("nev-source", SourceDirective)
    app.add_node(quoted_in)
    app.connect("doctree-resolved", resolve_quoted_in)
