"""Assertions every browser test ends with: the tab stayed local, quiet and dialog-free."""

from __future__ import annotations

from .reader import Reader


def assert_quiet(reader: Reader) -> None:
    """No request left 127.0.0.1, nothing was logged as an error, no CSP rule was broken."""
    record = reader.record
    assert record.requests, "the recorder saw no requests at all, so it is not listening"
    assert record.foreign_requests() == [], "requests to hosts other than 127.0.0.1"
    assert record.console_errors == [], "console errors"
    assert record.csp_violations == [], "Content-Security-Policy violations"
    assert record.dialogs == [], "dialogs opened"
