"""The hard-edge corpus: bad input fails, naming the file, the line and the
row, or renders safely.

Most cases break one thing in a scratch copy of data/ and check what
``nevbook.data.check`` (the same code the notebooks, the Sphinx directives
and ``python -m nevbook check`` use) reports about it. Others build a small
Sphinx project with the book's extension (a page that names an unknown quote,
a period a series does not cover, a quote holding HTML, a notebook that
raises). The chart contract's own bad inputs (no title, no unit, a number
without a citation, a ``</script>`` in a spec) are in test_charts.py.
``test_the_corpus_covers_every_kind`` keeps the list below honest.
"""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nevbook import data


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def replace(path: Path, old: str, new: str, count: int = 1) -> int:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def problems() -> str:
    found = data.check()
    assert found, "expected the bad input to be reported, but data/ checked out"
    return "\n".join(map(str, found))


def test_real_data_are_clean(data_copy):
    assert data.check() == []


def test_one_word_changed_in_a_quote(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, "effectively connect with the decline of subsidies",
                   "effectively connect with the end of subsidies")
    out = problems()
    assert f"data/quotes.csv:{line}: [scio22-double-credit] quote does not verify" in out
    assert "departs from the text at 'end of subsidies" in out


def test_insertion_outside_brackets(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, '"double credit"" [dual-credit] management', '"double credit"" dual-credit management')
    assert f"data/quotes.csv:{line}: [scio22-double-credit] quote does not verify" in problems()


def test_unknown_source_id(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, "miit22-dual-point,miit-2022-09-06,", "miit22-dual-point,miit-2022-09-07,")
    out = problems()
    assert f"data/quotes.csv:{line}: [miit22-dual-point] unknown source_id 'miit-2022-09-07'" in out


def test_speaker_who_does_not_speak_in_that_source(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, "miit22-dual-point,miit-2022-09-06,guo-shougang",
                   "miit22-dual-point,miit-2022-09-06,xiao-yaqing")
    assert (f"data/quotes.csv:{line}: [miit22-dual-point] unknown source_id+speaker_id "
            "'miit-2022-09-06/xiao-yaqing'") in problems()


def test_malformed_csv_row(data_copy):
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-sales,2021,3.521,", "market-nev-sales,2021,3,521,")
    out = problems()
    assert f"data/observations/market.csv:{line}: [market-nev-sales] malformed row: 8 cells, the header has 7" in out


def test_value_without_citation(data_copy):
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-sales,2021,3.521,million vehicles,henanlong-caam-2021",
                   "market-nev-sales,2021,3.521,million vehicles,")
    assert (f"data/observations/market.csv:{line}: [market-nev-sales] field 'citation_id' "
            "is required but empty") in problems()


