"""Validate ``data/`` against ``data/datapackage.json``.

The package descriptor is Frictionless Data (Table Schema) with two
extensions, both ignored by other Frictionless tools:

- a field with ``"nevbook:list": true`` holds ``;``-separated values;
- a resource's ``"nevbook:listForeignKeys"`` checks each item of such a list
  against another table.

Every problem names the file, the line in that file (the header is line 1)
and the row's id, so that ``python -m nevbook check`` and the test suite can
point an author at the exact row.  Semantic checks that Table Schema cannot
express (quotes against their texts, units against their series, text
checksums) live in :mod:`nevbook.rules` and report in the same form.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LIST_SEP = ";"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    row_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        who = f" [{self.row_id}]" if self.row_id else ""
        return f"{where}:{who} {self.message}"


class DataError(ValueError):
    """Raised when ``data/`` does not validate; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in the book's data:"
        lines = [str(p) for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"... and {len(self.problems) - 50} more")
        super().__init__("\n".join([head, *lines]))


@dataclass
class Resource:
    name: str
    path: Path
    relpath: str
    schema: dict
    descriptor: dict
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    broken: bool = False  # unreadable (no schema, bad header): its rows are not checked against

    @property
    def fields(self) -> list[dict]:
        return self.schema["fields"]

    @property
    def key_field(self) -> str | None:
        pk = self.schema.get("primaryKey")
        if isinstance(pk, str):
            return pk
        return self.fields[0]["name"] if self.fields else None

    def row_id(self, i: int) -> str | None:
        row = self.rows[i]
        pk = self.schema.get("primaryKey")
        if isinstance(pk, list):
            return "/".join(str(row.get(k)) for k in pk)
        k = self.key_field
        return None if k is None or row.get(k) is None else str(row.get(k))


@dataclass
class Package:
    root: Path
    descriptor: dict
    resources: dict[str, Resource]
    problems: list[Problem]

    def __getitem__(self, name: str) -> Resource:
        return self.resources[name]

    @property
    def observations(self) -> list[Resource]:
        """The observation tables (one per theme, all with one schema)."""
        return [r for n, r in self.resources.items() if n.startswith("observations-")]


# --------------------------------------------------------------------------
# Parsing cells


# Numbers and dates as the data store them: ASCII digits only (Python's own
# parsers accept '3_521', full-width and other Unicode digits, and '1e308').
_INTEGER = re.compile(r"[+-]?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)
MAX_MAGNITUDE = 1e12  # no figure in the book comes near it in its unit


def shown(value: str) -> str:
    """A value as a message quotes it, with any invisible or unusual character
    named by code point ('3\u200b521' -> "'3?521' (U+200B ZERO WIDTH SPACE)")."""
    import unicodedata

    odd = [ch for ch in dict.fromkeys(value)
           if not ch.isascii() and (unicodedata.category(ch) in ("Cf", "Zs", "Cc")
                                    or unicodedata.category(ch).startswith("N"))]
    if not odd:
        return f"'{value}'"
    names = ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}" for ch in odd)
    return f"'{value}' (holds {names})"


def real_date(value: str) -> str | None:
    """What is wrong with a YYYY, YYYY-MM or YYYY-MM-DD value (None: a real date)."""
    m = _PARTIAL.fullmatch(value)
    if not m:
        return f"{shown(value)} is not a date (YYYY, YYYY-MM or YYYY-MM-DD, ASCII digits)"
    y, mo, d = m.groups()
    try:
        dt.date(int(y), int(mo or 1), int(d or 1))
    except ValueError:
        return f"{shown(value)} is not a date in the calendar"
    if not 1900 <= int(y) <= 2100:
        return f"{shown(value)}: the year {y} is implausible"
    return None


def _parse(value: str, fdef: dict) -> Any:
    """Parse one cell; raise ValueError with a reader-facing message."""
    typ = fdef.get("type", "string")
    if typ == "string":
        if fdef.get("nevbook:partialDate"):
            for part in (value.split(LIST_SEP) if fdef.get("nevbook:dateList") else [value]):
                problem = real_date(part.strip())
                if problem:
                    raise ValueError(problem)
        return value
    if typ == "integer":
        if not _INTEGER.fullmatch(value):
            raise ValueError(f"{shown(value)} is not an integer (ASCII digits, no separators)")
        return int(value)
    if typ == "number":
        if not _NUMBER.fullmatch(value):
            raise ValueError(f"{shown(value)} is not a number (ASCII digits, '.' for decimals, "
                             "no thousands separators)")
        out = float(value)
        if not abs(out) <= MAX_MAGNITUDE:
            raise ValueError(f"{shown(value)} is implausibly large (at most {MAX_MAGNITUDE:g} in any unit)")
        return out
    if typ == "date":
        if not _DATE.fullmatch(value):
            raise ValueError(f"{shown(value)} is not a date (YYYY-MM-DD)")
        if real_date(value):
            raise ValueError(f"{shown(value)} is not a date (YYYY-MM-DD): no such day in the calendar")
        return value
    if typ == "boolean":
        if value in ("true", "True", "1"):
            return True
        if value in ("false", "False", "0"):
            return False
        raise ValueError(f"{shown(value)} is not a boolean")
    raise ValueError(f"unsupported field type {typ!r} in schema")


