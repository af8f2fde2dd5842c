"""Rules about who owns the controls."""

from __future__ import annotations

from collections.abc import Iterator

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
