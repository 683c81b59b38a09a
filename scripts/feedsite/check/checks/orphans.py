"""Pages no other page links to; navigation, header and footer links count as links."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem, SourceSpot
from feedsite.local_urls import URL_SPACE

RULES = ("orphan-page",)
# The first character of a URL that names the document it is written in ("" for "").
_OWN_DOCUMENT = ("", "?", "#")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    linked: set[str] = set()
    cache: dict[tuple[str, str, str], str] = {}
    for page in site.pages.values():
        folder = posixpath.dirname(page.path)
        for href in page.other_hrefs:
            if href.startswith("#") and not page.base_href:
                continue  # a link to the page itself (tables of contents are full of them)
            # Relative paths resolve the same for every page in a folder: resolve once per
            # folder. "?q", "#x" and "" name the page itself (or its <base>), so not them.
            if href[:1] == "/":
                scope = ""
            elif href.lstrip(URL_SPACE)[:1] in _OWN_DOCUMENT:
                scope = page.path
            else:
                scope = folder
            key = (scope, page.base_href, href)
            if key not in cache:
                target = site.resolver.resolve(page.path, page.base_href, href)
                cache[key] = target.path if target.kind == "internal" and target.exists else ""
            if cache[key] and cache[key] != page.path:
                linked.add(cache[key])
    exempt = context.config.orphan_exempt
    for path in sorted(site.pages):
        if path in linked or any(fnmatch.fnmatchcase(path, glob) for glob in exempt):
            continue
        doc = site.docs.get(path)
        yield Problem(
            "orphan-page",
            path,
            Element("file"),
            "no other page links to this page; readers can reach it only by search or URL",
            suggestion="link to it from the home page or a related page",
            source=SourceSpot(doc, 1, 1) if doc is not None else None,
        )
