"""Durations as people write them in front matter: ``90d``, ``12w``, ``6m``, ``1y`` or ISO 8601."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_SHORT = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
MAX_MONTHS = 100 * 12  # no cadence in the DSPT is longer; larger values overflow the calendar
_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    """A calendar duration: months move by calendar month, days by day."""

    months: int = 0
    days: int = 0
    text: str = ""

    def after(self, start: date) -> date:
        """The date this duration after ``start`` (31 Jan + 1m = 28/29 Feb); past the end of
        the calendar it stays at its last (or first) day rather than overflowing."""
        try:
            return self._after(start)
        except (OverflowError, ValueError):
            return date.max if (self.months, self.days) > (0, 0) else date.min

    def _after(self, start: date) -> date:
        if self.months:
            month_index = start.month - 1 + self.months
            year = start.year + month_index // 12
            month = month_index % 12 + 1
            day = min(start.day, calendar.monthrange(year, month)[1])
            start = date(year, month, day)
        return start + timedelta(days=self.days)

    def before(self, end: date) -> date:
        """The date this duration before ``end``."""
        back = Duration(months=-self.months, days=-self.days)
        return back.after(end)

    def __str__(self) -> str:
        return self.text or f"P{self.months}M{self.days}D"


def parse_duration(text: str) -> Duration | None:
    """Parse ``90d``/``12w``/``6m``/``1y`` or ISO 8601 ``P90D``/``P1Y6M``; None if not a
    duration, or longer than 100 years."""
    found = _parse(text)
    if found is None or found.months + found.days // 31 > MAX_MONTHS:
        return None
    return found


def is_duration(text: str) -> bool:
    """Written as a duration, whatever its length (to tell "too long" from "not a duration")."""
    return bool(_SHORT.match(text) or _ISO.match(text.strip()))


def _parse(text: str) -> Duration | None:
    if len(text) > 40:
        return None
    match = _SHORT.match(text)
    if match:
        count, unit = int(match.group(1)), match.group(2).lower()
        if count == 0:
            return None
        if unit == "d":
            return Duration(days=count, text=text.strip())
        if unit == "w":
            return Duration(days=7 * count, text=text.strip())
        if unit == "m":
            return Duration(months=count, text=text.strip())
        return Duration(months=12 * count, text=text.strip())
    match = _ISO.match(text.strip())
    if match and any(match.groups()):
        years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
        if years == months == weeks == days == 0:
            return None
        return Duration(months=12 * years + months, days=7 * weeks + days, text=text.strip())
    return None
