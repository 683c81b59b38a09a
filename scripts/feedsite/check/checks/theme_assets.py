"""Assets outside the content area (the theme's stylesheets, scripts, icons and logos) that do
not exist: each missing file is reported once for the site, on the first page that uses it,
with the number of pages that use it, since every page built from a template repeats it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from feedsite.check.checks.context import CheckContext
from feedsite.check.checks.targets import PageNames
from feedsite.check.models import Element, Link, Problem
from feedsite.check.resolve import Resolver, Target, memo_key

RULES = ("asset-missing", "link-target-missing")


@dataclass
class _Missing:
    first_page: str
    index: int
    link: Link
    target: Target
    pages: int = 0


def _broken(
    resolver: Resolver, path: str, base_href: str, assets: tuple[Link, ...]
) -> list[tuple[int, Link, Target]]:
    found = []
    for index, link in enumerate(assets):
        target = resolver.resolve(path, base_href, link.url)
        if target.kind == "internal" and not target.exists:
            found.append((index, link, target))
    return found


def _folder_free(path: str, base_href: str, url: str) -> bool:
    """Whether `url` leads to the same place from every folder as deep as `path`'s."""
    key = memo_key(path, base_href, url)
    return key[0] == "absolute" or (key[0] == "from" and key[1] == "")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    missing: dict[tuple[str, str], _Missing] = {}
    # Pages built from one template at one depth share one tuple of assets; when its URLs do
    # not depend on the page's folder, its missing ones are found once for all those pages.
    groups: dict[tuple[int, int, str], list[tuple[int, Link, Target]]] = {}
    # Shallowest page first: the finding then names the asset as the home page links it.
    for path in sorted(site.pages, key=lambda p: (p.count("/"), p)):
        page = site.pages[path]
        if not page.assets:
            continue
        group = (id(page.assets), path.count("/"), page.base_href)
        broken = groups.get(group)
        if broken is None:
            broken = _broken(site.resolver, path, page.base_href, page.assets)
            if all(_folder_free(path, page.base_href, link.url) for link in page.assets):
                groups[group] = broken
        seen: set[tuple[str, str]] = set()
        for index, link, target in broken:
            where = (link.kind, target.path)
            entry = missing.setdefault(where, _Missing(path, index, link, target))
            if where not in seen:
                seen.add(where)
                entry.pages += 1
    names: PageNames | None = None  # made on the first redirect to a missing page
    for entry in missing.values():
        link = entry.link
        used_on = "this page" if entry.pages == 1 else f"{entry.pages} pages"
        if link.kind == "redirect":  # a redirect page's whole job: a page link, not an asset
            rule = "link-target-missing"
            message = (f"redirect to '{link.url}': no page or file at {entry.target.path}"
                       + ("" if entry.pages == 1 else f" (on {used_on})"))
            names = names or PageNames(site)
            nearest = names.suggest(entry.target.path, entry.first_page)
            suggestion = (f"{nearest} " if nearest else "") + (
                "point the redirect at a page that exists (mkdocs-redirects: redirect_maps in "
                "mkdocs.yml)")
        else:
            rule = "asset-missing"
            message = (f"{link.kind} {link.attr} '{link.url}': no file at {entry.target.path} "
                       f"(outside the content, on {used_on})")
            suggestion = "fix the theme template or add the file"
        yield Problem(
            rule,
            entry.first_page,
            Element("asset", entry.index),
            message,
            link=link.url,
            target=entry.target.describe(),
            suggestion=suggestion,
        )
