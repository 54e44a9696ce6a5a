"""The real data: schema-valid, every id resolves, every quote verifies."""
from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from nevbook import data
from nevbook.quotes import load_text, locate

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared" / "sources"


def test_package_has_no_problems():
    problems = data.check()
    assert not problems, "\n".join(map(str, problems))


def test_frictionless_agrees():
    """The descriptor is standard Frictionless, and the data conform to it."""
    from frictionless import validate

    report = validate(str(DATA / "datapackage.json"))
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    errors += [e.message for e in report.errors]
    assert report.valid, "\n".join(errors[:20])


def test_every_csv_in_data_is_described():
    dp = json.loads((DATA / "datapackage.json").read_text())
    described = {r["path"] for r in dp["resources"]}
    present = {str(p.relative_to(DATA)) for p in DATA.rglob("*.csv")}
    assert present == described, f"undescribed: {present - described}; missing: {described - present}"


def test_every_field_is_documented():
    dp = json.loads((DATA / "datapackage.json").read_text())
    for r in dp["resources"]:
        schema = r["schema"]
        if isinstance(schema, str):
            schema = json.loads((DATA / schema).read_text())
        for f in schema["fields"]:
            assert f.get("description"), f"{r['path']}: field {f['name']} has no description"


@pytest.mark.parametrize("row", list(csv.DictReader(open(DATA / "quotes.csv", encoding="utf-8"))),
                         ids=lambda r: r["id"])
def test_quote_is_verbatim(row):
    src = {s["id"]: s for s in csv.DictReader(open(DATA / "sources.csv", encoding="utf-8"))}
    text = load_text(DATA / src[row["source_id"]]["file"])
    first, last = locate(row["text"], text)
    assert 1 <= first <= last <= len(text.paragraphs)


def test_source_texts_are_the_shared_originals():
    """Byte-identical to ../shared/sources/texts (where that folder is present)."""
    if not SHARED.exists():
        pytest.skip("../shared is not beside this clone")
    for s in csv.DictReader(open(DATA / "sources.csv", encoding="utf-8")):
        ours = (DATA / s["file"]).read_bytes()
        theirs = (SHARED / "texts" / s["shared_file"]).read_bytes()
        assert ours == theirs, f"data/{s['file']} differs from shared/sources/texts/{s['shared_file']}"
        assert hashlib.sha256(ours).hexdigest() == s["sha256"]


def test_every_value_has_a_resolving_citation():
    b = data.book()
    cites = b.by_id("citations")
    n = 0
    for res in b.package.observations:
        for row, line in zip(res.rows, res.lines):
            assert row["citation_id"] in cites, f"{res.relpath}:{line}"
            c = cites[row["citation_id"]]
            assert c["url"].startswith(("http://", "https://")) and c["title"] and c["publisher"]
            n += 1
    assert n > 0


def test_unnamed_official_stays_unnamed():
    """SOURCES.md: the MIIT Q&A's official is not to be named."""
    b = data.book()
    sp = b.by_id("speakers")["miit-equipment-official"]
    assert "unnamed" in sp["name"] and not sp["name_zh"]
    speakers = {q["speaker_id"] for q in b.rows("quotes") if q["source_id"] == "miit-qa-2023-02-06"}
    assert speakers <= {"miit-equipment-official"}


def test_series_helper_is_tidy_and_cited():
    df = data.series("credits-nev-positive", "market-nev-share")
    assert list(df.series_id.unique()) == ["credits-nev-positive", "market-nev-share"]
    assert df.groupby("series_id").period.is_monotonic_increasing.all()
    assert df.publisher.notna().all() and df.source_url.str.startswith("http").all()
    with pytest.raises(KeyError, match="unknown series"):
        data.series("no-such-series")


def test_readme_documents_every_table_and_column():
    """The README's reference of tables and columns is generated from the
    package descriptor: it must be current (python -m nevbook tables)."""
    from nevbook import authoring

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split(authoring.README_START, 1)[1].split(authoring.README_END, 1)[0]
    assert block.strip() == authoring.tables_markdown().strip(), \
        "README.md's table reference is out of date: run `python -m nevbook tables`"
