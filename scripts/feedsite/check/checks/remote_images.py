"""Images of feed document items that are not stored on this site (pages link to them instead)."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem

RULES = ("image-not-stored",)


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    if not site.with_sources:
        return
    for path in sorted(site.pages):
        meta = site.front_matter(path)
        if not meta or meta.get("generator") != "feedsite":
            continue
        urls = meta.get("remote_images")
        if not isinstance(urls, list):
            continue
        for url in urls:
            yield Problem(
                "image-not-stored",
                path,
                Element("content"),
                f"image {url} is not stored on this site, so the page shows its alt text "
                "with a link to it",
                link=str(url),
                suggestion="run `feedsite fetch` to download it, then `feedsite import`",
                source=site.key_spot(path, "remote_images"),
            )
