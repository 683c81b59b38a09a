"""Page slugs from titles: readable, lowercase, length-capped, unique, always a plain name."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

MAX_SLUG_CHARS = 80
# Latin letters that NFKD does not split into a base letter plus accents.
_LATIN_EXTRA = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "đ": "d",
    "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ı": "i",
})
# Names MkDocs or some file systems treat specially (README.md and index.md become the
# folder's index page; the rest are reserved device names on Windows).
_RESERVED = frozenset({
    "index", "readme", "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
})


def slugify(text: str) -> str:
    """Lowercase words joined by hyphens; Latin accents dropped, other scripts kept; may be ""."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
    # Drop combining marks only after Latin letters, so scripts such as Devanagari keep
    # their vowel signs (which NFKD separates out as combining characters).
    kept: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char) and kept and kept[-1].isascii():
            continue
        kept.append(char)
    # A word is a run of letters, digits and combining marks; everything else separates.
    spaced = "".join(
        c if c.isalnum() or unicodedata.category(c).startswith("M") else " "
        for c in unicodedata.normalize("NFC", "".join(kept)).casefold()
    )
    words = spaced.split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG_CHARS:
            if not slug:
                slug = word[:MAX_SLUG_CHARS]
            break
        slug = candidate
    return slug


def base_slug(title: str, source: str) -> str:
    """The slug a new article wants: from its title, else its feed file name, else "article"."""
    stem = source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    for candidate in (slugify(title), slugify(stem), "article"):
        if candidate and candidate not in _RESERVED:
            return candidate
    return "article"


def assign_slugs(
    articles: Sequence[tuple[str, str]],
    existing: Mapping[str, str],
    taken: Iterable[str],
) -> dict[str, str]:
    """Map each (source, title) to a unique slug, in feed order.

    A source that already has a generated page keeps that page's slug (`existing`: source ->
    slug), so renaming the title never moves a page. New sources get their base slug, or
    `-2`, `-3`, ... when it is in use; `taken` holds slugs of pages the importer does not own.
    """
    used = {s.casefold() for s in taken}
    result: dict[str, str] = {}
    for source, _title in articles:
        slug = existing.get(source)
        if slug is not None and slug.casefold() not in used:
            result[source] = slug
            used.add(slug.casefold())
    for source, title in articles:
        if source in result:
            continue
        base = base_slug(title, source)
        slug, n = base, 2
        while slug.casefold() in used:
            suffix = f"-{n}"
            slug = base[: MAX_SLUG_CHARS - len(suffix)].rstrip("-") + suffix
            n += 1
        result[source] = slug
        used.add(slug.casefold())
    return result
