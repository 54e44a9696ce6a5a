"""The ledger in pages (BOOK.md §8): one source of truth, several views.

- ``nev-ledger`` (``:theme:`` or ``:source:``): a theme's commitments in a
  chapter, each judged on action and outcome, with its evidence and a link to
  its record on the tracker;
- ``nev-claims`` (``:theme:`` or ``:source:``): the statements' checkable
  claims and forecasts, with the check and its verdict;
- ``nev-tracker``: every commitment and claim on one page, each row
  anchored (``record-<id>``; the first edition's ``pledge-<id>`` anchors lead
  to the record that replaced them), in plain HTML that a small script makes
  filterable, sortable and searchable (``nevtracker.js``).

The headline status is derived by :func:`nevbook.ledger.headline`, never stored.
"""
from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives

from .. import ledger
from ..data import Book
from ..labels import body_of, speaker_name
from ..text import prose_date
from .base import DataDirective, mark, xref, xref_to_source
from .references import citation_link

TRACKER_MARKER = "nev-tracker"


def claim_themes(b: Book, claim: dict) -> list[str]:
    """A claim's themes: those of its quotes."""
    quotes = b.by_id("quotes")
    return sorted({t for q in claim.get("quote_ids") or [] for t in quotes.get(q, {}).get("themes", [])})


def _order(b: Book):
    sources = b.by_id("sources")

    def key(r):
        m = re.match(r"(\d+)", r.get("priority") or "")
        return (sources[r["source_id"]]["date"], int(m.group(1)) if m else 99, r["id"])
    return key


def _cites(b: Book, ids: list[str] | None) -> list[nodes.Node]:
    cites = b.by_id("citations")
    out: list[nodes.Node] = []
    for i, cid in enumerate(ids or []):
        out.append(nodes.Text(" [" if i == 0 else "; "))
        out.append(citation_link(cites[cid]))
    if ids:
        out.append(nodes.Text("]"))
    return out


def _who(b: Book, rec: dict) -> nodes.paragraph:
    src = b.by_id("sources")[rec["source_id"]]
    sp = b.by_id("speakers")[rec["speaker_id"]]
    para = nodes.paragraph(classes=["nev-rec-who"])
    first = (b.quote_paragraphs.get((rec.get("quote_ids") or [""])[0]) or (None,))[0]
    para += nodes.Text(f"{speaker_name(sp)}, {prose_date(src['date'])}"
                       + (f", priority {rec['priority']}" if rec.get("priority") else "") + " ")
    para += xref_to_source(rec["source_id"], "(source)", first)
    return para


def _badge(text: str, cls: str) -> nodes.inline:
    return nodes.inline("", text, classes=["nev-badge", cls])


def _judgement(b: Book, label: str, value: str, text: str, cites, cls: str) -> nodes.paragraph:
    para = nodes.paragraph(classes=["nev-rec-judgement"])
    para += nodes.strong("", f"{label}: ")
    para += _badge(value, f"{cls}")
    if text:
        para += nodes.Text(" " + text)
    for n in _cites(b, cites):
        para += n
    return para


def _row(cells: list[list[nodes.Node]], ids: list[str], classes: list[str]) -> nodes.row:
    row = nodes.row(ids=ids, classes=classes)
    for content in cells:
        row += nodes.entry("", *content)
    return row


def _table(headers: list[str], widths: list[int], rows: list[nodes.row], classes: list[str]) -> nodes.table:
    table = nodes.table(classes=classes)
    tgroup = nodes.tgroup(cols=len(widths))
    table += tgroup
    for w in widths:
        tgroup += nodes.colspec(colwidth=w)
    head = nodes.thead()
    tgroup += head
    hrow = nodes.row()
    for h in headers:
        hrow += nodes.entry("", nodes.paragraph(text=h))
    head += hrow
    body = nodes.tbody()
    tgroup += body
    for r in rows:
        body += r
    return table


def _status_words(value: str) -> str:
    """Statuses as a reader reads them: "delivered, partly", not slugs."""
    first = {"not-yet": "not yet"}  # the first edition's statuses not used now
    words = [ledger.STATUS_LABEL.get(v, first.get(v, v)) for v in value.split(";") if v]
    return ", ".join(words) or "none"


