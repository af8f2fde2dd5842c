"""The compliance position as of a date: each claim, each catalogue item, the whole, and
(from ``standing.py``) every evidence file, policy review, register and owner.

Pure functions of the model. Dates in front matter are the source of freshness; git
times are never used here. The position owns every derived fact: rules report from it and
the reports and the portal only render it.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from dsptkit import standing as st
from dsptkit.durations import Duration
from dsptkit.levels import Calendar, Overall, Verdict, judge
from dsptkit.model import Answer, CatalogueItem, Claim, Evidence, Level, Policy, Repository

if TYPE_CHECKING:
    from dsptkit.datamap import DataMap
    from dsptkit.due import Schedule
    from dsptkit.staff import Acknowledgements, IncidentState, KeyPeople

__all__ = ["Overall", "Position", "ItemState", "ItemStatus", "ClaimState", "ClaimStanding",
           "compute_position", "ref_order"]


class ItemStatus(StrEnum):
    MET = "met"
    AT_RISK = "at risk"  # met, but evidence expires within the warning window
    PLANNED = "planned"  # not met, with an in-date improvement plan
    NOT_MET = "not met"
    NOT_APPLICABLE = "not applicable"

    @property
    def is_met(self) -> bool:
        return self in (ItemStatus.MET, ItemStatus.AT_RISK)


class ClaimStanding(StrEnum):
    CURRENT = "current"
    EXPIRING = "expiring"  # current, but its evidence expires within the warning window
    STALE = "stale"  # its newest passing evidence is older than the claim allows
    FAILED = "failed"  # its newest evidence failed or partly passed
    NO_EVIDENCE = "no evidence"
    PLANNED = "planned"  # an improvement plan, in date
    PLAN_OVERDUE = "plan overdue"
    INACTIVE = "inactive"  # its policy is a draft or retired, so it does not count

    @property
    def counts(self) -> bool:
        return self in (ClaimStanding.CURRENT, ClaimStanding.EXPIRING)


@dataclass(frozen=True)
class ClaimState:
    """What the evidence says about one claim on the assessment date."""

    claim: Claim
    policy: Policy
    as_of: date
    latest_pass: Evidence | None
    latest_failure: Evidence | None  # a fail/partial newer than the latest pass
    expires: date | None  # when the latest pass stops being current
    evidence_count: int
    standing: ClaimStanding = ClaimStanding.NO_EVIDENCE
    evidence: tuple[Evidence, ...] = ()  # on or before the date, newest first

    @property
    def current(self) -> bool:
        return self.latest_failure is None and self.expires is not None and \
            self.expires >= self.as_of


@dataclass(frozen=True)
class ItemState:
    item: CatalogueItem
    level: Level | None
    status: ItemStatus
    reason: str
    claims: tuple[ClaimState, ...]
    certificate: Evidence | None = None  # the certificate that satisfies it, when that is how
    answer: Answer | None = None  # answered "not applicable", where the catalogue allows it

    @property
    def mandatory(self) -> bool:
        return self.level in (Level.MET, Level.APPROACHING)

    @property
    def counted(self) -> bool:
        """Mandatory for this organisation: counts towards Standards Met. Nothing takes a
        mandatory item out of the count; "not applicable" is an answer, where allowed."""
        return self.mandatory

    @property
    def answered(self) -> bool:
        """Met, or answered "not applicable" where the DSPT allows that."""
        return self.status.is_met or self.answer is not None


@dataclass(frozen=True)
class Position:
    as_of: date
    overall: Overall
    claims: dict[str, ClaimState]
    items: dict[str, ItemState]
    blocking: tuple[ItemState, ...]  # mandatory items keeping the organisation from Standards Met
    verdict: Verdict  # the level, or why it cannot be said, in words every report shows
    calendar: Calendar  # the edition assessed and the next deadline
    certificates: dict[str, Evidence]  # current certificates by scheme
    newest_certificates: dict[str, Evidence]  # the newest of each scheme, current or not
    repo: Repository = field(repr=False, compare=False)
    policies: dict[str, st.PolicyState]  # by policy id
    training: st.Training
    assets: tuple[st.AssetState, ...]
    suppliers: tuple[st.SupplierState, ...]
    registers: tuple[st.RegisterState, ...]
    owners: tuple[st.OwnerLoad, ...]  # most claims first

    @functools.cached_property
    def evidence(self) -> dict[str, st.EvidenceState]:
        """Every evidence file's standing, by id. Worked out when first asked for: the check
        (run before every commit) never needs it, the portal and reports do."""
        return st.evidence_states(self.repo, self.claims, self.as_of)

    @functools.cached_property
    def datamap(self) -> DataMap:
        """The data map with its references resolved (dsptkit.datamap). Built when first asked
        for, once per run: the DM rules, ``dspt scope`` and the portal read this one."""
        from dsptkit.datamap import build

        return build(self.repo, self.as_of, self)

    @functools.cached_property
    def acknowledgements(self) -> Acknowledgements:
        """Staff sign-off of the policies that ask for it (dsptkit.staff)."""
        from dsptkit.staff import acknowledgements

        return acknowledgements(self.repo, self.as_of)

    @functools.cached_property
    def incidents(self) -> tuple[IncidentState, ...]:
        """Incidents and near misses by the date, with their lessons and open actions."""
        from dsptkit.staff import incident_states

        return incident_states(self.repo, self.as_of)

    @functools.cached_property
    def key_people(self) -> KeyPeople:
        """How much rests on one person: per standard, approvals, roles held together."""
        from dsptkit.staff import key_people

        return key_people(self.repo, self)

    @functools.cached_property
    def schedule(self) -> Schedule:
        """Every dated obligation, overdue first then soonest (dsptkit.due): ``dspt due``, the
        dashboard, the board report and the calendar all read this one."""
        from dsptkit.due import schedule

        return schedule(self)

    @property
    def mandatory(self) -> tuple[ItemState, ...]:
        """The items that count towards Standards Met."""
        return tuple(s for s in self.items.values() if s.counted)

    @property
    def mandatory_met(self) -> int:
        """Mandatory items met or answered "not applicable" where allowed."""
        return sum(1 for s in self.items.values() if s.counted and s.answered)

    @property
    def not_applicable(self) -> tuple[ItemState, ...]:
        return tuple(s for s in self.items.values() if s.answer is not None)


def claim_states(repo: Repository, as_of: date, window: Duration | None = None
                 ) -> dict[str, ClaimState]:
    """Every claim's evidence position on ``as_of`` (evidence collected later is not seen)."""
    by_claim: dict[str, list[Evidence]] = defaultdict(list)
    for evidence in repo.evidence:
        if evidence.collected <= as_of:
            for claim_id in evidence.supports:
                by_claim[claim_id].append(evidence)
    states = {}
    for policy in repo.policies:
        for claim in policy.claims:
            found = sorted(by_claim.get(claim.id, ()), key=lambda e: (e.collected, e.id))
            passes = [e for e in found if e.passed]
            latest_pass = passes[-1] if passes else None
            failures = [e for e in found if not e.passed and
                        (latest_pass is None or e.collected > latest_pass.collected)]
            expires = claim.evidence_every.after(latest_pass.collected) if latest_pass else None
            failure = failures[-1] if failures else None
            states[claim.id] = ClaimState(
                claim, policy, as_of, latest_pass, failure, expires, len(found),
                _claim_standing(claim, policy, as_of, latest_pass, failure, expires, window),
                tuple(reversed(found)))
    return states


