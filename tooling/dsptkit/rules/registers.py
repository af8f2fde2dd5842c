"""Rules computed from the living registers: training, assets, suppliers, register reviews."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Loc
from dsptkit.rules.base import Context, Result, result, rule
from dsptkit.standing import Checked, Support


@rule("RG101")
def training_below_the_bar(ctx: Context) -> Iterator[Result]:
    """Fewer than 95% of current people completed training in the last 12 months."""
    training = ctx.position.training
    if training.met is not False:
        return
    done, total = training.trained, len(training.people)
    missing = ", ".join(sorted(p.id for p in training.missing)[:6])
    where = training.register.loc if training.register else Loc("evidence/registers/training.yaml")
    yield result("RG101", where, f"{done} of {total} current people ({100 * done // total}%) "
                                 f"completed training since {training.since.isoformat()}, under "
                                 f"the 95% bar; not in date: {missing}", items=("dspt:3.2.1",))


@rule("RG102")
def unsupported_assets(ctx: Context) -> Iterator[Result]:
    """An asset in the register is past the end of its vendor support."""
    for state in ctx.position.assets:
        asset = state.asset
        if state.support is Support.UNSUPPORTED and asset.supported_until is not None:
            yield result("RG102", asset.loc, f"asset '{asset.name}' has been out of vendor "
                                             f"support since {asset.supported_until.isoformat()}",
                         subject=asset.name, items=("dspt:8.1.4",))


@rule("RG103")
def suppliers_not_checked(ctx: Context) -> Iterator[Result]:
    """A supplier has not been checked in the last 12 months, or ever."""
    for state in ctx.position.suppliers:
        supplier = state.supplier
        if state.checked is Checked.NEVER:
            yield result("RG103", supplier.loc, f"supplier '{supplier.name}' has never been "
                                                "checked",
                         subject=supplier.name, items=("dspt:10.2.1",))
        elif state.checked is Checked.OVERDUE and supplier.checked is not None:
            yield result("RG103", supplier.loc, f"supplier '{supplier.name}' was last checked on "
                                                f"{supplier.checked.isoformat()}, over 12 months "
                                                "ago",
                         subject=supplier.name, items=("dspt:10.2.1",))


@rule("RG104")
def registers_not_reviewed(ctx: Context) -> Iterator[Result]:
    """A register's `reviewed` date is more than 12 months old."""
    for state in ctx.position.registers:
        register = state.register
        if state.overdue and register.reviewed is not None:
            yield result("RG104", register.reviewed_loc or register.loc,
                         f"the {register.kind} register was last reviewed on "
                         f"{register.reviewed.isoformat()}, over 12 months ago",
                         subject=register.kind)


