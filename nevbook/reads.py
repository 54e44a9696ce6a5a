"""What a notebook reads, so that it re-runs only when that changes.

Two halves, neither of which imports Sphinx:

- **Recording** (in the notebook's kernel). When the build executes a
  notebook it sets ``NEVBOOK_READS`` to a file path; every accessor of
  :mod:`nevbook.data` and :mod:`nevbook.checks` then notes what it read (a
  table, a series, a citation, a source text) and the book's modules the
  kernel has imported, and rewrites that file. Outside a build (nbval, an
  author's kernel) nothing is written.
- **Digest** (in the build). :func:`digest` hashes the current content of
  exactly those inputs: a table's file, a series' definition and every
  observation of it (in whichever file it stands), a citation's row, a text
  file, a module's source. A notebook whose digest is unchanged keeps its
  cached outputs; see :mod:`nevbook.sphinxext.execution`.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from . import paths

ENV = "NEVBOOK_READS"
_NOTED: set[tuple[str, str]] = set()
_WRITTEN: list[str] = []  # the last list written (skip identical rewrites)


def note(kind: str, key: str) -> None:
    """Record one input (``kind`` is table, series, citation or text)."""
    target = os.environ.get(ENV)
    if not target:
        return
    _NOTED.add((kind, key))
    items = sorted(_NOTED | set(_modules()))
    lines = [f"{k}:{v}" for k, v in items]
    if lines == _WRITTEN:
        return
    _WRITTEN[:] = lines
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(f"{target}.tmp")
    tmp.write_text(json.dumps(lines, indent=0), encoding="utf-8")
    tmp.replace(target)


def _modules() -> list[tuple[str, str]]:
    """The book's own modules this kernel has imported, as (module, relpath)."""
    out = []
    for mod in list(sys.modules.values()):
        f = getattr(mod, "__file__", None)
        if not f:
            continue
        p = Path(f).resolve()
        if paths.PACKAGE in p.parents:
            out.append(("module", p.relative_to(paths.PACKAGE).as_posix()))
    return out


def load(path: Path) -> list[tuple[str, str]] | None:
    """The inputs recorded at ``path`` (None if absent or unreadable)."""
    try:
        lines = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [tuple(line.split(":", 1)) for line in lines if ":" in line]  # type: ignore[misc]


def digest(inputs: list[tuple[str, str]], book) -> str:
    """SHA-256 over the current content of ``inputs`` (``book``: a validated
    :class:`nevbook.data.Book`)."""
    pkg = book.package
    h = hashlib.sha256()
    obs: dict[str, list[dict]] | None = None
    for kind, key in sorted(set(inputs)):
        h.update(f"{kind}:{key}\0".encode())
        if kind == "table":
            res = pkg.resources.get(key)
            h.update(res.path.read_bytes() if res is not None and res.path.exists() else b"missing")
        elif kind == "series":
            if obs is None:
                obs = {}
                for res in pkg.observations:
                    for r in res.rows:
                        obs.setdefault(r.get("series_id"), []).append(r)
            meta = book.by_id("series").get(key)
            rows = sorted(obs.get(key, []), key=lambda r: str(r.get("period")))
            h.update(json.dumps([meta, rows], sort_keys=True, default=str).encode())
        elif kind == "citation":
            h.update(json.dumps(book.by_id("citations").get(key), sort_keys=True, default=str).encode())
        elif kind == "text":
            src = book.by_id("sources").get(key)
            f = paths.data_dir() / src["file"] if src else None
            h.update(f.read_bytes() if f is not None and f.exists() else b"missing")
        elif kind == "module":
            f = paths.PACKAGE / key
            h.update(f.read_bytes() if f.exists() else b"missing")
        else:
            h.update(b"unknown kind")
    return h.hexdigest()
