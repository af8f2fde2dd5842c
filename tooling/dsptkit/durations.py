"""Durations as people write them in front matter: ``90d``, ``12w``, ``6m``, ``1y`` or ISO 8601.

What is accepted, exactly: a whole number and a unit (``d``, ``w``, ``m``, ``y``, either case,
spaces allowed around them), or ISO 8601 years, months, weeks and days (``P1Y6M``, ``p90d``),
not zero, with no number longer than 100 years (100y, 1200m, 5217w, 36525d). Only ASCII
digits count, and only spaces around the parts (not tabs or line breaks).

``DURATION_PATTERN`` is the same rule as a JSON Schema ``pattern`` (the subset of ECMA-262
every validator reads alike), so editors and standard validators accept exactly what
``parse_duration`` does; tests/test_schemas.py holds them to it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_SHORT = re.compile(r" *([0-9]+) *([dwmy]) *\Z", re.IGNORECASE | re.ASCII)
_ISO = re.compile(r" *P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)W)?(?:([0-9]+)D)? *\Z", re.IGNORECASE | re.ASCII)
# No DSPT cadence is longer than 100 years, and larger values overflow the calendar: no number
# may say more than 100 years in its own unit.
LIMITS = {"y": 100, "m": 1200, "w": 5217, "d": 36525}
_MAX_Y, _MAX_M, _MAX_W, _MAX_D = LIMITS.values()

# The same rule as a regular expression, for the JSON Schemas. Each number is 0 up to its unit's
# limit, leading zeros allowed; a look-ahead refuses zero (a short form's number, or every
# number of an ISO form). The schema files hold the result verbatim (tests/test_schemas.py).
_S = " *"
_UPTO = {
    "y": "0*(?:100|[1-9]?[0-9])",
    "m": "0*(?:1200|1[01][0-9][0-9]|[1-9]?[0-9]?[0-9])",
    "w": "0*(?:521[0-7]|520[0-9]|5[01][0-9][0-9]|[1-4][0-9][0-9][0-9]|[1-9]?[0-9]?[0-9])",
    "d": "0*(?:3652[0-5]|365[01][0-9]|36[0-4][0-9][0-9]|3[0-5][0-9][0-9][0-9]|[12][0-9][0-9][0-9][0-9]"
         "|[1-9]?[0-9]?[0-9]?[0-9])",
}
DURATION_PATTERN = (
    f"^{_S}(?:(?=0*[1-9])(?:"
    + "|".join(f"{_UPTO[u]}{_S}[{u}{u.upper()}]" for u in "dwmy")
    + ")|[pP](?=[^1-9]*[1-9])"
    + "".join(f"(?:{_UPTO[u]}[{u}{u.upper()}])?" for u in "ymwd")
    + f"){_S}$"
)


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
    duration, if zero, or if a number is longer than 100 years."""
    match = _SHORT.match(text)
    if match:  # the usual form, read without building the four counts
        digits, unit = match.groups()
        unit = unit.lower()
        count = _number(digits, unit)
        if not 0 < count <= LIMITS[unit]:
            return None
        if unit == "d":
            return Duration(days=count, text=text.strip(" "))
        if unit == "w":
            return Duration(days=7 * count, text=text.strip(" "))
        return Duration(months=count if unit == "m" else 12 * count, text=text.strip(" "))
    counts = _counts(text)
    if counts is None:
        return None
    years, months, weeks, days = counts
    if not (years or months or weeks or days) or years > _MAX_Y or months > _MAX_M or weeks > _MAX_W or \
            days > _MAX_D:
        return None
    return Duration(months=12 * years + months, days=7 * weeks + days, text=text.strip(" "))


def is_duration(text: str) -> bool:
    """Written as a duration, whatever its length (to tell "too long" from "not a duration")."""
    counts = _counts(text)
    return counts is not None and any(counts)


def is_zero_duration(text: str) -> bool:
    """Written as a duration of nothing (0d, P0D)."""
    counts = _counts(text)
    return counts is not None and not any(counts)


_UNITS = {"y": 0, "m": 1, "w": 2, "d": 3}


def _counts(text: str) -> tuple[int, int, int, int] | None:
    """The number of years, months, weeks and days written, or None if ``text`` is not written
    as a duration. A number of more than six digits counts as one past its limit (int() of
    thousands of digits is slow, and refused beyond Python's limit)."""
    match = _SHORT.match(text)
    if match:
        counts = [0, 0, 0, 0]
        counts[_UNITS[match.group(2).lower()]] = _number(match.group(1), match.group(2).lower())
        return tuple(counts)  # type: ignore[return-value]
    match = _ISO.match(text)
    if not match or not any(match.groups()):
        return None
    return tuple(_number(digits, unit) if digits else 0  # type: ignore[return-value]
                 for unit, digits in zip("ymwd", match.groups(), strict=True))


def _number(digits: str, unit: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= 6 else LIMITS[unit] + 1