def history_line(h: dict) -> str:
    """One change to a record: what it was, what it is, why; a status
    re-judged but kept is said so, not shown as a change."""
    date = prose_date(h["date"])
    if h["field"] != "status":
        return f"Changed {date}: {h['field']} {h.get('old') or 'none'} \u2192 {h['new']}. {h['why']}"
    if set((h.get("old") or "").split(";")) == {h["new"]}:
        return f"Re-checked {date}: status kept ({_status_words(h['new'])}). {h['why']}"
    return f"Changed {date}: status {_status_words(h.get('old') or '')} \u2192 {_status_words(h['new'])}. {h['why']}"


def commitment_row(b: Book, c: dict, *, full: bool, anchor: bool = True) -> nodes.row:
    status = ledger.headline(c["action"], c["outcome"])
    what = [nodes.paragraph(text=c["commitment"], classes=["nev-rec-what"]), _who(b, c)]
    aim = nodes.paragraph(classes=["nev-rec-aim"])
    aim += nodes.emphasis("", "Aim: ")
    aim += nodes.Text(c["aim"])
    what.append(aim)
    # A chapter shows the judgements; the tracker adds the evidence, its
    # sources, the history and any search (one source of truth, two views).
    judged = [
        _judgement(b, "Action", ledger.ACTION_LABEL[c["action"]], c["action_evidence"] if full else "",
                   c.get("action_citation_ids") if full else None, f"nev-a-{c['action']}"),
        _judgement(b, "Outcome", ledger.OUTCOME_LABEL[c["outcome"]], c["outcome_evidence"] if full else "",
                   c.get("outcome_citation_ids") if full else None, f"nev-o-{c['outcome']}"),
    ]
    if full:
        hist = [h for h in b.rows("history") if h["record_id"] == c["id"]]
        for h in sorted(hist, key=lambda h: h["date"]):
            p = nodes.paragraph(classes=["nev-rec-history"])
            p += nodes.Text(history_line(h))
            judged.append(p)
        for s in (s for s in b.rows("searches") if s["record_id"] == c["id"]):
            p = nodes.paragraph(classes=["nev-rec-search"])
            p += nodes.Text(f"Searched {s['where']} for \u201c{s['terms']}\u201d, up to "
                            f"{prose_date(s['up_to'])}: {s['result']}")
            judged.append(p)
    asof = nodes.paragraph(classes=["nev-rec-asof"], text=f"As of {prose_date(c['as_of'])}.")
    judged.append(asof)
    st = nodes.paragraph()
    st += _badge(ledger.STATUS_LABEL[status], f"nev-st-{status}")
    if not full:
        st += nodes.Text(" ")
        st += xref(f"record-{c['id']}", "record", classes=["nev-rec-link"], title="This commitment on the tracker")
    ids = ([f"record-{c['id']}"] + [f"pledge-{p}" for p in c.get("replaces") or []]) if anchor else []
    return _row([what, judged, [st]], ids, _classes(b, c, "commitment", status))


def _classes(b: Book, rec: dict, kind: str, status: str) -> list[str]:
    sp = b.by_id("speakers")[rec["speaker_id"]]
    themes = rec.get("themes") or claim_themes(b, rec)
    return (["nev-rec", f"nev-kind-{kind}", f"nev-src-{rec['source_id']}", f"nev-status-{status}",
             f"nev-body-{body_of(sp, b.by_id('sources')[rec['source_id']]).lower()}"]
            + [f"nev-theme-{t}" for t in themes])


