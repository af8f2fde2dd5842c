"""Rules about staff sign-off of policies (AK).

AK101 reports what the position already knows (``position.acknowledgements``: one row per
current person per approved policy marked ``acknowledge: true``, with the day it falls due
and the acknowledgement of the current version, if any). It stands down when the
acknowledgements register could not be read (it would look as if no one had signed
anything), nor organisation.yaml (which sets the allowance), nor the people register (who
is asked is unknown). A policy file that could not be read asks no one, so it cannot make a
false finding and the others are still judged.

Each result stands at the person's line in the people register, the place to look when the
answer is that they have left (record ``left:``) and where their sign-offs gather. Its
subject is ``person/policy`` (``jo-lee/acceptable-use``), the subject ``dspt due`` gives the
same sign-off: a waiver names one person's sign-off of one policy (someone on long-term
leave needs one per policy they are asked to sign, each expiring when they are back).
"""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Acknowledgement, one_line
from dsptkit.rules.base import Context, Result, result, rule
from dsptkit.staff import same_version

NEEDS = ("organisation", "registers.people", "registers.acknowledgements")


@rule("AK101", needs=NEEDS)
def policy_not_acknowledged(ctx: Context) -> Iterator[Result]:
    """A current member of staff has not acknowledged a policy's current version in time."""
    sign_off = ctx.position.acknowledgements
    earlier: dict[tuple[str, str], Acknowledgement] = {}  # the latest of another version
    for entry in sign_off.register.entries if sign_off.register else ():
        if isinstance(entry, Acknowledgement) and entry.date <= sign_off.as_of:
            have = earlier.get((entry.person, entry.policy))
            if have is None or entry.date >= have.date:
                earlier[(entry.person, entry.policy)] = entry
    for row in sign_off.overdue:
        person, policy = row.person, row.policy
        assert row.due is not None and policy.approved_on is not None  # overdue has a due date
        if person.started is not None and person.started > policy.approved_on:
            counts = f"{sign_off.within} from their start on {person.started.isoformat()}"
        else:
            counts = f"{sign_off.within} from its approval on {policy.approved_on.isoformat()}"
        last = earlier.get((person.id, policy.id))
        before = ""
        if last is not None and not same_version(last.version, policy.version):
            before = (f"; they last acknowledged version {one_line(last.version)} on "
                      f"{last.date.isoformat()}")
        yield result("AK101", person.loc,
                     f"{one_line(person.id)} has not acknowledged version "
                     f"{one_line(policy.version)} of policy {one_line(policy.id)}, due by "
                     f"{row.due.isoformat()} ({counts}){before}",
                     subject=f"{person.id}/{policy.id}")
