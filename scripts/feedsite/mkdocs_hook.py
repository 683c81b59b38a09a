"""MkDocs hook: import the feed before every build; under `mkdocs serve`, a fast preview.

mkdocs.yml names this file under `hooks:`. Everything lives in the package (feedsite.preview):
the site also builds without the hook once `feedsite import` has run (Zensical ignores hooks).
Set FEEDSITE_IMPORT_HOOK=0 to switch the hook off (e.g. to build docs/ as it is).
`mkdocs build` also records each page it writes for the first `feedsite check` after it
(check/build_records.py), with the import switched off too.

Under `mkdocs serve` a save in feed/ or docs/ costs one rebuild of the changed pages only;
drafts show with a note, and so do pages in conflict with the feed. Conflicts and rejected
feed files are WARNINGs in the log that strict mode does not count: the preview and the build
go on (the page keeps the hand edit); `feedsite import --check` and `scripts/dev check` fail.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from feedsite.preview import session


def _enabled() -> bool:
    return os.environ.get("FEEDSITE_IMPORT_HOOK", "1") != "0"


def on_startup(command: str, **_: Any) -> None:
    # Page records for the checker do not depend on the import: made on every build.
    session.start(command if _enabled() else "build", recording=command != "serve")


def on_config(config: Any, **_: Any) -> None:
    if _enabled():
        session.current().on_config(config)


def on_pre_build(config: Any, **_: Any) -> None:
    if _enabled():
        session.current().before_build(config)
    session.current().start_recording(config)


def on_files(files: Any, config: Any, **_: Any) -> Any:
    return session.current().files(files, config) if _enabled() else files


def on_page_content(html: str, page: Any, **_: Any) -> str:
    return session.current().page_content(html, page) if _enabled() else html


def on_post_page(output: str, page: Any, **_: Any) -> str:
    session.current().page_written(output, page)
    return output


def on_post_build(**_: Any) -> None:
    if _enabled():
        session.current().after_build()
    session.current().finish_recording()


def on_serve(server: Any, config: Any, **_: Any) -> Any:
    return session.current().attach(server, config) if _enabled() else server


def on_shutdown(**_: Any) -> None:
    session.current().close()


def run_import(config_file: Path) -> None:
    """Import the project of `config_file` as a build would (tests call this directly)."""
    session.current().import_feed(config_file)
