"""Read and write generated pages' YAML front matter, and the checksum that spots hand edits."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

GENERATOR = "feedsite"
# Keys the author may set on a generated page without it counting as a hand edit.
AUTHOR_KEYS = ("reviewed", "review_due")
# Makes a generated page hand-maintained: the importer leaves it alone (`import --keep`).
KEEP_KEY = "hand_maintained"
# libyaml's parser when PyYAML has it: reading 10,000 pages with the pure-Python one takes
# seconds, and `mkdocs serve` re-imports on every rebuild.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Characters to write as escapes in a double-quoted YAML scalar: those outside YAML's
# printable set, plus the ones YAML reads as line breaks (NEL, U+2028/9) or a BOM.
_NOT_YAML_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?\n)?---[ \t]*\n", re.DOTALL)


@dataclass(frozen=True)
class PageText:
    """A Markdown page cut into its front matter mapping and its body."""

    meta: dict[str, Any]
    body: str


def split_page(text: str) -> PageText | None:
    """Split `text` into front matter and body; None when it has no valid YAML mapping on top."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return None
    try:
        meta = yaml.load(match.group("yaml") or "", Loader=_Loader)  # a safe loader
    except yaml.YAMLError:
        return None
    if not isinstance(meta, dict):
        return None
    return PageText(meta=meta, body=text[match.end() :])


def content_checksum(meta: Mapping[str, Any], body: str) -> str:
    """sha256 over the generated front matter values and the body.

    Values rather than YAML text are hashed, so re-spacing the front matter is not an edit;
    the checksum itself and the author-owned keys are left out.
    """
    generated = {k: v for k, v in meta.items() if k != "checksum" and k not in AUTHOR_KEYS}
    canonical = json.dumps(generated, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{canonical}\n{body}".encode()).hexdigest()


def is_generated(page: PageText) -> bool:
    """Whether the importer wrote this page (it says `generator: feedsite`)."""
    return page.meta.get("generator") == GENERATOR


def is_hand_edited(page: PageText) -> bool:
    """Whether a generated page changed since the importer wrote it."""
    return page.meta.get("checksum") != content_checksum(page.meta, page.body)


def dump_page(meta: Mapping[str, Any], body: str) -> str:
    """Front matter (keys in the given order, plus `checksum` last) followed by the body.

    `body` is everything after the closing `---` line, exactly as `split_page` returns it.
    """
    full = dict(meta)
    full.pop("checksum", None)
    full["checksum"] = content_checksum(full, body)
    return f"---\n{dump_yaml(full)}---\n{body}"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None:
        return "null"
    if isinstance(value, str):
        # A JSON string is a valid YAML double-quoted scalar; escape what YAML cannot hold.
        quoted = json.dumps(value, ensure_ascii=False)
        return _NOT_YAML_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)
    # Anything else an author put in a kept key (a list, say) as JSON, which YAML reads too.
    return json.dumps(value, ensure_ascii=False, default=str)


def dump_yaml(meta: Mapping[str, Any], indent: str = "") -> str:
    """Block-style YAML for our front matter: always the same text for the same values.

    Written by hand rather than by PyYAML so the output does not depend on its version or on
    whether libyaml is installed, and strings are always double-quoted.
    """
    lines: list[str] = []
    for key, value in meta.items():
        if isinstance(value, Mapping) and value:
            lines.append(f"{indent}{key}:\n{dump_yaml(value, indent + '  ')}".rstrip("\n"))
        else:
            lines.append(f"{indent}{key}: {_yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


def as_date(value: Any) -> dt.date | None:
    """A front-matter date (YAML gives a date, a datetime or a string); None if it is none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
