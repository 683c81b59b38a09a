"""benchmarks/lighthouse.py: scores and failed audits read from Lighthouse JSON reports."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# benchmarks/ is a folder of scripts beside the package; make it importable from tests.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.lighthouse import (  # noqa: E402
    CATEGORIES,
    Audit,
    Scores,
    format_table,
    median_run,
    parse_report,
)


def _report(
    scores: dict[str, float | None], audits: dict[str, dict[str, Any]]
) -> dict[str, object]:
    refs = [
        {"id": audit_id, "weight": audit.pop("weight", 1)} for audit_id, audit in audits.items()
    ]
    return {
        "categories": {
            name: {"score": score, "auditRefs": refs if name == "performance" else []}
            for name, score in scores.items()
        },
        "audits": audits,
    }


def test_scores_are_percentages_and_only_weighted_failures_are_listed() -> None:
    report = _report(
        {"performance": 0.976, "accessibility": 1, "best-practices": 0.5, "seo": None},
        {
            "first-contentful-paint": {
                "title": "First Contentful Paint",
                "score": 0.94,
                "displayValue": "1.6 s",
            },
            "speed-index": {"title": "Speed Index", "score": 1},
            "diagnostics": {"title": "Diagnostics", "score": None},
            "unweighted": {"title": "Counts for nothing", "score": 0, "weight": 0},
        },
    )

    scores = parse_report("home", "mobile", report)

    assert scores.categories == {
        "performance": 98,
        "accessibility": 100,
        "best-practices": 50,
        "seo": 0,
    }
    assert scores.failed == (
        Audit("first-contentful-paint", "First Contentful Paint", 0.94, "1.6 s"),
    )


def test_median_run_takes_each_category_median_and_the_median_runs_audits() -> None:
    slow = Audit("total-blocking-time", "Total Blocking Time", 0.5, "400 ms")
    runs = [
        Scores("home", "mobile", dict.fromkeys(CATEGORIES, 100) | {"performance": p}, failed)
        for p, failed in ((90, (slow,)), (99, ()), (95, (slow,)))
    ]

    result = median_run(runs)

    assert result.categories == dict.fromkeys(CATEGORIES, 100) | {"performance": 95}
    assert result.failed == (slow,)


def test_table_names_each_failed_audit_under_the_scores() -> None:
    audit = Audit("first-contentful-paint", "First Contentful Paint", 0.94, "1.6 s")
    table = format_table([Scores("article", "mobile", dict.fromkeys(CATEGORIES, 97), (audit,))])

    assert table.splitlines()[-1] == (
        "  article/mobile: first-contentful-paint score 0.94: First Contentful Paint (1.6 s)"
    )
