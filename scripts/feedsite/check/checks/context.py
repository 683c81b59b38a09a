"""What every check may look at, and the signature of a check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from feedsite.check.feed import FeedSnapshot
from feedsite.check.models import Problem
from feedsite.check.policy import CheckConfig
from feedsite.check.site import Site


@dataclass(frozen=True)
class CheckContext:
    """What every check may look at."""

    site: Site
    config: CheckConfig
    today: date
    feed: FeedSnapshot | None = None  # None: parity rules are skipped
    articles_rel: str = "articles"


Check = Callable[[CheckContext], Iterator[Problem]]
