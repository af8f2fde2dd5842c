"""The position month by month: from today's files by their stated dates, and from the
files as they were committed at each month's end (read from git objects)."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time

from dsptkit.history import GitTree, History, month_end_commits
from dsptkit.model import Repository
from dsptkit.portal.pages import TimelinePoint
from dsptkit.repository import load_repository
from dsptkit.status import compute_position


def month_ends(as_of: date, months: int) -> list[date]:
    ends = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        last = date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(last, as_of))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return sorted(ends)


def _met(repo: Repository, when: date) -> int:
    position = compute_position(repo, when)
    return sum(1 for s in position.items.values()
               if s.mandatory and not s.waived and s.status.is_met)


def build_timeline(repo: Repository, root: str, as_of: date, history: History | None,
                   months: int = 12) -> list[TimelinePoint]:
    ends = month_ends(as_of, months)
    recorded: dict[date, int] = {}
    if history is not None and history.available:
        moments = {end: datetime.combine(end, time(23, 59, 59), tzinfo=UTC)
                   for end in ends}
        commits = month_end_commits(history, list(moments.values()))
        loaded: dict[str, Repository] = {}
        for end, moment in moments.items():
            commit = commits.get(moment)
            if commit is None:
                continue
            if commit.sha not in loaded:
                loaded[commit.sha] = load_repository(root, GitTree(root, commit.sha))
            recorded[end] = _met(loaded[commit.sha], end)
    return [TimelinePoint(end.strftime("%Y-%m"), _met(repo, end), recorded.get(end))
            for end in ends]
