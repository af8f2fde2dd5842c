"""Rules about stated dates."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Severity
from dsptkit.rules.base import Context, Result, result, rule


@rule("DT001", "date.future", Severity.ERROR)
def future_dates(ctx: Context) -> Iterator[Result]:
    """A collection, approval or review date is later than today.

    Evidence cannot be collected, nor a policy approved, in the future; a future date is
    usually a typo in the year, and would make stale evidence look current.
    """
    for dated in ctx.report.dates:
        if dated.value > ctx.today:
            yield result("DT001", dated.loc, f"'{dated.name}' is {dated.value.isoformat()}, "
                                             f"after today ({ctx.today.isoformat()})")
