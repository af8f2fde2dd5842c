"""``dspt export OUT``: the DSPT submission drafted from the repository, for the IG lead to
copy into the DSPT on submission day: ``submission.md`` (for people), ``submission.csv`` (one
row per item), ``submission.json``, and the documents to upload under ``documents/``.

Everything comes from one check run (:func:`dsptkit.submission.draft`). The export never
writes into the repository, never into a folder that holds anything, and never half: it is
written into a new folder beside OUT and renamed into place at the end, so a failure leaves
nothing behind. Attachments are copied without following symbolic links, and only from
inside the repository; restricted evidence is listed but not copied unless asked.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from datetime import date
from pathlib import Path

from dsptkit import pipeline, submission
from dsptkit.asof import assessment_date, parse_as_of
from dsptkit.commands._shared import repository_root
from dsptkit.error_handler import hangups_interrupt
from dsptkit.errors import FatalError, UsageError

FORMATS = {"md": "submission.md", "csv": "submission.csv", "json": "submission.json"}
KEYWORDS = ("today", "deadline")
_CHUNK = 1 << 20


class Refused(FatalError):
    """The export will not write where it was asked to (exit 1, like a refused publish)."""

    exit_code = 1


def run(args: argparse.Namespace) -> int:
    root = Path(os.path.realpath(repository_root(args)))
    formats = parse_formats(args.formats)
    target = _target(root, Path(args.directory))
    as_of = _as_of(root, args.as_of)
    result = pipeline.run(root, as_of)
    pipeline.refuse_errors(result, "the export is")
    draft = submission.draft(result, include_restricted=args.include_restricted)
    copied = _write(root, target, draft, formats)
    documents = draft.documents
    restricted = sum(1 for d in documents if d.note == submission.RESTRICTED_NOTE)
    unreadable = sum(1 for d in documents if not d.copy) - restricted
    plan = len(draft.action_plan)
    print(f"drafted the DSPT submission as of {draft.as_of.isoformat()}: {len(draft.items)} "
          f"items, {draft.answered} answered; {copied} document{'s' if copied != 1 else ''} "
          f"copied, {restricted} restricted not copied (upload them yourself)"
          + (f", {unreadable} not copied (see the notes)" if unreadable else "")
          + f"; {plan} action plan line{'s' if plan != 1 else ''}.\n"
          f"Wrote {', '.join(FORMATS[f] for f in formats)} to {target}")
    return 0


def parse_formats(text: str | None) -> list[str]:
    """``md,csv,json`` (any of them, in any order) as a list without repeats."""
    chosen: list[str] = []
    for part in (text or "md,csv,json").split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in FORMATS:
            raise UsageError(f"--format '{part.strip()}' is not a format; choose from "
                             f"{', '.join(FORMATS)} (comma-separated, e.g. md,csv)")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise UsageError("--format names no format; choose from md, csv, json")
    return chosen


def _as_of(root: Path, text: str | None) -> date:
    """The date to assess: a date, ``today``, or ``deadline``: the next publication deadline
    as the position on today's date (``DSPT_AS_OF`` if set) gives it."""
    word = text.strip().lower() if text is not None else None
    if word == "today":
        return date.today()
    if word == "deadline":
        first = pipeline.run(root, assessment_date(None), history=False)
        return first.position.calendar.deadline
    if text is None:
        return assessment_date(None)
    try:
        found = parse_as_of(text)
    except UsageError as exc:
        raise UsageError(f"{exc}, or write 'today' or 'deadline'") from None
    assert found is not None
    return found


def _target(root: Path, out: Path) -> Path:
    """OUT, refused when it holds anything, is a link, or lies inside the repository."""
    if not str(out).strip() or str(out) in (".", ".."):
        raise UsageError("OUT must name a new or empty folder, such as ../submission-2027")
    target = Path(os.path.abspath(out))
    existing = next(p for p in target.parents if p.exists() or p == p.parent)
    if not existing.is_dir():
        raise Refused(f"{existing} is a file, not a folder, so {out} cannot be made there; "
                      "nothing was written")
    if target.is_symlink():
        raise Refused(f"{out} is a symbolic link; give a new or empty folder; nothing was "
                      "written")
    try:
        if target.exists() and not (target.is_dir() and not any(os.scandir(target))):
            raise Refused(f"{out} is not an empty folder; nothing was written")
    except OSError as exc:
        raise Refused(f"cannot use {out}: {exc.strerror}; nothing was written") from None
    real = Path(os.path.realpath(target))
    if real == root or root in real.parents:
        raise Refused(f"{out} is inside the repository ({root}); the export may hold "
                      "restricted documents and never writes into the repository: give a "
                      "folder outside it; nothing was written")
    if real.parent == real:
        raise Refused(f"{out} cannot be written to; nothing was written")
    return real


def _write(root: Path, target: Path, draft: submission.Submission, formats: list[str]) -> int:
    """Write everything into a new folder beside ``target``, then rename it into place."""
    parent = target.parent
    made = [p for p in (parent, *parent.parents) if not p.exists()]
    tmp: Path | None = None
    # a terminal closed or a kill mid-copy ends like Ctrl-C: the finally below tidies up, so
    # no half-written folder (perhaps with restricted documents) is left beside OUT
    stop = hangups_interrupt()
    stop.__enter__()
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.dspt-export-", dir=parent))
        renderers = {"md": submission.markdown, "csv": submission.csv_text,
                     "json": submission.json_text}
        for name in formats:
            with open(tmp / FORMATS[name], "x", encoding="utf-8", newline="") as handle:
                handle.write(renderers[name](draft))
        copied = 0
        for document in draft.documents:
            if document.copy and document.source:
                folder = tmp / submission.DOCUMENTS
                folder.mkdir(exist_ok=True)
                _copy(root, document, folder / document.name)
                copied += 1
        os.rename(tmp, target)  # replaces an empty folder; fails if anything appeared there
        tmp = None
        return copied
    except OSError as exc:
        raise Refused(f"cannot write {target}: {exc.strerror or exc}; nothing was "
                      "written") from None
    finally:
        stop.__exit__(None, None, None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
            for folder in made:  # innermost first
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _copy(root: Path, document: submission.Document, destination: Path) -> None:
    """Copy one attachment from inside the repository, never through a symbolic link, and
    only if it is still the file the check read."""
    assert document.source is not None
    full = os.path.normpath(os.path.join(root, document.source))
    if os.path.commonpath([str(root), full]) != str(root) or os.path.realpath(full) != full:
        raise Refused(f"{document.source} leaves the repository or is a symbolic link; the "
                      "export was not written")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(full, flags)
    except OSError as exc:
        raise Refused(f"cannot read {document.source}: {exc.strerror}; the export was not "
                      "written") from None
    with os.fdopen(fd, "rb") as source:
        if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
            raise Refused(f"{document.source} is not a regular file; the export was not written")
        digest = hashlib.sha256()
        with open(destination, "xb") as out:
            while chunk := source.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
    if document.sha256 and digest.hexdigest() != document.sha256:
        raise Refused(f"{document.source} changed while the export ran; run it again; the "
                      "export was not written")
