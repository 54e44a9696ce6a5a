"""The chapter contract (design/BOOK.md §3, §10), from the rules in
nevbook.chapter that `make check-chapter` reports: one rule set, one place.

Which notebook is a chapter comes from data/themes.csv (a theme whose home is
notebooks/<theme-id>). The browser test (test_site.py) adds what only a
browser sees: charts drawn, screen-reader roles.
"""
from __future__ import annotations

import shutil

import pytest

from nevbook import chapter

CHAPTERS = chapter.chapters()


def test_there_are_chapters():
    assert len(CHAPTERS) >= 8, CHAPTERS


@pytest.mark.parametrize("theme", CHAPTERS)
def test_chapter_source_rules(theme):
    failed = [r for r in chapter.source_rules(theme) if not r.ok]
    assert not failed, chapter.report(theme, failed)


@pytest.mark.parametrize("theme", CHAPTERS)
def test_chapter_page_rules(theme):
    failed = [r for r in chapter.page_rules(theme) if not r.ok]
    assert not failed, chapter.report(theme, failed)


def test_every_notebook_is_a_chapter_or_a_listed_page():
    """One naming rule: a notebook is a theme's chapter (notebooks/<id>), or a
    page across the themes listed here."""
    across = {"synthesis"}
    stems = {p.stem for p in (chapter.paths.root() / "notebooks").glob("*.ipynb")}
    assert stems - set(CHAPTERS) <= across, sorted(stems - set(CHAPTERS) - across)


@pytest.fixture
def scratch_book(tmp_path, monkeypatch):
    """A scratch copy of the book's sources that nevbook reads and writes."""
    root = chapter.paths.root()
    for name in ("data", "notebooks"):
        shutil.copytree(root / name, tmp_path / name)
    for name in ("_toc.yml", "_config.yml"):
        shutil.copy(root / name, tmp_path / name)
    monkeypatch.setenv("NEVBOOK_ROOT", str(tmp_path))
    return tmp_path


def test_make_chapter_scaffolds_and_lists_every_unmet_rule(scratch_book):
    from nevbook import authoring, data

    done = authoring.new_chapter("test-theme", "A test chapter")
    assert "wrote notebooks/test-theme.ipynb" in done[0]
    assert "  - file: notebooks/test-theme\n" in (scratch_book / "_toc.yml").read_text()
    assert any(t["id"] == "test-theme" and t["chapter"] == "notebooks/test-theme"
               for t in data.book().rows("themes"))
    rules = chapter.check("test-theme", built=False)
    failed = {r.id for r in rules if not r.ok}
    # A fresh scaffold meets the layout rules and lists everything an author must add.
    assert failed == {"quotes", "figures", "verdict-chart", "records", "checks", "checks-texts", "glossary",
                      "reviewed"}, failed
    report = chapter.report("test-theme", rules)
    assert report.count("-> ") == len(failed), report
    with pytest.raises(SystemExit, match="exists already"):
        authoring.new_chapter("test-theme", "Again")
    with pytest.raises(SystemExit, match="lower-case words joined by hyphens"):
        authoring.new_chapter("Test_Theme", "Bad id")


def test_the_scaffold_executes(scratch_book):
    """The scaffold runs as it stands (so a new chapter builds from the start)."""
    import nbformat
    from nbclient import NotebookClient

    from nevbook import authoring

    authoring.new_chapter("test-theme", "A test chapter")
    nb = nbformat.read(scratch_book / "notebooks" / "test-theme.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(scratch_book / "notebooks")}}).execute()
    assert any("n_quotes" in str(c.get("outputs")) for c in nb.cells if c.cell_type == "code")
