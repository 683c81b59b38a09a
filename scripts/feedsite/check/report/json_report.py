"""JSON report with a stable schema (`"schema": "feedsite-check/1"`).

Schema, version 1 (fields are only ever added, never renamed or removed, within a version)::

    {
      "schema": "feedsite-check/1",
      "summary": {
        "pages": int,            # HTML pages checked
        "errors": int,           # findings at error level (exit code 1 when > 0)
        "warnings": int,
        "files": int,            # files with at least one finding
        "skipped_rules": [str]   # source rules not run (no Markdown sources)
      },
      "findings": [              # sorted by path, line, column, rule
        {
          "path": str,           # Markdown source (docs/...md, feed/...txt) or HTML file
          "line": int,           # 1-based
          "column": int,         # 1-based
          "rule": str,           # e.g. "fragment-missing"; see `feedsite check --list-rules`
          "severity": "error" | "warning",
          "message": str,
          "link": str,           # the URL as written; "" when the finding is not about a link
          "target": str,         # resolved site file and fragment; "" when not applicable
          "suggestion": str      # e.g. "did you mean #the-mechanism-of-action?"; "" if none
        }
      ]
    }
"""

from __future__ import annotations

import json
from dataclasses import fields
from json.encoder import encode_basestring
from typing import Any

from feedsite.check.models import Finding, Summary

SCHEMA = "feedsite-check/1"
_FIELDS = tuple(field.name for field in fields(Finding))


def render(findings: tuple[Finding, ...], summary: Summary) -> str:
    document = {
        "schema": SCHEMA,
        "summary": {
            "pages": summary.pages,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "files": summary.files,
            "skipped_rules": list(summary.skipped_rules),
        },
        "findings": [
            {
                **{name: getattr(finding, name) for name in _FIELDS},
                "severity": finding.severity.value,
            }
            for finding in findings
        ],
    }
    return dumps_indented(document) + "\n"


def dumps_indented(value: Any, indent: str = "") -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, character for character: with an
    indent the standard library falls back to its pure-Python encoder, several times slower
    on a report of thousands of findings. Takes what reports hold: mappings with text keys,
    lists, text, whole numbers, floats, booleans and None."""
    if isinstance(value, str):
        return encode_basestring(value)
    if type(value) is int:
        return str(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        items = ",\n".join(
            f"{inner}{encode_basestring(key)}: {dumps_indented(item, inner)}"
            for key, item in value.items()
        )
        return f"{{\n{items}\n{indent}}}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = indent + "  "
        items = ",\n".join(f"{inner}{dumps_indented(item, inner)}" for item in value)
        return f"[\n{items}\n{indent}]"
    return json.dumps(value)
