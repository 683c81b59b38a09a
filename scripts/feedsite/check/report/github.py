"""GitHub Actions workflow commands: one `::error file=...,line=...::message` per finding."""

from __future__ import annotations

from feedsite.check.models import Finding, Summary


def render(findings: tuple[Finding, ...], summary: Summary) -> str:
    lines = []
    for finding in findings:
        message = finding.message + (f" ({finding.suggestion})" if finding.suggestion else "")
        properties = ",".join(
            (
                f"file={_property(finding.path)}",
                f"line={finding.line}",
                f"col={finding.column}",
                f"title={_property(finding.rule)}",
            )
        )
        lines.append(f"::{finding.severity.value} {properties}::{_data(message)}")
    lines.append(
        f"feedsite check: {summary.errors} errors, {summary.warnings} warnings "
        f"in {summary.pages} pages"
    )
    return "\n".join(lines) + "\n"


def _data(value: str) -> str:
    # The escaping GitHub's runner expects (actions/toolkit, command.ts).
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
