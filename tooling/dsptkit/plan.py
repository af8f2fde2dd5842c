"""Spread the year: the next 12 months of the schedule, month by month, where work piles up,
and which policy reviews could be brought forward to even it out (``dspt due --plan``).

Pure: everything comes from the one pipeline's schedule (:class:`dsptkit.due.Schedule`),
whose dates are never worked out again here. Only policy reviews are moved, because only
their dates are the organisation's choice (``next_review`` in the policy's front matter);
everything else falls due a fixed time after something that happened. A review is only
ever moved earlier, so nothing lapses: see docs/plan.md.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from dsptkit.due import DueItem, Kind, Schedule, owns
from dsptkit.model import Organisation

MONTHS = 12  # the months laid out, starting with the as-of date's
MARGIN = timedelta(days=14)  # a review is never proposed sooner than this after the as-of date
PILE_UP_FACTOR = 1.5  # a month piles up when it holds more than this times the average ...
PILE_UP_AT_LEAST = 3  # ... and at least this many items
MOVABLE = Kind.POLICY_REVIEW

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")

FIXED = ("Only policy reviews can move: their date is the organisation's to set (next_review "
         "in the policy's front matter), and a review is only ever brought forward, so nothing "
         "lapses. Everything else falls due a fixed time after something that happened "
         "(evidence collected, training completed, a check or review done); to spread those, "
         "do them early in a quiet month, and the next one falls due earlier too.")


@dataclass(frozen=True)
class Month:
    start: date  # the first day of the month
    items: tuple[DueItem, ...]  # not overdue, dated in this month, soonest first
    pile_up: bool  # holds well above the average (see ``piles_up``)
    after: int  # how many items it would hold after the proposed moves

    @property
    def label(self) -> str:
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def name(self) -> str:
        return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"

    @property
    def end(self) -> date:
        return _month_end(self.start)

    @property
    def load(self) -> int:
        return len(self.items)

    @property
    def by_kind(self) -> dict[str, int]:
        return kinds(self.items)


@dataclass(frozen=True)
class Move:
    item: DueItem  # the policy review as the schedule has it
    to: date  # the proposed review date: earlier than ``item.when``
    why: str  # one line

    @property
    def policy(self) -> str:
        return self.item.policy or self.item.subject

    @property
    def current(self) -> date:
        assert self.item.when is not None
        return self.item.when


@dataclass(frozen=True)
class YearPlan:
    as_of: date
    owner: str | None  # the --owner the plan was made for, as given
    months: tuple[Month, ...]  # MONTHS of them, the as-of date's first
    overdue: tuple[DueItem, ...]  # already overdue: do these first, nothing to spread
    undated: tuple[DueItem, ...]  # not overdue, with no date (an incident action with none)
    later: tuple[DueItem, ...]  # falling due after the last month
    moves: tuple[Move, ...]  # the proposed spread, soonest new date first

    @property
    def total(self) -> int:
        return sum(month.load for month in self.months)

    @property
    def average(self) -> float:
        return self.total / len(self.months)

    @property
    def target(self) -> int:
        """The load a month should not exceed: the average rounded up, at least 1."""
        return target(self.total, len(self.months))

    @property
    def earliest(self) -> date:
        """No review is proposed sooner than this."""
        return self.as_of + MARGIN

    @property
    def pile_ups(self) -> tuple[Month, ...]:
        return tuple(month for month in self.months if month.pile_up)

    @property
    def threshold(self) -> float:
        """A month piles up when it holds more than this (and at least PILE_UP_AT_LEAST)."""
        return PILE_UP_FACTOR * self.average


def target(total: int, months: int = MONTHS) -> int:
    return max(1, math.ceil(total / months))


def piles_up(load: int, average: float) -> bool:
    """The pile-up rule: at least 3 items, and more than one and a half times the average
    month of the 12."""
    return load >= PILE_UP_AT_LEAST and load > PILE_UP_FACTOR * average


def kinds(items: tuple[DueItem, ...] | list[DueItem]) -> dict[str, int]:
    """How many items of each kind, most first (then by name)."""
    counted = Counter(item.kind.value for item in items)
    return dict(sorted(counted.items(), key=lambda pair: (-pair[1], pair[0])))


def plan(schedule: Schedule, owner: str | None = None,
         organisation: Organisation | None = None) -> YearPlan:
    """The year from the schedule's as-of date; with ``owner`` (a person id or role), only
    that owner's items are laid out, and only their policies' reviews moved."""
    as_of = schedule.as_of
    items = [item for item in schedule.items
             if owner is None or owns(item, owner, organisation)]
    starts = [_add_months(as_of.replace(day=1), n) for n in range(MONTHS)]
    last = _month_end(starts[-1])
    index = {(s.year, s.month): n for n, s in enumerate(starts)}
    overdue = tuple(item for item in items if item.overdue)
    undated = tuple(item for item in items if not item.overdue and item.when is None)
    later = tuple(item for item in items
                  if not item.overdue and item.when is not None and item.when > last)
    per_month: list[list[DueItem]] = [[] for _ in starts]
    for item in items:
        if not item.overdue and item.when is not None and as_of.replace(day=1) <= item.when <= last:
            per_month[index[(item.when.year, item.when.month)]].append(item)
    loads = [len(month) for month in per_month]
    moves = spread(per_month, starts, as_of)
    after = list(loads)
    for move in moves:
        assert move.item.when is not None
        after[index[(move.item.when.year, move.item.when.month)]] -= 1
        after[index[(move.to.year, move.to.month)]] += 1
    average = sum(loads) / MONTHS
    months = tuple(Month(start, tuple(found), piles_up(len(found), average), moved)
                   for start, found, moved in zip(starts, per_month, after, strict=True))
    return YearPlan(as_of, owner, months, overdue, undated, later,
                    tuple(sorted(moves, key=lambda m: (m.to, m.policy))))


def spread(per_month: list[list[DueItem]], starts: list[date], as_of: date) -> list[Move]:
    """The greedy spread: each policy review in a month that piles up, while that month is
    still over the target (latest review first), moves to the nearest earlier month under
    the target, on the same day of the month (the month's last day when it has fewer), never
    sooner than ``as_of`` + MARGIN; when no earlier month has room, it stays. A month that
    is over the target but does not pile up is left alone: a review brought months forward
    to take one item out of an ordinary month costs more than it saves."""
    loads = [len(month) for month in per_month]
    limit = target(sum(loads), len(loads))
    average = sum(loads) / len(loads)
    piled = [piles_up(load, average) for load in loads]
    earliest = as_of + MARGIN
    reviews = sorted(((n, item) for n, month in enumerate(per_month) for item in month
                      if item.kind is MOVABLE and item.when is not None),
                     key=lambda pair: (pair[1].when, pair[1].subject), reverse=True)
    moves: list[Move] = []
    for source, item in reviews:
        assert item.when is not None
        if not piled[source] or loads[source] <= limit:
            continue
        for dest in range(source - 1, -1, -1):
            if _month_end(starts[dest]) < earliest:
                break  # this month and every one before it are too soon
            if loads[dest] >= limit:
                continue
            day = min(item.when.day, calendar.monthrange(starts[dest].year, starts[dest].month)[1])
            when = max(starts[dest].replace(day=day), earliest)
            if not when < item.when:  # cannot happen: an earlier month; kept as the invariant
                continue
            why = (f"{_name(starts[source])} holds {loads[source]} items, over {limit}; "
                   f"{_name(starts[dest])} holds {loads[dest]}")
            moves.append(Move(item, when, why))
            loads[source] -= 1
            loads[dest] += 1
            break
    return moves


def command(moves: tuple[Move, ...], as_of: date | None = None,
            repo: str | None = None) -> str | None:
    """The exact command that applies the moves (None when there are none)."""
    if not moves:
        return None
    import shlex

    words = ["dspt", "due"]
    if repo is not None:
        words += ["--repo", shlex.quote(repo)]
    if as_of is not None:
        words += ["--as-of", as_of.isoformat()]
    words.append("--apply")
    words += [shlex.quote(f"{move.policy}={move.to.isoformat()}") for move in moves]
    return " ".join(words)


def _add_months(start: date, months: int) -> date:
    total = start.year * 12 + start.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def _month_end(start: date) -> date:
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _name(start: date) -> str:
    return f"{MONTH_NAMES[start.month - 1]} {start.year}"
