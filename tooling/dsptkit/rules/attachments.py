"""Rules that every attachment is present, unaltered and inside the repository."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.rules.base import Context, Result, result, rule


@rule("AT001")
def missing_attachments(ctx: Context) -> Iterator[Result]:
    """An attachment listed under `files:` is not there."""
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            if att.state == "missing":
                yield result("AT001", att.loc, f"attachment '{att.path}' of {evidence.id} does "
                                               f"not exist (looked for {att.repo_path})",
                             subject=evidence.id)
            elif att.state == "directory":
                yield result("AT001", att.loc, f"attachment '{att.path}' of {evidence.id} is a "
                                               "folder, not a file", subject=evidence.id)
            elif att.state == "not a regular file":
                yield result("AT001", att.loc, f"attachment '{att.path}' of {evidence.id} is not "
                                               "a regular file (a FIFO, device or socket), so it "
                                               "is not read", subject=evidence.id)
            elif att.state == "unreadable":
                yield result("AT001", att.loc, f"attachment {att.path!r} of {evidence.id} "
                                               f"cannot be read: {att.detail or 'unknown reason'}",
                             subject=evidence.id)


@rule("AT002")
def altered_attachments(ctx: Context) -> Iterator[Result]:
    """An attachment's content no longer matches the sha256 recorded when it was collected."""
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            if att.state == "ok" and att.sha256 and att.actual_sha256 != att.sha256:
                yield result("AT002", att.loc, f"attachment '{att.path}' of {evidence.id} has "
                                               f"changed: recorded sha256 {att.sha256[:12]}…, "
                                               f"file is {att.actual_sha256[:12]}…",
                             subject=evidence.id)


@rule("AT003")
def attachments_outside(ctx: Context) -> Iterator[Result]:
    """An attachment path leaves the repository (`../`, an absolute path, or a symlink out)."""
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            if att.state == "outside":
                where = "inside .git, git's own data" if att.detail else "outside the repository"
                yield result("AT003", att.loc, f"attachment '{att.path}' of {evidence.id} is "
                                               f"{where}; copy it beside the evidence file",
                             subject=evidence.id)