def _check_constraints(value: Any, fdef: dict) -> list[str]:
    c = fdef.get("constraints", {})
    out = []
    # Like Frictionless, a pattern applies to the whole cell (for a list
    # field, the ';'-joined list); the other constraints apply per item.
    whole = LIST_SEP.join(map(str, value)) if isinstance(value, list) else str(value)
    if "pattern" in c and not re.fullmatch(c["pattern"], whole, re.ASCII):
        out.append(f"{shown(whole)} does not match the pattern {c['pattern']}")
    items = value if isinstance(value, list) else [value]
    for item in items:
        if "enum" in c and item not in c["enum"]:
            out.append(f"{shown(str(item))} is not one of {c['enum']}")
        if "minimum" in c and item < c["minimum"]:
            out.append(f"{item} is below the minimum {c['minimum']}")
        if "maximum" in c and item > c["maximum"]:
            out.append(f"{item} is above the maximum {c['maximum']}")
        if "minLength" in c and len(str(item)) < c["minLength"]:
            out.append(f"'{item}' is shorter than {c['minLength']} characters")
    return out


def _read_resource(res: Resource, problems: list[Problem]) -> None:
    if not res.path.exists():
        problems.append(Problem(res.relpath, None, None, "data file is missing"))
        res.broken = True
        return
    names = [f["name"] for f in res.fields]
    raw = res.path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        row_id = raw.split(b"\n")[line - 1].split(b",")[0].decode("utf-8", "replace") if line > 1 else None
        column = exc.start - raw.rfind(b"\n", 0, exc.start)
        problems.append(Problem(res.relpath, line, row_id or None,
                                f"not UTF-8: byte 0x{raw[exc.start]:02x} at column {column} "
                                "(save the file as UTF-8)"))
        return
    reader = csv.reader(text.splitlines(keepends=True), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        problems.append(Problem(res.relpath, 1, None, "file is empty (no header)"))
        return
    except csv.Error as exc:
        problems.append(Problem(res.relpath, 1, None, f"malformed CSV: {exc}"))
        return
    if header != names:
        missing = [n for n in names if n not in header]
        extra = [h for h in header if h not in names]
        detail = "; ".join(x for x in (f"missing {missing}" if missing else "",
                                        f"not in the schema {extra}" if extra else "",
                                        "columns out of order" if not (missing or extra) else "") if x)
        problems.append(Problem(
            res.relpath, 1, None,
            f"header does not match the schema's fields ({detail}); the expected header is: "
            f"{','.join(names)}. Nothing else in this file is checked until it does"))
        res.broken = True
        return
    by_name = {f["name"]: f for f in res.fields}
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(res.relpath, start, None, f"malformed CSV: {exc}"))
            break
        if not cells or all(not c.strip() for c in cells):
            problems.append(Problem(res.relpath, start, None, "blank row"))
            continue
        pk = res.schema.get("primaryKey")
        if isinstance(pk, list) and len(cells) == len(names) and all(k in names for k in pk):
            first = "/".join(cells[names.index(k)].strip() for k in pk)
        else:
            first = cells[0] if cells else None
        if len(cells) != len(names):
            problems.append(Problem(
                res.relpath, start, first,
                f"malformed row: {len(cells)} cells, the header has {len(names)} "
                "(a stray comma or an unquoted field?)"))
            continue
        row: dict[str, Any] = {}
        for name, raw in zip(names, cells):
            fdef = by_name[name]
            cell = raw.strip()
            if raw != cell:
                problems.append(Problem(res.relpath, start, first,
                                        f"field '{name}' has leading or trailing spaces"))
            if cell == "":
                if fdef.get("constraints", {}).get("required"):
                    problems.append(Problem(res.relpath, start, first,
                                            f"field '{name}' is required but empty"))
                row[name] = None
                continue
            try:
                if fdef.get("nevbook:list"):
                    parts = [p.strip() for p in cell.split(LIST_SEP)]
                    if any(not p for p in parts):
                        raise ValueError(f"'{cell}' has an empty item in its ';' list")
                    value: Any = [_parse(p, fdef) for p in parts]
                else:
                    value = _parse(cell, fdef)
            except ValueError as exc:
                problems.append(Problem(res.relpath, start, first, f"field '{name}': {exc}"))
                row[name] = None
                continue
            for msg in _check_constraints(value, fdef):
                problems.append(Problem(res.relpath, start, first, f"field '{name}': {msg}"))
            row[name] = value
        res.rows.append(row)
        res.lines.append(start)


