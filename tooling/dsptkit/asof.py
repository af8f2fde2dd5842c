"""The one reader of assessment dates: ``--as-of``, ``DSPT_AS_OF`` and the plugin's ``as_of``."""

from __future__ import annotations

import argparse
import os
from datetime import date

from dsptkit.errors import UsageError

AS_OF_VARIABLE = "DSPT_AS_OF"
# the last assessment date: a year and more beyond it is still a date Python can hold
LAST_AS_OF = date(9998, 12, 31)


def parse_as_of(text: str | date | None, source: str = "--as-of") -> date | None:
    """A ``YYYY-MM-DD`` assessment date, or None when none is given.

    ``source`` names where the text came from (``--as-of``, ``DSPT_AS_OF``, the plugin's
    ``as_of``) so a mistake is reported against the place the user wrote it.
    """
    if text is None:
        return None
    if isinstance(text, date):
        parsed = text
    else:
        value = text.strip()
        try:
            if len(value) != 10:
                raise ValueError
            parsed = date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"{source} '{text}' is not a date; write YYYY-MM-DD, e.g. "
                             "2027-06-30") from None
    if parsed.year < 1900:
        raise UsageError(f"{source} '{text}' is before 1900; no DSPT assessment is that old")
    if parsed > LAST_AS_OF:
        raise UsageError(f"{source} '{text}' is after {LAST_AS_OF}; the position looks up to a "
                         "year ahead (the next deadline, what falls due), which the calendar "
                         "cannot hold beyond that")
    return parsed


def assessment_date(given: str | date | None = None, source: str = "--as-of") -> date:
    """The date to assess: the one given, else ``DSPT_AS_OF``, else today."""
    chosen = parse_as_of(given, source)
    if chosen is None:
        chosen = parse_as_of(os.environ.get(AS_OF_VARIABLE) or None, AS_OF_VARIABLE)
    return chosen or date.today()


def argument(text: str) -> date:
    """``type=`` for argparse: the same parser, its message as a usage error."""
    try:
        parsed = parse_as_of(text)
    except UsageError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("--as-of ", "", 1)) from None
    assert parsed is not None
    return parsed
