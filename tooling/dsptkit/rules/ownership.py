"""Rules about who owns the controls."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Loc, one_line
from dsptkit.rules.base import Context, Result, result, rule

MIN_CLAIMS = 4  # below this, one owner is normal for a tiny organisation


@rule("OW101", needs=("policies",))
def over_reliance_on_one_person(ctx: Context) -> Iterator[Result]:
    """One person owns more than half of the claims."""
    org = ctx.repo.organisation
    if org is None or not ctx.position.owners:
        return
    top = ctx.position.owners[0]
    person, count, total = top.person, top.claims, top.total
    if total < MIN_CLAIMS:
        return
    if top.share > org.settings.owner_share_limit:
        where = ctx.repo.people[person].loc if person in ctx.repo.people else org.loc
        yield result("OW101", where, f"{person} owns {count} of {total} claims "
                                     f"({100 * count // total}%), over the "
                                     f"{org.settings.owner_share_limit:.0%} limit",
                     subject=person)


# -- key-person risk: who carries each standard, who approves, roles held together ---------
# Each reports what the position already knows (``position.key_people``). A waiver names
# the standard as ``framework:number`` (``dspt:3``, OW102), the person's id (OW103), or
# the two roles joined by ``+`` as check.separate_roles writes them (``dpo+siro``, OW104).

@rule("OW102", needs=("organisation", "policies", "evidence"))
def sole_collector(ctx: Context) -> Iterator[Result]:
    """One person collected all the current evidence for a standard."""
    people = ctx.position.key_people
    for standard in people.standards:
        person = people.sole_collector(standard)
        if person is None:
            continue
        yield result("OW102", _where(ctx, person),
                     f"{one_line(person)} collected all the current evidence for standard "
                     f"{standard.standard} ({one_line(standard.title)}): {standard.evidence} "
                     "files, none by anyone else",
                     subject=f"{standard.framework}:{standard.standard}")


@rule("OW103", needs=("organisation", "policies"))
def sole_approver(ctx: Context) -> Iterator[Result]:
    """One person approved every approved policy."""
    people = ctx.position.key_people
    person = people.sole_approver
    if person is None:
        return
    yield result("OW103", _where(ctx, person),
                 f"{one_line(person)} approved every one of the {people.policies} approved "
                 "policies; nobody else approves them", subject=person)


@rule("OW104", needs=("organisation",))
def conflicting_roles(ctx: Context) -> Iterator[Result]:
    """One person holds two roles that should be held apart."""
    for conflict in ctx.position.key_people.conflicts:
        first, second = conflict.roles
        yield result("OW104", conflict.loc,
                     f"{one_line(conflict.person)} holds both {one_line(first)} and "
                     f"{one_line(second)}, roles that should be held apart",
                     subject=f"{first}+{second}")


def _where(ctx: Context, person: str) -> Loc:
    """The person's entry in the people register, else the organisation profile."""
    org = ctx.repo.organisation
    if person in ctx.repo.people:
        return ctx.repo.people[person].loc
    return org.loc if org is not None else Loc("organisation.yaml")
