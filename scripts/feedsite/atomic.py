"""Whole-or-nothing file writes: a temp file in the same folder, renamed over the target."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, content: bytes) -> None:
    """Write `content` to `path` so a reader or a killed process never sees half a file.

    The rename is atomic. No fsync: it made a 10,000-article import several times slower, and
    everything written here can be regenerated. Missing parent folders are created; the file
    gets mode 0644 (mkstemp's 0600 would hide published files from a web server).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
