"""The standing of everything besides catalogue items, as of a date: each evidence file,
each policy's review, the registers (training, asset support, supplier checks, reviews) and
who owns the claims.

Pure functions of the model and the claim states, called once by ``status.compute_position``.
The rules report from these facts and the portal renders them; nothing computes them again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from dsptkit.durations import Duration
from dsptkit.model import Asset, Evidence, Person, Policy, Register, Repository, Supplier, TrainingRecord

if TYPE_CHECKING:
    from dsptkit.status import ClaimState

YEAR = Duration(months=12, text="12 months")
TRAINING_BAR = 0.95  # the DSPT asks that at least 95% of staff are trained each year
SUPPORT_WARNING = Duration(months=6, text="6 months")  # support ending soon


class EvidenceStanding(StrEnum):
    CURRENT = "current"  # the newest passing evidence of a claim, within its allowance
    SUPERSEDED = "superseded"  # newer passing evidence has taken its place
    EXPIRED = "expired"  # the newest of its claim, but older than the claim allows
    FAILED = "failed"  # it found the control failing (fail or partial)
    NOT_YET = "not yet collected"  # dated after the assessment date, so not seen
    UNLINKED = "supports no claim"  # no known claim names it


@dataclass(frozen=True)
class EvidenceState:
    evidence: Evidence
    standing: EvidenceStanding
    expires: date | None  # when it stops counting (a certificate: when it expires)
    superseded_by: Evidence | None = None

    @property
    def counts(self) -> bool:
        return self.standing is EvidenceStanding.CURRENT


@dataclass(frozen=True)
class PolicyState:
    policy: Policy
    review_due: date | None  # None: cannot be known (no approval date, no cadence)
    overdue: bool  # approved, and past its review date


@dataclass(frozen=True)
class Training:
    """Training completion by exactly the rule the DSPT sets (RG101): current people (started
    on or before the date, not yet left) who completed training in the 12 months up to it."""

    since: date
    people: tuple[Person, ...]  # current people
    last_completed: dict[str, date]  # person id -> newest completion on or before the date
    in_date: frozenset[str]  # person ids trained since ``since``
    register: Register | None

    @property
    def trained(self) -> int:
        return sum(1 for p in self.people if p.id in self.in_date)

    @property
    def share(self) -> float | None:
        """Trained current people as a share; None when there are no current people."""
        return self.trained / len(self.people) if self.people else None

    @property
    def met(self) -> bool | None:
        return None if self.share is None else self.share >= TRAINING_BAR

    @property
    def missing(self) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.id not in self.in_date)


class Support(StrEnum):
    SUPPORTED = "supported"
    ENDING = "support ending"  # within six months
    UNSUPPORTED = "unsupported"
    UNKNOWN = "not recorded"


@dataclass(frozen=True)
class AssetState:
    asset: Asset
    support: Support


class Checked(StrEnum):
    CHECKED = "checked"
    OVERDUE = "overdue"  # last checked over 12 months ago
    NEVER = "never checked"


@dataclass(frozen=True)
class SupplierState:
    supplier: Supplier
    checked: Checked


@dataclass(frozen=True)
class RegisterState:
    register: Register
    overdue: bool  # reviewed over 12 months ago


@dataclass(frozen=True)
class OwnerLoad:
    person: str  # a person id (roles resolved), or the name written when it is not a role
    claims: int
    total: int  # claims of approved policies in all

    @property
    def share(self) -> float:
        return self.claims / self.total if self.total else 0.0


def evidence_states(repo: Repository, claims: dict[str, ClaimState], as_of: date
                    ) -> dict[str, EvidenceState]:
    """Every evidence file's standing on ``as_of``, by evidence id."""
    states = {}
    for ev in repo.evidence:
        states[ev.id] = _evidence_state(ev, claims, as_of)
    return states


