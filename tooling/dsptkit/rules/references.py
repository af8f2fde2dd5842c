"""Rules that every identifier is unique and every reference resolves."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Incident, Loc, one_line
from dsptkit.rules.base import REGISTRY, Context, Result, result, rule


@rule("RF001")
def duplicate_ids(ctx: Context) -> Iterator[Result]:
    """Two policies, claims, evidence files, people or catalogue items share an ID."""
    first: dict[tuple[str, str], Loc] = {}
    for namespace, ident, loc in ctx.report.id_locs:
        key = (namespace, ident)
        if key in first:
            yield result("RF001", loc, f"{namespace} ID '{ident}' is already used at "
                                       f"{first[key]}", subject=ident)
        else:
            first[key] = loc


@rule("RF002", needs=("standards",))
def claims_meeting_unknown_items(ctx: Context) -> Iterator[Result]:
    """A claim meets a catalogue item that does not exist."""
    items = ctx.repo.items
    for claim in ctx.repo.claims:
        for ref, loc in zip(claim.meets, claim.meets_locs or (claim.loc,) * len(claim.meets),
                            strict=False):
            if ref not in items and ref not in ctx.report.broken_ids:
                yield result("RF002", loc, f"claim {claim.id} meets '{ref}', which is not in any "
                                           "catalogue under standards/", subject=claim.id)


@rule("RF003", needs=("policies",))
def evidence_for_unknown_claims(ctx: Context) -> Iterator[Result]:
    """Evidence supports a claim that no policy makes."""
    claims = {claim.id for claim in ctx.repo.claims}
    for evidence in ctx.repo.evidence:
        for claim_id, loc in zip(evidence.supports, evidence.supports_locs, strict=False):
            if claim_id not in claims and claim_id not in ctx.report.broken_ids:
                yield result("RF003", loc, f"evidence {evidence.id} supports '{claim_id}', but no "
                                           "policy makes that claim", subject=evidence.id)


@rule("RF004", needs=("organisation",))
def unknown_people(ctx: Context) -> Iterator[Result]:
    """An owner, approver or collector is not a known person or role."""
    repo = ctx.repo
    org = repo.organisation
    roles = org.roles if org else {}
    known = set(repo.people) | set(roles)

    def unknown(name: str | None) -> bool:
        return bool(name) and name not in known

    if org and repo.people:
        for role, person in roles.items():
            if person not in repo.people:
                yield result("RF004", org.role_locs.get(role, org.loc),
                             f"role '{role}' names '{person}', who is not in the people register")
    for policy in repo.policies:
        if unknown(policy.owner):
            yield result("RF004", policy.owner_loc, f"policy {policy.id} is owned by "
                                                    f"'{policy.owner}', "
                                                    f"{_hint(known, policy.owner, repo.people)}",
                         subject=policy.id)
        if unknown(policy.approved_by):
            yield result("RF004", policy.approved_loc, f"policy {policy.id} was approved by "
                                                       f"'{policy.approved_by}', "
                                                       f"{_hint(known, policy.approved_by, repo.people)}",
                         subject=policy.id)
        for claim in policy.claims:
            if claim.owner != policy.owner and unknown(claim.owner):
                yield result("RF004", claim.loc, f"claim {claim.id} is owned by '{claim.owner}', "
                                                 f"{_hint(known, claim.owner, repo.people)}", subject=claim.id)
    for evidence in repo.evidence:
        if unknown(evidence.by):
            yield result("RF004", evidence.by_loc, f"evidence {evidence.id} was collected by "
                                                   f"'{evidence.by}', "
                                                   f"{_hint(known, evidence.by, repo.people)}",
                         subject=evidence.id)
    for register in repo.registers.values():
        if unknown(register.approved_by):
            yield result("RF004", register.approved_loc or register.loc,
                         f"the {register.kind.replace('_', ' ')} register was approved by "
                         f"'{register.approved_by}', "
                         f"{_hint(known, register.approved_by, repo.people)}", subject=register.kind)
    for waiver in org.waivers if org else ():
        if unknown(waiver.approved_by):
            yield result("RF004", waiver.loc, f"waiver approved by '{waiver.approved_by}', "
                                              f"{_hint(known, waiver.approved_by, repo.people)}")
    for answer in org.answers if org else ():
        if unknown(answer.decided_by):
            yield result("RF004", answer.loc, f"answer for {answer.item} decided by "
                                              f"'{answer.decided_by}', "
                                              f"{_hint(known, answer.decided_by, repo.people)}")
    for incident in repo.entries("incidents"):  # who does each action an incident led to
        for action in incident.actions if isinstance(incident, Incident) else ():
            if unknown(action.owner):
                kind = "near miss" if incident.near_miss else "incident"
                yield result("RF004", action.loc,
                             f"action {action.index + 1} of {kind} {one_line(incident.id)} is "
                             f"owned by '{one_line(action.owner or '')}', "
                             f"{_hint(known, action.owner, repo.people)}", subject=incident.id)


@rule("RF007", needs=("organisation", "evidence", "standards"))
def unknown_profile_references(ctx: Context) -> Iterator[Result]:
    """A role appointment, improvement plan or answer names evidence or an item that does
    not exist."""
    org = ctx.repo.organisation
    if org is None:
        return
    evidence = {e.id for e in ctx.repo.evidence}
    cited = [(f"role '{a.role}'", a.evidence, a.loc) for a in org.appointments.values()]
    if org.improvement_plan is not None:
        cited.append(("improvement_plan", org.improvement_plan.evidence, org.improvement_plan.loc))
    for what, ident, loc in cited:
        if ident and ident not in evidence and ident not in ctx.report.broken_ids:
            yield result("RF007", loc, f"{what} cites evidence '{ident}', which no evidence "
                                       "file declares")
    for answer in org.answers:
        if answer.item not in ctx.repo.items and answer.item not in ctx.report.broken_ids:
            yield result("RF007", answer.loc, f"answer names item '{answer.item}', which is not "
                                              "in any catalogue")


def _hint(known: set[str], name: str | None = None, people: dict | None = None) -> str:
    if name and people:  # written as the person's name rather than their id
        wanted = " ".join(name.casefold().split())
        for person in people.values():
            if " ".join(person.name.casefold().split()) == wanted:
                return (f"which is the name of '{person.id}' in the people register: write "
                        "their id")
    if not known:
        return "but no people register or roles exist"
    return "who is not in the people register or a role in organisation.yaml"


@rule("RF005")
def waivers_naming_nothing(ctx: Context) -> Iterator[Result]:
    """A waiver names a rule code or catalogue item that does not exist."""
    org = ctx.repo.organisation
    for waiver in org.waivers if org else ():
        if waiver.rule and not any(code.startswith(waiver.rule) for code in _codes()):
            yield result("RF005", waiver.loc, f"waiver names rule '{waiver.rule}', which does "
                                              "not exist (see `dspt rules`)")
        if waiver.item and waiver.item not in ctx.repo.items:
            yield result("RF005", waiver.loc, f"waiver names item '{waiver.item}', which is not "
                                              "in any catalogue")


def _codes() -> list[str]:
    return [r.code for r in REGISTRY.all()]


@rule("RF006", needs=("standards",))
def mappings_to_unknown_items(ctx: Context) -> Iterator[Result]:
    """A catalogue item maps to an item of another framework that does not exist."""
    for item in ctx.repo.items.values():
        for ref, _relation in item.maps_to:
            if ref not in ctx.repo.items and ref not in ctx.report.broken_ids:
                yield result("RF006", item.loc, f"{item.ref} maps to '{ref}', which is not in any "
                                                "catalogue", subject=item.ref)
