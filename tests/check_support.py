"""Helpers for the checker tests: run a fixture scenario in-process and compare with a golden."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

from feedsite.check.policy import CheckConfig, load_config
from feedsite.check.run import CheckRequest, CheckResult, run_checks
from feedsite.check.site import SiteOptions

FIXTURES = Path(__file__).parent / "fixtures" / "check"
# A fixed "today" so review dates in fixtures never drift into or out of the past.
TODAY = date(2026, 11, 26)


def scenario_config(folder: Path) -> CheckConfig:
    config_file = folder / "config.toml"
    if not config_file.is_file():
        return CheckConfig()
    table = tomllib.loads(config_file.read_text(encoding="utf-8"))
    return load_config([(str(config_file), table)])


def run_scenario(folder: Path) -> CheckResult:
    """Check `folder/site` with `folder/docs` and `folder/feed` when present."""
    docs = folder / "docs"
    feed = folder / "feed"
    site = SiteOptions(
        site_dir=folder / "site", docs_dir=docs if docs.is_dir() else None, jobs=1
    )
    return run_checks(
        CheckRequest(
            site=site,
            config=scenario_config(folder),
            today=TODAY,
            feed_dir=feed if feed.is_dir() else None,
            display_root=folder,
        )
    )
