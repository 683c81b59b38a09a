"""One module per check; each exposes `check(context) -> Iterator[Problem]` and `RULES`."""

from __future__ import annotations

from feedsite.check.checks import (
    articles,
    duplicate_ids,
    encoding,
    fragments,
    images,
    orphans,
    outline,
    parity,
    readability,
    references,
    remote_images,
    self_closed,
    skeleton,
    stylesheets,
    targets,
    theme_assets,
    unsafe_urls,
)
from feedsite.check.checks.context import Check, CheckContext

# The order checks run in; the report is sorted, so it does not change the output.
CHECKS: tuple[Check, ...] = (
    encoding.check,
    targets.check,
    fragments.check,
    unsafe_urls.check,
    images.check,
    references.check,
    theme_assets.check,
    stylesheets.check,
    orphans.check,
    outline.check,
    duplicate_ids.check,
    self_closed.check,
    articles.check,
    parity.check,
    readability.check,
    remote_images.check,
    skeleton.check,
)

# With a second process these run in a forked copy (run.py) while this one parses the Markdown
# of suspect pages and runs the others: the checks of article pages against their front matter
# and Markdown (the reading grade's sentence lines most of all), and the template's links,
# which together take about as long.
SIDE_CHECKS = frozenset({articles.check, readability.check, skeleton.check, theme_assets.check})

__all__ = ["CHECKS", "SIDE_CHECKS", "Check", "CheckContext"]