def test_unknown_citation(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    line = replace(f, "credits-nev-positive,2023,21.288,million credits,miit-credits-2023",
                   "credits-nev-positive,2023,21.288,million credits,miit-credits-2099")
    assert (f"data/observations/dual-credit.csv:{line}: [credits-nev-positive/2023] unknown "
            "citation_id 'miit-credits-2099'") in problems()


def test_non_numeric_value(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    line = replace(f, "credits-nev-negative,2023,0.51,", "credits-nev-negative,2023,0.5l,")
    assert f"data/observations/dual-credit.csv:{line}: [credits-nev-negative] field 'value': '0.5l' is not a number" in problems()


def test_negative_value(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    line = replace(f, "credits-nev-negative,2023,0.51,", "credits-nev-negative,2023,-0.51,")
    assert f"data/observations/dual-credit.csv:{line}: [credits-nev-negative] field 'value': -0.51 is below the minimum 0" in problems()


def test_duplicate_observation(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    text = f.read_text(encoding="utf-8")
    dup = next(l for l in text.splitlines() if l.startswith("credits-nev-ratio,2021,"))
    f.write_text(text + dup + "\n", encoding="utf-8")
    n = len(text.splitlines()) + 1
    assert (f"data/observations/dual-credit.csv:{n}: [credits-nev-ratio/2021] duplicate "
            "series_id+period credits-nev-ratio/2021") in problems()


def test_mixed_units_in_a_series(data_copy):
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-sales,2022,6.887,million vehicles", "market-nev-sales,2022,6887,thousand vehicles")
    assert (f"data/observations/market.csv:{line}: [market-nev-sales/2022] unit 'thousand vehicles' "
            "differs from the series' unit 'million vehicles'") in problems()


def test_period_of_the_wrong_granularity(data_copy):
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-sales,2022,", "market-nev-sales,2022-12,")
    assert (f"data/observations/market.csv:{line}: [market-nev-sales/2022-12] period '2022-12' "
            "is not a year") in problems()


def test_malformed_date(data_copy):
    f = data_copy / "citations.csv"
    line = replace(f, ",2022-07-07,2026-11-21,en,", ",2022-07-07,2026-21-11,en,")
    assert (f"data/citations.csv:{line}: [cnevpost-2022-07-07] field 'accessed': "
            "'2026-21-11' is not a date (YYYY-MM-DD)") in problems()


def test_citation_without_url(data_copy):
    f = data_copy / "citations.csv"
    line = replace(f, "cnevpost-2022-07-07,https://cnevpost.com/2022/07/07/byd-tesla-top-winners-under-chinas-dual-credit-policy/,",
                   "cnevpost-2022-07-07,,")
    assert f"data/citations.csv:{line}: [cnevpost-2022-07-07] field 'url' is required but empty" in problems()


def test_source_text_changed(data_copy):
    text = data_copy / "sources" / "texts" / "ev100-2021.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("Fifth", "Sixth"), encoding="utf-8")
    line = line_of(data_copy / "sources.csv", "ev100-2021,")
    assert f"data/sources.csv:{line}: [ev100-2021] data/sources/texts/ev100-2021.txt has changed" in problems()


def test_missing_data_file(data_copy):
    (data_copy / "events.csv").unlink()
    assert "data/events.csv: data file is missing" in problems()


def test_commitment_without_evidence(data_copy):
    line = replace(data_copy / "commitments.csv",
                   ",driive-cnevpost-2023-04-25;marklines-2023-revision;ov-cgtn-2023-12-08,", ",,")
    assert (f"data/commitments.csv:{line}: [miitqa23-p1-credits-roadmap] action 'yes' needs "
            "evidence: action_citation_ids is empty") in problems()


def test_unknown_theme_in_a_list(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, "miit22-dual-point,miit-2022-09-06,guo-shougang,dual-credit,",
                   "miit22-dual-point,miit-2022-09-06,guo-shougang,dual-credit;credits,")
    assert (f"data/quotes.csv:{line}: [miit22-dual-point] unknown id 'credits' in field 'themes'") in problems()


def test_cli_exit_code_and_message(data_copy):
    """`python -m nevbook check` (the README's fast check) fails naming the row."""
    f = data_copy / "quotes.csv"
    line = replace(f, "as soon as possible, and guide", "as soon as practicable, and guide")
    run = subprocess.run([sys.executable, "-m", "nevbook", "check"], capture_output=True, text=True)
    assert run.returncode == 1
    assert f"data/quotes.csv:{line}: [miitqa23-credit-revision] quote does not verify" in run.stdout


def test_notebook_stops_at_bad_data(data_copy):
    """Loading data in a notebook raises DataError listing the bad row."""
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-share,2023,31.6,", "market-nev-share,2023,31.6%,")
    with pytest.raises(data.DataError, match=rf"data/observations/market.csv:{line}: "):
        data.series("market-nev-share")


def sphinx_build(tmp_path: Path, pages: dict[str, str], conf: str = "") -> tuple[subprocess.CompletedProcess, Path]:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_nb", "nevbook.sphinxext"]\n' + conf)
    for name, body in pages.items():
        (src / name).write_text(body, encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                          str(src), str(out)], capture_output=True, text=True)  # as the book builds
    return run, out


def test_unknown_quote_id_fails_the_build(tmp_path):
    """A chapter citing a quote that is not in data/quotes.csv fails `-W` builds."""
    run, _ = sphinx_build(tmp_path, {"index.md": "# T\n\n```{nev-quote} scio22-double-credit\n```\n\n"
                                                 "```{nev-quote} no-such-quote\n```\n"})
    assert run.returncode != 0
    assert "index.md:6:" in run.stderr and "unknown quote id 'no-such-quote' (not in data/quotes.csv)" in run.stderr, run.stderr


# ---------------------------------------------------------------------------
# Further kinds: identity, encoding, enums, order of cuts, and pages.


def test_unknown_speaker(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, "miit22-dual-point,miit-2022-09-06,guo-shougang,",
                   "miit22-dual-point,miit-2022-09-06,guo-shougang-jr,")
    assert f"data/quotes.csv:{line}: [miit22-dual-point] unknown speaker_id 'guo-shougang-jr'" in problems()


def test_duplicate_quote_id(data_copy):
    f = data_copy / "quotes.csv"
    text = f.read_text(encoding="utf-8")
    line = line_of(f, "miit22-dual-point,")
    other = line_of(f, "scio22-lead-double-points,")
    f.write_text(text.replace("scio22-lead-double-points,", "miit22-dual-point,", 1), encoding="utf-8")
    first, second = sorted((line, other))
    assert f"data/quotes.csv:{second}: [miit22-dual-point] duplicate id miit22-dual-point" in problems()


def test_cuts_out_of_order(data_copy):
    """Two verbatim pieces joined by a cut must stand in the text in that order."""
    f = data_copy / "quotes.csv"
    line = replace(f, '"Quickly study and clarify supporting policies such as the continuation of tax incentives '
                      'for new energy vehicles, optimize the ""double credit"" [dual-credit] management method, '
                      'effectively connect with the decline of subsidies, and stabilize market expectations."',
                   '"effectively connect with the decline of subsidies, and stabilize market expectations … '
                   'Quickly study and clarify supporting policies such as the continuation of tax incentives"')
    assert f"data/quotes.csv:{line}: [scio22-double-credit] quote does not verify" in problems()


def test_value_outside_an_enum(data_copy):
    f = data_copy / "commitments.csv"
    line = line_of(f, "miitqa23-p1-credits-roadmap,")
    text = f.read_text(encoding="utf-8").splitlines(keepends=True)
    assert ',yes,"The revision' in text[line - 1]
    text[line - 1] = text[line - 1].replace(',yes,"The revision', ',done,"The revision', 1)
    f.write_text("".join(text), encoding="utf-8")
    assert f"data/commitments.csv:{line}: [miitqa23-p1-credits-roadmap] field 'action': 'done' is not one of" in problems()


def test_file_that_is_not_utf8(data_copy):
    f = data_copy / "glossary.csv"
    lines = f.read_bytes().split(b"\n")
    lines[3] = lines[3] + "caf\u00e9".encode("latin-1")
    f.write_bytes(b"\n".join(lines))
    out = problems()
    assert "data/glossary.csv:4: " in out and "not UTF-8" in out, out


def test_period_a_series_does_not_cover_in_a_notebook():
    """A notebook asking for a period outside a series' range stops, saying
    which periods the series covers and where they are kept."""
    from nevbook import checks

    with pytest.raises(AssertionError, match=r"market-nev-sales 1999: 0 values in the data; "
                       r"data/observations/market.csv holds 2012 to 2025"):
        checks.value(data.series("market-nev-sales"), "market-nev-sales", "1999")


def test_period_a_series_does_not_cover_in_a_page(tmp_path):
    run, _ = sphinx_build(tmp_path, {"index.md": "# T\n\nSales were {nev-value}`market-nev-sales 2021`.\n\n"
                                                 "Sales were {nev-value}`market-nev-sales 1999`.\n"})
    assert run.returncode != 0
    assert "index.md:5:" in run.stderr and ("no single observation for series 'market-nev-sales' period "
                                            "'1999' (0 found): data/observations/market.csv holds 2012 to 2025") in run.stderr, run.stderr


def test_html_inside_a_quote_renders_as_text(data_copy, tmp_path):
    """A source text that holds markup (here added to a scratch copy, with its
    checksum) is quoted and shown as text: nothing in it runs or renders."""
    text = data_copy / "sources" / "texts" / "ev100-2021.txt"
    evil = 'Test paragraph with <script>alert("quoted")</script> and <b>bold</b> & <img src=x onerror=alert(1)> in it.'
    text.write_text(text.read_text(encoding="utf-8").rstrip("\n") + "\n" + evil + "\n", encoding="utf-8")
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    sources = data_copy / "sources.csv"
    rows = sources.read_text(encoding="utf-8").splitlines(keepends=True)
    rows = [r if not r.startswith("ev100-2021,") else
            r.replace(r.split(",sources/texts/ev100-2021.txt,")[1].split(",")[0], digest) for r in rows]
    sources.write_text("".join(rows), encoding="utf-8")
    with (data_copy / "quotes.csv").open("a", encoding="utf-8") as f:
        f.write('test-markup,ev100-2021,narration,overview,"' + evil.replace('"', '""') + '",\n')
    with (data_copy / "speaker_turns.csv").open("a", encoding="utf-8") as f:
        f.write("ev100-2021,narration,18,18,The scratch paragraph.\n")
    assert data.check() == [], "the scratch quote should verify"
    run, out = sphinx_build(tmp_path, {
        "index.md": "# T\n\n```{toctree}\nsource\n```\n\n```{nev-quote} test-markup\n```\n",
        "source.md": "# S\n\n```{nev-source} ev100-2021\n```\n"})
    assert run.returncode == 0, run.stderr
    for page in ("index.html", "source.html"):
        body = (out / page).read_text(encoding="utf-8")
        assert "&lt;script&gt;alert(" in body and "&lt;/script&gt;" in body, f"{page}: the script is not shown as text"
        assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in body, page
        assert "<script>alert" not in body and "<b>bold</b>" not in body and "<img src=x" not in body, page


def test_notebook_that_raises_fails_the_build(tmp_path):
    """With the book's execution settings, a notebook whose cell raises stops
    the build, naming the notebook and the error."""
    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Raises"},
                    {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                     "source": "raise ValueError('row 3 of the table is not a number')"}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    conf = ('nb_execution_mode = "cache"\nnb_execution_raise_on_error = False\n'
            'nb_execution_show_tb = True\n'
            f'nb_execution_cache_path = {str(tmp_path / "cache")!r}\n')
    run, out = sphinx_build(tmp_path, {"index.md": "# T\n\n```{toctree}\nraises\n```\n",
                                       "raises.ipynb": json.dumps(nb)}, conf=conf)
    assert run.returncode != 0
    err = re.sub(r"\x1b\[[0-9;]*m", "", run.stderr)  # the traceback comes coloured
    assert re.search(r"raises\.ipynb: (WARNING: )?Executing notebook failed", err), err
    assert "ValueError: row 3 of the table is not a number" in err, err
    # Building again without changes must not pass: the failed notebook re-runs.
    again = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                            str(tmp_path / "src"), str(out)], capture_output=True, text=True)
    assert again.returncode != 0, "a rebuild after a failed notebook passed"
    assert "ValueError: row 3 of the table is not a number" in re.sub(r"\x1b\[[0-9;]*m", "", again.stderr)


def test_the_book_builds_notebooks_as_these_tests_do():
    """The settings the notebook test relies on are the book's own."""
    config = (Path(__file__).resolve().parents[1] / "_config.yml").read_text(encoding="utf-8")
    assert "nb_execution_raise_on_error: false" in config and "allow_errors: false" in config


KINDS = {
    # kind of bad input -> the test(s) that feed it
    "a quote with one word changed": "test_one_word_changed_in_a_quote",
    "an editorial insertion without brackets": "test_insertion_outside_brackets",
    "cuts that reorder the text": "test_cuts_out_of_order",
    "an unknown source": "test_unknown_source_id",
    "an unknown speaker": "test_unknown_speaker",
    "a speaker who does not speak in that source": "test_speaker_who_does_not_speak_in_that_source",
    "an unknown id inside a list field": "test_unknown_theme_in_a_list",
    "duplicate ids": "test_duplicate_quote_id",
    "a duplicate observation": "test_duplicate_observation",
    "a malformed CSV row": "test_malformed_csv_row",
    "a file that is not UTF-8": "test_file_that_is_not_utf8",
    "a non-numeric value": "test_non_numeric_value",
    "a negative value": "test_negative_value",
    "a value outside its allowed set": "test_value_outside_an_enum",
    "mixed units in one series": "test_mixed_units_in_a_series",
    "a period of the wrong granularity": "test_period_of_the_wrong_granularity",
    "a period outside the series' range": "test_period_a_series_does_not_cover_in_a_page",
    "a value without citation": "test_value_without_citation",
    "an unknown citation": "test_unknown_citation",
    "a citation without URL": "test_citation_without_url",
    "a malformed date": "test_malformed_date",
    "a changed source text": "test_source_text_changed",
    "a missing data file": "test_missing_data_file",
    "a commitment without evidence": "test_commitment_without_evidence",
    "an unknown quote id in a page": "test_unknown_quote_id_fails_the_build",
    "HTML or script inside a quote": "test_html_inside_a_quote_renders_as_text",
    "a notebook that raises": "test_notebook_that_raises_fails_the_build",
    "bad data met while a notebook runs": "test_notebook_stops_at_bad_data",
}


def test_the_corpus_covers_every_kind():
    tests = {name for name, obj in globals().items() if name.startswith("test_") and callable(obj)}
    missing = {kind: t for kind, t in KINDS.items() if t not in tests}
    assert not missing, f"corpus entries without a test: {missing}"
    assert len(KINDS) >= 20
