"""Problems the importer reports about input files: a record, and its one-line text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


def shown_path(path: Path, root: Path) -> str:
    """How messages name a file: relative to the project root when inside it, else in full."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class Problem:
    """Something wrong with one file: errors reject it, warnings only inform.

    `path` is relative to the project root (forward slashes); `line` is 1-based or None.
    """

    path: str
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.severity}: {self.message}"
