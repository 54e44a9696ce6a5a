"""The book's commands (the Makefile calls these):

  python -m nevbook check                   validate data/ and every quote (file, line, id)
  python -m nevbook chapter ID "TITLE"      scaffold notebooks/ID.ipynb (make chapter)
  python -m nevbook check-chapter ID        build, then list every unmet chapter rule (make check-chapter)
  python -m nevbook live [PORT]             live-reload preview (make live)
  python -m nevbook stale                   how current the book is (series, tiers, ledger, reviews)
  python -m nevbook tables                  rewrite the README's reference of every table and column
"""
from __future__ import annotations

import sys


def _check() -> int:
    from .data import check

    problems = check()
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in data/", file=sys.stderr)
        return 1
    print("data/: every table, id, citation and quote checks out")
    return 0


def main(argv: list[str]) -> int:
    cmd, args = (argv[0], argv[1:]) if argv else ("", [])
    if cmd == "check" and not args:
        return _check()
    if cmd == "chapter" and len(args) == 2:
        from .authoring import new_chapter

        for line in new_chapter(*args):
            print(line)
        return 0
    if cmd == "check-chapter" and len(args) in (1, 2):
        from .authoring import check_chapter

        return check_chapter(args[0], build="--no-build" not in args[1:])
    if cmd == "stale" and not args:
        from .freshness import report

        text, problems = report()
        print(text)
        return 1 if problems else 0
    if cmd == "tables" and not args:
        from .authoring import rewrite_readme_tables

        print("README.md: tables " + ("rewritten" if rewrite_readme_tables() else "unchanged"))
        return 0
    if cmd == "live" and len(args) <= 1:
        from .authoring import live

        return live(int(args[0]) if args else 8000)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
