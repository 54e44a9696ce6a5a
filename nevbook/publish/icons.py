"""The theme's icon font, cut down to the icons the site uses.

pydata-sphinx-theme draws its icons (menu, search, colour mode, chevrons, ...)
from Font Awesome's solid web font: 156 KB that every first visit downloads
before the page settles, for about a dozen glyphs. After each HTML build this
module finds every icon the site can show and writes a subset of the font in
place of the full one:

- icons named by class (``fa-bars``) in the built pages, the theme's scripts
  and the theme's templates, looked up in the theme's own stylesheet;
- glyphs the stylesheets draw directly (``content: "\\f107"``, CSS variables
  such as the admonition icons), whatever the selector.

The subset is deterministic (no timestamps), so builds stay reproducible.
"""
from __future__ import annotations

import re
from pathlib import Path

FONT = "vendor/fontawesome/webfonts/fa-solid-900.woff2"
_CLASS = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# A glyph in a CSS string: an escape ("\\f107") or the private-use character itself.
_GLYPH = re.compile(r'"(?:\\([0-9a-fA-F]{4,5})|([\ue000-\uf8ff]))"')
_CATALOGUE_SELECTOR = re.compile(r"^\s*\.fa-[a-z0-9-]+:(?::)?(?:before|after)\s*$")


def theme_root() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"


def catalogue_and_direct(css: str) -> tuple[dict[str, int], set[int]]:
    """({icon class: codepoint}, {codepoints drawn directly by other rules})."""
    names: dict[str, int] = {}
    direct: set[int] = set()
    for selector, body in _RULE.findall(css):
        glyphs = [int(esc, 16) if esc else ord(ch) for esc, ch in _GLYPH.findall(body)]
        if not glyphs:
            continue
        parts = selector.split(",")
        if all(_CATALOGUE_SELECTOR.match(p) for p in parts):
            for p in parts:
                names[p.strip().split(":")[0][1:]] = glyphs[0]
        else:
            direct.update(g for g in glyphs if g >= 0xE000)  # private-use: icon glyphs only
    return names, direct


def used_codepoints(outdir: Path) -> set[int]:
    static = outdir / "_static"
    css = "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in static.rglob("*.css"))
    names, direct = catalogue_and_direct(css)
    texts = [p for p in outdir.rglob("*.html")]
    texts += list((static / "scripts").glob("*.js")) + list(static.glob("*.js"))
    texts += list(theme_root().rglob("*.html"))
    try:
        import sphinx_book_theme

        texts += list((Path(sphinx_book_theme.__file__).parent / "theme").rglob("*.html"))
    except ImportError:  # pragma: no cover
        pass
    classes: set[str] = set()
    for p in texts:
        if p.name.endswith(".min.js") and "vendor" in p.parts:
            continue
        classes.update(_CLASS.findall(p.read_text(encoding="utf-8", errors="ignore")))
    return {names[c] for c in classes if c in names} | direct


def subset(source: Path, target: Path, codepoints: set[int]) -> int:
    from fontTools import subset as ft_subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source), recalcTimestamp=False)
    options = ft_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    sub = ft_subset.Subsetter(options)
    sub.populate(unicodes=sorted(codepoints))
    sub.subset(font)
    font.flavor = "woff2"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    font.save(str(tmp), reorderTables=True)
    data = tmp.read_bytes()
    tmp.unlink()
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
    return len(data)


def restore_original(outdir: Path) -> None:
    """Put the theme's full font back before Sphinx copies static files, so
    that its copy finds the file unchanged (no "will overwrite" notice); the
    subset replaces it again when the build finishes."""
    source = theme_root() / "static" / FONT
    target = outdir / "_static" / FONT
    if source.exists() and target.exists() and target.read_bytes() != source.read_bytes():
        target.write_bytes(source.read_bytes())


def write_subset(outdir: Path, cache: Path | None = None) -> tuple[int, int]:
    """Replace the site's solid icon font by the subset; (glyphs, bytes).
    With ``cache`` (a folder), a subset made before for the same glyphs is
    reused rather than made again."""
    import hashlib

    source = theme_root() / "static" / FONT
    target = outdir / "_static" / FONT
    if not source.exists() or not target.parent.exists():
        return 0, 0
    points = used_codepoints(outdir)
    if cache is None:
        return len(points), subset(source, target, points)
    key = hashlib.sha256(source.read_bytes() + repr(sorted(points)).encode()).hexdigest()[:16]
    kept = cache / f"icons-{key}.woff2"
    if not kept.exists():
        subset(source, kept, points)
    data = kept.read_bytes()
    if not target.exists() or target.read_bytes() != data:
        target.write_bytes(data)
    return len(points), len(data)
