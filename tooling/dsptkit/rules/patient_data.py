"""Rules that keep patient identifiers out of the repository."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Loc
from dsptkit.patient_data import scan_text
from dsptkit.rules.base import Context, Result, result, rule


@rule("PD001")
def nhs_numbers(ctx: Context) -> Iterator[Result]:
    """A file contains what looks like a real NHS number.

    The loader records every file git would commit under the content folders: a Markdown or
    YAML file with its text, scanned here; any other file with what was found while it was
    streamed (so a large attachment is never held whole)."""
    for source in ctx.report.texts:
        found = source.found if source.found is not None else scan_text(source.text)
        for match in found.matches:
            yield result("PD001", Loc(source.path, match.line, match.col),
                         f"possible NHS number {match.masked} ({match.reason}); remove or "
                         "redact it")
        if found.total > len(found.matches):
            last = found.matches[-1]
            yield result("PD001", Loc(source.path, last.line, last.col),
                         f"{found.total - len(found.matches):,} more possible NHS numbers "
                         f"after line {last.line} are not listed; remove or redact them all")
