"""What an import plans to do to one file: add, update or remove it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Action = Literal["add", "update", "remove"]


@dataclass(frozen=True)
class Change:
    """One file to write (`content`) or delete (`content` None)."""

    action: Action
    path: Path
    content: bytes | None
