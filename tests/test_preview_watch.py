"""The preview's watcher: an author's save is reported, the import's own announced writes and
hidden temp files are not (a real watchdog observer on a temp folder)."""

from __future__ import annotations

import threading
from pathlib import Path

from feedsite.atomic import write_atomically
from feedsite.preview.notes import Note, with_note
from feedsite.preview.watch import Watcher


class Calls:
    def __init__(self) -> None:
        self.event = threading.Event()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.event.set()

    def wait(self, seconds: float) -> bool:
        found = self.event.wait(seconds)
        self.event.clear()
        return found


def test_own_writes_are_ignored_and_authors_saves_are_not(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("old\n", encoding="utf-8")
    calls = Calls()
    watcher = Watcher([tmp_path], calls)
    watcher.start()
    try:
        watcher.expect({page: b"imported\n", tmp_path / "gone.md": None})
        write_atomically(page, b"imported\n")  # as the import writes: temp file, then rename
        (tmp_path / ".page.md.tmp").write_bytes(b"temp")
        assert not calls.wait(1.0)
        page.write_bytes(b"edited by the author\n")
        assert calls.wait(5.0)
        (tmp_path / "new.md").write_text("new\n", encoding="utf-8")
        assert calls.wait(5.0)
    finally:
        watcher.stop()


def test_a_note_goes_after_the_title_and_is_escaped() -> None:
    html = with_note("<h1>Title</h1><p>Body</p>", Note("draft", "delete 'Draft:' <now>"))
    assert html.startswith("<h1>Title</h1>\n<div class=\"admonition note feedsite-preview-note\"")
    assert "delete &#x27;Draft:&#x27; &lt;now&gt;" in html
    assert html.endswith("</div>\n<p>Body</p>")