def _claim_standing(claim: Claim, policy: Policy, as_of: date, latest_pass: Evidence | None,
                    failure: Evidence | None, expires: date | None, window: Duration | None
                    ) -> ClaimStanding:
    if not policy.active_on(as_of):
        return ClaimStanding.INACTIVE
    if claim.planned:
        late = claim.target is None or claim.target < as_of
        return ClaimStanding.PLAN_OVERDUE if late else ClaimStanding.PLANNED
    if failure is not None:
        return ClaimStanding.FAILED
    if latest_pass is None or expires is None:
        return ClaimStanding.NO_EVIDENCE
    if expires < as_of:
        return ClaimStanding.STALE
    if window is not None and window.before(expires) <= as_of:
        return ClaimStanding.EXPIRING
    return ClaimStanding.CURRENT


def newest_certificates(repo: Repository, as_of: date) -> dict[str, Evidence]:
    """The newest certificate of each scheme collected by ``as_of``, current or not."""
    newest: dict[str, Evidence] = {}
    for evidence in repo.evidence:
        cert = evidence.certificate
        if cert and evidence.collected <= as_of:
            held = newest.get(cert.scheme)
            if held is None or (held.certificate and cert.expires > held.certificate.expires):
                newest[cert.scheme] = evidence
    return newest


