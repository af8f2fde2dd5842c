"""The errors that stop a command, each with the exit code it means."""

from __future__ import annotations


class FatalError(Exception):
    """A problem that stops a command; its message is shown as-is, exit code 2."""

    exit_code = 2


class UsageError(FatalError):
    """The command was called wrongly or pointed at the wrong place (exit 2)."""


class RepositoryError(FatalError):
    """The repository has problems the command will not work around, such as errors the
    check reports before a publish or export (exit 1, like ``dspt check``)."""

    exit_code = 1
