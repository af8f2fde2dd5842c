"""Rules that every attachment is present, unaltered and inside the repository."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Severity
from dsptkit.rules.base import Context, Result, result, rule


@rule("AT001", "attachment.missing", Severity.ERROR)
def missing_attachments(ctx: Context) -> Iterator[Result]:
    """An attachment listed under `files:` is not there.

    Paths are relative to the evidence file. A folder is not an attachment: list the files.
    """
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            if att.state == "missing":
                yield result("AT001", att.loc, f"attachment '{att.path}' of {evidence.id} does "
                                               f"not exist (looked for {att.repo_path})",
                             subject=evidence.id)
            elif att.state == "directory":
                yield result("AT001", att.loc, f"attachment '{att.path}' of {evidence.id} is a "
                                               "folder, not a file", subject=evidence.id)


@rule("AT002", "attachment.hash-mismatch", Severity.ERROR)
def altered_attachments(ctx: Context) -> Iterator[Result]:
    """An attachment's content no longer matches the sha256 recorded when it was collected.

    Evidence must not change after collection. If the file was replaced on purpose, record
    it as new evidence with its own date rather than editing the old.
    """
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            if att.state == "ok" and att.sha256 and att.actual_sha256 != att.sha256:
                yield result("AT002", att.loc, f"attachment '{att.path}' of {evidence.id} has "
                                               f"changed: recorded sha256 {att.sha256[:12]}…, "
                                               f"file is {att.actual_sha256[:12]}…",
                             subject=evidence.id)


@rule("AT003", "attachment.outside-repository", Severity.ERROR)
def attachments_outside(ctx: Context) -> Iterator[Result]:
    """An attachment path leaves the repository (`../`, an absolute path, or a symlink out).

    Git only records what is inside the repository; evidence elsewhere cannot be shown to
    an auditor or checked for changes.
    """
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            if att.state == "outside":
                yield result("AT003", att.loc, f"attachment '{att.path}' of {evidence.id} is "
                                               "outside the repository; copy it beside the "
                                               "evidence file", subject=evidence.id)
