"""Links inside the built site: quotes reach their paragraph, source pages
link back to every quote, and the references page to every citing page."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

import pytest

from conftest import SITE, site_pages
from nevbook import data


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def parse(rel: str) -> _Page:
    p = _Page()
    p.feed((SITE / rel).read_text(encoding="utf-8"))
    return p


def internal_links(rel: str) -> list[tuple[str, str]]:
    """(target page relative to the site root, fragment) for each local link."""
    out = []
    for href in parse(rel).hrefs:
        if re.match(r"^[a-z]+:", href) or href.startswith("//"):
            continue
        url, frag = urldefrag(href)
        target = urljoin("/" + rel, url)[1:] if url else rel
        out.append((unquote(target), frag))
    return out


@pytest.mark.parametrize("page", site_pages())
def test_every_internal_link_and_anchor_resolves(page):
    cache: dict[str, set[str]] = {}
    broken = []
    for target, frag in internal_links(page):
        path = SITE / target
        if target.endswith("/") or path.is_dir():
            path = path / "index.html"
        if not path.exists():
            broken.append(f"{target} (no such file)")
            continue
        if frag and path.suffix == ".html":
            rel = str(path.relative_to(SITE))
            ids = cache.setdefault(rel, parse(rel).ids)
            if frag not in ids:
                broken.append(f"{target}#{frag} (no such anchor)")
    assert not broken, f"_build/html/{page}: broken links: {sorted(set(broken))[:10]}"


def test_every_quote_shown_links_to_its_paragraph_and_back():
    b = data.book()
    shown = {}
    for page in site_pages():
        for qid in re.findall(r'id="quote-([a-z0-9-]+)"', (SITE / page).read_text(encoding="utf-8")):
            shown.setdefault(qid, page)
    assert shown, "no quote found in the built site"
    for qid, page in shown.items():
        q = b.by_id("quotes")[qid]
        first, _ = b.quote_paragraphs[qid]
        src_page = f"book/sources/{q['source_id']}.html"
        html = (SITE / page).read_text(encoding="utf-8")
        assert f"{q['source_id']}.html#source-{q['source_id']}-p{first}" in html, \
            f"_build/html/{page}: quote {qid} does not link to paragraph {first} of {src_page}"
        back = (SITE / src_page).read_text(encoding="utf-8")
        assert f"#quote-{qid}" in back, f"_build/html/{src_page}: no 'quoted in' link back to quote {qid} ({page})"


def test_source_pages_hold_the_whole_text():
    from nevbook.quotes import load_text
    from nevbook import paths

    for src in data.book().rows("sources"):
        page = SITE / "book" / "sources" / f"{src['id']}.html"
        assert page.exists(), f"no page for source {src['id']} (_toc.yml, book/sources/)"
        ids = parse(str(page.relative_to(SITE))).ids
        n = len(load_text(paths.data_dir() / src["file"]).paragraphs)
        missing = [i for i in range(1, n + 1) if f"source-{src['id']}-p{i}" not in ids]
        assert not missing, f"{page.relative_to(SITE.parent.parent)}: paragraphs {missing[:5]} have no anchor"


def test_references_list_every_citation_with_its_pages():
    html = (SITE / "book" / "references.html").read_text(encoding="utf-8")
    ids = parse("book/references.html").ids
    missing = [c["id"] for c in data.book().rows("citations") if f"ref-{c['id']}" not in ids]
    assert not missing, f"_build/html/book/references.html: citations missing: {missing[:10]}"
    assert "Cited in: <a" in html


def test_landing_page_has_a_card_for_every_chapter():
    """sphinx-design drops a card's link silently when its target is missing.
    Only the cards count: the sidebar links every chapter anyway."""
    from bs4 import BeautifulSoup

    page = BeautifulSoup((SITE / "book/index.html").read_text(encoding="utf-8"), "html.parser")
    cards = page.select("article .sd-card a[href]")
    targets = {urljoin("/book/index.html", urldefrag(a["href"])[0])[1:] for a in cards}
    notebooks = sorted(p.stem for p in (SITE.parents[1] / "notebooks").glob("*.ipynb"))
    missing = [n for n in notebooks if f"notebooks/{n}.html" not in targets]
    assert not missing, f"book/index.md: no card links to {missing}"


def test_external_links_are_listed_not_fetched():
    """Writes _build/reports/external-links.{md,csv} (no request is made) and
    checks that every citation and source URL in data/ is linked from the
    site, and that no link uses a scheme a reader cannot follow."""
    from nevbook.publish import linkreport

    md, csv_path, links = linkreport.write(SITE)
    assert md.exists() and csv_path.exists()
    listed = md.read_text(encoding="utf-8")
    b = data.book()
    wanted = {c["url"]: f"data/citations.csv [{c['id']}]" for c in b.rows("citations")}
    wanted.update({u["url"]: f"data/source_urls.csv [{u['source_id']}]" for u in b.rows("source_urls")})
    missing = [f"{where}: {url}" for url, where in wanted.items() if url not in links]
    assert not missing, f"URLs in data/ that no page links to: {missing[:10]}"
    unlisted = [u for u in links if f"<{u}>" not in listed]
    assert not unlisted, f"{md}: links missing from the report: {unlisted[:5]}"
    odd = [u for u in links if not u.startswith(("https://", "http://", "mailto:"))]
    assert not odd, f"links with a scheme a reader cannot follow: {odd[:5]}"
