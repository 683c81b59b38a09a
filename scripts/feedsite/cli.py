"""Command-line entry point: `feedsite <command>`; `run(argv)` returns the exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from feedsite import __version__
from feedsite.commands import COMMANDS
from feedsite.errors import UserError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="feedsite",
        description="Turn an article feed into a searchable MkDocs site, and check its links.",
    )
    parser.add_argument("--version", action="version", version=f"feedsite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` and run one command; never calls sys.exit, so tests run it in-process.

    Exit codes: 0 success, 1 problems found (findings, conflicts, rejected files),
    2 usage or configuration error.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors by exiting
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        code: int = args.func(args)
    except UserError as exc:
        print(f"feedsite {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"feedsite {args.command}: interrupted", file=sys.stderr)
        return 130
    return code


def main() -> None:
    sys.exit(run())
