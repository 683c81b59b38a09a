"""Links whose `#fragment` names no id on the target page (case-sensitive, as in browsers)."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Page, Problem
from feedsite.check.slugs import github_slugs, nearest

RULES = ("fragment-missing", "fragment-github-slug")
# Fragments every browser handles without an element: the top of the document (the HTML
# standard compares "top" ASCII case-insensitively, after looking for an element by id).
ALWAYS_FINE = ("", "top")
# A fragment directive ("#:~:text=word", "#id:~:text=word": scroll to a text) is for the
# browser, not an element: only the part before it names an id.
_DIRECTIVE = ":~:"


def element_fragment(fragment: str) -> str:
    """The part of a fragment that names an element (a text directive left out)."""
    return fragment.partition(_DIRECTIVE)[0]


def id_missing(page: Page | None, fragment: str | None, url: str) -> bool:
    """Whether `fragment` (decoded, from `url`) names an element `page` lacks: no fragment,
    "top" in any case and text directives alone never do."""
    if page is None or fragment is None:
        return False
    named = element_fragment(fragment)
    return named.lower() not in ALWAYS_FINE and not has_id(page, named, url)


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    slug_cache: dict[str, dict[str, int]] = {}
    for page in site.pages.values():
        for index, (link, target) in enumerate(
            zip(page.links, site.targets[page.path], strict=True)
        ):
            if target.kind != "internal" or not target.exists:
                continue
            target_page = site.pages.get(target.path)
            if target_page is None or not id_missing(target_page, target.fragment, link.url):
                continue  # (HTML: "top" matches in any letter case once no id matched)
            fragment = element_fragment(target.fragment or "")
            if target.path not in slug_cache:
                slug_cache[target.path] = github_slugs(h.text for h in target_page.headings)
            heading_index, other_case = _github_heading(
                slug_cache[target.path], target_page, fragment
            )
            spot, url = site.locate_link(page.path, index)
            where = "this page" if target.path == page.path else target.path
            if heading_index is not None:
                heading = target_page.headings[heading_index]
                heading_text, site_id = heading.text, heading.id
                yield Problem(
                    "fragment-github-slug",
                    page.path,
                    Element("link", index),
                    f"link '{url}': '#{fragment}' is{other_case} the GitHub-style slug of "
                    f"heading '{heading_text}', but {where} gives it the id '{site_id}'",
                    link=url,
                    target=target.describe(),
                    suggestion=f"did you mean #{site_id}?" if site_id else "",
                    source=spot,
                )
                continue
            guess = _same_but_case(fragment, target_page.ids) or nearest(fragment, target_page.ids)
            yield Problem(
                "fragment-missing",
                page.path,
                Element("link", index),
                f"link '{url}': {where} has no id '{fragment}'",
                link=url,
                target=target.describe(),
                suggestion=f"did you mean #{guess}?" if guess else "",
                source=spot,
            )


def has_id(page: Page, fragment: str, url: str) -> bool:
    # Browsers try the decoded fragment first, then the raw one ("#caf%C3%A9" or "#café").
    raw = element_fragment(url.partition("#")[2])
    return fragment in page.ids or raw in page.ids


def _github_heading(slugs: dict[str, int], page: Page, fragment: str) -> tuple[int | None, str]:
    """The heading whose GitHub-style slug the fragment is, and ", in other letter case," when
    only the case differs: GitHub slugs are lower case and GitHub matches them in any case.

    A fragment that is the site's own id in other case is a case mistake, not a GitHub slug.
    """
    if fragment in slugs:
        return slugs[fragment], ""
    index = slugs.get(fragment.lower())
    if index is None or page.headings[index].id.casefold() == fragment.casefold():
        return None, ""
    return index, ", in other letter case,"


def _same_but_case(fragment: str, ids: frozenset[str]) -> str | None:
    """The id that differs from the fragment only in letter case (ids are case-sensitive)."""
    folded = fragment.casefold()
    return min((i for i in ids if i.casefold() == folded), default=None)
