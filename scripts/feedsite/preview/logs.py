"""Log lines for authors that strict mode does not count.

MkDocs' `strict: true` turns every WARNING into a failed build. A conflict or a rejected feed
file must still be a visible WARNING in the serve log without stopping the preview or the
build (`feedsite import --check` and `scripts/dev check` are where they fail), so such records
carry a mark and the strict-mode counter of each build is told to skip them.
"""

from __future__ import annotations

import logging

from mkdocs.utils import CountHandler

log = logging.getLogger("mkdocs.plugins.feedsite")
ADVISORY = {"feedsite_advisory": True}


class _SkipAdvisory(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "feedsite_advisory", False)


_SKIP = _SkipAdvisory()


def exempt_from_strict() -> None:
    """Make the current build's strict-mode counter skip advisory warnings."""
    for handler in logging.getLogger("mkdocs").handlers:
        if isinstance(handler, CountHandler) and _SKIP not in handler.filters:
            handler.addFilter(_SKIP)


def advise(message: str) -> None:
    """A WARNING the author sees that does not fail a strict build."""
    log.warning(message, extra=ADVISORY)


def inform(message: str) -> None:
    log.info(message)
