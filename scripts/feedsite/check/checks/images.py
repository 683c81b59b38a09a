"""Images that can show nothing (an <img> whose src is empty, or with neither src nor srcset),
and images a screen reader can only announce by file name (no alt attribute at all)."""

from __future__ import annotations

from collections.abc import Iterator

from feedsite.check.checks.context import CheckContext
from feedsite.check.models import Element, Problem

RULES = ("image-without-source", "image-without-alt")


def check(context: CheckContext) -> Iterator[Problem]:
    site = context.site
    for page in site.pages.values():
        for index, (link, target) in enumerate(
            zip(page.links, site.targets[page.path], strict=True)
        ):
            if link.kind != "img" or (target.kind != "empty" and not link.no_alt):
                continue
            spot, url = site.locate_link(page.path, index)
            if target.kind == "empty":  # no file to show: a broken image, whatever its alt
                what = "an empty src" if link.attr else "neither src nor srcset"
                alt = f" (alt '{link.text}')" if link.text else ""
                yield Problem(
                    "image-without-source",
                    page.path,
                    Element("link", index),
                    f"image{alt} has {what}: a broken image",
                    suggestion="give the image a file to show, or remove it",
                    source=spot,
                )
            else:
                yield Problem(
                    "image-without-alt",
                    page.path,
                    Element("link", index),
                    f"image '{url}' has no alt attribute: screen readers announce its file name",
                    suggestion='describe what it shows in alt="..." (alt="" if it is decoration)',
                    source=spot,
                )
