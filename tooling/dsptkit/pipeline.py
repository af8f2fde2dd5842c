"""The one pipeline, in the spirit of flake8's ``Application``: load the repository once,
read git history once, compute the position, run the rules, for one repository and one
as-of date.

Every command (``check``, ``status``, ``diff`` on both sides, ``history`` at each point,
``snapshot``, ``portal export``) and the MkDocs plugin get their facts from :func:`run` and
nothing else, so they cannot disagree. ``--as-of`` and ``DSPT_AS_OF`` are read by
:func:`parse_as_of` alone.
"""

from __future__ import annotations

import calendar
import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

from dsptkit.asof import AS_OF_VARIABLE, assessment_date, parse_as_of
from dsptkit.engine import CheckRun, assess, run_check
from dsptkit.errors import RepositoryError, UsageError

if TYPE_CHECKING:
    from dsptkit.git import Commit, History

__all__ = ["AS_OF_VARIABLE", "WORKTREE", "assessment_date", "parse_as_of", "refuse_errors", "run"]
from dsptkit.model import Repository
from dsptkit.repository import Tree, load
from dsptkit.status import Position

WORKTREE = None  # the revision that means "the files as they are now"


def run(root: str | os.PathLike[str], as_of: str | date | None = None, *,
        revision: str | None = WORKTREE, select: Iterable[str] | None = None,
        ignore: Iterable[str] = (), history: bool = True, tree: Tree | None = None,
        staged: bool = False) -> CheckRun:
    """Load → history → position → rules for the repository at ``root``.

    ``revision`` (a branch, tag or commit) reads the files as committed there, from git
    objects, with the history up to that commit; None reads the working tree with the
    history up to HEAD and uncommitted policy edits. ``history=False`` skips git (the HI
    rules are then not run, and the run's notes say so). ``tree`` supplies the files from
    elsewhere (a writing command's plan laid over the working tree), without history.
    ``staged`` reads the files from git's index, as the next commit would hold them (an
    :class:`~dsptkit.git.IndexTree`), with the history up to HEAD and the staged policy edits.
    """
    from dsptkit.git import policy_changes, read_history, resolve_revision

    root = Path(root)
    when = assessment_date(as_of)
    if staged:
        from dsptkit.git import IndexTree

        repo, report = load(root, IndexTree(root))
        found = read_history(root) if history and _history_wanted(repo) else None
        changes = policy_changes(root, found, staged=True) if found is not None else {}
    elif tree is not None:
        repo, report = load(root, tree)
        found, changes = None, {}
    elif revision is WORKTREE:
        repo, report = load(root)
        found = read_history(root) if history and _history_wanted(repo) else None
        changes = policy_changes(root, found, worktree=True) if found is not None else {}
    else:
        sha = resolve_revision(root, revision)
        if sha is None:
            raise UsageError(f"'{revision}' is not a commit in this repository (try a branch, "
                             "tag or commit id; in a shallow clone, fetch more history)")
        repo, report = _load_at(str(root), sha)
        found = read_history(root, sha) if history and _history_wanted(repo) else None
        changes = policy_changes(root, found, worktree=False) if found is not None else {}
    return run_check(repo, report, when, date.today(), select, ignore, found, changes, revision)


def _history_wanted(repo: Repository) -> bool:
    """Git history is read unless organisation.yaml says not to, or cannot be read (then
    whether it would have said so is unknown: the run's notes say the HI rules did not run)."""
    return repo.organisation is not None and repo.settings.history


@functools.lru_cache(maxsize=4)
def _load_at(root: str, sha: str):  # type: ignore[no-untyped-def]
    """A commit's files never change, so consecutive points in time that fall on the same
    commit share one load."""
    from dsptkit.git import GitTree

    return load(root, GitTree(root, sha))


@dataclass(frozen=True)
class Point:
    """A moment to assess from git: a label, the commit holding the files, the date."""

    label: str  # "2026-03" or "2026-03-14"
    commit: Commit
    as_of: date


def points_in_time(history: History, as_of: date, limit: int, by: str = "month") -> list[Point]:
    """The month ends (or the last ``limit`` commits) up to ``as_of``, each with the newest
    commit made by then; months with no commit yet are left out."""
    from dsptkit.git import month_end_commits

    if by == "commit":
        return [Point(c.committed.date().isoformat(), c, c.committed.date())
                for c in reversed(history.commits[:limit])]
    ends = month_ends(as_of, limit)
    moments = [datetime.combine(end, time(23, 59, 59), tzinfo=UTC) for end in ends]
    commits = month_end_commits(history, moments)
    return [Point(end.strftime("%Y-%m"), commits[moment], end)
            for end, moment in zip(ends, moments, strict=True) if moment in commits]


def month_ends(as_of: date, months: int) -> list[date]:
    """The last day of each of the ``months`` months up to ``as_of`` (``as_of`` itself for
    the month it falls in), oldest first."""
    ends = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        last = date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, as_of))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(ends)


def reassess(result: CheckRun, as_of: date) -> Position:
    """The position of a run's own files on another date (the chart's reconstructed line)."""
    return assess(result.repo, as_of)


def refuse_errors(result: CheckRun, action: str) -> None:
    """Stop a command that publishes or exports when the run has errors (exit 1)."""
    if result.errors:
        raise RepositoryError(f"the repository has {result.errors} error(s); {action} refused "
                              "until they are fixed (run 'dspt check' to see them); nothing "
                              "was written")
