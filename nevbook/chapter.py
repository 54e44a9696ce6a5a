"""The chapter contract (BOOK.md §3, §10), as rules that one command and the
test suite share.

A chapter is the notebook ``notebooks/<theme-id>.ipynb`` of a theme whose
home it is in ``data/themes.csv`` (one naming rule: the file is the theme id).
:func:`check` returns every rule with whether it holds and, if not, what to
do. Rules read the notebook's source and, where the built page exists, its
HTML (``_build/html/notebooks/<id>.html``); the browser tests add what only
a browser can see (charts drawn, screen-reader roles).

``python -m nevbook check-chapter <id>`` (``make check-chapter ID=<id>``)
prints them all at once.
"""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from . import paths, prose
from .data import book, edition

QUOTE = re.compile(r"```\{nev-quote\}\s+([a-z0-9-]+)")
MIN_QUOTES = 3
MIN_FIGURES = 2
MIN_SOURCES = 3
PAGE_GZIP_BUDGET = 40_000
# Pages with their own stated budget (the reason stands beside it).
PAGE_GZIP_OWN: dict[str, int] = {
    # The synthesis carries the whole statement table and summary charts.
    "synthesis": 60_000,
    # The overview holds three themes (the market, charging, public-sector
    # fleets), each with its commitments and claims.
    "overview": 48_000,
}
ID_RULE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_VERDICT_SENTENCES = 3  # BOOK.md §10
# Directives every chapter shows for its theme: (rule id, directive, what it shows, the fix).
THEME_DIRECTIVES = (
    ("estimates", "nev-estimates", "what others estimate is shown",
     "add the section 'What others estimate' with the directive (data/estimates.csv)"),
    ("watch", "nev-milestones", "what to watch is shown",
     "add the section 'What to watch' with the directive (data/milestones.csv)"),
    ("claims", "nev-claims", "the statements' claims on the theme are shown",
     "add the claims table under 'What happened next'"),
    ("freshness", "nev-freshness", "the chapter says when it was reviewed", "add the directive under the verdict"),
)
VERDICT = re.compile(r"```\{nev-verdict\}\n(?P<body>.*?)```", re.S)


@dataclass(frozen=True)
class Rule:
    id: str
    ok: bool
    what: str  # the rule, as the README states it
    fix: str = ""  # what to do when it does not hold

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        return f"[{mark}] {self.what}" + ("" if self.ok else f"\n       -> {self.fix}")


def notebook_path(theme: str) -> Path:
    return paths.root() / "notebooks" / f"{theme}.ipynb"


def page_path(theme: str) -> Path:
    return paths.root() / "_build" / "html" / "notebooks" / f"{theme}.html"


def chapters() -> list[str]:
    """Theme ids whose chapter is their own notebook (``notebooks/<id>``)."""
    return [t["id"] for t in book().rows("themes")
            if t["chapter"] == f"notebooks/{t['id']}" and notebook_path(t["id"]).exists()]


def _cells(nb: Path) -> list[dict]:
    return json.loads(nb.read_text(encoding="utf-8"))["cells"]


