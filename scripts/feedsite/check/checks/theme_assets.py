"""The template's own links, outside the content area: its assets (stylesheets, scripts, icons,
logos), its <a> links (navigation, header, footer) and redirect pages' targets. Each fault (a
file that does not exist, a URL that leaves the site root, leads to the author's computer or
is no web address, an id the target page lacks) is reported once for the site, on the first
page that has it, with the number of pages that have it, since every page built from a
template repeats it."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from feedsite.check.checks.context import CheckContext
from feedsite.check.checks.fragments import element_fragment, id_missing
from feedsite.check.checks.targets import PageNames, case_hint
from feedsite.check.checks.unsafe_urls import (
    RELOADS_WHEN_EMPTY,
    elsewhere_problem,
    refresh_problem,
)
from feedsite.check.models import Element, Link, Page, Problem
from feedsite.check.resolve import Target, memo_key
from feedsite.check.site import Site
from feedsite.check.slugs import nearest

RULES = (
    "asset-missing",
    "malformed-refresh",
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
    template_link: bool  # one of Page.template_links (else of Page.assets)
    pages: int = 0


# Per link record (shared by the pages that have the same element), depth and <base>: the
# fault its URL is (None for none), kept when the URL leads to one place from every folder
# that deep (the theme's "../../assets/x.css"), as most of a template's are.
_Known = dict[tuple[int, int, str], Target | None]
# Told apart by identity (`is`), not by value:
_ASK = Target("other")  # not known yet
_EACH_PAGE = Target("other")  # depends on the page's folder: never kept


def _faults(site: Site, page: Page, links: tuple[Link, ...], known: _Known
            ) -> list[tuple[int, Link, Target]]:
    found = []
    path, base_href = page.path, page.base_href
    depth = path.count("/")
    for index, link in enumerate(links):
        # The page itself (a table of contents is full of these): only its ids matter.
        same_page = link.url[:1] == "#" and not base_href
        if same_page and not id_missing(page, unquote(link.url[1:]), link.url):
            continue
        key = (id(link), depth, base_href)
        target = known.get(key, _ASK)
        if target is _ASK or target is _EACH_PAGE:
            resolved = site.resolver.resolve(path, base_href, link.url)
            fault = resolved if _is_fault(site, link, resolved) else None
            if target is _ASK:  # a URL that depends on the folder is asked on every page
                known[key] = fault if _folder_free(path, base_href, link.url) else _EACH_PAGE
            target = fault
        if target is not None:
            found.append((index, link, target))
    return found


def _is_fault(site: Site, link: Link, target: Target) -> bool:
    if link.attr == "invalid":  # a meta refresh browsers do not follow
        return True
    if target.kind == "empty":  # an asset with no URL (<a href=""> is the page itself)
        return link.kind not in RELOADS_WHEN_EMPTY
    if target.kind == "internal":
        if not target.exists:
            return True
        return link.kind in _PAGE_LINKS and id_missing(
            site.pages.get(target.path), target.fragment, link.url)
    if target.kind == "escapes":
        return True
    if target.kind in ("external", "other"):
        return elsewhere_problem(link.url, target.kind) is not None
    return False


# Links that lead a reader to a page, whose fragment must name an id there.
_PAGE_LINKS = frozenset({"a", "area", "redirect"})


def _folder_free(path: str, base_href: str, url: str) -> bool:
    """Whether `url` leads to the same place from every folder as deep as `path`'s."""
    key = memo_key(path, base_href, url)
    return key[0] == "absolute" or (key[0] == "from" and key[1] == "")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    faults: dict[tuple[bool, str, str], _Fault] = {}
    known: _Known = {}
    # Shallowest page first: the finding then names the link as the home page writes it.
    for path in sorted(site.pages, key=lambda p: (p.count("/"), p)):
        page = site.pages[path]
        seen: set[tuple[bool, str, str]] = set()
        for links, template_link in ((page.assets, False), (page.template_links, True)):
            found = _faults(site, page, links, known)
            _count(faults, seen, path, found, template_link)
    names = PageNames(site)
    for entry in faults.values():
        yield _problem(site, entry, names)


