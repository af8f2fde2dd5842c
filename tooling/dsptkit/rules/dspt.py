"""Rules about the DSPT edition itself: the catalogue against the published edition, the
answers the DSPT accepts, and the organisation profile it asks for."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.rules.base import Context, Result, result, rule

# the senior roles the DSPT organisation profile asks for; the DPO is optional for some
# organisations, so only its appointment is checked, when one is named
SENIOR_ROLES = {"siro": "SIRO", "caldicott_guardian": "Caldicott Guardian", "ig_lead": "IG lead",
                "dpo": "data protection officer"}
OPTIONAL_ROLES = {"dpo"}


@rule("CA101", needs=("standards",))
def catalogue_out_of_cycle(ctx: Context) -> Iterator[Result]:
    """The assessment date falls outside the catalogue edition's publication window."""
    calendar = ctx.position.calendar
    framework = ctx.repo.frameworks.get("dspt")
    if framework is not None and calendar.banner:
        yield result("CA101", framework.locs.get("cycle", framework.loc), calendar.banner)


@rule("CA102", needs=("standards", "organisation"))
def catalogue_incomplete(ctx: Context) -> Iterator[Result]:
    """The catalogue holds fewer mandatory items than the edition publishes."""
    framework = ctx.repo.frameworks.get("dspt")
    org = ctx.repo.organisation
    if framework is None or org is None:
        return
    verdict = ctx.position.verdict
    for coverage in (verdict.coverage, verdict.approaching_coverage):
        if coverage is None or coverage.complete:
            continue
        if coverage.level == "approaching" and (coverage.published is None or
                                                not ctx.position.blocking):
            continue  # needed only when Standards Met is not reached; the verdict says then
        gap = coverage.gap(org.category)
        fix = "; add the missing items in a local catalogue (standards/README.md)" \
            if coverage.missing else ""
        loc = framework.locs.get(f"published.{org.category}.{coverage.level}", framework.loc)
        yield result("CA102", loc, f"{gap}{fix}")


@rule("AN101", needs=("standards",))
def not_applicable_not_allowed(ctx: Context) -> Iterator[Result]:
    """An item is answered "not applicable" where the DSPT does not allow it."""
    org = ctx.repo.organisation
    for answer in org.answers if org else ():
        item = ctx.repo.items.get(answer.item)
        if item is not None and not item.not_applicable:
            yield result("AN101", answer.loc, f"{answer.item} ({item.title}) cannot be answered "
                                              "'not applicable' in the DSPT; it stays unmet until "
                                              "a claim answers it", subject=answer.item,
                         items=(answer.item,))


@rule("PR101", needs=("organisation",))
def profile_incomplete(ctx: Context) -> Iterator[Result]:
    """The organisation profile the DSPT asks for is incomplete."""
    org = ctx.repo.organisation
    if org is None:
        return
    if not org.ico_registration:
        yield result("PR101", org.loc, "no ICO registration number: add profile: "
                                       "{ico_registration: ...} (the DSPT asks for it, item 1.1.1)")
    for role, name in SENIOR_ROLES.items():
        if role not in org.roles:
            if role in OPTIONAL_ROLES:
                continue
            yield result("PR101", org.loc, f"no {name} is named: add roles: {{{role}: ...}} "
                                           "(the DSPT organisation profile asks for one)",
                         subject=role)
            continue
        holder = ctx.repo.people.get(org.roles[role])
        if holder is not None and holder.left is not None and holder.left <= ctx.as_of:
            yield result("PR101", org.role_locs.get(role, org.loc),
                         f"role '{role}' ({name}) is held by {org.roles[role]}, who left on "
                         f"{holder.left.isoformat()}: name the person who holds it now",
                         subject=role)
            continue
        appointment = org.appointments.get(role)
        if appointment is None or appointment.appointed_on is None or \
                not (appointment.how or appointment.evidence):
            yield result("PR101", org.role_locs.get(role, org.loc),
                         f"role '{role}' ({name}) does not say how {org.roles[role]} was "
                         "appointed: add appointed_on, and how or evidence (item 1.1.5)",
                         subject=role)