def current_certificates(repo: Repository, as_of: date) -> dict[str, Evidence]:
    """Certificates in force on ``as_of``, by scheme (the one lasting longest wins)."""
    best: dict[str, Evidence] = {}
    for evidence in repo.evidence:
        cert = evidence.certificate
        if cert and evidence.passed and evidence.collected <= as_of <= cert.expires:
            held = best.get(cert.scheme)
            if held is None or (held.certificate and cert.expires > held.certificate.expires):
                best[cert.scheme] = evidence
    return best


def _carried(repo: Repository) -> dict[str, set[str]]:
    """For each item, the other items whose claims carry across to it (equal or covering)."""
    carried: dict[str, set[str]] = defaultdict(set)
    for ref, item in repo.items.items():
        for other, relation in item.maps_to:
            if relation in ("equal", "superset"):  # this item covers all of the other
                carried[other].add(ref)
            if relation in ("equal", "subset"):  # the other covers all of this item
                carried[ref].add(other)
    return carried


def compute_position(repo: Repository, as_of: date) -> Position:
    """The status of every catalogue item and the overall position on ``as_of``."""
    window = repo.settings.warning_window
    claims = claim_states(repo, as_of, window)
    direct: dict[str, list[ClaimState]] = defaultdict(list)
    for state in claims.values():
        if state.policy.active_on(as_of):
            for ref in state.claim.meets:
                direct[ref].append(state)
    carried = _carried(repo)
    certificates = current_certificates(repo, as_of)
    org = repo.organisation
    category = org.category if org else ""
    answers = accepted_answers(repo, as_of)
    items = {}
    for ref, item in sorted(repo.items.items(), key=lambda kv: ref_order(kv[0])):
        level = item.level_for(category)
        states = list(direct.get(ref, ()))
        for other in sorted(carried.get(ref, ())):
            states.extend(s for s in direct.get(other, ()) if s not in states)
        states_t = tuple(states)
        answer = answers.get(ref)
        if answer is not None:
            items[ref] = ItemState(item, level, ItemStatus.NOT_APPLICABLE,
                                   f"answered not applicable by {answer.decided_by} on "
                                   f"{answer.decided_on.isoformat()}: {answer.reason}", states_t,
                                   answer=answer)
            continue
        status, reason = _item_status(level, states_t, as_of, window)
        certificate = None
        if not status.is_met:
            certificate = _exempting(item, certificates)
            if certificate is not None and certificate.certificate is not None:
                cert = certificate.certificate
                status = ItemStatus.MET
                if window and window.before(cert.expires) <= as_of:
                    status = ItemStatus.AT_RISK
                reason = f"met via {cert.name} certificate ({certificate.id}, valid until " \
                         f"{cert.expires.isoformat()})"
        missing = _missing_profile(item, org)
        if missing and status.is_met:
            status, reason, certificate = ItemStatus.NOT_MET, missing, None
        items[ref] = ItemState(item, level, status, reason, states_t, certificate=certificate)
    blocking = tuple(s for s in items.values() if s.counted and not s.answered)
    framework = repo.frameworks.get("dspt")
    calendar = Calendar(as_of, framework.edition if framework else None,
                        framework.cycle if framework else None)
    verdict = judge([s for s in items.values() if s.item.framework == "dspt"], org, framework,
                    certificates, calendar)
    return Position(as_of, verdict.level, claims, items, blocking, verdict, calendar,
                    certificates, newest_certificates(repo, as_of), repo,
                    st.policy_states(repo, as_of), st.training(repo, as_of),
                    st.asset_states(repo, as_of), st.supplier_states(repo, as_of),
                    st.register_states(repo, as_of), st.owner_load(repo))