def _src(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def _live(cell: dict) -> str:
    """A cell's source without comments (MyST ``%`` lines, Python ``#`` lines),
    so that the scaffold's instructions do not count as content."""
    mark = "%" if cell["cell_type"] == "markdown" else "#"
    return "\n".join(line for line in _src(cell).splitlines() if not line.lstrip().startswith(mark))


def _tags(cell: dict) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _toc_files() -> set[str]:
    import yaml

    toc = yaml.safe_load((paths.root() / "_toc.yml").read_text(encoding="utf-8"))
    out = {toc.get("root")}

    def walk(items):
        for it in items or []:
            out.add(it.get("file"))
            walk(it.get("sections"))
    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return out


def source_rules(theme: str) -> list[Rule]:
    """Rules on the notebook's source and its place in the book."""
    b = book()
    out: list[Rule] = []
    nb = notebook_path(theme)
    rel = f"notebooks/{theme}.ipynb"
    themes = b.by_id("themes")
    out.append(Rule("naming", bool(ID_RULE.match(theme)),
                    "the theme id is lower-case words joined by hyphens",
                    f"rename '{theme}' (the notebook file is the theme id)"))
    out.append(Rule("theme", theme in themes and themes[theme]["chapter"] == f"notebooks/{theme}",
                    f"data/themes.csv makes notebooks/{theme} the theme's home",
                    f"set the row of '{theme}' in data/themes.csv to chapter notebooks/{theme} "
                    "(`make chapter` does it)"))
    out.append(Rule("toc", f"notebooks/{theme}" in _toc_files(),
                    "the chapter is listed in _toc.yml",
                    f"add `- file: notebooks/{theme}` under a part of _toc.yml (`make chapter` does it)"))
    if not nb.exists():
        out.append(Rule("notebook", False, f"{rel} exists", f"run `make chapter ID={theme} TITLE=\"...\"`"))
        return out
    cells = _cells(nb)
    md = "\n".join(_live(c) for c in cells if c["cell_type"] == "markdown")
    code = [c for c in cells if c["cell_type"] == "code"]
    src = "\n".join(_live(c) for c in code)

    out.append(Rule("verdict", "```{nev-verdict}" in md and md.index("```{nev-verdict}") < _first(md, "```{nev-quote}"),
                    "a verdict box (```{nev-verdict}```) opens the chapter, before the first quote",
                    "put the book's verdict (at most three sentences, numbers glued) in a nev-verdict "
                    "directive right under the title"))
    verdict = VERDICT.search(md)
    if verdict:
        said = prose.sentences(verdict["body"])
        typed = prose.typed_numbers(verdict["body"])
        out.append(Rule("verdict-length", len(said) <= MAX_VERDICT_SENTENCES,
                        f"the verdict is at most {MAX_VERDICT_SENTENCES} sentences, found {len(said)}",
                        "cut the verdict to the answer; the evidence follows it"))
        out.append(Rule("verdict-numbers", not typed,
                        "every number in the verdict is glued from the data (years and names aside)",
                        f"glue {typed} from a code cell ({{glue:text}}`name`) instead of typing them"))
    first_fig = next((i for i, c in enumerate(cells) if c["cell_type"] == "code" and "charts.figure(" in _live(c)), None)
    first_quote = next((i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and QUOTE.search(_live(c))), None)
    out.append(Rule("verdict-chart", first_fig is not None and (first_quote is None or first_fig < first_quote),
                    "the decisive chart follows the verdict, before the quotes (BOOK.md §10)",
                    "move the chart that decides the verdict right under it"))
    out.append(Rule("glue", "{glue:text}" in md or "{glue:md}" in md,
                    "the prose glues computed numbers ({glue:text}`name`), never types them",
                    "compute the number in a code cell, `nb.glue_number(\"name\", value, \".1f\")`, "
                    "and write {glue:text}`name` in the prose"))
    quotes = b.by_id("quotes")
    used = [q for c in cells if c["cell_type"] == "markdown" for q in QUOTE.findall(_live(c))]
    unknown = [q for q in used if q not in quotes]
    out.append(Rule("quote-ids", not unknown, "every quote id is in data/quotes.csv",
                    f"unknown quote ids {unknown}: add them to data/quotes.csv or fix the id"))
    out.append(Rule("quotes", len(set(used)) >= MIN_QUOTES,
                    f"at least {MIN_QUOTES} quotes (```{{nev-quote}} id```), found {len(set(used))}",
                    "add quotes of the theme from data/quotes.csv (add rows there first, verbatim from "
                    "data/sources/texts/)"))
    required = {r["source_id"] for r in b.rows("source_themes")
                if r["theme"] == theme and r["coverage"] == "explicit"}
    quoted = {quotes[q]["source_id"] for q in used if q in quotes}
    missing = sorted(required - quoted)
    out.append(Rule("statements", not missing,
                    "a quote from every statement that treats the theme explicitly (data/source_themes.csv)",
                    f"quote {missing}"))
    figures = [c for c in code if "charts.figure(" in _live(c)]
    out.append(Rule("figures", len(figures) >= MIN_FIGURES,
                    f"at least {MIN_FIGURES} charts (charts.figure(...)), found {len(figures)}",
                    "add charts on sourced data that test the statements (README: Add a chart)"))
    shown = [c for c in figures if "remove-input" not in _tags(c)]
    out.append(Rule("figure-cells", not shown, "every chart cell is tagged remove-input (no code on the page)",
                    f"tag {len(shown)} chart cell(s) remove-input"))
    out.append(Rule("ledger", f"```{{nev-ledger}}\n:theme: {theme}" in md,
                    f"the theme's commitments are shown (```{{nev-ledger}}``` with :theme: {theme})",
                    "add the commitments table under 'What happened next'"))
    records = [c for c in b.rows("commitments") if theme in c["themes"]]
    out.append(Rule("records", bool(records), "the ledger holds at least one commitment of the theme",
                    f"add the theme's commitments to the ledger (data/commitments.csv, themes '{theme}')"))
    for rid, directive, what, fix in THEME_DIRECTIVES:
        out.append(Rule(rid, f"```{{{directive}}}\n:theme: {theme}" in md,
                        f"{what} (```{{{directive}}}``` with :theme: {theme})", fix))
    reviewed = (themes.get(theme) or {}).get("reviewed")
    ed = edition()["date"]
    out.append(Rule("reviewed", bool(reviewed) and reviewed >= ed,
                    f"reviewed for the current edition ({ed}) in data/themes.csv",
                    f"bring the chapter up to date, then set reviewed={ed} for '{theme}' in data/themes.csv"))
    out.append(Rule("citations", f"```{{nev-citations}}\n:theme: {theme}" in md,
                    f"the sources are listed (```{{nev-citations}}``` with :theme: {theme})",
                    "add the sources list under 'Notes'"))
    out.append(Rule("glossary", "{term}`" in md, "terms are linked to the glossary ({term}`...`)",
                    "link at least one term: {term}`dual-credit policy` (terms: data/glossary.csv)"))
    hidden = [c for c in code if "remove-cell" in _tags(c) and re.search(r"^\s*assert ", _live(c), re.M)]
    out.append(Rule("checks", bool(hidden), "a hidden check cell (tag remove-cell) asserts the data against the texts",
                    "add a code cell tagged remove-cell with assert statements"))
    out.append(Rule("checks-texts", "checks.figures(" in src,
                    "a check ties the data to a figure an official quoted (checks.figures(...))",
                    "read the quoted figure with checks.figures(source_id, pattern) and assert it "
                    "against the data"))
    dirty = [i for i, c in enumerate(code) if c.get("outputs") or c.get("execution_count") is not None]
    out.append(Rule("no-outputs", not dirty, "the notebook is saved without outputs",
                    "run `make strip`"))
    return out


def _first(text: str, needle: str) -> int:
    i = text.find(needle)
    return len(text) if i < 0 else i


class _Page(HTMLParser):
    """What the rules need from a built chapter page."""

    def __init__(self):
        super().__init__()
        self.quotes: list[dict] = []
        self.figures: list[dict] = []
        self.citations = 0
        self._stack: list[str] = []
        self._quote: dict | None = None
        self._fig: dict | None = None
        self._in_cites = 0
        self._capture: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "blockquote" and "nev-quote" in cls:
            self._quote = {"attribution": "", "links": []}
            self.quotes.append(self._quote)
        if self._quote is not None and tag == "p" and "attribution" in cls:
            self._capture = "attribution"
        if self._quote is not None and tag == "a" and a.get("href"):
            self._quote["links"].append(a["href"])
        if tag == "figure" and "nev-figure" in cls:
            self._fig = {"aria": "", "csv": False, "table": False, "takeaway": "", "spec": ""}
            self.figures.append(self._fig)
        if self._fig is not None:
            if tag == "div" and "nev-chart" in cls:
                self._fig["aria"] = a.get("aria-label") or ""
            if tag == "a" and "nev-download" in cls and (a.get("href") or "").endswith(".csv"):
                self._fig["csv"] = True
            if tag == "details" and "nev-table" in cls:
                self._fig["table"] = True
            if tag == "figcaption":
                self._capture = "takeaway"
            if tag == "script" and a.get("type") == "application/json":
                self._capture = "spec"
        if tag == "ul" and "nev-citations" in cls:
            self._in_cites += 1
        elif tag == "ul" and self._in_cites:
            self._in_cites += 1
        if tag == "li" and self._in_cites == 1:
            self.citations += 1

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self._quote = None
        if tag == "figure":
            self._fig = None
        if tag in ("p", "figcaption", "script"):
            self._capture = None
        if tag == "ul" and self._in_cites:
            self._in_cites -= 1

    def handle_data(self, data):
        if self._capture == "attribution" and self._quote is not None:
            self._quote["attribution"] += data
        elif self._capture in ("takeaway", "spec") and self._fig is not None:
            self._fig[self._capture] += data


def page_rules(theme: str) -> list[Rule]:
    """Rules on the built page (static HTML; the browser tests add the rest)."""
    page = page_path(theme)
    if not page.exists():
        return [Rule("page", False, f"the chapter is built ({page.relative_to(paths.root())})",
                     "run `make book` (or `make check-chapter`, which builds first)")]
    raw = page.read_bytes()
    p = _Page()
    p.feed(raw.decode("utf-8"))
    out: list[Rule] = []
    bad = [q for q in p.quotes if not (q["attribution"].startswith("\u2014 ") and "Source text, paragraph" in q["attribution"])]
    out.append(Rule("page-quotes", len(p.quotes) >= MIN_QUOTES and not bad,
                    "each quote shows its attribution and a link to its source paragraph",
                    f"{len(bad)} of {len(p.quotes)} quotes lack an attribution; check the build warnings"))
    links = [h for q in p.quotes for h in q["links"]]
    wrong = [h for h in links if not re.match(r"^(\.\./)*book/sources/([a-z0-9-]+)\.html#source-\2-p\d+$", h)]
    out.append(Rule("page-quote-links", bool(links) and not wrong,
                    "each quote links to its paragraph on the statement's page",
                    f"quote links that do not point at a source paragraph: {wrong[:3]}"))
    no_source = [i for i, f in enumerate(p.figures) if '"Source' not in f["spec"]]
    incomplete = [i for i, f in enumerate(p.figures)
                  if not (f["aria"] and f["csv"] and f["table"] and f["takeaway"].strip())]
    out.append(Rule("page-figures", len(p.figures) >= MIN_FIGURES and not no_source and not incomplete,
                    "each chart carries a source line, a description, a CSV download, a data table and a takeaway",
                    f"{len(p.figures)} charts; without a source line: {no_source}; incomplete: {incomplete} "
                    "(build charts with charts.figure)"))
    out.append(Rule("page-sources", p.citations >= MIN_SOURCES,
                    f"at least {MIN_SOURCES} sources listed, found {p.citations}",
                    "cite the chapter's figures: every series, event and commitment of the theme adds its source"))
    size = len(gzip.compress(raw, 9))
    budget = PAGE_GZIP_OWN.get(theme, PAGE_GZIP_BUDGET)
    out.append(Rule("page-size", size < budget, f"the page is under {budget // 1000} KB gzip ({size / 1000:.1f} KB)",
                    "move long tables to the data package or the tracker; fewer or lighter charts"))
    return out


def check(theme: str, built: bool = True) -> list[Rule]:
    """Every rule of the chapter of ``theme``."""
    rules = source_rules(theme)
    if built and notebook_path(theme).exists():
        rules += page_rules(theme)
    return rules


def report(theme: str, rules: list[Rule]) -> str:
    failed = [r for r in rules if not r.ok]
    head = (f"notebooks/{theme}.ipynb: {len(rules) - len(failed)} of {len(rules)} chapter rules hold"
            + (f"; {len(failed)} to do:" if failed else "."))
    return "\n".join([head, *(str(r) for r in failed)])
