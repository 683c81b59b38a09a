"""One module per check; each exposes `check(context) -> Iterator[Problem]` and `RULES`."""

from __future__ import annotations

from feedsite.check.checks import (
    articles,
    duplicate_ids,
    encoding,
    fragments,
    orphans,
    outline,
    parity,
    targets,
    unsafe_urls,
)
from feedsite.check.checks.context import Check, CheckContext

# The order checks run in; the report is sorted, so it does not change the output.
CHECKS: tuple[Check, ...] = (
    encoding.check,
    targets.check,
    fragments.check,
    unsafe_urls.check,
    orphans.check,
    outline.check,
    duplicate_ids.check,
    articles.check,
    parity.check,
)

__all__ = ["CHECKS", "Check", "CheckContext"]