def _evidence_state(ev: Evidence, claims: dict[str, ClaimState], as_of: date) -> EvidenceState:
    if ev.collected > as_of:
        return EvidenceState(ev, EvidenceStanding.NOT_YET, None)
    if ev.certificate is not None:
        expires = ev.certificate.expires
        if not ev.passed:
            return EvidenceState(ev, EvidenceStanding.FAILED, expires)
        standing = EvidenceStanding.CURRENT if expires >= as_of else EvidenceStanding.EXPIRED
        return EvidenceState(ev, standing, expires)
    known = [claims[c] for c in ev.supports if c in claims]
    if not known:
        return EvidenceState(ev, EvidenceStanding.UNLINKED, None)
    newer = [s.latest_pass for s in known if s.latest_pass is not None
             and s.latest_pass is not ev and (s.latest_pass.collected, s.latest_pass.id) >
             (ev.collected, ev.id)]
    superseded_by = max(newer, key=lambda e: (e.collected, e.id)) if newer else None
    if not ev.passed:
        return EvidenceState(ev, EvidenceStanding.FAILED, None, superseded_by)
    current = [s.expires for s in known if s.latest_pass is ev and s.expires and s.expires >= as_of]
    if current:
        return EvidenceState(ev, EvidenceStanding.CURRENT, max(current))
    expired = [s.expires for s in known if s.latest_pass is ev and s.expires]
    if expired:
        return EvidenceState(ev, EvidenceStanding.EXPIRED, max(expired))
    return EvidenceState(ev, EvidenceStanding.SUPERSEDED, None, superseded_by)


def review_due(policy: Policy, default: Duration | None) -> date | None:
    """When a policy must next be reviewed, or None when it cannot be known."""
    if policy.next_review:
        return policy.next_review
    every = policy.review_every or default
    if policy.approved_on and every:
        return every.after(policy.approved_on)
    return None


def policy_states(repo: Repository, as_of: date) -> dict[str, PolicyState]:
    default = repo.settings.policy_review_every
    states = {}
    for policy in repo.policies:
        due = review_due(policy, default)
        states[policy.id] = PolicyState(policy, due, bool(policy.active and due and due < as_of))
    return states


def training(repo: Repository, as_of: date) -> Training:
    since = YEAR.before(as_of)
    people = tuple(p for p in repo.people.values()
                   if employment(p, as_of) is Employment.CURRENT)
    last: dict[str, date] = {}
    for record in repo.entries("training"):
        if isinstance(record, TrainingRecord) and record.completed <= as_of:
            if record.person not in last or record.completed > last[record.person]:
                last[record.person] = record.completed
    in_date = frozenset(person for person, done in last.items() if done >= since)
    return Training(since, people, last, in_date, repo.registers.get("training"))


def asset_states(repo: Repository, as_of: date) -> tuple[AssetState, ...]:
    soon = SUPPORT_WARNING.after(as_of)
    states = []
    for asset in repo.entries("assets"):
        if not isinstance(asset, Asset):
            continue
        until = asset.supported_until
        if until is None:
            support = Support.UNKNOWN
        elif until < as_of:
            support = Support.UNSUPPORTED
        elif until <= soon:
            support = Support.ENDING
        else:
            support = Support.SUPPORTED
        states.append(AssetState(asset, support))
    return tuple(states)


def supplier_states(repo: Repository, as_of: date) -> tuple[SupplierState, ...]:
    since = YEAR.before(as_of)
    states = []
    for supplier in repo.entries("suppliers"):
        if not isinstance(supplier, Supplier):
            continue
        if supplier.checked is None:
            checked = Checked.NEVER
        elif supplier.checked < since:
            checked = Checked.OVERDUE
        else:
            checked = Checked.CHECKED
        states.append(SupplierState(supplier, checked))
    return tuple(states)


def register_states(repo: Repository, as_of: date) -> tuple[RegisterState, ...]:
    since = YEAR.before(as_of)
    return tuple(RegisterState(r, r.reviewed is not None and r.reviewed < since)
                 for r in repo.registers.values())


def owner_load(repo: Repository) -> tuple[OwnerLoad, ...]:
    """Claims of approved policies per person (roles resolved to who holds them), most first."""
    org = repo.organisation
    counts = Counter(org.person_for(claim.owner) if org else claim.owner
                     for policy in repo.policies if policy.active for claim in policy.claims)
    total = sum(counts.values())
    return tuple(OwnerLoad(person, n, total)
                 for person, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


class Employment(StrEnum):
    """Whether a person in the people register works for the organisation on a date."""

    CURRENT = "current"  # started on or before the date (or no start recorded), not yet left
    STARTING = "starts later"  # starts after the date: not counted in training yet
    LEFT = "left"  # left on or before the date


def employment(person: Person, as_of: date) -> Employment:
    """A person's employment on ``as_of``: the training share (RG101) counts current people."""
    if person.started is not None and person.started > as_of:
        return Employment.STARTING
    if person.left is not None and person.left <= as_of:
        return Employment.LEFT
    return Employment.CURRENT
