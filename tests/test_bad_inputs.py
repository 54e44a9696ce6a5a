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


# The quote the tests below break, as it stands in data/quotes.csv (CSV-quoted).
DOUBLE_CREDIT_QUOTE = ('"Quickly study and clarify supporting policies such as the continuation of tax incentives '
                       'for new energy vehicles, optimize the ""double credit"" [dual-credit] management method, '
                       'effectively connect with the decline of subsidies, and stabilize market expectations."')


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
    row = next(l for l in f.read_text(encoding="utf-8").splitlines() if l.startswith("market-nev-sales,2021,"))
    cite = row.split(",")[4]
    line = replace(f, f"market-nev-sales,2021,3.521,million vehicles,{cite}",
                   "market-nev-sales,2021,3.521,million vehicles,")
    assert (f"data/observations/market.csv:{line}: [market-nev-sales/2021] field 'citation_id' "
            "is required but empty") in problems()


def test_unknown_citation(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    row = next(l for l in f.read_text(encoding="utf-8").splitlines() if l.startswith("credits-nev-positive,2023,"))
    cite = row.split(",")[4]
    line = replace(f, f"credits-nev-positive,2023,21.288,million credits,{cite}",
                   "credits-nev-positive,2023,21.288,million credits,miit-credits-2099")
    assert (f"data/observations/dual-credit.csv:{line}: [credits-nev-positive/2023] unknown "
            "citation_id 'miit-credits-2099'") in problems()


def test_non_numeric_value(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    line = replace(f, "credits-nev-negative,2023,0.51,", "credits-nev-negative,2023,0.5l,")
    assert f"data/observations/dual-credit.csv:{line}: [credits-nev-negative/2023] field 'value': '0.5l' is not a number" in problems()


def test_negative_value(data_copy):
    f = data_copy / "observations" / "dual-credit.csv"
    line = replace(f, "credits-nev-negative,2023,0.51,", "credits-nev-negative,2023,-0.51,")
    assert f"data/observations/dual-credit.csv:{line}: [credits-nev-negative/2023] field 'value': -0.51 is below the minimum 0" in problems()


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


def test_claim_read_against_a_period_the_data_do_not_hold(data_copy):
    """A claim judged on the evidence names the series it was read against;
    a period none of them holds is named, with file and row."""
    line = replace(data_copy / "claims.csv", "bat-installed-total,2020;2021,", "bat-installed-total,2017;2021,")
    assert (f"data/claims.csv:{line}: [clm-ev100-22-materials-vs-demand] check_periods '2017' is held by none "
            "of the series ['res-li2co3-benchmark-change', 'bat-installed-total']") in problems()


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
    line = replace(f, DOUBLE_CREDIT_QUOTE,
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


# ---------------------------------------------------------------------------
# Second round (issue 16): wrong attribution, invented text, inputs that could
# hang the tools, numbers and dates Python would accept, failures that were
# tracebacks, concurrent builds, spreadsheet formulas, invisible characters.


def test_quote_given_to_another_speaker(data_copy):
    """A quote moved from Wan Gang to Lin Nianxiu (both speak at the 2022
    forum) is refused: the text gives those words to Wan Gang."""
    f = data_copy / "quotes.csv"
    line = replace(f, "res-ev100-wan-tenfold,ev100-2022,wan-gang,", "res-ev100-wan-tenfold,ev100-2022,lin-nianxiu,")
    out = problems()
    assert f"data/quotes.csv:{line}: [res-ev100-wan-tenfold] paragraphs" in out
    assert "are not words of 'lin-nianxiu'; the text gives them to 'wan-gang'" in out


def test_commitment_on_another_speakers_quote(data_copy):
    f = data_copy / "commitments.csv"
    line = line_of(f, "miitqa23-p1-credits-roadmap,")
    rows = f.read_text(encoding="utf-8").splitlines(keepends=True)
    rows[line - 1] = rows[line - 1].replace("miitqa23-p1-credits-roadmap,miit-qa-2023-02-06,miit-equipment-official,",
                                            "miitqa23-p1-credits-roadmap,scio-2022-02-28,xin-guobin,", 1)
    f.write_text("".join(rows), encoding="utf-8")
    assert f"data/commitments.csv:{line}: [miitqa23-p1-credits-roadmap] quote" in problems()


def test_insertion_that_speaks_for_the_speaker(data_copy):
    """An editorial insertion may gloss, never put words in a speaker's mouth."""
    f = data_copy / "quotes.csv"
    line = replace(f, DOUBLE_CREDIT_QUOTE,
                   '"[The ministry will scrap the dual-credit measures … adding:] stabilize market expectations."')
    out = problems()
    assert f"data/quotes.csv:{line}: [scio22-double-credit] quote does not verify" in out
    assert "holds a cut (…)" in out


def test_long_insertion(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, '""double credit"" [dual-credit] management', '""double credit"" [the ministry says it will scrap the dual-credit rules] management')
    out = problems()
    assert f"data/quotes.csv:{line}: [scio22-double-credit]" in out and "an insertion glosses in at most 6 words" in out


def test_quote_that_would_make_a_backtracking_matcher_hang(data_copy):
    """Many cuts whose last piece fails: the matcher answers at once."""
    import time

    f = data_copy / "quotes.csv"
    quote = " … ".join(["the"] * 23) + " … this sentence is not in the text at all"
    line = replace(f, DOUBLE_CREDIT_QUOTE,
                   f'"{quote}"')
    t0 = time.perf_counter()
    out = problems()
    assert time.perf_counter() - t0 < 5
    assert f"data/quotes.csv:{line}: [scio22-double-credit] quote does not verify" in out


def test_too_many_cuts(data_copy):
    f = data_copy / "quotes.csv"
    quote = " … ".join(["the new energy vehicle"] * 30)
    line = replace(f, DOUBLE_CREDIT_QUOTE,
                   f'"{quote}"')
    assert f"data/quotes.csv:{line}: [scio22-double-credit]" in problems() and "at most 24 cuts" in problems()


@pytest.mark.parametrize("bad,why", [
    ("3_521", "is not a number"),              # Python's float() takes it
    ("\uff13.521", "is not a number"),         # full-width digit three
    ("\u0663.521", "is not a number"),         # Arabic-Indic digit three
    ("1e308", "implausibly large"),
    ("nan", "is not a number"),
])
def test_numbers_python_would_accept(data_copy, bad, why):
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-sales,2021,3.521,", f"market-nev-sales,2021,{bad},")
    out = problems()
    assert f"data/observations/market.csv:{line}: [market-nev-sales/2021] field 'value':" in out and why in out, out
    if not bad.isascii():
        assert "U+" in out, "the message names the unusual character by code point"


def test_period_in_unicode_digits(data_copy):
    f = data_copy / "observations" / "market.csv"
    line = replace(f, "market-nev-sales,2021,", "market-nev-sales,\uff12\uff10\uff12\uff11,")
    out = problems()
    assert f"data/observations/market.csv:{line}:" in out and "U+FF12 FULLWIDTH DIGIT TWO" in out, out


def test_impossible_dates(data_copy):
    """30 February in a by-date series and in an event is refused, file and row named."""
    obs = data_copy / "observations" / "resources.csv"
    text = obs.read_text(encoding="utf-8")
    row = next(l for l in text.splitlines() if re.match(r"res-li2co3-smm,\d{4}-\d{2}-\d{2},", l))
    period = row.split(",")[1]
    line = replace(obs, row, row.replace(period, period[:4] + "-02-30", 1))
    ev = data_copy / "events.csv"
    eline = replace(ev, "dc-order44-in-force,2018-04-01,", "dc-order44-in-force,2018-02-30,")
    out = problems()
    assert f"data/observations/resources.csv:{line}:" in out and f"'{period[:4]}-02-30' is not a date in the calendar" in out, out
    assert f"data/events.csv:{eline}: [dc-order44-in-force] field 'date': '2018-02-30' is not a date in the calendar" in out


def test_future_value_without_flag(data_copy):
    with (data_copy / "observations" / "market.csv").open("a", encoding="utf-8") as f:
        f.write("market-nev-share,2027,60.0,percent,steelorbis-2026-01-15,,\n")
    out = problems()
    assert "[market-nev-share/2027] period 2027 ends after the edition date" in out and "flag it estimate" in out, out


def test_same_observation_in_two_files(data_copy):
    text = (data_copy / "observations" / "market.csv").read_text(encoding="utf-8")
    row = next(l for l in text.splitlines() if l.startswith("market-nev-sales,2021,"))
    other = data_copy / "observations" / "safety.csv"
    n = len(other.read_text(encoding="utf-8").splitlines()) + 1
    with other.open("a", encoding="utf-8") as f:
        f.write(row + "\n")
    first = line_of(data_copy / "observations" / "market.csv", "market-nev-sales,2021,")
    out = problems()
    assert (f"data/observations/safety.csv:{n}: [market-nev-sales/2021] market-nev-sales 2021 is also in "
            f"data/observations/market.csv (line {first})") in out, out


def test_csv_that_is_not_in_the_package(data_copy):
    (data_copy / "observations" / "stray.csv").write_text("series_id,period\n", encoding="utf-8")
    assert "data/observations/stray.csv: not in data/datapackage.json" in problems()


def test_missing_schema_file(data_copy):
    (data_copy / "schemas" / "observations.json").unlink()
    out = problems()
    assert "schema file data/schemas/observations.json is missing" in out and "Traceback" not in out


def test_resource_without_schema(data_copy):
    d = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    for r in d["resources"]:
        if r["name"] == "glossary":
            del r["schema"]
    (data_copy / "datapackage.json").write_text(json.dumps(d), encoding="utf-8")
    assert "data/datapackage.json: [glossary] the resource has no schema with fields" in problems()


def test_table_with_only_its_header(data_copy):
    """An emptied table is reported as what it is, not as a traceback."""
    f = data_copy / "speakers.csv"
    f.write_text(f.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    out = problems()
    assert "unknown speaker_id" in out and "Traceback" not in out


def test_one_header_error_is_reported_once(data_copy):
    f = data_copy / "quotes.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("id,source_id,speaker_id,themes,text,note", "id,source,speaker_id,themes,text,note", 1),
                 encoding="utf-8")
    found = data.check()
    about_quotes = [p for p in found if "quote" in p.message or p.file == "data/quotes.csv"]
    assert len(about_quotes) == 1, "\n".join(map(str, about_quotes[:10]))
    assert "expected header is: id,source_id,speaker_id,themes,text,note" in str(about_quotes[0])


def test_invisible_character_is_named(data_copy):
    f = data_copy / "quotes.csv"
    line = replace(f, "effectively connect with the decline of subsidies",
                   "effectively connect with the decline of sub\u200bsidies")
    out = problems()
    assert f"data/quotes.csv:{line}: [scio22-double-credit] quote does not verify" in out
    assert "U+200B ZERO WIDTH SPACE" in out, out


def test_compatibility_characters_are_not_verbatim(data_copy):
    """Unicode folding would let a full-width '３.５' pass as the text's '3.5'."""
    f = data_copy / "quotes.csv"
    with f.open("a", encoding="utf-8") as out:
        out.write('test-fullwidth,scio-2022-02-28,narration,overview,"the production and sales of new energy '
                  'vehicles will exceed \uff13.\uff15 million",\n')
    found = problems()
    assert "[test-fullwidth] quote does not verify" in found and "U+FF13 FULLWIDTH DIGIT THREE" in found, found


def test_notebook_printing_one_huge_line(tmp_path):
    """One 20 MB line of output: the build answers in seconds, names the
    notebook and the cell, and the page holds a bounded excerpt."""
    import time

    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "# Huge"},
                    {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                     "source": "print('x' * 20_000_000)"}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    t0 = time.perf_counter()
    run, out = sphinx_build(tmp_path, {"index.md": "# T\n\n```{toctree}\nhuge\n```\n",
                                       "huge.ipynb": json.dumps(nb)},
                            conf='nb_execution_mode = "force"\nnb_merge_streams = False\n'
                                 'nb_render_plugin = "nevbook"\n')
    took = time.perf_counter() - t0
    assert took < 60, f"the build took {took:.0f} s"
    err = re.sub(r"\x1b\[[0-9;]*m", "", run.stderr)
    assert run.returncode != 0 and "huge.ipynb" in err and "cell 2 prints 20,000,001 characters" in err, err[-2000:]
    page = (out / "huge.html").read_text(encoding="utf-8")
    assert len(page) < 200_000 and "[cut: 19,950,001 more characters]" in page


def test_second_build_waits_for_the_first(tmp_path):
    """Two builds in one folder would corrupt the execution cache: a second
    build waits for the lock (here for 2 s) and then refuses, clearly."""
    import fcntl
    import os

    src = tmp_path / "src"
    lock = tmp_path / ".nevbook" / "build.lock"  # the state folder is next to the output folder
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        env = dict(os.environ, NEVBOOK_LOCK_WAIT="2")
        src.mkdir()
        (src / "conf.py").write_text('extensions = ["myst_nb", "nevbook.sphinxext"]\n')
        (src / "index.md").write_text("# T\n", encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(tmp_path / "out")],
                             capture_output=True, text=True, env=env)
    assert run.returncode != 0
    assert "another build is using" in run.stderr and "still holds" in run.stderr, run.stderr[-2000:]


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
    # second round
    "a quote given to another speaker of the same source": "test_quote_given_to_another_speaker",
    "a commitment resting on another speaker's quote": "test_commitment_on_another_speakers_quote",
    "an insertion that speaks for the speaker": "test_insertion_that_speaks_for_the_speaker",
    "an insertion longer than a gloss": "test_long_insertion",
    "a quote that makes a backtracking matcher hang": "test_quote_that_would_make_a_backtracking_matcher_hang",
    "a quote with too many cuts": "test_too_many_cuts",
    "a number Python would accept (separators, Unicode digits, overflow, nan)": "test_numbers_python_would_accept",
    "a period in Unicode digits": "test_period_in_unicode_digits",
    "a date not in the calendar": "test_impossible_dates",
    "a future value without an estimate flag": "test_future_value_without_flag",
    "the same series and period in two files": "test_same_observation_in_two_files",
    "a CSV outside the package": "test_csv_that_is_not_in_the_package",
    "a missing schema file": "test_missing_schema_file",
    "a resource without a schema": "test_resource_without_schema",
    "a table with only its header": "test_table_with_only_its_header",
    "one header error": "test_one_header_error_is_reported_once",
    "an invisible character": "test_invisible_character_is_named",
    "a compatibility character (full-width digit)": "test_compatibility_characters_are_not_verbatim",
    "a notebook printing one huge line": "test_notebook_printing_one_huge_line",
    "two builds at once": "test_second_build_waits_for_the_first",
    # third round
    "a claim read against a period the data do not hold": "test_claim_read_against_a_period_the_data_do_not_hold",
}


def test_the_corpus_covers_every_kind():
    tests = {name for name, obj in globals().items() if name.startswith("test_") and callable(obj)}
    missing = {kind: t for kind, t in KINDS.items() if t not in tests}
    assert not missing, f"corpus entries without a test: {missing}"
    assert len(KINDS) >= 49
