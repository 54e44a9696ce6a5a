"""Debian's Chromium, driven by Playwright, the one way this project starts a
browser: the PDF edition, the site tests and the benchmark all use it.

Playwright never downloads a browser here; ``scripts/setup.sh --browser``
installs Debian's ``chromium``. The flags keep a headless Chromium quiet on
a machine with no network beyond localhost (no background requests, no
component updates, no QUIC).
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path

PATH = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps"]
MISSING = f"{PATH} not found: `make setup-browser` installs Debian's chromium"


def available() -> bool:
    return Path(PATH).exists()


@contextlib.contextmanager
def browser(*, args: list[str] | None = None):
    """A launched Chromium (Playwright ``Browser``), closed on exit."""
    if not available():
        raise RuntimeError(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=PATH, args=ARGS + list(args or []))
        try:
            yield b
        finally:
            b.close()
