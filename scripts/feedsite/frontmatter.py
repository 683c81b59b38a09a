"""Read and write generated pages' YAML front matter, and the checksum that spots hand edits."""

from __future__ import annotations

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
        meta = yaml.safe_load(match.group("yaml") or "")
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
    yaml_text = yaml.safe_dump(full, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{yaml_text}---\n{body}"
