"""Assets outside the content area (the theme's stylesheets, scripts, icons and logos) and
redirect pages that cannot work: a file that does not exist, a URL that leaves the site root,
leads to the author's computer or is no web address, a redirect to a missing id. Each is
reported once for the site, on the first page that has it, with the number of pages that
have it, since every page built from a template repeats it."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from feedsite.check.checks.context import CheckContext
from feedsite.check.checks.fragments import ALWAYS_FINE, element_fragment, has_id
from feedsite.check.checks.targets import PageNames
from feedsite.check.checks.unsafe_urls import elsewhere_problem
from feedsite.check.models import Element, Link, Problem
from feedsite.check.resolve import Target, memo_key
from feedsite.check.site import Site
from feedsite.check.slugs import nearest

RULES = (
    "asset-missing",
    "link-target-missing",
    "link-escapes-site",
    "malformed-url",
    "local-url",
    "fragment-missing",
)


@dataclass
class _Fault:
    first_page: str
    index: int
    link: Link
    target: Target
    pages: int = 0


def _faults(site: Site, path: str, base_href: str, assets: tuple[Link, ...]
            ) -> list[tuple[int, Link, Target]]:
    found = []
    for index, link in enumerate(assets):
        target = site.resolver.resolve(path, base_href, link.url)
        if _is_fault(site, link, target):
            found.append((index, link, target))
    return found


def _is_fault(site: Site, link: Link, target: Target) -> bool:
    if target.kind == "internal":
        return not target.exists or (link.kind == "redirect" and _missing_id(site, link, target))
    if target.kind == "escapes":
        return True
    if target.kind in ("external", "other"):
        return elsewhere_problem(link.url, target.kind) is not None
    return False


def _missing_id(site: Site, link: Link, target: Target) -> bool:
    """Whether a redirect names a fragment its (existing) target page has no id for."""
    if target.fragment is None:
        return False
    fragment = element_fragment(target.fragment)
    if fragment.lower() in ALWAYS_FINE:
        return False
    page = site.pages.get(target.path)
    return page is not None and not has_id(page, fragment, link.url)


def _folder_free(path: str, base_href: str, url: str) -> bool:
    """Whether `url` leads to the same place from every folder as deep as `path`'s."""
    key = memo_key(path, base_href, url)
    return key[0] == "absolute" or (key[0] == "from" and key[1] == "")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    faults: dict[tuple[str, str], _Fault] = {}
    # Pages built from one template at one depth share one tuple of assets; when its URLs do
    # not depend on the page's folder, its faults are found once for all those pages.
    groups: dict[tuple[int, int, str], list[tuple[int, Link, Target]]] = {}
    # Shallowest page first: the finding then names the asset as the home page links it.
    for path in sorted(site.pages, key=lambda p: (p.count("/"), p)):
        page = site.pages[path]
        if not page.assets:
            continue
        group = (id(page.assets), path.count("/"), page.base_href)
        found = groups.get(group)
        if found is None:
            found = _faults(site, path, page.base_href, page.assets)
            if all(_folder_free(path, page.base_href, link.url) for link in page.assets):
                groups[group] = found
        seen: set[tuple[str, str]] = set()
        for index, link, target in found:
            # Escaping URLs written from different depths can leave the root for one place.
            place = posixpath.normpath(target.path) if target.kind == "escapes" else ""
            key = (link.kind, place or target.describe() or link.url)
            entry = faults.setdefault(key, _Fault(path, index, link, target))
            if key not in seen:
                seen.add(key)
                entry.pages += 1
    names: PageNames | None = None  # made on the first redirect to a missing page
    for entry in faults.values():
        link, target = entry.link, entry.target
        used_on = "this page" if entry.pages == 1 else f"{entry.pages} pages"
        # A redirect page's whole job is a page link: it is named as one, and said where only
        # when several pages repeat it.
        redirect = link.kind == "redirect"
        where = ("" if entry.pages == 1 else f" (on {used_on})") if redirect else (
            f" (outside the content, on {used_on})")
        what = "redirect to" if redirect else f"{link.kind} {link.attr}"
        if target.kind == "internal" and not target.exists:
            if redirect:
                rule = "link-target-missing"
                message = f"redirect to '{link.url}': no page or file at {target.path}{where}"
                names = names or PageNames(site)
                nearest_page = names.suggest(target.path, entry.first_page)
                suggestion = (f"{nearest_page} " if nearest_page else "") + (
                    "point the redirect at a page that exists (mkdocs-redirects: redirect_maps "
                    "in mkdocs.yml)")
            else:
                rule = "asset-missing"
                message = f"{what} '{link.url}': no file at {target.path}{where}"
                suggestion = "fix the theme template or add the file"
        elif target.kind == "internal":  # a redirect to an id its page lacks
            rule = "fragment-missing"
            fragment = element_fragment(target.fragment or "")
            message = f"{what} '{link.url}': {target.path} has no id '{fragment}'{where}"
            page = site.pages[target.path]
            guess = nearest(fragment, page.ids)
            suggestion = f"did you mean #{guess}?" if guess else "redirect to an id the page has"
        elif target.kind == "escapes":
            rule = "link-escapes-site"
            message = (f"{what} '{link.url}' leads outside the site root (to "
                       f"{target.describe()}){where}")
            suggestion = "point it at a file inside the site"
        else:
            rule, said, suggestion = elsewhere_problem(link.url, target.kind) or ("", "", "")
            message = f"{what} " + said.removeprefix("link ") + where
        yield Problem(
            rule,
            entry.first_page,
            Element("asset", entry.index),
            message,
            link=link.url,
            target=target.describe(),
            suggestion=suggestion,
        )
