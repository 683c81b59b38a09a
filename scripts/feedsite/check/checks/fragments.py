"""Links whose `#fragment` names no id on the target page (case-sensitive, as in browsers)."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Page, Problem
from feedsite.check.slugs import github_slugs, nearest

RULES = ("fragment-missing", "fragment-github-slug")
# Fragments every browser handles without an element: the top of the document.
_ALWAYS_FINE = ("", "top")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    slug_cache: dict[str, dict[str, int]] = {}
    for page in site.pages.values():
        for index, (link, target) in enumerate(
            zip(page.links, site.targets[page.path], strict=True)
        ):
            fragment = target.fragment
            if target.kind != "internal" or not target.exists or fragment is None:
                continue
            if fragment in _ALWAYS_FINE:
                continue
            target_page = site.pages.get(target.path)
            if target_page is None or _has_id(target_page, fragment, link.url):
                continue
            if target.path not in slug_cache:
                slug_cache[target.path] = github_slugs(h.text for h in target_page.headings)
            heading_index = slug_cache[target.path].get(fragment)
            spot, url = site.locate_link(page.path, index)
            where = "this page" if target.path == page.path else target.path
            if heading_index is not None:
                heading = target_page.headings[heading_index]
                heading_text, site_id = heading.text, heading.id
                yield Problem(
                    "fragment-github-slug",
                    page.path,
                    Element("link", index),
                    f"link '{url}': '#{fragment}' is the GitHub-style slug of heading "
                    f"'{heading_text}', but {where} gives it the id '{site_id}'",
                    link=url,
                    target=target.describe(),
                    suggestion=f"did you mean #{site_id}?" if site_id else "",
                    source=spot,
                )
                continue
            guess = nearest(fragment, target_page.ids)
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


def _has_id(page: Page, fragment: str, url: str) -> bool:
    # Browsers try the decoded fragment first, then the raw one ("#caf%C3%A9" or "#café").
    raw = url.partition("#")[2]
    return fragment in page.ids or raw in page.ids
