"""`python -m nevbook check`: validate data/ and every quote; exit 1 on problems."""
from __future__ import annotations

import sys

from .data import check


def main(argv: list[str]) -> int:
    if argv[:1] != ["check"]:
        print("usage: python -m nevbook check", file=sys.stderr)
        return 2
    problems = check()
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in data/", file=sys.stderr)
        return 1
    print("data/: every table, id, citation and quote checks out")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
