"""Let plain `mkdocs serve` rebuild only the pages whose Markdown changed (MkDocs' dirty build).

`mkdocs serve --dirty` does this, but authors do not know the flag, and under `strict: true` it
aborted on MkDocs' own "A 'dirty' build is being performed" warning. Here every rebuild after
the first is dirty unless something that shapes every page changed (mkdocs.yml, the theme
overrides, the hook files): then the build is full again. MkDocs' serve command has no option
for this, so its module-level `build` function is wrapped for the life of the server.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mkdocs.commands.serve as serve_module
from mkdocs.commands.build import build as mkdocs_build

_DIRTY_NOTICE = "A 'dirty' build is being performed"


class _DropDirtyNotice(logging.Filter):
    """Drops MkDocs' warning about dirty builds: the preview chose them, knowing the limits."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_DIRTY_NOTICE)


def _files_under(folder: Path) -> Iterator[Path]:
    for base, _dirs, names in os.walk(folder):
        for name in names:
            yield Path(base) / name


def inputs_stamp(config: Any) -> tuple[tuple[str, int, int], ...]:
    """Sizes and mtimes of what every page depends on besides its own Markdown."""
    paths: list[Path] = []
    if config.config_file_path:
        paths.append(Path(config.config_file_path))
    # The project's own template folders (theme.custom_dir); installed themes do not change.
    for folder in config.theme.dirs:
        if not Path(folder).resolve().is_relative_to(Path(sys.prefix).resolve()):
            paths.extend(_files_under(Path(folder)))
    for hook in config.get("hooks", {}).values():
        if getattr(hook, "__file__", None):
            paths.append(Path(hook.__file__))
    stamp = []
    for path in sorted(paths):
        try:
            st = path.stat()
        except OSError:
            continue
        stamp.append((str(path), st.st_size, st.st_mtime_ns))
    return tuple(stamp)


class DirtyBuilds:
    """While installed, `mkdocs serve` rebuilds dirty whenever a full build is not needed."""

    def __init__(self) -> None:
        self._stamp: tuple[tuple[str, int, int], ...] | None = None
        self._filter = _DropDirtyNotice()
        self.last_dirty = False

    def prime(self, config: Any) -> None:
        """Record the inputs of the build that just succeeded outside the wrapper (the first)."""
        self._stamp = inputs_stamp(config)

    def install(self) -> None:
        setattr(serve_module, "build", self._build)  # noqa: B010 - not exported, so no stub
        logging.getLogger("mkdocs.commands.build").addFilter(self._filter)

    def uninstall(self) -> None:
        if getattr(serve_module, "build", None) == self._build:
            setattr(serve_module, "build", mkdocs_build)  # noqa: B010
        logging.getLogger("mkdocs.commands.build").removeFilter(self._filter)

    def _build(self, config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
        stamp = inputs_stamp(config)
        # `--clean` serves without a serve_url; a failed build may have left half a site.
        self.last_dirty = dirty or (serve_url is not None and stamp == self._stamp)
        if not self.last_dirty and self._stamp is not None:
            changed = sorted({p for p, *_ in set(stamp) ^ set(self._stamp)})
            logging.getLogger("mkdocs.plugins.feedsite").info(
                f"feedsite preview: full rebuild, as every page depends on {', '.join(changed)}")
        self._stamp = None
        mkdocs_build(config, serve_url=serve_url, dirty=self.last_dirty)
        self._stamp = stamp

