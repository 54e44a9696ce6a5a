"""Print-only compaction: what the book shows in full in one place is shown
briefly everywhere else on paper, with the page of the full entry.

- A chapter's commitments and claims (the ledger's records of its theme)
  become a list: the summary, the two judgements (action and outcome) or the
  check and verdict, the speaker and source, and the record's page in the
  tracker, which prints every record in full.
- A chapter's milestones ("What to watch") keep their date and what is
  due; the indicator to watch and what would confirm or contradict the aims
  are on the outlook page, whose page each item names.
- A data table's columns that hold one value on every row (the series of a
  one-series chart, its unit, its source) are said once above the table.
"""
from __future__ import annotations

import copy
import re

TRACKER = "book/tracker"
OUTLOOK = "book/outlook"


def _page_slot(anchor: str) -> str:
    return f"@@page:{anchor}@@"


def _outside(el, doc: str) -> bool:
    page = el.find_parent("section", attrs={"data-nev-doc": doc})
    return page is None


def _text(el) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def compact_records(soup, article) -> int:
    """Each chapter's table of records, as a list (see the module docstring)."""
    n = 0
    for table in article.select("table.nev-cards"):
        if not _outside(table, TRACKER):
            continue
        ul = soup.new_tag("ul", attrs={"class": "nev-ledger-print"})
        for tr in table.select("tbody > tr"):
            cells = tr.find_all("td", recursive=False)
            if len(cells) < 3:
                continue
            rid = tr.get("id", "")
            li = soup.new_tag("li", attrs={"class": tr.get("class", [])})
            if rid:
                li["id"] = rid
            for span in tr.find_all("span", id=True, recursive=False):
                li.append(span.extract())
            what = cells[0].select_one("p.nev-rec-what")
            badge = cells[2].select_one("span.nev-badge")
            head = soup.new_tag("p", attrs={"class": "nev-lp-what"})
            if badge is not None:
                head.append(copy.copy(badge))
                head.append(" ")
            if what is not None:
                head.append(what.get_text(" ", strip=True))
            li.append(head)
            line = soup.new_tag("p", attrs={"class": "nev-lp-line"})
            judged = [p for p in cells[1].select("p.nev-rec-judgement")]
            for p in judged:
                for child in list(p.children):
                    line.append(copy.copy(child))
                line.append(" ")
            who = cells[0].select_one("p.nev-rec-who")
            if who is not None:
                line.append("\u2014 ")
                for child in list(who.children):
                    line.append(copy.copy(child))
            if rid:
                line.append(". ")
                a = soup.new_tag("a", href=f"#{rid}")
                a.string = f"Record: page {_page_slot(rid)}"
                line.append(a)
                line.append(".")
            li.append(line)
            ul.append(li)
        wrapper = table.find_parent("div", class_="pst-scrollable-table-container") or table
        wrapper.replace_with(ul)
        n += 1
    return n


def compact_milestones(soup, article) -> int:
    """Each chapter's milestones: date and what is due, and the outlook's page."""
    n = 0
    for ul in article.select("ul.nev-milestones"):
        if not _outside(ul, OUTLOOK):
            continue
        for li in ul.find_all("li", recursive=False):
            p = li.find("p")
            if p is None or not li.get("id"):
                continue
            text = _text(p)
            date = p.find("strong")
            date_text = _text(date) if date is not None else ""
            body = text[len(date_text):].strip() if text.startswith(date_text) else text
            body = re.split(r"\s+Watch:\s", body, maxsplit=1)[0].rstrip()
            new = soup.new_tag("p")
            if date_text:
                b = soup.new_tag("strong")
                b.string = date_text + " "
                new.append(b)
            new.append(body + " ")
            a = soup.new_tag("a", href=f"#{li['id']}")
            a.string = f"(Outlook, page {_page_slot(li['id'])}.)"
            new.append(a)
            p.replace_with(new)
        ul["class"] = ul.get("class", []) + ["nev-milestones-print"]
        n += 1
    return n


def lift_constant_columns(soup, table) -> None:
    """Columns with one value on every row (of two or more) are said once,
    in a line above the table, and leave it."""
    head = table.find("thead")
    body = table.find("tbody")
    if head is None or body is None:
        return
    names = [_text(th) for th in head.find_all("th")]
    rows = [tr.find_all("td", recursive=False) for tr in body.find_all("tr", recursive=False)]
    if len(rows) < 2 or any(len(r) != len(names) for r in rows):
        return
    constant = [i for i in range(len(names))
                if len({_text(r[i]) for r in rows}) == 1 and _text(rows[0][i])]
    if not constant or len(constant) == len(names):
        return
    said = soup.new_tag("p", attrs={"class": "nev-data-constant"})
    for k, i in enumerate(constant):
        if k:
            said.append("; ")
        b = soup.new_tag("strong")
        b.string = f"{names[i]}: "
        said.append(b)
        for child in list(rows[0][i].children):
            said.append(copy.copy(child))
    said.append(".")
    ths = head.find_all("th")
    for i in constant:
        ths[i].decompose()
        for cells in rows:
            cells[i].decompose()
    table.insert_before(said)


