"""Notes the preview puts on a page: a conflict waiting for the author's choice, or a draft."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Literal

NoteKind = Literal["conflict", "draft"]
_TITLES = {"conflict": "Conflict: this page was edited by hand",
           "draft": "Draft: not published"}
_STYLES = {"conflict": "warning", "draft": "note"}


@dataclass(frozen=True)
class Note:
    """What the author should know about one page while previewing it."""

    kind: NoteKind
    text: str


def note_html(note: Note) -> str:
    """An admonition (Material styles it) that only `mkdocs serve` adds; never published."""
    return (f'<div class="admonition {_STYLES[note.kind]} feedsite-preview-note" role="note" '
            'data-pagefind-ignore="all">'
            f'<p class="admonition-title">{html.escape(_TITLES[note.kind])}</p>'
            f"<p>{html.escape(note.text)}</p></div>\n")


def with_note(content: str, note: Note) -> str:
    """The page's HTML with the note right after its H1 (or first, when it has none)."""
    end = content.find("</h1>")
    if end < 0:
        return note_html(note) + content
    end += len("</h1>")
    return content[:end] + "\n" + note_html(note) + content[end:]
