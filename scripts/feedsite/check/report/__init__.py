"""Report formats: each module turns findings and a summary into text; nothing here prints."""

from __future__ import annotations

from feedsite.check.models import Finding, Summary
from feedsite.check.report import github, json_report, sarif, text

FORMATS = ("text", "json", "github", "sarif")


def render(fmt: str, findings: tuple[Finding, ...], summary: Summary, color: bool = False) -> str:
    """The whole report in format `fmt` (one of FORMATS), ending with a newline."""
    if fmt == "json":
        return json_report.render(findings, summary)
    if fmt == "github":
        return github.render(findings, summary)
    if fmt == "sarif":
        return sarif.render(findings, summary)
    return text.render(findings, summary, color=color)
