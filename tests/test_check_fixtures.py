"""One tiny site per scenario under tests/fixtures/check/<scenario>/: the checker's exact text
report must equal `expected.txt` (--update-goldens rewrites them; review the diff)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from check_support import FIXTURES, run_scenario
from feedsite.check import prefetch
from feedsite.check.models import Finding, Summary
from feedsite.check.report import text
from feedsite.check.run import CheckResult

SCENARIOS = sorted(p for p in FIXTURES.iterdir() if (p / "site").is_dir())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_scenario_report(scenario: Path, assert_golden: Callable[[Path, str], None]) -> None:
    result = run_scenario(scenario)
    assert_golden(scenario / "expected.txt", text.render(result.findings, result.summary))


def test_every_scenario_has_a_golden() -> None:
    assert SCENARIOS, "no fixtures found"
    assert all((s / "expected.txt").is_file() for s in SCENARIOS)


def test_side_process_prefetch_gives_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    """Big projects read the feed and front matter in a second process; force that path on a
    small fixture and expect the very same findings."""
    scenario = FIXTURES / "article_rules"
    expected = text.render(*_report(run_scenario(scenario)))
    monkeypatch.setattr(prefetch, "_SIDE_PROCESS_THRESHOLD", 0)
    assert text.render(*_report(run_scenario(scenario))) == expected
    assert "paragraph-missing" in expected and "review-overdue" in expected


def _report(result: CheckResult) -> tuple[tuple[Finding, ...], Summary]:
    return result.findings, result.summary
