"""One error type for everything a user must fix before a command can run."""

from __future__ import annotations


class FatalError(Exception):
    """A problem that stops a command; its message is shown as-is, exit code 2."""


class UsageError(FatalError):
    """The command was called wrongly or pointed at the wrong place."""
