"""The external links of the built site, listed and never fetched.

``python -m nevbook.publish.linkreport`` reads every page of ``_build/html`` and writes
``_build/reports/external-links.md`` (by host, then URL, with the pages that
link there) and ``external-links.csv``. Nothing is requested: the book is
built and read offline, and a link checker that needs the network would make
the build depend on other people's servers. Reviewers can check the list by
hand or with their own tools; ``make test`` regenerates it.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from .. import paths


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def site_dir() -> Path:
    return paths.root() / "_build" / "html"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def external_links(site: Path | None = None) -> dict[str, set[str]]:
    """{url: {page, ...}} for every link that leaves the site (http, https,
    mailto, ...); in-page data: downloads are not links to anywhere."""
    site = site or site_dir()
    found: dict[str, set[str]] = defaultdict(set)
    for page in pages(site):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            scheme = urlparse(href).scheme
            if scheme and scheme != "data" or href.startswith("//"):
                found[href].add(str(page.relative_to(site)))
    return dict(found)


def write(site: Path | None = None, out: Path | None = None) -> tuple[Path, Path, dict[str, set[str]]]:
    site = site or site_dir()
    out = out or site.parent / "reports"
    out.mkdir(parents=True, exist_ok=True)
    links = external_links(site)
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in links:
        by_host[urlparse(url).netloc or urlparse(url).scheme].append(url)

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["host", "scheme", "url", "pages"])
    for host in sorted(by_host):
        for url in sorted(by_host[host]):
            w.writerow([host, urlparse(url).scheme, url, ";".join(sorted(links[url]))])
    csv_path = out / "external-links.csv"
    csv_path.write_text(buf.getvalue(), encoding="utf-8")

    plain = sorted(u for u in links if urlparse(u).scheme == "http")
    lines = [
        "# External links in the built site",
        "",
        f"{len(links)} distinct external URLs on {len(by_host)} hosts, found in "
        f"{len(pages(site))} pages of `_build/html`. They were listed, not fetched: "
        "whether each still answers is for a reviewer to check.",
        "",
        f"- Plain `http:` links (no TLS): {len(plain)}",
        "- The same list as CSV: `external-links.csv`",
        "",
        "| host | URLs | linked from |",
        "|---|---:|---|",
    ]
    for host in sorted(by_host, key=lambda h: (-len(by_host[h]), h)):
        pages_of = sorted({p for u in by_host[host] for p in links[u]})
        shown = ", ".join(pages_of[:4]) + (f" and {len(pages_of) - 4} more" if len(pages_of) > 4 else "")
        lines.append(f"| {host} | {len(by_host[host])} | {shown} |")
    lines += ["", "## Every URL", ""]
    for host in sorted(by_host):
        lines.append(f"### {host}")
        lines.append("")
        for url in sorted(by_host[host]):
            lines.append(f"- <{url}> ({', '.join(sorted(links[url]))})")
        lines.append("")
    md_path = out / "external-links.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return md_path, csv_path, links


def main() -> int:
    if not (site_dir() / "index.html").exists():
        print("no built site in _build/html: run `make book` first")
        return 1
    md, cs, links = write()
    print(f"{len(links)} external links listed (not fetched): {md.relative_to(paths.root())}, "
          f"{cs.relative_to(paths.root())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
