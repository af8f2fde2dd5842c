"""Rules that keep patient identifiers out of the repository."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Loc
from dsptkit.patient_data import find_nhs_numbers
from dsptkit.rules.base import Context, Result, result, rule


@rule("PD001")
def nhs_numbers(ctx: Context) -> Iterator[Result]:
    """A file contains what looks like a real NHS number."""
    for source in ctx.report.texts:
        for match in find_nhs_numbers(source.text):
            yield result("PD001", Loc(source.path, match.line, match.col),
                         f"possible NHS number {match.masked} ({match.reason}); remove or "
                         "redact it")