def _check_unique(res: Resource, problems: list[Problem]) -> None:
    pk = res.schema.get("primaryKey")
    keys = [pk] if isinstance(pk, str) else (pk or [])
    uniques = [[f["name"]] for f in res.fields if f.get("constraints", {}).get("unique")]
    for cols in ([keys] if keys else []) + uniques:
        seen: dict[tuple, int] = {}
        for i, row in enumerate(res.rows):
            key = tuple(row.get(c) for c in cols)
            if any(k is None for k in key):
                continue
            if key in seen:
                problems.append(Problem(
                    res.relpath, res.lines[i], res.row_id(i),
                    f"duplicate {'+'.join(cols)} {'/'.join(map(str, key))} "
                    f"(first at line {seen[key]})"))
            else:
                seen[key] = res.lines[i]


def _as_list(x) -> list:
    return x if isinstance(x, list) else [x]


def _check_foreign_keys(pkg: Package, res: Resource, problems: list[Problem]) -> None:
    fks = [(fk, False) for fk in res.schema.get("foreignKeys", [])]
    fks += [(fk, True) for fk in res.descriptor.get("nevbook:listForeignKeys", [])]
    for fk, is_list in fks:
        fields = _as_list(fk["fields"] if not is_list else fk["field"])
        ref = fk["reference"]
        target = pkg.resources.get(ref["resource"]) if ref.get("resource") else res
        if target is None:
            problems.append(Problem(res.relpath, None, None,
                                    f"foreign key to unknown resource {ref['resource']!r}"))
            continue
        if target.broken or res.broken:
            continue  # reported once, at the broken file
        ref_fields = _as_list(ref["fields"])
        known = {tuple(r.get(f) for f in ref_fields) for r in target.rows}
        for i, row in enumerate(res.rows):
            if is_list:
                for item in row.get(fields[0]) or []:
                    if (item,) not in known:
                        problems.append(Problem(
                            res.relpath, res.lines[i], res.row_id(i),
                            f"unknown {ref_fields[0]} '{item}' in field '{fields[0]}' "
                            f"(not in {target.relpath})"))
                continue
            key = tuple(row.get(f) for f in fields)
            if any(k is None for k in key):
                continue
            if key not in known:
                shown = "/".join(map(str, key))
                problems.append(Problem(
                    res.relpath, res.lines[i], res.row_id(i),
                    f"unknown {'+'.join(fields)} '{shown}' (not in {target.relpath})"))


def load_package(data_dir: Path) -> Package:
    """Read and check every table; problems are collected, not raised (only a
    missing or unreadable data/datapackage.json raises)."""
    problems: list[Problem] = []
    dp_path = data_dir / "datapackage.json"
    try:
        descriptor = json.loads(dp_path.read_text(encoding="utf-8"))
        rdescs = descriptor["resources"]
    except (OSError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise DataError([Problem("data/datapackage.json", None, None,
                                 f"cannot read the package descriptor: {exc}")]) from exc
    resources: dict[str, Resource] = {}
    for n, rdesc in enumerate(rdescs, start=1):
        name = rdesc.get("name") or f"resource {n}"
        path = rdesc.get("path")
        if not path:
            problems.append(Problem("data/datapackage.json", None, name, "the resource has no path"))
            continue
        schema = rdesc.get("schema")
        rel = f"data/{path}"
        if isinstance(schema, str):
            try:
                schema = json.loads((data_dir / schema).read_text(encoding="utf-8"))
            except OSError:
                problems.append(Problem("data/datapackage.json", None, name,
                                        f"schema file data/{rdesc['schema']} is missing"))
                schema = None
            except json.JSONDecodeError as exc:
                problems.append(Problem(f"data/{rdesc['schema']}", exc.lineno, None,
                                        f"schema is not valid JSON: {exc.msg}"))
                schema = None
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
            if schema is not None or "schema" not in rdesc:
                problems.append(Problem("data/datapackage.json", None, name,
                                        "the resource has no schema with fields: every table is described"))
            res = Resource(name, data_dir / path, rel, {"fields": []}, rdesc, broken=True)
            resources[name] = res
            continue
        res = Resource(name, data_dir / path, rel, schema, rdesc)
        _read_resource(res, problems)
        resources[name] = res
    pkg = Package(data_dir, descriptor, resources, problems)
    for res in resources.values():
        if not res.broken:
            _check_unique(res, problems)
        _check_foreign_keys(pkg, res, problems)
    registered = {r.path.resolve() for r in resources.values()}
    for csv_path in sorted(data_dir.rglob("*.csv")):
        if csv_path.resolve() not in registered:
            rel = csv_path.relative_to(data_dir).as_posix()
            problems.append(Problem(f"data/{rel}", None, None,
                                    "not in data/datapackage.json: describe it there (a resource with its "
                                    "schema) or move it out of data/"))
    return pkg
