"""Rules that tie the data map together: each reports the gaps of its code that
``dsptkit.datamap`` found while resolving the map (built once per run, on the position)."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.rules.base import Context, Result, result, rule


def _gaps(ctx: Context, code: str) -> Iterator[Result]:
    incomplete, broken = ctx.report.incomplete, ctx.report.broken_ids
    for gap in ctx.position.datamap.gaps:
        if gap.code != code or gap.needs & incomplete or (gap.ref and gap.ref in broken):
            continue
        yield result(code, gap.loc, gap.message, subject=gap.subject, items=gap.items)


@rule("DM001")
def unknown_references(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM001")


@rule("DM101")
def supplier_contracts(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM101")


@rule("DM102")
def patient_supplier_subprocessors(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM102")


@rule("DM103")
def patient_assets_incomplete(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM103")


@rule("DM104")
def lawful_basis(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM104")


@rule("DM105")
def transfers_without_safeguard(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM105")


@rule("DM106")
def unsupported_systems_with_patient_data(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM106")


@rule("DM107")
def registers_not_approved(ctx: Context) -> Iterator[Result]:
    return _gaps(ctx, "DM107")
