"""Rules that keep patient identifiers out of the repository."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Loc, Severity
from dsptkit.patient_data import find_nhs_numbers
from dsptkit.rules.base import Context, Result, result, rule


@rule("PD001", "patient.nhs-number", Severity.ERROR)
def nhs_numbers(ctx: Context) -> Iterator[Result]:
    """A file contains what looks like a real NHS number.

    Git history is forever: patient data must be stopped before the commit. A 10-digit
    number (plain, 3-3-4 or hyphenated) that passes the Modulus 11 check is reported when it
    is in the ranges issued to patients or next to words such as "NHS" or "patient".
    Numbers starting 999 are test numbers and are allowed. Remove or redact the number; if it
    was already committed, the history must be rewritten.
    """
    for source in ctx.report.texts:
        for match in find_nhs_numbers(source.text):
            yield result("PD001", Loc(source.path, match.line, match.col),
                         f"possible NHS number {match.masked} ({match.reason}); remove or "
                         "redact it")
