"""Sphinx extension: the book's data, rendered in its pages.

Directives (MyST: ```{nev-quote} id``` and so on):

- ``nev-quote``: a verified, attributed quote linked to its source;
- ``nev-pledges``: the pledges of a theme, with status and evidence;
- ``nev-sources``: the five statements, listed with links to their pages;
- ``nev-source``: one statement whole: metadata, "quoted in", the full text
  with every paragraph anchored (quotes link to their paragraph);
- ``nev-citations``: the web sources behind a theme's figures;
- ``nev-glossary``: the glossary, whose terms chapters link with ``{term}``;
- ``nev-references``: every web source, with links back to the pages citing it.

A bad id, or data that do not validate, is a build warning naming the file
and row (``-W`` turns it into an error).

It also serves the chart runtime from the site itself: the pinned Vega build
from ``node_modules`` (see package.json) is staged into ``_static/vendor``, and
pages that hold a chart get it (``defer``), with ``nevcharts.js``. When
``data/`` or this package change, every page is read again and every
notebook re-executed, since Jupyter Book's cache only sees notebook code.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import shutil
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import paths
from .data import Book, DataError, book, coverage

logger = logging.getLogger(__name__)

VENDOR = [("node_modules/vega/build/vega.min.js", "vendor/vega.min.js"),
          ("node_modules/vega/LICENSE", "vendor/vega.LICENSE.txt")]
CHART_MARKER = 'class="nev-chart"'


def long_date(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%B %Y')}"


def source_label(source_id: str, paragraph: int | None = None) -> str:
    """Cross-reference label of a source page, or of one of its paragraphs."""
    return f"source-{source_id}" + (f"-p{paragraph}" if paragraph else "")


class quoted_in(nodes.General, nodes.Element):
    """Placeholder, filled once every page has been read: where the book
    quotes a source (``para`` unset) or one of its paragraphs."""


def event_line(src: dict) -> str:
    """'SCIO press conference, 28 February 2022' style short event line."""
    return f"{src['event'].split(',')[0]}, {long_date(src['date'])}"


def attribution(b: Book, q: dict) -> str:
    src = b.by_id("sources")[q["source_id"]]
    sp = b.by_id("speakers")[q["speaker_id"]]
    if sp["id"] == "narration":
        who = f"Reported by {src['outlet'].split(' (')[0]}"
    else:
        who = f"{sp['name']}, {sp['title']}, {sp['organisation']}"
    return f"{who}. {event_line(src)}."


class _DataDirective(SphinxDirective):
    def book(self) -> Book | None:
        for p in paths.data_dir().rglob("*"):
            if p.is_file():
                self.env.note_dependency(str(p))
        try:
            return book()
        except DataError as exc:
            self.warn(str(exc))
            return None

    def book_and_theme(self) -> tuple[Book | None, str]:
        """The data and the ``:theme:`` option; (None, theme) after a warning."""
        b, theme = self.book(), self.options.get("theme", "")
        if b is not None and theme not in b.by_id("themes"):
            self.warn(f"unknown theme '{theme}' (not in data/themes.csv)")
            return None, theme
        return b, theme

    def warn(self, msg: str) -> list[nodes.Node]:
        logger.warning(msg, location=self.get_location(), type="nevbook", subtype="data")
        return []

    def link_to_source(self, source_id: str, text: str, paragraph: int | None = None) -> nodes.Node:
        from sphinx.addnodes import pending_xref

        ref = pending_xref("", refdomain="std", reftype="ref",
                           reftarget=source_label(source_id, paragraph),
                           refexplicit=True, refwarn=True)
        ref += nodes.inline(text, text)
        return ref


class QuoteDirective(_DataDirective):
    """A verbatim quote, attributed and linked to its source."""

    required_arguments = 1
    has_content = False

    def run(self):
        b = self.book()
        if b is None:
            return []
        qid = self.arguments[0]
        q = b.by_id("quotes").get(qid)
        if q is None:
            return self.warn(f"unknown quote id '{qid}' (not in data/quotes.csv)")
        uses = _uses(self.env).setdefault(self.env.docname, [])
        first_use = qid not in uses
        uses.append(qid)
        # The anchor that source pages link back to ("quoted in"); a quote
        # shown twice on one page is anchored once.
        quote = nodes.block_quote(classes=["nev-quote"], ids=[f"quote-{qid}"] if first_use else [])
        quote += nodes.paragraph(text=f"\u201c{q['text']}\u201d")
        attr = nodes.paragraph(classes=["attribution"])
        attr += nodes.Text("\u2014 " + attribution(b, q) + " ")
        first, last = b.quote_paragraphs.get(qid, (0, 0))
        where = f"paragraph {first}" if first == last else f"paragraphs {first}\u2013{last}"
        attr += self.link_to_source(q["source_id"], f"Source text, {where}", first)
        quote += attr
        if q.get("note"):
            quote += nodes.paragraph(text=f"Note: {q['note']}", classes=["attribution"])
        return [quote]


def _citation_ref(c: dict) -> nodes.Node:
    return nodes.reference("", c["publisher"].split(" (")[0], refuri=c["url"], reftitle=c["title"])


class PledgesDirective(_DataDirective):
    """Table of pledges for a theme: who, what, status, evidence, as of."""

    option_spec = {"theme": directives.unchanged, "source": directives.unchanged}

    def run(self):
        # :theme: for a chapter; :source: for one statement (the synthesis).
        b = self.book()
        if b is None:
            return []
        theme, source = self.options.get("theme"), self.options.get("source")
        if theme and theme not in b.by_id("themes"):
            return self.warn(f"unknown theme '{theme}' (not in data/themes.csv)")
        if source and source not in b.by_id("sources"):
            return self.warn(f"unknown source id '{source}' (not in data/sources.csv)")
        rows = [p for p in b.rows("pledges")
                if (not theme or theme in p["themes"]) and (not source or p["source_id"] == source)]
        if not rows:
            return self.warn(f"no pledges for {'theme ' + repr(theme) if theme else ''}"
                             f"{' source ' + repr(source) if source else ''} in data/pledges.csv")
        sources, speakers, cites = b.by_id("sources"), b.by_id("speakers"), b.by_id("citations")
        def order(p):  # by statement, then by the priority's number ("2 of 5"), then id
            m = re.match(r"(\d+)", p.get("priority") or "")
            return (sources[p["source_id"]]["date"], int(m.group(1)) if m else 99, p["id"])
        rows.sort(key=order)
        table = nodes.table(classes=["nev-pledges"])
        widths = [22, 30, 12, 36]
        tgroup = nodes.tgroup(cols=len(widths))
        table += tgroup
        for w in widths:
            tgroup += nodes.colspec(colwidth=w)
        head = nodes.thead()
        tgroup += head
        hrow = nodes.row()
        for h in ("Who and when", "Commitment (our summary)", "Status", "What happened"):
            hrow += nodes.entry("", nodes.paragraph(text=h))
        head += hrow
        body = nodes.tbody()
        tgroup += body
        for p in rows:
            src = sources[p["source_id"]]
            sp = speakers[p["speaker_id"]]
            row = nodes.row(ids=[f"pledge-{p['id']}"])
            who = nodes.paragraph()
            name = sp["name"][:1].upper() + sp["name"][1:]
            who += nodes.Text(f"{name}, {long_date(src['date'])} ")
            para = b.quote_paragraphs.get(p.get("quote_id") or "", (None,))[0]
            who += self.link_to_source(p["source_id"], "(source)", para)
            row += nodes.entry("", who)
            commit = nodes.paragraph(text=p["commitment"])
            row += nodes.entry("", commit)
            status = nodes.paragraph()
            status += nodes.inline(text=p["status"].replace("-", " "),
                                   classes=["nev-status", f"nev-status-{p['status']}"])
            row += nodes.entry("", status)
            ev = nodes.paragraph(text=p["evidence"] + " ")
            for i, cid in enumerate(p.get("citation_ids") or []):
                ev += nodes.Text("[" if i == 0 else "; ")
                ev += _citation_ref(cites[cid])
            if p.get("citation_ids"):
                ev += nodes.Text("]")
            ev += nodes.Text(f" As of {long_date(p['as_of'])}.")
            row += nodes.entry("", ev)
            body += row
        return [table]


def _speaker_line(b: Book, source_id: str) -> str:
    speakers = b.by_id("speakers")
    names = [s["speaker_id"] for s in b.rows("source_speakers")
             if s["source_id"] == source_id and s["speaker_id"] != "narration"]
    return "; ".join(
        f"{speakers[n]['name']}"
        + (f" ({speakers[n]['name_zh']})" if speakers[n].get("name_zh") else "")
        + f", {speakers[n]['title']}, {speakers[n]['organisation']}"
        for n in names)


def source_title(src: dict) -> str:
    return f"{long_date(src['date'])}: {src['event'].split(',')[0]}"


class SourcesDirective(_DataDirective):
    """The five statements in date order: a short entry each, linking to
    the page that holds the full text (``nev-source``)."""

    def run(self):
        b = self.book()
        if b is None:
            return []
        counts: dict[str, int] = {}
        for q in b.rows("quotes"):
            counts[q["source_id"]] = counts.get(q["source_id"], 0) + 1
        out = nodes.bullet_list(classes=["nev-source-list"])
        for src in sorted(b.rows("sources"), key=lambda s: s["date"]):
            para = nodes.paragraph()
            strong = nodes.strong()
            strong += self.link_to_source(src["id"], source_title(src))
            para += strong
            para += nodes.Text(f". {src['kind'].capitalize()}. Speakers: {_speaker_line(b, src['id'])}. "
                               f"Quoted {counts.get(src['id'], 0)} times in the data.")
            out += nodes.list_item("", para)
        return [out]


class SourceDirective(_DataDirective):
    """One statement whole: metadata, where the book quotes it, and the full
    text with every paragraph anchored (label ``source-<id>-p<n>``)."""

    required_arguments = 1

    def run(self):
        b = self.book()
        if b is None:
            return []
        sid = self.arguments[0]
        src = b.by_id("sources").get(sid)
        if src is None:
            return self.warn(f"unknown source id '{sid}' (not in data/sources.csv)")
        from .quotes import load_text

        _source_docs(self.env).add(self.env.docname)
        std = self.env.get_domain("std")
        label = source_label(sid)
        std.note_hyperlink_target(label, self.env.docname, label, source_title(src))
        out: list[nodes.Node] = [nodes.target("", "", ids=[label])]

        dl = nodes.definition_list(classes=["nev-source-meta"])
        items = [("Date", long_date(src["date"])), ("Event", src["event"]),
                 ("Place", src.get("place") or ""), ("Kind", src["kind"]),
                 ("Speakers", _speaker_line(b, sid)), ("Text quoted", src["outlet"]),
                 ("Headline", src.get("headline") or ""),
                 ("Translation notes", src["translation_notes"]),
                 ("Book id", f"{sid} (file data/{src['file']}, SHA-256 {src['sha256'][:12]}…)")]
        for term, val in items:
            if not val:
                continue
            item = nodes.definition_list_item()
            item += nodes.term(text=term)
            item += nodes.definition("", nodes.paragraph(text=val))
            dl += item
        links = nodes.bullet_list()
        for u in b.rows("source_urls"):
            if u["source_id"] == sid:
                para = nodes.paragraph()
                para += nodes.reference("", u["label"], refuri=u["url"])
                links += nodes.list_item("", para)
        item = nodes.definition_list_item()
        item += nodes.term(text="Links")
        item += nodes.definition("", links)
        dl += item
        out.append(dl)

        out.append(nodes.rubric(text="Quoted in this book"))
        out.append(quoted_in(source_id=sid))

        out.append(nodes.rubric(text="Full text"))
        note = nodes.paragraph(classes=["nev-source-note"], text=(
            "The translation as published, one numbered paragraph per line of the file. "
            "Paragraphs quoted in the book are marked, with links to where they are quoted."))
        out.append(note)
        text = load_text(paths.data_dir() / src["file"])
        body = nodes.container(classes=["nev-source-text"])
        for n, para_text in enumerate(text.paragraphs, start=1):
            plabel = source_label(sid, n)
            std.note_hyperlink_target(plabel, self.env.docname, plabel, f"{source_title(src)}, paragraph {n}")
            para = nodes.paragraph(ids=[plabel], classes=["nev-para"])
            num = nodes.reference("", str(n), refid=plabel, classes=["nev-para-num"],
                                  reftitle=f"Link to paragraph {n}")
            para += num
            para += nodes.Text(" " + para_text)
            body += para
            body += quoted_in(source_id=sid, para=n)
        out.append(body)
        return out


class CitationsDirective(_DataDirective):
    """Web sources behind a theme's series, events and pledges, plus any
    other series the chapter uses (``:series:`` ids, space-separated)."""

    option_spec = {"theme": directives.unchanged, "series": directives.unchanged}

    def run(self):
        if "theme" not in self.options:
            # The synthesis: the five texts. Its pledge tables link each
            # citation in place, and the references page lists them all.
            b = self.book()
            if b is None:
                return []
            used = [c["id"] for c in b.rows("citations") if c["id"].startswith("text-")]
            return [self.render(b, used)]
        b, theme = self.book_and_theme()
        if b is None:
            return []
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
        for p in b.rows("pledges"):
            if theme in p["themes"]:
                used += p.get("citation_ids") or []
        return [self.render(b, used)]

    def render(self, b: Book, used: list[str]) -> nodes.Node:
        cites = b.by_id("citations")
        _cite_uses(self.env).setdefault(self.env.docname, set()).update(used)
        out = nodes.bullet_list(classes=["nev-citations"])
        for cid in sorted(set(used), key=lambda c: (cites[c]["publisher"].lower(), c)):
            c = cites[cid]
            para = _citation_entry(c)
            para["ids"] = [f"cite-{cid}"]
            if c.get("note"):
                para += nodes.Text(f" {c['note']}")
            out += nodes.list_item("", para)
        return out


def _citation_entry(c: dict) -> nodes.paragraph:
    para = nodes.paragraph()
    para += nodes.Text(f"{c['publisher']}. ")
    para += nodes.reference("", c["title"], refuri=c["url"])
    date = f", {c['published']}" if c.get("published") else ""
    para += nodes.Text(f"{date}. Checked {long_date(c['accessed'])}.")
    if c.get("relay_of"):
        para += nodes.Text(f" Reprints or reports: {c['relay_of']}.")
    return para


class ReferencesDirective(_DataDirective):
    """Every web source in data/citations.csv, each with links back to the
    pages that cite it (filled in once every page has been read)."""

    def run(self):
        b = self.book()
        if b is None:
            return []
        _reference_docs(self.env).add(self.env.docname)
        std = self.env.get_domain("std")
        out = nodes.bullet_list(classes=["nev-references"])
        for c in sorted(b.rows("citations"), key=lambda c: (c["publisher"].lower(), c["title"].lower(), c["id"])):
            label = f"ref-{c['id']}"
            std.note_hyperlink_target(label, self.env.docname, label, c["title"])
            item = nodes.list_item("", ids=[label])
            item += _citation_entry(c)
            item += cited_in(citation_id=c["id"])
            out += item
        return [out]


def value_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{nev-value}`series-id period``: a value from the data with its unit,
    linked to its citation on the references page. For prose pages, which
    cannot glue from a notebook. ``{nev-value}`series-id period .1f``
    chooses the number format (default: as stored)."""
    from sphinx.addnodes import pending_xref

    env = inliner.document.settings.env
    parts = text.split()
    try:
        b = book()
    except DataError as exc:
        msg = inliner.reporter.warning(str(exc), line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    if len(parts) not in (2, 3):
        msg = inliner.reporter.warning(f"nev-value: expected 'series-id period [format]', got {text!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    sid, period = parts[:2]
    rows = [r for res in b.package.observations for r in res.rows
            if r["series_id"] == sid and r["period"] == period]
    if len(rows) != 1:
        msg = inliner.reporter.warning(
            f"nev-value: no single observation for series '{sid}' period '{period}' "
            f"({len(rows)} found): {coverage(sid)}",
            line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    r = rows[0]
    for p in paths.data_dir().rglob("*.csv"):
        env.note_dependency(str(p))
    val = format(r["value"], parts[2]) if len(parts) == 3 else f"{r['value']:,}".rstrip("0").rstrip(".") if isinstance(r["value"], float) else f"{r['value']:,}"
    unit = r["unit"].replace("percent", "per cent")
    ref = pending_xref("", refdomain="std", reftype="ref", reftarget=f"ref-{r['citation_id']}",
                       refexplicit=True, refwarn=True)
    ref += nodes.inline("", f"{val} {unit}", classes=["nev-value"])
    ref["reftitle"] = "Source"
    return [ref], []


class DownloadsDirective(_DataDirective):
    """Every table of the data package as a download, with its description
    (from datapackage.json), so that a new table is listed without edits."""

    def run(self):
        from sphinx import addnodes

        b = self.book()
        if b is None:
            return []
        import json
        import os

        pkg = json.loads((paths.data_dir() / "datapackage.json").read_text(encoding="utf-8"))
        docdir = (Path(self.env.srcdir) / self.env.docname).parent
        out = nodes.bullet_list(classes=["nev-downloads"])
        entries = [("datapackage.json", "The package descriptor: every table's fields, types, units and keys.")]
        entries += [(r["path"], r.get("description") or r.get("title", "")) for r in pkg["resources"]]
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


def stat(b: Book, name: str) -> str:
    """Counts for prose pages: ``pledges``, ``pledges:<status>``, ``quotes``,
    ``citations``, ``observations``, ``series``, ``events``; ``as-of`` is the
    date the sources were last checked."""
    if name == "as-of":
        return long_date(max(c["accessed"] for c in b.rows("citations")))
    if name == "observations":
        return f"{sum(len(r.rows) for r in b.package.observations):,}"
    table, _, status = name.partition(":")
    if table not in ("pledges", "quotes", "citations", "series", "events"):
        raise KeyError(name)
    rows = b.rows(table)
    if status:
        if table != "pledges":
            raise KeyError(name)
        rows = [r for r in rows if r["status"] == status]
    return f"{len(rows):,}"


def stat_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{nev-stat}`pledges:delivered``` and the like (see :func:`stat`)."""
    env = inliner.document.settings.env
    try:
        value = stat(book(), text.strip())
    except (KeyError, DataError) as exc:
        msg = inliner.reporter.warning(f"nev-stat: unknown or unreadable statistic {text!r} ({exc})", line=lineno)
        return [inliner.problematic(rawtext, rawtext, msg)], [msg]
    for p in paths.data_dir().rglob("*.csv"):
        env.note_dependency(str(p))
    return [nodes.inline("", value, classes=["nev-stat"])], []


class cited_in(nodes.General, nodes.Element):
    """Placeholder: the pages that cite a web source."""


class GlossaryDirective(_DataDirective):
    """The glossary from data/glossary.csv, as a Sphinx glossary: chapters
    link terms with ``{term}`dual-credit policy```; ``-n`` builds fail on a
    term that is not defined."""

    def run(self):
        from sphinx import addnodes
        from sphinx.domains.std import make_glossary_term

        b = self.book()
        if b is None:
            return []
        sources = b.by_id("sources")
        glossary = addnodes.glossary()
        glossary["sorted"] = False  # already sorted by term
        dl = nodes.definition_list(classes=["glossary", "nev-glossary"])
        glossary += dl
        for g in sorted(b.rows("glossary"), key=lambda g: g["term"].lower().lstrip('"(')):
            item = nodes.definition_list_item()
            term = make_glossary_term(self.env, [nodes.Text(g["term"])], None, self.env.docname,
                                      self.lineno, node_id=f"term-{g['id']}",
                                      document=self.state.document)
            item += term
            body = nodes.definition()
            if g.get("detail"):
                body += nodes.paragraph(text=g["detail"])
            body += nodes.paragraph(text=f"Chinese: {g['chinese']}")
            body += nodes.paragraph(text=f"In the translations: {g['wording_in_texts']}")
            used = nodes.paragraph(text="Used in: ")
            for i, sid in enumerate(sorted(g["source_ids"], key=lambda s: sources[s]["date"])):
                if i:
                    used += nodes.Text("; ")
                used += self.link_to_source(sid, f"{long_date(sources[sid]['date'])}")
            body += used
            if g["confidence"] != "high":
                body += nodes.paragraph(text=f"Confidence in this mapping: {g['confidence']}.")
            item += body
            dl += item
        return [glossary]


# ---------------------------------------------------------------------------
# "Quoted in": which page shows which quote, collected while reading and
# written into the source pages once every page has been read.


def _store(env, name: str, factory):
    """Per-build data kept on the Sphinx environment (pickled with it)."""
    if not hasattr(env, name):
        setattr(env, name, factory())
    return getattr(env, name)


def _uses(env) -> dict[str, list[str]]:  # docname -> quote ids shown there
    return _store(env, "nevbook_quote_uses", dict)


def _source_docs(env) -> set[str]:  # docs holding a source page
    return _store(env, "nevbook_source_docs", set)


def _cite_uses(env) -> dict[str, set[str]]:  # docname -> citation ids listed there
    return _store(env, "nevbook_cite_uses", dict)


def _reference_docs(env) -> set[str]:  # docs holding the references list
    return _store(env, "nevbook_reference_docs", set)


def env_purge_doc(app, env, docname):
    _uses(env).pop(docname, None)
    _cite_uses(env).pop(docname, None)
    _source_docs(env).discard(docname)
    _reference_docs(env).discard(docname)


def env_merge_info(app, env, docnames, other):
    for d in docnames:
        for get in (_uses, _cite_uses):
            if d in get(other):
                get(env)[d] = get(other)[d]
        for get in (_source_docs, _reference_docs):
            if d in get(other):
                get(env).add(d)


def _resolve_cited_in(app, doctree, fromdocname):
    env = app.env
    uses = _cite_uses(env)
    for node in list(doctree.findall(cited_in)):
        cid = node["citation_id"]
        docs = [d for d in sorted(uses) if cid in uses[d]]
        p = nodes.paragraph(classes=["nev-cited-in"])
        if not docs:
            p += nodes.Text("Cited in the data only (see the data package).")
        else:
            p += nodes.Text("Cited in: ")
            for i, d in enumerate(docs):
                if i:
                    p += nodes.Text("; ")
                title = env.titles[d].astext() if d in env.titles else d
                uri = app.builder.get_relative_uri(fromdocname, d) + f"#cite-{cid}"
                p += nodes.reference("", title, refuri=uri, internal=True)
        node.replace_self(p)


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


def doctree_resolved(app, doctree, fromdocname):
    _resolve_cited_in(app, doctree, fromdocname)
    placeholders = list(doctree.findall(quoted_in))
    if not placeholders:
        return
    env = app.env
    b = book()
    quotes = b.by_id("quotes")
    uses = _uses(env)
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
            if para is None:
                node.replace_self(nodes.paragraph(text="Not quoted yet."))
            else:
                node.replace_self([])
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
                where = f"paragraph {first}" if first == last else f"paragraphs {first}\u2013{last}"
                p += nodes.Text(f" ({where})")
            items += nodes.list_item("", p)
        node.replace_self(items)


# ---------------------------------------------------------------------------
# Static files, per-page scripts, rebuilds


# Package files that neither notebooks nor pages use: editing them does not
# make the executed notebooks stale (the PDF edition works on the built site).
NOT_IN_PAGES = {"pdf.py"}


def _fingerprint() -> str:
    h = hashlib.sha256()
    roots = [paths.data_dir(), paths.PACKAGE]
    for r in roots:
        for p in sorted(r.rglob("*")):
            if p.is_file() and "__pycache__" not in p.parts and not (
                    r == paths.PACKAGE and p.relative_to(r).as_posix() in NOT_IN_PAGES):
                h.update(str(p.relative_to(r.parent)).encode())
                h.update(p.read_bytes())
    return h.hexdigest()


def _stamp_path(app: Sphinx) -> Path:
    return Path(app.doctreedir) / "nevbook-fingerprint.txt"


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
    # Our template overrides (accessibility fixes to theme components) win.
    config.templates_path = [str(paths.TEMPLATES)] + list(config.templates_path)


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


def builder_inited(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["nev_trim_head"] = trim_head
    fp = _fingerprint()
    stamp = _stamp_path(app)
    app.env.nevbook_stale = stamp.exists() and stamp.read_text() != fp  # type: ignore[attr-defined]
    app.env.nevbook_fingerprint = fp  # type: ignore[attr-defined]
    if app.env.nevbook_stale:  # type: ignore[attr-defined]
        # MyST-NB's default when nb_execution_cache_path is empty.
        cache = (getattr(app.config, "nb_execution_cache_path", "")
                 or Path(app.outdir).parent / ".jupyter_cache")
        if Path(cache).is_dir():
            logger.info("nevbook: data or helper code changed; clearing the execution cache")
            shutil.rmtree(cache)


def _failed_notebooks(env) -> set[str]:
    """Notebooks whose last execution failed. A failed build still saves the
    environment; without this, the next (no-op) build would pass with the
    error output on the page."""
    meta = getattr(env, "nb_metadata", None) or {}
    return {doc for doc, d in meta.items()
            if (d.get("exec_data") or {}).get("succeeded") is False and doc in env.found_docs}


def env_get_outdated(app, env, added, changed, removed):
    if getattr(env, "nevbook_stale", False):
        return sorted(env.found_docs - set(added) - set(changed))
    failed = _failed_notebooks(env) - set(added) - set(changed)
    if failed:
        logger.info(f"nevbook: re-running notebooks that failed last time: {', '.join(sorted(failed))}")
    if added or changed or removed or failed:
        # A page that gains or loses a quote changes the source pages' "quoted in".
        return sorted(((_source_docs(env) | _reference_docs(env)) - set(added) - set(changed)) | failed)
    return []


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


def html_page_context(app, pagename, templatename, context, doctree):
    _wrap_toctree(context)
    _defer_scripts(context)
    _drop_unused_assets(context)
    if CHART_MARKER in (context.get("body") or ""):
        app.add_js_file("vendor/vega.min.js", loading_method="defer", priority=600)
        app.add_js_file("nevcharts.js", loading_method="defer", priority=601)


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


def build_finished(app: Sphinx, exception) -> None:
    if exception is not None:
        return
    _write_root_redirect(app)
    if app.builder.format == "html":
        from .icons import write_subset

        glyphs, size = write_subset(Path(app.outdir))
        if glyphs:
            logger.info(f"nevbook: icon font cut to the {glyphs} icons the site uses ({size:,} bytes)")
    _stamp_path(app).write_text(app.env.nevbook_fingerprint)  # type: ignore[attr-defined]


def setup(app: Sphinx) -> dict:
    app.add_directive("nev-quote", QuoteDirective)
    app.add_directive("nev-pledges", PledgesDirective)
    app.add_directive("nev-sources", SourcesDirective)
    app.add_directive("nev-source", SourceDirective)
    app.add_node(quoted_in)
    app.add_node(cited_in)
    app.add_directive("nev-references", ReferencesDirective)
    app.add_role("nev-value", value_role)
    app.add_role("nev-stat", stat_role)
    app.add_directive("nev-downloads", DownloadsDirective)
    app.connect("env-purge-doc", env_purge_doc)
    app.connect("env-merge-info", env_merge_info)
    app.connect("doctree-resolved", doctree_resolved)
    # Late, after every handler that adds links (ours above, other extensions').
    app.connect("doctree-resolved", single_page_anchors, priority=900)
    app.add_directive("nev-citations", CitationsDirective)
    app.add_directive("nev-glossary", GlossaryDirective)
    app.connect("config-inited", config_inited)
    app.connect("builder-inited", builder_inited)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("html-page-context", html_page_context, priority=900)
    app.connect("build-finished", build_finished, priority=400)  # before etoc writes a bare redirect
    app.add_css_file("nevbook.css")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
