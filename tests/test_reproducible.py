"""Two clean builds give byte-identical HTML (no random ids, no timestamps)."""
from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SITE


@pytest.mark.slow
def test_clean_rebuild_is_byte_identical(tmp_path):
    jb = Path(sys.executable).parent / "jupyter-book"
    run = subprocess.run([str(jb), "build", str(ROOT), "--path-output", str(tmp_path), "-W", "-n", "--keep-going"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    other = tmp_path / "_build" / "html"
    pages = sorted(p.relative_to(SITE) for p in SITE.rglob("*.html"))
    assert pages, "no pages in _build/html"
    differ = [str(p) for p in pages if not filecmp.cmp(SITE / p, other / p, shallow=False)]
    assert not differ, f"pages differ between two clean builds: {differ}"
