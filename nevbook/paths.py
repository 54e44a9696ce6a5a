"""Where things live. The repository root can be overridden with NEVBOOK_ROOT
(the negative tests point it at a scratch copy of ``data/``)."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STATIC = PACKAGE / "static"
TEMPLATES = PACKAGE / "templates"


def root() -> Path:
    env = os.environ.get("NEVBOOK_ROOT")
    return Path(env).resolve() if env else PACKAGE.parent


def data_dir() -> Path:
    env = os.environ.get("NEVBOOK_DATA")
    return Path(env).resolve() if env else root() / "data"
