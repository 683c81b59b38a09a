"""Problems the importer reports about input files: a record, and its one-line text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


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
