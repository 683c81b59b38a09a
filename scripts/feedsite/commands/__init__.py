"""The CLI's subcommands; each module exposes `register(subparsers)` that sets `func`."""

from __future__ import annotations

from types import ModuleType

from feedsite.commands import check_cmd, headers_cmd, import_cmd, new_cmd, serve_cmd

COMMANDS: tuple[ModuleType, ...] = (
    import_cmd,
    new_cmd,
    check_cmd,
    serve_cmd,
    headers_cmd,
)