def claim_row(b: Book, c: dict, *, full: bool, anchor: bool = True) -> nodes.row:
    what = [nodes.paragraph(text=c["claim"], classes=["nev-rec-what"]), _who(b, c)]
    check = nodes.paragraph(classes=["nev-rec-judgement"])
    if c["method"] != "evidence":
        series = b.by_id("series")
        names = "; ".join(series[s]["title"] for s in c.get("check_series") or [])
        check += nodes.strong("", "Checked against: ")
        check += nodes.Text(f"{names}, {(c.get('check_periods') or '').replace(';', ', ')}. ")
    stated = f"{c['stated']:g} {c.get('stated_unit') or ''}".strip() if c.get("stated") is not None else ""
    if stated:
        check += nodes.Text(f"Stated: {stated}. ")
    if c.get("found"):
        check += nodes.Text(f"Found: {c['found']}. ")
    if full:
        check += nodes.Text(c["evidence"])
        for n in _cites(b, c.get("citation_ids")):
            check += n
    cells = [what, [check, nodes.paragraph(classes=["nev-rec-asof"], text=f"As of {prose_date(c['as_of'])}.")]]
    verdict = nodes.paragraph()
    kind = "forecast" if c["kind"] == "forecast" else "claim"
    verdict += _badge(("forecast: " if kind == "forecast" else "") + ledger.VERDICT_LABEL[c["verdict"]],
                      f"nev-v-{c['verdict']}")
    if not full:
        verdict += nodes.Text(" ")
        verdict += xref(f"record-{c['id']}", "record", classes=["nev-rec-link"], title="This claim on the tracker")
    cells.append([verdict])
    ids = ([f"record-{c['id']}"] + [f"pledge-{p}" for p in c.get("replaces") or []]) if anchor else []
    return _row(cells, ids, _classes(b, c, kind, f"v-{c['verdict']}"))


class _LedgerView(DataDirective):
    option_spec = {"theme": directives.unchanged, "source": directives.unchanged}

    def first_here(self, record_id: str) -> bool:
        """Whether the record is shown for the first time on this page (a
        record of two themes a page shows twice is anchored once)."""
        seen = self.env.temp_data.setdefault("nevbook_records_here", set())
        first = record_id not in seen
        seen.add(record_id)
        return first

    def select(self, b: Book, rows: list[dict], themes_of) -> list[dict]:
        theme = self.theme(b, required=False)
        source = self.options.get("source")
        if source:
            self.lookup(b, "sources", source)
        return sorted((r for r in rows if (not theme or theme in themes_of(r))
                       and (not source or r["source_id"] == source)), key=_order(b))


class LedgerDirective(_LedgerView):
    """A theme's (or a statement's) commitments, judged."""

    def render(self, b: Book) -> list[nodes.Node]:
        rows = self.select(b, b.rows("commitments"), lambda r: r["themes"])
        if not rows:
            # A new chapter before its commitments are in the ledger: the
            # chapter rules report it (`make check-chapter`).
            return [nodes.paragraph(text="No commitments of this theme are in the ledger yet.",
                                    classes=["nev-empty"])]
        n = ledger.counts(rows)
        summary = nodes.paragraph(classes=["nev-ledger-summary"])
        summary += nodes.Text(f"{len(rows)} commitment{'s' if len(rows) != 1 else ''}: "
                              + "; ".join(f"{ledger.STATUS_LABEL[s]} {k}" for s, k in n.items() if k)
                              + ". Each is judged on whether the measure was taken (action) and whether "
                              "its aim happened (outcome); the evidence and its sources are with each "
                              "record on the tracker; ")
        summary += xref("ledger-rule", "how the status follows")
        summary += nodes.Text(". All commitments and claims: ")
        summary += xref("the-tracker", "the tracker")
        summary += nodes.Text(".")
        table = _table(["Commitment (our summary)", "Action and outcome", "Status"],
                       [50, 30, 20], [commitment_row(b, c, full=False, anchor=self.first_here(c["id"]))
                                      for c in rows],
                       ["nev-ledger", "nev-cards"])
        return [summary, mark(table)]


class ClaimsDirective(_LedgerView):
    """A theme's (or a statement's) claims and forecasts, checked."""

    def render(self, b: Book) -> list[nodes.Node]:
        rows = self.select(b, b.rows("claims"), lambda r: claim_themes(b, r))
        if not rows:
            return [nodes.paragraph(text="The statements make no checkable claim on this theme.",
                                    classes=["nev-empty"])]
        table = _table(["Claim (our summary)", "The check", "Verdict"], [30, 55, 15],
                       [claim_row(b, c, full=False, anchor=self.first_here(c["id"])) for c in rows],
                       ["nev-claims", "nev-cards"])
        return [mark(table)]


