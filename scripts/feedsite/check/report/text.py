"""Human report: findings grouped by file, sorted by line, with colour only when asked."""

from __future__ import annotations

from itertools import groupby

from feedsite.check.models import Finding, Summary

_RESET = "\033[0m"
_STYLES = {"path": "\033[1m", "error": "\033[31m", "warning": "\033[33m", "dim": "\033[2m"}


def render(findings: tuple[Finding, ...], summary: Summary, color: bool = False) -> str:
    def paint(style: str, value: str) -> str:
        return f"{_STYLES[style]}{value}{_RESET}" if color else value

    lines: list[str] = []
    for path, group in groupby(findings, key=lambda f: f.path):
        lines.append(paint("path", path))
        for finding in sorted(group, key=lambda f: (f.line, f.column, f.rule)):
            where = f"{finding.line}:{finding.column}"
            level = finding.severity.value
            lines.append(
                f"  {where:<8} {paint(level, f'{level:<7}')} {finding.message}  "
                f"{paint('dim', finding.rule)}"
            )
            if finding.suggestion:
                lines.append(f"  {'':<8} {'':<7} {finding.suggestion}")
        lines.append("")
    lines.append(_footer(summary))
    if summary.skipped_rules:
        lines.append("Source rules skipped: no Markdown sources (--no-sources or no docs folder).")
    return "\n".join(lines) + "\n"


def _footer(summary: Summary) -> str:
    pages = f"{summary.pages} page{'s' if summary.pages != 1 else ''}"
    if not summary.errors and not summary.warnings:
        return f"No problems found in {pages}."
    errors = f"{summary.errors} error{'s' if summary.errors != 1 else ''}"
    warnings = f"{summary.warnings} warning{'s' if summary.warnings != 1 else ''}"
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    return f"{errors}, {warnings} in {files} ({pages} checked)."
