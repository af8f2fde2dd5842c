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
    yield from _acknowledgement_conflicts(ctx)
    # incident actions: none can be done before the incident or near miss it follows
    for incident in ctx.repo.entries("incidents"):
        for action in incident.actions if isinstance(incident, Incident) else ():
            if action.done is not None and action.done < incident.date:
                kind = "near miss" if incident.near_miss else "incident"
                yield result("RG001", action.loc,
                             f"action {action.index + 1} of {kind} {incident.id} was done on "
                             f"{action.done.isoformat()}, before the {kind} happened on "
                             f"{incident.date.isoformat()}", subject=incident.id)


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


# -- RG001: the acknowledgements register (staff sign-off) -----------------------------------

def _acknowledgement_conflicts(ctx: Context) -> Iterator[Result]:
    """An acknowledgement by someone not in the people register, of a policy that does not
    exist, or dated after the person left. Acknowledging before one's start (signing at
    induction), the same version twice, a draft or a policy that does not ask are harmless and
    not reported; a date after today is DT001's."""
    from dsptkit.model import Acknowledgement, one_line

    repo = ctx.repo
    policies = {p.id for p in repo.policies}
    check_policies = "policies" not in ctx.report.incomplete  # an unread file may hold it
    for entry in repo.entries("acknowledgements"):
        if not isinstance(entry, Acknowledgement):
            continue
        person = repo.people.get(entry.person)
        if person is None and "people" in repo.registers:
            yield result("RG001", entry.loc, f"acknowledgement by '{one_line(entry.person)}', "
                                             "who is not in the people register"
                                             f"{_near(entry.person, _people_names(repo))}",
                         subject=entry.person)
        elif person is not None and person.left is not None and entry.date > person.left:
            yield result("RG001", entry.loc, f"{one_line(entry.person)} acknowledged "
                                             f"{one_line(entry.policy)} on "
                                             f"{entry.date.isoformat()}, after leaving on "
                                             f"{person.left.isoformat()}",
                         subject=entry.person)
        if check_policies and entry.policy not in policies and \
                entry.policy not in ctx.report.broken_ids:
            titles = {p.id: p.title for p in repo.policies}
            yield result("RG001", entry.loc, f"acknowledgement of policy "
                                             f"'{one_line(entry.policy)}', which does not exist"
                                             f"{_near(entry.policy, titles)}",
                         subject=entry.person)


def _people_names(repo) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {p.id: p.name for p in repo.people.values()}


def _near(written: str, names: dict[str, str]) -> str:
    """A "did you mean" for an unknown id: the id whose name is what was written (a name
    where the id belongs), else the closest id."""
    import difflib

    from dsptkit.datamap import key
    from dsptkit.model import one_line

    wanted = key(written)
    for ident, name in names.items():
        if key(name) == wanted or key(ident) == wanted:
            return f" (did you mean '{one_line(ident)}', {one_line(name)}? write the id)"
    close = difflib.get_close_matches(written, list(names), n=1, cutoff=0.75)
    return f" (did you mean '{one_line(close[0])}'?)" if close else ""