PROFILE_FACTS = {"ico_registration": "the ICO registration number"}


def _missing_profile(item: CatalogueItem, org) -> str | None:
    """Why an item whose answer is a profile fact cannot be met: the fact is not recorded."""
    for fact in item.needs_profile:
        if org is None or not getattr(org, fact, None):
            return (f"{PROFILE_FACTS.get(fact, fact)} is not recorded (organisation.yaml "
                    f"profile.{fact}), and it is the answer the DSPT asks for")
    return None


def accepted_answers(repo: Repository, as_of: date) -> dict[str, Answer]:
    """The "not applicable" answers the catalogue allows, decided on or before ``as_of``
    (AN101 reports the others, which count for nothing)."""
    org = repo.organisation
    accepted: dict[str, Answer] = {}
    for answer in org.answers if org else ():
        item = repo.items.get(answer.item)
        if item is not None and item.not_applicable and answer.decided_on <= as_of:
            accepted.setdefault(answer.item, answer)
    return accepted


def _exempting(item: CatalogueItem, certificates: dict[str, Evidence]) -> Evidence | None:
    for scheme in item.exempt_by:
        evidence = certificates.get(scheme)
        if evidence is None or evidence.certificate is None:
            continue
        if scheme == "iso27001" and evidence.certificate.scope != "full":
            continue  # only a certificate whose scope covers all health and care data counts
        return evidence
    return None


def _item_status(level: Level | None, states: tuple[ClaimState, ...], as_of: date,
                 window) -> tuple[ItemStatus, str]:
    in_place = [s for s in states if not s.claim.planned]
    plans = [s for s in states if s.claim.planned and s.claim.target and s.claim.target >= as_of]
    if level is None and not states:
        return ItemStatus.NOT_APPLICABLE, "not asked of this organisation category"
    if level is Level.OPTIONAL and not states:
        return ItemStatus.NOT_APPLICABLE, "optional, and no claim answers it"
    problems = [_claim_problem(s, as_of) for s in in_place]
    problems = [p for p in problems if p]
    if in_place and not problems:
        soonest = min(s.expires for s in in_place if s.expires)
        if window and window.before(soonest) <= as_of:
            return ItemStatus.AT_RISK, f"evidence expires on {soonest.isoformat()}"
        return ItemStatus.MET, f"evidence current until {soonest.isoformat()}"
    if plans:
        target = min(s.claim.target for s in plans if s.claim.target)
        return ItemStatus.PLANNED, f"planned for {target.isoformat()}"
    if problems:
        return ItemStatus.NOT_MET, "; ".join(problems)
    if states:
        return ItemStatus.NOT_MET, "its only plan is past its target date"
    return ItemStatus.NOT_MET, "no approved policy claims it"


def _claim_problem(state: ClaimState, as_of: date) -> str | None:
    claim = state.claim
    if state.latest_failure is not None:
        failure = state.latest_failure
        return f"claim {claim.id}: {failure.id} ({failure.collected.isoformat()}) was " \
               f"'{failure.outcome}'"
    if state.latest_pass is None:
        return f"claim {claim.id} has no evidence"
    if state.expires is not None and state.expires < as_of:
        return f"claim {claim.id}: evidence expired on {state.expires.isoformat()}"
    return None


def ref_order(ref: str) -> tuple:
    """The one order of catalogue items everywhere: the DSPT first, then other frameworks by
    name; within one, by number part by part (1.2.10 after 1.2.9)."""
    framework, _, ident = ref.partition(":")
    return (framework != "dspt", framework, *(_num(part) for part in ident.split(".")))


def _num(part: str) -> tuple[int, str]:
    return (int(part), "") if part.isdigit() else (10**9, part)