def narrow_in_columns(soup, table, max_cols: int = 4, min_rows: int = 12, chunk: int = 20) -> None:
    """A long table of few columns runs in two columns of the page: cut into
    tables of ``chunk`` rows (each with the header), which the columns flow
    in order, down the left, then the right, then on the next page."""
    head = table.find("thead")
    body = table.find("tbody")
    cols = len(head.find_all("th")) if head is not None else 0
    rows = body.find_all("tr", recursive=False) if body is not None else []
    if not (0 < cols <= max_cols and len(rows) >= min_rows):
        return
    box = soup.new_tag("div", attrs={"class": "nev-cols2"})
    table.insert_before(box)
    for start in range(0, len(rows), chunk):
        part = soup.new_tag("table", attrs={"class": table.get("class", [])})
        part.append(copy.copy(head))
        tb = soup.new_tag("tbody")
        for tr in rows[start:start + chunk]:
            tb.append(tr.extract())
        part.append(tb)
        box.append(part)
    table.decompose()


def reorder_for_paper(article) -> None:
    """A chapter's decisive chart follows its verdict and lead: the list of
    the latest figures of its series comes after that chart. A timeline's
    list of events follows its figure instead of being held on its page."""
    for fresh in article.select("div.nev-freshness"):
        for sib in fresh.find_next_siblings(limit=3):
            if sib.name == "section":
                break
            if sib.select_one("figure.nev-figure") is not None:
                sib.insert_after(fresh.extract())
                break
    for ol in article.select("figure.nev-figure ol.nev-events"):
        ol.find_parent("figure").insert_after(ol.extract())


def merge_copy_column(soup, table, source: str = "Source", tier: str = "Copy") -> None:
    """The kind of copy (the evidence tier) follows the source in its cell."""
    head = table.find("thead")
    if head is None:
        return
    names = [_text(th) for th in head.find_all("th")]
    if source not in names or tier not in names:
        return
    si, ti = names.index(source), names.index(tier)
    for tr in table.select("tbody > tr"):
        cells = tr.find_all("td", recursive=False)
        if len(cells) != len(names):
            continue
        label = _text(cells[ti])
        if label:
            span = soup.new_tag("span", attrs={"class": "nev-data-tier"})
            span.string = f" ({label})"
            cells[si].append(span)
        cells[ti].decompose()
    head.find_all("th")[ti].decompose()
    head.find_all("th")[si].string = f"{source} (copy)"


def mark_small(article) -> None:
    """Notes, estimates and similar matter of each chapter are set smaller."""
    for section in article.find_all("section"):
        h = section.find(["h2", "h3"], recursive=False)
        if h is not None and _text(h).rstrip("#¶ ").strip() in ("Notes", "What others estimate"):
            section["class"] = section.get("class", []) + ["nev-print-small"]


def short_title(title: str) -> str:
    """A page's title up to its first colon or comma: "Safety: batteries,
    fires, ..." is "Safety"."""
    return re.split(r"[:,] ", title, maxsplit=1)[0]


def compact_references(soup, article, checked: str) -> int:
    """The references on paper: the date each entry was checked is said once
    (``checked``, the edition's date) and only where it differs on the entry;
    the pages that cite an entry are named by their short titles."""
    refs = article.select_one("ul.nev-references")
    if refs is None:
        return 0
    n = 0
    stamp = f" Checked {checked}."
    for li in refs.find_all("li", recursive=False):
        for s in li.find_all(string=re.compile(re.escape(stamp))):
            s.replace_with(s.replace(stamp, ""))
            n += 1
        for el in li.select("span.nev-ref-note"):
            el.decompose()
        for a in li.select("p.nev-cited-in a"):
            a.string = short_title(_text(a))
    note = soup.new_tag("p", attrs={"class": "nev-print-note"})
    note.string = (f"Every entry was checked on {checked} unless it says otherwise, and names "
                   "the pages that cite it by their short titles. What each copy reprints is "
                   "given here; the editors' notes on each source are in the online edition "
                   "and in data/citations.csv.")
    refs.insert_before(note)
    return n


