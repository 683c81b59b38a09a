"""Errors that are the user's to fix: the CLI prints them as one line, never a traceback."""


class UserError(Exception):
    """A problem with input or configuration; the message names the file and what to do."""

    exit_code = 2
