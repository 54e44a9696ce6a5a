"""Bad input fails, and the message names the file, the line and the row.

Each case breaks one thing in a scratch copy of data/ and checks what
``nevbook.data.check`` (the same code the notebooks, the Sphinx directives
and ``python -m nevbook check`` use) reports about it.
"""
from __future__ import annotations

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


def test_pledge_without_evidence(data_copy):
    line = replace(data_copy / "pledges.csv",
                   "driive-cnevpost-2023-04-25;marklines-2023-revision,2026-11-21", ",2026-11-21")
    assert (f"data/pledges.csv:{line}: [miitqa23-complete-revision] status 'delivered' needs "
            "evidence: citation_ids is empty") in problems()


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


def test_unknown_quote_id_fails_the_build(tmp_path):
    """A chapter citing a quote that is not in data/quotes.csv fails `-W` builds."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "nevbook.sphinxext"]\n')
    (src / "index.md").write_text("# T\n\n```{nev-quote} scio22-double-credit\n```\n\n"
                                  "```{nev-quote} no-such-quote\n```\n")
    run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(src),
                          str(tmp_path / "out")], capture_output=True, text=True)
    assert run.returncode != 0
    assert "index.md:6:" in run.stderr and "unknown quote id 'no-such-quote' (not in data/quotes.csv)" in run.stderr, run.stderr