def source_cells_to_references(soup, appendix, article) -> int:
    """In the appendix a value's source is named by its publisher and links to
    its entry in the references, which give the title, date and link: every
    link of the appendix to a page the references list, wherever the table
    put it (a cell, an entry, the line of a column said once)."""
    refs = article.select_one("ul.nev-references")
    if refs is None:
        return 0
    by_url = {}
    for li in refs.find_all("li", recursive=False):
        a = li.select_one("a.reference.external[href]")
        if a is not None and li.get("id"):
            by_url.setdefault(a["href"], li["id"])
    n = 0
    for a in appendix.select("a[href]"):
        rid = by_url.get(a["href"])
        if rid is None:
            continue
        a["href"] = f"#{rid}"
        a.string = re.split(r" \(", _text(a), maxsplit=1)[0]
        n += 1
    return n


def rows_as_entries(soup, table, min_cols: int = 5) -> bool:
    """A wide table (``min_cols`` or more columns) is listed on paper as one
    entry per row, in two columns of the page: its first two cells lead, the
    others follow, each named by its column (text cells such as a
    description or note unnamed), so no narrow column wraps a word a line."""
    head = table.find("thead")
    body = table.find("tbody")
    if head is None or body is None:
        return False
    names = [_text(th) for th in head.find_all("th")]
    rows = [tr.find_all("td", recursive=False) for tr in body.find_all("tr", recursive=False)]
    if len(names) < min_cols or any(len(r) != len(names) for r in rows):
        return False
    plain = {"Description", "Note", "Event", "Label", "Measure"}
    ul = soup.new_tag("ul", attrs={"class": "nev-data-entries", "aria-label": " · ".join(names)})
    key = soup.new_tag("p", attrs={"class": "nev-data-constant"})
    key.append(soup.new_tag("strong"))
    key.strong.string = "Columns: "
    key.append(", ".join(names) + ".")
    # A sentence of a text column repeated on three rows or more is said once.
    said: dict[str, str] = {}
    for i, name in enumerate(names):
        if name not in plain:
            continue
        counts: dict[str, int] = {}
        for cells in rows:
            for sent in _sentences(_text(cells[i])):
                counts[sent] = counts.get(sent, 0) + 1
        for sent, k in counts.items():
            if k >= 3 and len(sent) > 25:
                said.setdefault(sent, "*" * (len(said) + 1))
    for sent, mark in said.items():
        key.append(f" {mark} {sent}")
    for cells in rows:
        for i, name in enumerate(names):
            if name in plain and said:
                _drop_sentences(cells[i], said)
        li = soup.new_tag("li")
        lead = soup.new_tag("strong")
        lead.string = " ".join(t for t in (_text(cells[0]), _text(cells[1])) if t)
        li.append(lead)
        for name, cell in zip(names[2:], cells[2:]):
            if not _text(cell):
                continue
            ended = li.get_text().rstrip().endswith((".", ";", ":", "!", "?"))
            li.append(" " if ended else ". " if name in plain else "; ")
            if name not in plain:
                li.append(f"{name}: ")
            for child in list(cell.children):
                li.append(child.extract())
        if not li.get_text().rstrip().endswith((".", "!", "?")):
            li.append(".")
        ul.append(li)
    table.insert_before(key)
    table.replace_with(ul)
    return True


def _sentences(text: str) -> list[str]:
    return [t for t in re.split(r"(?<=[.;])\s+", text) if t]


def _drop_sentences(cell, said: dict[str, str]) -> None:
    """Repeated sentences leave a cell of plain text; a mark says which."""
    if cell.find(True) is not None:  # markup inside: leave it whole
        return
    text = _text(cell)
    kept, marks = [], []
    for sent in _sentences(text):
        if sent in said:
            marks.append(said[sent])
        else:
            kept.append(sent)
    if marks:
        cell.string = " ".join(kept + marks)


def compact_as_of(soup, article, checked: str) -> int:
    """On the tracker, a record judged as of the edition's date does not say
    so on each card: a line above the cards says it once."""
    table = article.select_one("table.nev-tracker-table")
    if table is None:
        return 0
    line = f"As of {checked}."
    dropped = [p for p in table.select("p.nev-rec-asof") if _text(p) == line]
    for p in dropped:
        p.decompose()
    if dropped:
        note = soup.new_tag("p", attrs={"class": "nev-print-note"})
        note.string = f"Every record below is judged as of {checked} unless its card gives another date."
        table.insert_before(note)
    return len(dropped)