def _count(
    faults: dict[tuple[bool, str, str], _Fault],
    seen: set[tuple[bool, str, str]],
    path: str,
    found: list[tuple[int, Link, Target]],
    template_link: bool,
) -> None:
    """Add a page's faults, each counted once per page."""
    for index, link, target in found:
        if link.attr == "invalid" or target.kind == "empty":
            place = link.attr + ":" + link.url  # one per distinct content
        elif target.kind == "escapes":
            # Escaping URLs written from different depths can leave the root for one place.
            place = posixpath.normpath(target.path)
        elif link.url.startswith("#"):
            place = link.url  # the same id missing on every page is one fault of the template
        elif target.kind == "internal" and not target.exists:
            place = target.path  # "sprite.svg#a" and "sprite.svg#b": one missing file
        else:
            place = target.describe() or link.url
        key = (template_link, link.kind, place)
        entry = faults.setdefault(key, _Fault(path, index, link, target, template_link))
        if key not in seen:
            seen.add(key)
            entry.pages += 1


def _problem(site: Site, entry: _Fault, names: PageNames) -> Problem:
    link, target = entry.link, entry.target
    used_on = "this page" if entry.pages == 1 else f"{entry.pages} pages"
    # A redirect page's whole job is a page link: it is named as one, and said where only
    # when several pages repeat it.
    redirect = link.kind == "redirect"
    where = ("" if entry.pages == 1 else f" (on {used_on})") if redirect else (
        f" (outside the content, on {used_on})")
    what = ("redirect to" if redirect else "link" if entry.template_link
            else f"{link.kind} {link.attr}")
    fix = ("point the redirect at a page that exists (mkdocs-redirects: redirect_maps in "
           "mkdocs.yml)" if redirect else "fix the link in the theme template (overrides/) or "
           "the nav" if entry.template_link else "fix the theme template or add the file")
    if link.attr == "invalid":
        rule = "malformed-refresh"
        message, suggestion = refresh_problem(link.url)
        message += where
    elif target.kind == "empty":
        rule = "asset-missing"
        message = f"{what} is empty: there is nothing to load{where}"
        suggestion = fix
    elif target.kind == "internal" and not target.exists:
        if redirect or entry.template_link or link.kind == "form":
            rule = "link-target-missing"
            message = f"{what} '{link.url}': no page or file at {target.path}{where}"
            nearest_page = names.suggest(target.path, entry.first_page)
            suggestion = case_hint(site, target.path) or (
                (f"{nearest_page} " if nearest_page else "") + fix)
        else:
            rule = "asset-missing"
            message = f"{what} '{link.url}': no file at {target.path}{where}"
            suggestion = case_hint(site, target.path) or fix
    elif target.kind == "internal":  # a link or redirect to an id its page lacks
        rule = "fragment-missing"
        fragment = element_fragment(target.fragment or "")
        page_name = "this page" if target.path == entry.first_page else target.path
        message = f"{what} '{link.url}': {page_name} has no id '{fragment}'{where}"
        guess = nearest(fragment, site.pages[target.path].ids)
        suggestion = f"did you mean #{guess}?" if guess else fix
    elif target.kind == "escapes":
        rule = "link-escapes-site"
        message = f"{what} '{link.url}' leads outside the site root (to {target.describe()}){where}"
        suggestion = "point it at a file inside the site"
    else:
        rule, said, suggestion = elsewhere_problem(link.url, target.kind) or ("", "", "")
        message = f"{what} " + said.removeprefix("link ") + where
    return Problem(
        rule,
        entry.first_page,
        Element("template-link" if entry.template_link else "asset", entry.index),
        message,
        link=link.url,
        target=target.describe(),
        suggestion=suggestion,
    )
