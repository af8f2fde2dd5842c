"""Durations as people write them in front matter: ``90d``, ``12w``, ``6m``, ``1y`` or ISO 8601."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_SHORT = re.compile(r"^\s*(\d+)\s*([dwmy])\s*$", re.IGNORECASE)
_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Duration:
    """A calendar duration: months move by calendar month, days by day."""

    months: int = 0
    days: int = 0
    text: str = ""

    def after(self, start: date) -> date:
        """The date this duration after ``start`` (31 Jan + 1m = 28/29 Feb)."""
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
    """Parse ``90d``/``12w``/``6m``/``1y`` or ISO 8601 ``P90D``/``P1Y6M``; None if not a duration."""
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
