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


@pytest.mark.slow
def test_incremental_build_equals_a_clean_build(tmp_path):
    """Edit a page and a data file, build again incrementally: the HTML and
    the search index equal those of a clean build of the edited sources (no
    removed word stays findable). Both builds start from a copy of the
    book's execution cache, so only what changed executes."""
    import os
    import shutil

    src = tmp_path / "src"
    for name in ("book", "notebooks", "data"):
        shutil.copytree(ROOT / name, src / name)
    for name in ("_config.yml", "_toc.yml"):
        shutil.copy(ROOT / name, src / name)
    (src / "node_modules").symlink_to(ROOT / "node_modules")
    env = dict(os.environ, NEVBOOK_ROOT=str(src))
    jb = Path(sys.executable).parent / "jupyter-book"

    def build(out: Path) -> Path:
        run = subprocess.run([str(jb), "build", str(src), "--path-output", str(out), "-W", "-n", "--keep-going"],
                             capture_output=True, text=True, cwd=src, env=env)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        return out / "_build" / "html"

    def seeded(out: Path) -> Path:
        for name in (".jupyter_cache", ".nevbook"):
            if (ROOT / "_build" / name).exists():
                shutil.copytree(ROOT / "_build" / name, out / "_build" / name,
                                ignore=shutil.ignore_patterns("build.lock"))
        return out

    a = build(seeded(tmp_path / "a"))
    method = src / "book" / "method.md"
    word = "Frictionless"
    assert word in method.read_text(encoding="utf-8")
    method.write_text(method.read_text(encoding="utf-8").replace(f"[{word}]", "[Data package]"), encoding="utf-8")
    a = build(tmp_path / "a")  # incremental
    b = build(seeded(tmp_path / "b"))  # clean
    assert word.lower() not in (b / "searchindex.js").read_text(encoding="utf-8").lower()
    assert filecmp.cmp(a / "searchindex.js", b / "searchindex.js", shallow=False), \
        "the search index of an incremental build differs from a clean build's"
    pages = sorted(p.relative_to(b) for p in b.rglob("*.html"))
    differ = [str(p) for p in pages if not filecmp.cmp(a / p, b / p, shallow=False)]
    assert not differ, f"pages differ between an incremental and a clean build: {differ}"
