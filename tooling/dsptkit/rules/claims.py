"""Rules that every claim is backed by current, passing, dated evidence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from dsptkit.rules.base import Context, Result, result, rule
from dsptkit.status import ClaimStanding


def _active_in_place(ctx: Context):
    for state in ctx.position.claims.values():
        if state.policy.active_on(ctx.as_of) and not state.claim.planned:
            yield state


@rule("CL101", needs=("evidence",))
def claims_without_evidence(ctx: Context) -> Iterator[Result]:
    """An in-place claim of an approved policy has no evidence at all."""
    for state in _active_in_place(ctx):
        if state.standing is ClaimStanding.NO_EVIDENCE and state.evidence_count == 0:
            claim = state.claim
            yield result("CL101", claim.loc, f"claim {claim.id} ({_short(claim.says)}) has no "
                                             "evidence", subject=claim.id, items=claim.meets)


@rule("CL102", needs=("evidence",))
def stale_evidence(ctx: Context) -> Iterator[Result]:
    """A claim's newest passing evidence is older than its `evidence_every`."""
    for state in _active_in_place(ctx):
        if state.standing is ClaimStanding.STALE and state.latest_pass and state.expires:
            claim, ev = state.claim, state.latest_pass
            yield result("CL102", claim.loc, f"claim {claim.id}: newest passing evidence "
                                             f"{ev.id} ({ev.collected.isoformat()}) expired on "
                                             f"{state.expires.isoformat()} (evidence_every "
                                             f"{claim.evidence_every})",
                         subject=claim.id, items=claim.meets)


@rule("CL103", needs=("evidence",))
def failed_evidence(ctx: Context) -> Iterator[Result]:
    """A claim says "in place" but its newest evidence failed or only partly passed."""
    for state in _active_in_place(ctx):
        if state.standing is ClaimStanding.FAILED and state.latest_failure is not None:
            claim, ev = state.claim, state.latest_failure
            yield result("CL103", claim.loc, f"claim {claim.id} is in place but evidence "
                                             f"{ev.id} ({ev.collected.isoformat()}) was "
                                             f"'{ev.outcome}' and no later evidence passed",
                         subject=claim.id, items=claim.meets)


@rule("CL104")
def overdue_plans(ctx: Context) -> Iterator[Result]:
    """A planned claim is past its target date."""
    for state in ctx.position.claims.values():
        claim = state.claim
        if state.standing is ClaimStanding.PLAN_OVERDUE and claim.target:
            yield result("CL104", claim.loc, f"planned claim {claim.id} was due by "
                                             f"{claim.target.isoformat()}",
                         subject=claim.id, items=claim.meets)


@rule("CO101", needs=("policies",))
def unclaimed_mandatory_items(ctx: Context) -> Iterator[Result]:
    """A catalogue item mandatory for the organisation's category is claimed by no policy."""
    claimed = {ref for policy in ctx.repo.policies for claim in policy.claims
               for ref in claim.meets}
    for ref, state in ctx.position.items.items():
        if state.counted and state.answer is None and ref not in claimed:
            item = state.item
            yield result("CO101", item.loc, f"{ref} ({item.title}) is mandatory for "
                                            f"{_level(state.level)} but no policy claims it",
                         subject=ref, items=(ref,))


@rule("EV101")
def evidence_supporting_nothing(ctx: Context) -> Iterator[Result]:
    """An evidence file supports no claim."""
    for evidence in ctx.repo.evidence:
        if not evidence.supports and evidence.certificate is None:
            yield result("EV101", evidence.loc, f"evidence {evidence.id} supports no claim",
                         subject=evidence.id)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _level(level) -> str:
    return "Approaching Standards" if level and level.value == "approaching" else "Standards Met"


@rule("CL105")
def allowance_longer_than_the_item_allows(ctx: Context) -> Iterator[Result]:
    """A claim allows older evidence than the catalogue item it meets."""
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


@rule("EV102")
def expired_certificates(ctx: Context) -> Iterator[Result]:
    """The newest certificate of a scheme has expired."""
    for evidence in ctx.position.newest_certificates.values():
        cert = evidence.certificate
        if cert and cert.expires < ctx.as_of:
            yield result("EV102", evidence.loc, f"{cert.name} certificate {evidence.id} expired "
                                                f"on {cert.expires.isoformat()}",
                         subject=evidence.id)