class TrackerDirective(DataDirective):
    """Every commitment and claim, filterable (with JavaScript), complete without."""

    def render(self, b: Book) -> list[nodes.Node]:
        std = self.env.get_domain("std")
        for rec in b.rows("commitments") + b.rows("claims"):
            label = f"record-{rec['id']}"
            std.note_hyperlink_target(label, self.env.docname, label, rec.get("commitment") or rec.get("claim"))
        key = _order(b)
        com = sorted(b.rows("commitments"), key=key)
        cl = sorted(b.rows("claims"), key=key)
        out: list[nodes.Node] = [nodes.raw("", _controls(b), format="html")]
        rows = [commitment_row(b, c, full=True) for c in com] + [claim_row(b, c, full=True) for c in cl]
        table = _table(["Record (our summary)", "Judgement and evidence", "Status"], [30, 55, 15],
                       rows, ["nev-tracker-table", "nev-cards"])
        evidence = sorted({cid for c in com for cid in (c.get("action_citation_ids") or []) + (c.get("outcome_citation_ids") or [])}
                          | {cid for c in cl for cid in c.get("citation_ids") or []})
        out.append(mark(table, tracker=True, citations=evidence, anchored=False))
        return out


def _controls(b: Book) -> str:
    """The filter form (shown by nevtracker.js; without JavaScript the full
    table stands alone)."""
    import html as h

    sources = sorted(b.rows("sources"), key=lambda s: s["date"])
    speakers = b.by_id("speakers")
    bodies = sorted({body_of(speakers[r["speaker_id"]], b.by_id("sources")[r["source_id"]])
                     for r in b.rows("commitments") + b.rows("claims")})
    themes = sorted(b.rows("themes"), key=lambda t: t["title"])

    def select(name: str, label: str, options: list[tuple[str, str]]) -> str:
        opts = "".join(f'<option value="{h.escape(v, True)}">{h.escape(t)}</option>' for v, t in options)
        return (f'<label class="nev-tr-field"><span>{h.escape(label)}</span>'
                f'<select data-filter="{name}"><option value="">All</option>{opts}</select></label>')
    statuses = [(s, "Commitment " + ledger.STATUS_LABEL[s]) for s in ledger.STATUSES]
    verdicts = [(f"v-{v}", "Claim " + ledger.VERDICT_LABEL[v]) for v in ledger.VERDICTS]
    return (
        '<form class="nev-tracker-controls" role="search" aria-label="Filter the ledger" hidden>'
        + select("kind", "Record", [("commitment", "Commitments"), ("claim", "Claims"), ("forecast", "Forecasts")])
        + select("src", "Statement", [(s["id"], f"{prose_date(s['date'])}, {s['event'].split(',')[0].split(' (')[0]}")
                                      for s in sources])
        + select("body", "Speaker's body", [(x.lower(), x) for x in bodies])
        + select("theme", "Theme", [(t["id"], t["title"]) for t in themes])
        + select("status", "Judgement", statuses + verdicts)
        + '<label class="nev-tr-field nev-tr-search"><span>Search</span>'
          '<input type="search" data-filter="q" placeholder="Words in a record"></label>'
        + '<label class="nev-tr-field"><span>Sort by</span><select data-sort="1">'
          '<option value="">Statement date</option><option value="status">Status</option>'
          '<option value="theme">Theme</option></select></label>'
        + '<p class="nev-tracker-count" aria-live="polite"></p>'
        + '</form>')


class RuleDirective(DataDirective):
    """The headline rule, as the code applies it (:data:`nevbook.ledger.RULE`)."""

    def render(self, b: Book) -> list[nodes.Node]:
        head, *rules = ledger.RULE.splitlines()
        out = nodes.bullet_list(classes=["nev-ledger-rule"])
        for line in rules:
            out += nodes.list_item("", nodes.paragraph(text=line.rstrip(";.") + "."))
        return [nodes.paragraph(text=head), out]


def setup(app) -> None:
    app.add_directive("nev-ledger-rule", RuleDirective)
    app.add_directive("nev-ledger", LedgerDirective)
    app.add_directive("nev-claims", ClaimsDirective)
    app.add_directive("nev-tracker", TrackerDirective)
