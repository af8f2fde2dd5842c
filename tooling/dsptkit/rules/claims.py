"""Rules that every claim is backed by current, passing, dated evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dsptkit.model import Severity
from dsptkit.rules.base import Context, Result, result, rule
from dsptkit.status import ClaimStanding


def _active_in_place(ctx: Context):
    for state in ctx.position.claims.values():
        if state.policy.active and not state.claim.planned:
            yield state


@rule("CL101", "claim.no-evidence", Severity.FINDING, needs=("evidence",))
def claims_without_evidence(ctx: Context) -> Iterator[Result]:
    """An in-place claim of an approved policy has no evidence at all.

    Saying you do something without proof is worse than saying nothing. Record evidence
    with `supports: [CLAIM-ID]`, or mark the claim `status: planned` with a `target` date.
    """
    for state in _active_in_place(ctx):
        if state.standing is ClaimStanding.NO_EVIDENCE and state.evidence_count == 0:
            claim = state.claim
            yield result("CL101", claim.loc, f"claim {claim.id} ({_short(claim.says)}) has no "
                                             "evidence", subject=claim.id, items=claim.meets)


@rule("CL102", "claim.evidence-stale", Severity.FINDING, needs=("evidence",))
def stale_evidence(ctx: Context) -> Iterator[Result]:
    """A claim's newest passing evidence is older than its `evidence_every`.

    Evidence freshness fails closed: once the allowance has passed the claim no longer
    counts as in place. Collect fresh evidence (the date in front matter is what counts,
    not the commit date).
    """
    for state in _active_in_place(ctx):
        if state.standing is ClaimStanding.STALE and state.latest_pass and state.expires:
            claim, ev = state.claim, state.latest_pass
            yield result("CL102", claim.loc, f"claim {claim.id}: newest passing evidence "
                                             f"{ev.id} ({ev.collected.isoformat()}) expired on "
                                             f"{state.expires.isoformat()} (evidence_every "
                                             f"{claim.evidence_every})",
                         subject=claim.id, items=claim.meets)


@rule("CL103", "claim.evidence-failed", Severity.FINDING, needs=("evidence",))
def failed_evidence(ctx: Context) -> Iterator[Result]:
    """A claim says "in place" but its newest evidence failed or only partly passed.

    A failed restore test or access review means the control is not working. Fix it and
    record passing evidence dated after the failure, or mark the claim planned.
    """
    for state in _active_in_place(ctx):
        if state.standing is ClaimStanding.FAILED and state.latest_failure is not None:
            claim, ev = state.claim, state.latest_failure
            yield result("CL103", claim.loc, f"claim {claim.id} is in place but evidence "
                                             f"{ev.id} ({ev.collected.isoformat()}) was "
                                             f"'{ev.outcome}' and no later evidence passed",
                         subject=claim.id, items=claim.meets)


@rule("CL104", "claim.plan-overdue", Severity.FINDING)
def overdue_plans(ctx: Context) -> Iterator[Result]:
    """A planned claim is past its target date.

    Planned claims are the improvement plan; a plan past its date no longer counts for
    Approaching Standards. Deliver it (set `status: in-place` with evidence) or re-plan
    with a new target.
    """
    for state in ctx.position.claims.values():
        claim = state.claim
        if state.standing is ClaimStanding.PLAN_OVERDUE and claim.target:
            yield result("CL104", claim.loc, f"planned claim {claim.id} was due by "
                                             f"{claim.target.isoformat()}",
                         subject=claim.id, items=claim.meets)


@rule("CO101", "item.unclaimed", Severity.FINDING, needs=("policies",))
def unclaimed_mandatory_items(ctx: Context) -> Iterator[Result]:
    """A catalogue item mandatory for the organisation's category is claimed by no policy.

    Each mandatory item needs a claim in an approved policy (in place with evidence, or
    planned with a target date). Items claimed only by drafts are reported as PO102.
    """
    claimed = {ref for policy in ctx.repo.policies for claim in policy.claims
               for ref in claim.meets}
    for ref, state in ctx.position.items.items():
        if state.mandatory and not state.waived and ref not in claimed:
            item = state.item
            yield result("CO101", item.loc, f"{ref} ({item.title}) is mandatory for "
                                            f"{_level(state.level)} but no policy claims it",
                         subject=ref, items=(ref,))


@rule("EV101", "evidence.supports-nothing", Severity.WARNING)
def evidence_supporting_nothing(ctx: Context) -> Iterator[Result]:
    """An evidence file supports no claim.

    Evidence that backs nothing is invisible in the position. Add the claim IDs it proves
    to `supports:`. (A certificate need not support a claim: it satisfies the items its
    scheme exempts.)
    """
    for evidence in ctx.repo.evidence:
        if not evidence.supports and evidence.certificate is None:
            yield result("EV101", evidence.loc, f"evidence {evidence.id} supports no claim",
                         subject=evidence.id)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _level(level) -> str:
    return "Approaching Standards" if level and level.value == "approaching" else "Standards Met"


@rule("CL105", "claim.allowance-too-long", Severity.FINDING)
def allowance_longer_than_the_item_allows(ctx: Context) -> Iterator[Result]:
    """A claim allows older evidence than the catalogue item it meets.

    The catalogue records each item's cadence (training within 12 months, policies reviewed
    within 3 years...). A claim whose `evidence_every` is longer would count evidence the
    DSPT would not accept. Shorten it to the item's cadence or less.
    """
    reference = date(2026, 1, 1)  # compare durations by the day they reach from a fixed date
    for claim in ctx.repo.claims:
        for ref in claim.meets:
            item = ctx.repo.items.get(ref)
            if item and item.evidence_every and \
                    claim.evidence_every.after(reference) > item.evidence_every.after(reference):
                yield result("CL105", claim.loc, f"claim {claim.id} allows evidence up to "
                                                 f"{claim.evidence_every} old, but {ref} needs it "
                                                 f"within {item.evidence_every}",
                             subject=claim.id, items=(ref,))


@rule("EV102", "certificate.expired", Severity.FINDING)
def expired_certificates(ctx: Context) -> Iterator[Result]:
    """The newest certificate of a scheme has expired.

    While current, a Cyber Essentials Plus or full-scope ISO 27001 certificate satisfies the
    DSPT items it exempts; from the day after it expires those items need claims and
    evidence of their own. Record the renewed certificate as new evidence.
    """
    for evidence in ctx.position.newest_certificates.values():
        cert = evidence.certificate
        if cert and cert.expires < ctx.as_of:
            yield result("EV102", evidence.loc, f"{cert.name} certificate {evidence.id} expired "
                                                f"on {cert.expires.isoformat()}",
                         subject=evidence.id)
