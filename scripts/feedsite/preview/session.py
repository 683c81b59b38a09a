"""What the MkDocs hook does for one `mkdocs build` or `mkdocs serve` process.

Every build imports the feed first (only changed files are written). Under `mkdocs serve` the
preview also: watches feed/ and docs/ itself so the import's own writes never trigger a second
rebuild (watch.py), rebuilds only changed pages (dirty.py), shows drafts from memory and puts
a note on drafts and on pages in conflict (notes.py).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.structure.files import File, Files

from feedsite.check.handover import hand_over
from feedsite.errors import UserError
from feedsite.importer.drafts import DRAFT_PREFIX, DraftPage
from feedsite.importer.memo import ImportMemo
from feedsite.importer.resolve import conflict_message, kept_message
from feedsite.importer.sync import Plan, apply_plan, plan_import, today_from
from feedsite.preview import logs
from feedsite.preview.dirty import DirtyBuilds, inputs_stamp
from feedsite.preview.notes import Note, with_note
from feedsite.preview.watch import Watcher
from feedsite.project import Project, load_project

if TYPE_CHECKING:
    from feedsite.check.build_records import PageRecorder


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept between rebuilds (MkDocs makes a new Jinja environment each
    time); Jinja checks each entry against the template's source, so edits still apply."""

    def __init__(self) -> None:
        self._data: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._data:
            bucket.bytecode_from_string(self._data[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._data[bucket.key] = bucket.bytecode_to_string()


def _doc_uri(path: Path, project: Project) -> str:
    return path.relative_to(project.docs_dir).as_posix()


class Session:
    """The state of one MkDocs process; `serving` is True under `mkdocs serve`."""

    def __init__(self, command: str = "build", recording: bool | None = None) -> None:
        self.serving = command == "serve"
        # A build records its pages for the first check after it; serving has no use for them.
        self.recording = not self.serving if recording is None else recording
        self.server: Any = None
        self.watcher: Watcher | None = None
        self.dirty = DirtyBuilds()
        self.notes: dict[str, Note] = {}  # docs-relative page -> note
        self._shown_notes: dict[str, Note] = {}  # the notes the last build put on pages
        self.drafts: tuple[DraftPage, ...] | None = None
        self._dests: set[str] = set()  # built page files, to remove those whose page went
        self._rendered: list[str] = []
        self._started_ns = 0
        self._bytecode = _MemoryBytecode()
        self.memory = ImportMemo()
        self._templates: dict[Any, list[str]] = {}
        self._lock = threading.Lock()
        self.recorder: PageRecorder | None = None

    # -- every build -------------------------------------------------------------------

    def import_feed(self, config_file: Path) -> Plan | None:
        """Run the import (announcing its writes to the watcher) and log what it found."""
        try:
            project = load_project(config_file)
            # Serving, the in-memory memo makes an unchanged run cheap; the on-disk cache
            # (for the next `feedsite import`) would cost a scan and hashes on every save.
            memory = self.memory if self.serving else None
            if memory is not None:
                memory.next_run()
            plan = plan_import(project, today_from(None), use_cache=not self.serving,
                               memory=memory)
        except (UserError, ValueError) as exc:
            logs.advise(f"feedsite import skipped: {exc}")
            return None
        if self.watcher is not None:
            self.watcher.expect({c.path: c.content for c in plan.changes})
        apply_plan(plan)
        hand_over(project.root, plan)  # the first check then reads no feed file
        for problem in plan.problems:
            logs.advise(f"feedsite import: {problem}")
        notes: dict[str, Note] = {}
        for conflict in plan.conflicts:
            message = conflict_message(conflict.path, conflict.action, project)
            logs.advise(f"feedsite import: {message}")
            if conflict.path.is_relative_to(project.docs_dir):
                notes[_doc_uri(conflict.path, project)] = Note("conflict", message)
        for page in plan.kept:
            logs.inform(f"feedsite import: {kept_message(page, project)}")
        if plan.drafts is not None:
            self.drafts = plan.drafts
        for draft in self.drafts or ():
            notes[_doc_uri(draft.path, project)] = Note(
                "draft",
                f"Only this preview shows this page: it is not on the home page, in the lists, "
                f"search or reader feeds, and `mkdocs build` leaves it out. To publish it, "
                f"delete {DRAFT_PREFIX!r} from the title line of feed/{draft.source}.")
        if plan.changes:
            logs.inform(f"feedsite import: {len(plan.changes)} file(s) written or removed in "
                        "docs/")
        with self._lock:
            self.notes = notes
        return plan

    def before_build(self, config: Any) -> None:
        logs.exempt_from_strict()
        self.import_feed(Path(config.config_file_path))
        self._started_ns = time.time_ns()
        self._rendered = []

    # -- serve only ---------------------------------------------------------------------

    def on_config(self, config: Any) -> None:
        if not self.serving:
            return
        # No preview needs a sitemap, and at 10,000 pages it is a large part of a rebuild.
        config.theme.static_templates.discard("sitemap.xml")
        theme, make_env = config.theme, config.theme.get_env
        key = inputs_stamp(config)

        def get_env() -> jinja2.Environment:
            # MkDocs makes a new Jinja environment per build: keep compiled templates (Jinja
            # checks them against their source) and the theme's file list (it walks Material's
            # thousands of icons; a change in overrides/ changes `key`) between rebuilds.
            env: jinja2.Environment = make_env()
            env.bytecode_cache = self._bytecode
            listed = env.list_templates

            def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
                # MkDocs' filter is a new closure each build, with the same code and config.
                wanted = (key, tuple(extensions or ()), getattr(filter_func, "__code__", None))
                if wanted not in self._templates:
                    self._templates[wanted] = listed(extensions, filter_func)
                return list(self._templates[wanted])

            env.list_templates = list_templates  # type: ignore[method-assign]
            return env

        theme.get_env = get_env

    def files(self, files: Files, config: Any) -> Files:
        """Add drafts' pages, and re-render pages whose note changed (serve only)."""
        if not self.serving:
            return files
        for draft in self.drafts or ():
            uri = draft.path.relative_to(Path(config.docs_dir)).as_posix()
            if files.get_file_from_path(uri) is None:
                files.append(File.generated(config, uri, content=draft.content))
        with self._lock:
            notes = dict(self.notes)
        for uri in set(notes) ^ set(self._shown_notes) | {
                u for u in notes if self._shown_notes.get(u) not in (None, notes[u])}:
            file = files.get_file_from_path(uri)
            if file is not None:
                # A dirty build re-renders a page whose output is missing or older.
                Path(file.abs_dest_path).unlink(missing_ok=True)
        self._shown_notes = notes
        dests = {f.abs_dest_path for f in files.documentation_pages()}
        for gone in self._dests - dests:
            Path(gone).unlink(missing_ok=True)  # the page was removed or unpublished
        self._dests = dests
        return files

    def page_content(self, content: str, page: Any) -> str:
        if not self.serving:
            return content
        self._rendered.append(page.file.abs_dest_path)
        note = self.notes.get(page.file.src_uri)
        return with_note(content, note) if note is not None else content

    # -- page records for the checker (check/build_records.py) -----------------------------

    def start_recording(self, config: Any) -> None:
        if self.recording and self.recorder is None:
            from feedsite.check.build_records import PageRecorder  # builds only, not serving

            # The project's root as load_project takes it (a linked mkdocs.yml is followed).
            self.recorder = PageRecorder(Path(config.config_file_path).resolve().parent)
            self.recorder.start()
            atexit.register(self.recorder.wait)  # when MkDocs is run without on_shutdown

    def page_written(self, output: str, page: Any) -> None:
        if self.recorder is not None and page.file.dest_uri:
            self.recorder.add(page.file.dest_uri, output)

    def finish_recording(self) -> None:
        """Have the records saved while the build's other post-build work runs; `close`
        waits for them."""
        if self.recorder is not None:
            self.recorder.finish()

    # -- every build, continued -------------------------------------------------------------

    def after_build(self) -> None:
        """Serving, date this build's pages from its start: a save made while it ran is then
        newer."""
        if not self.serving:
            return
        for dest in self._rendered:
            with contextlib.suppress(OSError):
                os.utime(dest, ns=(self._started_ns, self._started_ns))
        self._rendered = []

    def attach(self, server: Any, config: Any) -> Any:
        """Take over watching feed/ and docs/ from MkDocs, and make rebuilds dirty."""
        if not self.serving or not hasattr(server, "_rebuild_cond"):
            return server  # another MkDocs: keep its own watching (two rebuilds, but correct)
        project = load_project(Path(config.config_file_path))
        docs, feed = Path(config.docs_dir).resolve(), project.feed_dir.resolve()
        with contextlib.suppress(KeyError):
            server.unwatch(str(docs))
        config.watch[:] = [w for w in config.watch if Path(w).resolve() != feed]
        self.server = server
        self.watcher = Watcher([docs, feed], self.request_rebuild)
        self.watcher.start()
        self.dirty.prime(config)
        self.dirty.install()
        return server

    def request_rebuild(self) -> None:
        server = self.server
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    def close(self) -> None:
        if self.recorder is not None:
            self.recorder.wait()
            self.recorder = None
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.dirty.uninstall()


_current = Session()


def current() -> Session:
    return _current


def start(command: str, recording: bool | None = None) -> Session:
    """A fresh session for a new MkDocs run (`mkdocs serve` or `mkdocs build`)."""
    global _current
    _current.close()
    _current = Session(command, recording)
    return _current

