"""SARIF 2.1.0 report, for code-scanning dashboards."""

from __future__ import annotations

import json
from typing import Any

from feedsite import __version__
from feedsite.check.models import Finding, Summary
from feedsite.check.rules import RULES

_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(findings: tuple[Finding, ...], summary: Summary) -> str:
    rule_ids = sorted(RULES)
    index = {rule: position for position, rule in enumerate(rule_ids)}
    rules = [
        {
            "id": rule,
            "shortDescription": {"text": RULES[rule].summary},
            "defaultConfiguration": {"level": RULES[rule].default.value},
        }
        for rule in rule_ids
    ]
    results: list[dict[str, Any]] = []
    for finding in findings:
        message = finding.message + (f" ({finding.suggestion})" if finding.suggestion else "")
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": finding.severity.value,
                "message": {"text": message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": finding.path},
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.column,
                            },
                        }
                    }
                ],
            }
        )
    document = {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "feedsite-check",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
