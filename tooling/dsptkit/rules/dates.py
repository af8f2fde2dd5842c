"""Rules about stated dates."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.rules.base import Context, Result, result, rule


@rule("DT001")
def future_dates(ctx: Context) -> Iterator[Result]:
    """A collection, approval or review date is later than today."""
    for dated in ctx.report.dates:
        if dated.value > ctx.today:
            yield result("DT001", dated.loc, f"'{dated.name}' is {dated.value.isoformat()}, "
                                             f"after today ({ctx.today.isoformat()})")
