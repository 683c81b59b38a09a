"""Read and write generated pages' YAML front matter, and the checksum that spots hand edits."""

from __future__ import annotations

import datetime as dt
import functools
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
# printable set, plus the ones YAML reads as line breaks (NEL, U+2028/9) or a BOM. Compiled on
# first use: the class is large enough to cost every command 5 ms at start-up.
_NOT_YAML_PRINTABLE_CLASS = (
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)


@functools.cache
def _not_yaml_printable() -> re.Pattern[str]:
    return re.compile(_NOT_YAML_PRINTABLE_CLASS)


def _yaml_unprintable(text: str) -> bool:
    """Whether `text` holds a character `dump_yaml` would escape. Text Python calls printable
    (every separator but the space, and every control character, left out) never does."""
    if text.replace("\n", "").isprintable():
        return False
    return _not_yaml_printable().search(text) is not None


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
        meta = load_yaml(match.group("yaml") or "")
    except (yaml.YAMLError, ValueError):  # ValueError: a date such as 2024-02-30
        return None
    if not isinstance(meta, dict):
        return None
    return PageText(meta=meta, body=text[match.end() :])


def load_yaml(text: str) -> Any:
    """What PyYAML's safe loader reads from front matter `text` (raising its errors, and
    ValueError for an impossible date). The
    importer's own output, which is most front matter, is read directly instead: at a fifth of
    the cost, which a first `feedsite check` of 1,000 pages notices (0.15 s of 0.5)."""
    direct = read_dumped(text)
    if direct is not None:
        return direct
    return yaml.load(text, Loader=_Loader)  # a safe loader


# `dump_yaml`'s keys: plain words, but none that YAML 1.1 reads as a boolean or null, and
# none longer than PyYAML reads as a key (1,024 characters).
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,999}")
_LONGEST_KEY = 1000
_NOT_STRING_KEYS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
# Scalars `_yaml_scalar` writes whose YAML reading is the obvious one (an exponent, as in
# repr's 1e-05, is a string to YAML 1.1, and is left to PyYAML).
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None}
# `_yaml_scalar` escapes a lone surrogate, which JSON reads and libyaml rejects.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def read_dumped(text: str) -> dict[str, Any] | None:
    """The mapping `dump_yaml` wrote as `text`, or None when `text` is anything else.

    Only the forms `dump_yaml` writes are read, where YAML means what they say: a JSON string
    (its escapes mean the same in YAML's double quotes), a JSON list or mapping spelled as
    json.dumps spells it, plain numbers and dates, nested mappings of those. Anything else,
    and any value whose YAML meaning differs, is left to PyYAML.
    """
    if text.startswith("\n"):  # the rest of the opening `---` line
        text = text[1:]
    if not text.endswith("\n"):
        text += "\n"
    if (_yaml_unprintable(text) or _SURROGATE_ESCAPE.search(text)
            or "\r" in text or "\t" in text):  # other line breaks and spacing: PyYAML's
        return None
    meta: dict[str, Any] = {}
    nested: dict[str, Any] | None = None
    opened: list[dict[str, Any]] = []
    for line in text[:-1].split("\n"):
        target = meta
        if line.startswith("  "):
            if nested is None:
                return None
            target, line = nested, line[2:]
        else:
            nested = None
        key, colon, value = line.partition(":")
        if (not colon or key in target or _PLAIN_KEY.fullmatch(key) is None
                or key.lower() in _NOT_STRING_KEYS):
            return None
        if not value and target is meta:
            nested = meta[key] = {}
            opened.append(nested)
            continue
        if not value.startswith(" "):
            return None
        read = _read_scalar(value[1:])
        if read is _UNREAD:
            return None
        target[key] = read
    if not meta or not all(opened):  # `key:` with nothing under it is null to YAML
        return None
    return meta


_UNREAD = object()


def _read_scalar(value: str) -> Any:
    first = value[:1]
    if first == '"':
        inner = value[1:-1]
        if value.endswith('"') and len(value) > 1 and '"' not in inner and "\\" not in inner:
            return inner  # no escapes (control characters were ruled out above)
        try:
            read = json.loads(value)
        except ValueError:
            return _UNREAD
        return read if isinstance(read, str) else _UNREAD
    if first in ("[", "{"):
        try:
            read = json.loads(value)
            # Flow collections as _yaml_scalar writes them only, which YAML reads as JSON does.
            if not _plain_json(read) or _yaml_scalar(read) != value:
                return _UNREAD
        except (ValueError, RecursionError):  # deep nesting too: PyYAML decides
            return _UNREAD
        return read
    if value in _WORDS:
        return _WORDS[value]
    if _INT.fullmatch(value):
        return int(value)
    if _FLOAT.fullmatch(value):
        return float(value)
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return _UNREAD
    return _UNREAD


def _plain_json(value: Any) -> bool:
    """Whether YAML reads this JSON value as JSON does: no exponent or non-finite float (YAML
    1.1 reads those as strings)."""
    if isinstance(value, str | bool | int) or value is None:
        return True
    if isinstance(value, float):
        return _FLOAT.fullmatch(repr(value)) is not None
    if isinstance(value, list):
        return all(_plain_json(item) for item in value)
    if isinstance(value, dict):
        keys_fit = all(len(json.dumps(key, ensure_ascii=False)) <= _LONGEST_KEY for key in value)
        return keys_fit and all(_plain_json(item) for item in value.values())
    return False


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
    # A JSON string is a valid YAML double-quoted scalar, and anything else (a list of
    # records, or what an author put in a kept key) JSON that YAML reads too; either way,
    # escape the characters YAML cannot hold (they can only be inside strings).
    quoted = json.dumps(value, ensure_ascii=False, default=str)
    if not _yaml_unprintable(quoted):
        return quoted
    return _not_yaml_printable().sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


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
