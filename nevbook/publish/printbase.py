"""What the print edition's modules share: the book's order (_toc.yml), its
configuration, and the print copy with its page-number slots."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import paths

SLOT = re.compile(r"@@page:([^@]+)@@")
ABOUT = "About this book"
APPENDIX = "Appendix: chart data"


@dataclass
class Line:
    """One line of the contents or of the list of figures."""
    text: str
    anchor: str
    depth: int = 0
    part: str | None = None


@dataclass
class PrintCopy:
    template: str
    contents: list[Line] = field(default_factory=list)
    figures: list[Line] = field(default_factory=list)

    @property
    def anchors(self) -> list[str]:
        return list(dict.fromkeys(SLOT.findall(self.template)))

    def html(self, pages: dict[str, int] | None = None) -> str:
        """The copy with its page numbers; placeholders of the same width
        where ``pages`` is None (the first printing)."""
        def fill(m):
            if pages is None:
                return "000"
            if m[1] not in pages:
                raise KeyError(f"the printed PDF has no destination for #{m[1]}")
            return str(pages[m[1]])
        return SLOT.sub(fill, self.template)


def toc_entries() -> list[tuple[str | None, list[tuple[str, int]]]]:
    """(part caption, [(docname, depth)]) in the book's order, from _toc.yml."""
    import yaml

    toc = yaml.safe_load((paths.root() / "_toc.yml").read_text(encoding="utf-8"))
    out: list[tuple[str | None, list[tuple[str, int]]]] = [(None, [(toc["root"], 0)])]

    def walk(items, depth, acc):
        for it in items or []:
            acc.append((it["file"], depth))
            walk(it.get("sections"), depth + 1, acc)

    for part in toc.get("parts", []):
        acc: list[tuple[str, int]] = []
        walk(part.get("chapters"), 0, acc)
        out.append((part.get("caption"), acc))
    return out


def config() -> dict:
    import yaml

    return yaml.safe_load((paths.root() / "_config.yml").read_text(encoding="utf-8"))
