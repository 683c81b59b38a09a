"""The CLI's subcommands; each module exposes `register(subparsers)` that sets `func`.

Modules are imported on demand: a run of one command does not pay for the others' imports
(the checker's start-up time counts on large sites).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# Command name -> module, in the order `feedsite --help` lists them.
COMMAND_MODULES: dict[str, str] = {
    "import": "feedsite.commands.import_cmd",
    "fetch": "feedsite.commands.fetch_cmd",
    "new": "feedsite.commands.new_cmd",
    "check": "feedsite.commands.check_cmd",
    "serve": "feedsite.commands.serve_cmd",
    "headers": "feedsite.commands.headers_cmd",
    "report": "feedsite.commands.report_cmd",
    "index": "feedsite.commands.index_cmd",
}


def load_commands(only: str | None = None) -> tuple[ModuleType, ...]:
    """The command modules: just `only` when it names a command, else all of them."""
    names = [only] if only in COMMAND_MODULES else list(COMMAND_MODULES)
    return tuple(importlib.import_module(COMMAND_MODULES[name]) for name in names)
