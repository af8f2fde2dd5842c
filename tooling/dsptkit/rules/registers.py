"""Rules computed from the living registers: training, assets, suppliers, register reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dsptkit.durations import Duration
from dsptkit.model import Loc, Severity
from dsptkit.rules.base import Context, Result, result, rule

TRAINING_BAR = 0.95
YEAR = Duration(months=12, text="12 months")


@rule("RG101", "register.training-below-95", Severity.FINDING)
def training_below_the_bar(ctx: Context) -> Iterator[Result]:
    """Fewer than 95% of current people completed training in the last 12 months.

    The DSPT asks that at least 95% of staff (directors, trustees and volunteers included)
    completed data security training in the 12 months before publication. Current people
    come from the people register (started, and not yet left); completions from the
    training register.
    """
    people = [p for p in ctx.repo.people.values()
              if (p.started is None or p.started <= ctx.as_of)
              and (p.left is None or p.left > ctx.as_of)]
    training = ctx.repo.registers.get("training")
    if not people:
        return
    since = YEAR.before(ctx.as_of)
    trained = {entry.get("person") for entry in (training.entries if training else ())
               if isinstance(entry.get("completed"), date)
               and since <= entry["completed"] <= ctx.as_of}
    done = sum(1 for p in people if p.id in trained)
    if done / len(people) < TRAINING_BAR:
        missing = ", ".join(sorted(p.id for p in people if p.id not in trained)[:6])
        where = training.loc if training else Loc("evidence/registers/training.yaml")
        yield result("RG101", where, f"{done} of {len(people)} current people "
                                     f"({100 * done // len(people)}%) completed training since "
                                     f"{since.isoformat()}, under the 95% bar; not in date: "
                                     f"{missing}", items=("dspt:3.2.1",))


@rule("RG102", "register.unsupported-asset", Severity.FINDING)
def unsupported_assets(ctx: Context) -> Iterator[Result]:
    """An asset in the register is past the end of its vendor support.

    Unsupported systems stop getting security fixes. Replace it, or record why it stays
    and how the risk is managed, accepted by the SIRO (DSPT 8.2.1), and waive this finding
    for that asset (`subject:` the asset's name) until it goes.
    """
    assets = ctx.repo.registers.get("assets")
    for entry, loc in zip(assets.entries if assets else (), assets.entry_locs if assets else (),
                          strict=False):
        until = entry.get("supported_until")
        if isinstance(until, date) and until < ctx.as_of:
            yield result("RG102", loc, f"asset '{entry.get('name')}' has been out of vendor "
                                       f"support since {until.isoformat()}",
                         subject=str(entry.get("name")), items=("dspt:8.1.4",))


@rule("RG103", "register.supplier-unchecked", Severity.FINDING)
def suppliers_not_checked(ctx: Context) -> Iterator[Result]:
    """A supplier has not been checked in the last 12 months, or ever.

    Check each supplier's contract terms and certification every year and record the date
    in `checked`.
    """
    suppliers = ctx.repo.registers.get("suppliers")
    since = YEAR.before(ctx.as_of)
    for entry, loc in zip(suppliers.entries if suppliers else (),
                          suppliers.entry_locs if suppliers else (), strict=False):
        checked = entry.get("checked")
        if not isinstance(checked, date):
            yield result("RG103", loc, f"supplier '{entry.get('name')}' has never been checked",
                         subject=str(entry.get("name")), items=("dspt:10.2.1",))
        elif checked < since:
            yield result("RG103", loc, f"supplier '{entry.get('name')}' was last checked on "
                                       f"{checked.isoformat()}, over 12 months ago",
                         subject=str(entry.get("name")), items=("dspt:10.2.1",))


@rule("RG104", "register.review-overdue", Severity.FINDING)
def registers_not_reviewed(ctx: Context) -> Iterator[Result]:
    """A register's `reviewed` date is more than 12 months old.

    Registers are evidence too: the DSPT expects the asset register and the record of
    processing to have been reviewed within the last 12 months. Review it and update
    `reviewed`.
    """
    since = YEAR.before(ctx.as_of)
    for register in ctx.repo.registers.values():
        if register.reviewed is not None and register.reviewed < since:
            yield result("RG104", register.reviewed_loc or register.loc,
                         f"the {register.kind} register was last reviewed on "
                         f"{register.reviewed.isoformat()}, over 12 months ago",
                         subject=register.kind)


