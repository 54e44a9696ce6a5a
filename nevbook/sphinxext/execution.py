"""When pages are read again and notebooks executed again.

- **Data first.** The build validates data/ before anything else and stops
  with that one report (file, line, id) instead of running the notebooks
  into a cascade of warnings.
- **One build at a time.** A second build in the same folder waits for the
  first (the execution cache is a SQLite file that two writers corrupt).
- **Re-execute only what changed.** While a notebook executes, its kernel
  records what it reads (:mod:`nevbook.reads`). Before the next build, a
  notebook whose inputs (tables, series, citations, texts, the book's modules
  it imported) have changed loses its cache entry and is read again; every
  other notebook keeps its outputs. MyST-NB's own cache still re-runs a
  notebook whose code changed.
- **Re-read what the extension renders.** When the package's code, templates
  or static files change, every page is read again (cheap: cached outputs
  are reused), so that directive output and asset checksums are current.
  The publishing tools (``nevbook.publish``) are outside that fingerprint.
- **Failed notebooks run again.** A failed build still saves the environment;
  without this, the next (no-op) build would pass with the error on the page.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from .. import paths, reads
from ..data import DataError, book

logger = logging.getLogger("nevbook")

# Outside the fingerprint that makes every page be read again: tools that
# work on the built site, not on pages.
NOT_IN_PAGES = ("publish/",)
LOCK_WAIT_S = int(os.environ.get("NEVBOOK_LOCK_WAIT", "900"))  # seconds a second build waits


def state_dir(app: Sphinx) -> Path:
    """_build/.nevbook (next to MyST-NB's .jupyter_cache), shared by the
    site and the one-page (PDF) build."""
    return Path(app.outdir).parent / ".nevbook"


def _reads_file(app: Sphinx, docname: str) -> Path:
    return state_dir(app) / "reads" / (docname.replace("/", "__") + ".json")


def _cache_path(app: Sphinx) -> Path:
    # MyST-NB's default when nb_execution_cache_path is empty.
    return Path(getattr(app.config, "nb_execution_cache_path", "") or Path(app.outdir).parent / ".jupyter_cache")


def package_fingerprint() -> str:
    h = hashlib.sha256()
    for p in sorted(paths.PACKAGE.rglob("*")):
        rel = p.relative_to(paths.PACKAGE).as_posix()
        if p.is_file() and "__pycache__" not in p.parts and not rel.startswith(NOT_IN_PAGES):
            h.update(rel.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


# ---------------------------------------------------------------------------
# Data first, one build at a time


def config_inited(app: Sphinx, config) -> None:
    _lock(app)
    try:
        book()
        problems = []
    except DataError as exc:
        problems = exc.problems
    if problems:
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise ExtensionError(f"data/ does not validate ({len(problems)} problem(s)); "
                             f"fix these first (`make check`):\n{shown}{more}")


def _lock(app: Sphinx) -> None:
    path = state_dir(app) / "build.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "w")  # noqa: SIM115 - held for the life of the build
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logger.warning(f"nevbook: another build is using {path.parent.parent}; waiting for it "
                       f"(at most {LOCK_WAIT_S // 60} minutes)", type="nevbook", subtype="lock")
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ExtensionError(f"nevbook: another build still holds {path} after "
                                         f"{LOCK_WAIT_S} s; stop it or wait") from None
                time.sleep(0.5)
    app._nevbook_lock = handle  # type: ignore[attr-defined]  # released when the process ends


# ---------------------------------------------------------------------------
# What to read and execute again


def _load_state(app: Sphinx) -> dict:
    try:
        return json.loads((state_dir(app) / "execution.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _drop_cached(app: Sphinx, docname: str) -> None:
    """Remove a notebook's outputs from the execution cache."""
    import nbformat
    from jupyter_cache import get_cache

    cache_path = _cache_path(app)
    if not cache_path.is_dir():
        return
    nb_path = Path(app.env.doc2path(docname))
    cache = get_cache(str(cache_path))
    try:
        record = cache.match_cache_notebook(nbformat.read(nb_path, as_version=4))
        cache.remove_cache(record.pk)
    except (KeyError, OSError, ValueError):
        return  # not cached (or already gone): it executes anyway


def builder_inited(app: Sphinx) -> None:
    env = app.env
    fp = package_fingerprint()
    env.nevbook_reread_all = getattr(env, "nevbook_package_fp", None) not in (None, fp)  # type: ignore[attr-defined]
    env.nevbook_package_fp = fp  # type: ignore[attr-defined]
    state = _load_state(app)
    rerun = []
    try:
        b = book()
    except DataError:
        b = None  # config_inited has stopped the build already
    for docname, rec in sorted(state.items()):
        inputs = reads.load(_reads_file(app, docname))
        if b is None or inputs is None or docname not in env.found_docs:
            continue
        if reads.digest(inputs, b) != rec.get("digest"):
            rerun.append(docname)
            _drop_cached(app, docname)
    if rerun:
        logger.info(f"nevbook: inputs changed; re-executing {', '.join(rerun)}")
    env.nevbook_rerun = rerun  # type: ignore[attr-defined]


def _failed_notebooks(env) -> set[str]:
    meta = getattr(env, "nb_metadata", None) or {}
    return {doc for doc, d in meta.items()
            if (d.get("exec_data") or {}).get("succeeded") is False and doc in env.found_docs}


def env_get_outdated(app, env, added, changed, removed):
    fresh = set(added) | set(changed)
    if getattr(env, "nevbook_reread_all", False):
        logger.info("nevbook: the book's code, templates or styles changed; reading every page again")
        return sorted(env.found_docs - fresh)
    failed = _failed_notebooks(env) - fresh
    if failed:
        logger.info(f"nevbook: re-running notebooks that failed last time: {', '.join(sorted(failed))}")
    return sorted((set(getattr(env, "nevbook_rerun", [])) | failed) - fresh)


def source_read(app: Sphinx, docname: str, source) -> None:
    """Just before a notebook is parsed (and maybe executed): where its
    kernel records what it reads. The kernel inherits this environment."""
    if str(app.env.doc2path(docname)).endswith(".ipynb"):
        os.environ[reads.ENV] = str(_reads_file(app, docname))
    else:
        os.environ.pop(reads.ENV, None)


def doctree_read(app: Sphinx, doctree) -> None:
    os.environ.pop(reads.ENV, None)


def build_finished(app: Sphinx, exception) -> None:
    """Store, per notebook, the digest of the inputs its last run read."""
    try:
        b = book()
    except DataError:
        return
    state = _load_state(app)
    for f in sorted((state_dir(app) / "reads").glob("*.json")):
        docname = f.stem.replace("__", "/")
        mtime = f.stat().st_mtime_ns
        if state.get(docname, {}).get("mtime") == mtime:
            continue
        inputs = reads.load(f)
        if inputs is not None:
            state[docname] = {"mtime": mtime, "digest": reads.digest(inputs, b)}
    path = state_dir(app) / "execution.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")


def setup(app: Sphinx) -> None:
    app.connect("config-inited", config_inited, priority=100)
    app.connect("builder-inited", builder_inited)
    app.connect("env-get-outdated", env_get_outdated)
    app.connect("source-read", source_read)
    app.connect("doctree-read", doctree_read)
    app.connect("build-finished", build_finished)
