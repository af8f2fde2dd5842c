"""Rules computed from the living registers: training, assets, suppliers, register reviews."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Incident, Loc, Person, TrainingRecord
from dsptkit.rules.base import Context, Result, result, rule
from dsptkit.standing import Checked, Support


@rule("RG001")
def inconsistent_registers(ctx: Context) -> Iterator[Result]:
    """A register entry contradicts itself or another."""
    people = ctx.repo.people
    for person in ctx.repo.entries("people"):
        if isinstance(person, Person) and person.started and person.left and \
                person.left < person.started:
            yield result("RG001", person.loc, f"{person.id} left on {person.left.isoformat()}, "
                                              f"before starting on {person.started.isoformat()}",
                         subject=person.id)
    if "people" in ctx.repo.registers:
        for record in ctx.repo.entries("training"):
            if isinstance(record, TrainingRecord) and record.person not in people:
                yield result("RG001", record.loc, f"training recorded for '{record.person}', who "
                                                  "is not in the people register",
                             subject=record.person)
    seen: dict[str, Loc] = {}
    for incident in ctx.repo.entries("incidents"):
        if not isinstance(incident, Incident):
            continue
        if incident.id in seen:
            first = seen[incident.id]
            yield result("RG001", incident.loc, f"incident id {incident.id} is used twice (first "
                                                f"at line {first.line})", subject=incident.id)
        seen.setdefault(incident.id, incident.loc)
        if incident.closed and incident.closed < incident.date:
            yield result("RG001", incident.loc, f"incident {incident.id} closed on "
                                                f"{incident.closed.isoformat()}, before it "
                                                f"happened on {incident.date.isoformat()}",
                         subject=incident.id)


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


