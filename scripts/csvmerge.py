"""A git merge driver for the data tables: merge rows by their key, and
fields within a row, not lines.

Git's union merge keeps both versions of a row that two branches edited, so
a merge left duplicate ids behind. This driver merges three versions of a
table (the common ancestor, ours, theirs) row by row, keyed by the table's
primary key from data/datapackage.json:

- a row added on either side is kept (ours first, then theirs in their order);
- a row deleted on one side and unchanged on the other is deleted;
- within a row changed on both sides, each field takes the side that changed
  it; a field both sides changed differently takes theirs, and the driver
  says so (exit code 0: the merge goes on, the message tells you to look);
- a column one side added is added.

Installed by `make hooks` (git config merge.csvkey.driver ...), used for the
CSV files under data/ (.gitattributes). Without it git falls back to its own
text merge.
"""
from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path


def _read(path: str) -> tuple[list[str], list[dict]]:
    text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else ""
    if not text.strip():
        return [], []
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def _key_fields(relpath: str, header: list[str]) -> list[str]:
    """The table's primary key, from the package descriptor."""
    root = Path(__file__).resolve().parents[1] / "data"
    try:
        pkg = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pkg = {"resources": []}
    rel = relpath.removeprefix("data/")
    for r in pkg["resources"]:
        if r.get("path") == rel:
            schema = r["schema"]
            if isinstance(schema, str):
                schema = json.loads((root / schema).read_text(encoding="utf-8"))
            pk = schema.get("primaryKey")
            if pk:
                return [pk] if isinstance(pk, str) else list(pk)
    return header[:1]


def merge(base: str, ours: str, theirs: str, relpath: str) -> tuple[str, list[str]]:
    hb, rb = _read(base)
    ho, ro = _read(ours)
    ht, rt = _read(theirs)
    header = list(ho) + [h for h in ht if h not in ho]
    keys = _key_fields(relpath, header)

    def key(r: dict) -> tuple:
        return tuple(r.get(k, "") for k in keys)
    B = {key(r): r for r in rb}
    O = {key(r): r for r in ro}
    T = {key(r): r for r in rt}
    notes: list[str] = []
    out: list[dict] = []
    order = [key(r) for r in ro] + [key(r) for r in rt if key(r) not in O]
    for k in order:
        b, o, t = B.get(k), O.get(k), T.get(k)
        if o is None or t is None:
            present = o if o is not None else t
            if b is not None and present == b:
                continue  # deleted on one side, unchanged on the other
            if b is not None and present != b:
                notes.append(f"{relpath}: row {'/'.join(k)} deleted on one side, changed on the other: kept")
            out.append(present)
            continue
        if o == t:
            out.append(o)
            continue
        row = {}
        for f in header:
            vb, vo, vt = (b or {}).get(f, ""), o.get(f, ""), t.get(f, "")
            if vo == vt or vt == vb:
                row[f] = vo
            elif vo == vb:
                row[f] = vt
            else:
                row[f] = vt
                notes.append(f"{relpath}: row {'/'.join(k)} field {f}: both sides changed it; took theirs")
        out.append(row)
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in out:
        w.writerow({f: r.get(f, "") for f in header})
    return buf.getvalue(), notes


def main(argv: list[str]) -> int:
    base, ours, theirs, relpath = argv[:4]
    text, notes = merge(base, ours, theirs, relpath)
    Path(ours).write_text(text, encoding="utf-8")
    for n in notes:
        print(f"csvmerge: {n}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
