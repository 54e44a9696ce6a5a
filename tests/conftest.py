"""Shared fixtures: a scratch copy of data/, the built site on localhost, Chromium."""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest

from nevbook.publish import chromium

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of data/ that nevbook reads instead of the real one."""
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst)
    monkeypatch.setenv("NEVBOOK_DATA", str(dst))
    return dst


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url():
    if not (SITE / "index.html").exists():
        pytest.fail("no built site in _build/html: run the README's build or test command")
    handler = functools.partial(_Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not chromium.available():
        pytest.fail(chromium.MISSING)
    with chromium.browser() as b:
        yield b


def rgb(colour) -> tuple[float, float, float]:
    """'#rrggbb', a CSS 'rgb(r, g, b)' string or an (r, g, b) tuple."""
    if isinstance(colour, str) and colour.startswith("#"):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]
    if isinstance(colour, str):
        return tuple(float(x) for x in re.findall(r"[\d.]+", colour)[:3])  # type: ignore[return-value]
    return tuple(colour)  # type: ignore[return-value]


def contrast(a, b) -> float:
    """WCAG 2 contrast ratio of two colours (any form rgb accepts)."""
    def luminance(colour) -> float:
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
               for c in (x / 255 for x in rgb(colour))]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def site_pages() -> list[str]:
    """Every HTML page of the built site, relative to its root."""
    return sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html")
                  if "_static" not in p.parts and p.name != "genindex.html")
