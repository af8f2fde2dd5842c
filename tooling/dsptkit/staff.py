"""People as the DSPT guides see them: staff who sign the policies that apply to them, the
learning loop from incidents and near misses, and how much rests on one person.

Pure functions of the model and the position, each reached once per run through a cached
property of :class:`~dsptkit.status.Position` (``acknowledgements``, ``incidents``,
``key_people``). The rules (AK, IN, OW) report from these facts, and ``dspt due``, the board
report and the portal render them; nothing computes them again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from dsptkit.datamap import recorded
from dsptkit.durations import Duration
from dsptkit.model import Acknowledgement, Action, Incident, Loc, Person, Policy, Register, Repository
from dsptkit.standing import Employment, employment

if TYPE_CHECKING:
    from dsptkit.status import Position

MIN_POLICIES_FOR_APPROVER = 3  # below this, one approver is normal for a tiny organisation
MIN_EVIDENCE_FOR_COLLECTOR = 2  # a standard with one evidence file has one collector by nature
MIN_STAFF = 2  # with fewer current people, there is no one else to share the work with


# -- staff sign-off -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SignOff:
    """One current person's acknowledgement of one policy that asks for it."""

    person: Person
    policy: Policy
    due: date | None  # approval (or their start, if later) + the allowance; None: no approval date
    acknowledged: Acknowledgement | None  # of the current version, on or before the date

    @property
    def done(self) -> bool:
        return self.acknowledged is not None

    def overdue(self, as_of: date) -> bool:
        return not self.done and self.due is not None and self.due < as_of


@dataclass(frozen=True)
class Acknowledgements:
    """Who has signed the current version of each policy marked ``acknowledge: true``: every
    current person (started by the date, not left) for every approved policy that asks."""

    as_of: date
    within: Duration
    policies: tuple[Policy, ...]  # approved on or before the date, acknowledge: true
    people: tuple[Person, ...]  # current people
    rows: tuple[SignOff, ...]  # one per current person per policy, by policy then person
    register: Register | None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.done)

    @property
    def share(self) -> float | None:
        """Acknowledged as a share of what is asked; None when nothing is asked."""
        return self.done / self.total if self.rows else None

    @property
    def overdue(self) -> tuple[SignOff, ...]:
        return tuple(row for row in self.rows if row.overdue(self.as_of))

    @property
    def pending(self) -> tuple[SignOff, ...]:
        """Not yet acknowledged, and not yet late (or with no date to be late by)."""
        return tuple(row for row in self.rows if not row.done and not row.overdue(self.as_of))

    def for_policy(self, policy_id: str) -> tuple[SignOff, ...]:
        return tuple(row for row in self.rows if row.policy.id == policy_id)


def same_version(written: str, version: str) -> bool:
    """Whether an acknowledgement's version is the policy's: as text, spaces and a leading
    'v' aside ("v1.2" and "1.2" are the same; "1.10" and "1.1" are not)."""
    def norm(text: str) -> str:
        text = text.strip().casefold()
        return text[1:].strip() if text.startswith("v") else text
    return norm(written) == norm(version)


def acknowledgements(repo: Repository, as_of: date) -> Acknowledgements:
    within = repo.settings.acknowledge_within
    policies = tuple(p for p in repo.policies if p.acknowledge and p.active_on(as_of))
    people = tuple(p for p in repo.people.values() if employment(p, as_of) is Employment.CURRENT)
    signed: dict[tuple[str, str], list[Acknowledgement]] = defaultdict(list)
    for entry in repo.entries("acknowledgements"):
        if isinstance(entry, Acknowledgement) and entry.date <= as_of:
            signed[(entry.person, entry.policy)].append(entry)
    rows = []
    for policy in policies:
        for person in people:
            mine = [a for a in signed.get((person.id, policy.id), ())
                    if same_version(a.version, policy.version)]
            first = min(mine, key=lambda a: a.date) if mine else None
            rows.append(SignOff(person, policy, sign_off_due(policy, person, within), first))
    return Acknowledgements(as_of, within, policies, people, tuple(rows),
                            repo.registers.get("acknowledgements"))


def sign_off_due(policy: Policy, person: Person, within: Duration) -> date | None:
    """When a person must have acknowledged a policy's current version: the allowance after
    its approval or their start, whichever is later; None when the policy has no approval
    date to count from."""
    if policy.approved_on is None:
        return None
    start = max(policy.approved_on, person.started) if person.started else policy.approved_on
    return within.after(start)


# -- the learning loop --------------------------------------------------------------------------

@dataclass(frozen=True)
class IncidentState:
    incident: Incident
    lessons: bool  # lessons recorded (a placeholder such as "TBC" records none)
    open_actions: tuple[Action, ...]  # not done by the date
    overdue_actions: tuple[Action, ...]  # not done, and due before the date

    @property
    def closed(self) -> bool:
        return self.incident.closed is not None

    @property
    def kind(self) -> str:
        return "near miss" if self.incident.near_miss else "incident"


def incident_states(repo: Repository, as_of: date) -> tuple[IncidentState, ...]:
    """Every incident and near miss that had happened by the date, oldest first."""
    states = []
    for incident in repo.entries("incidents"):
        if not isinstance(incident, Incident) or incident.date > as_of:
            continue
        open_actions = tuple(a for a in incident.actions if a.done is None or a.done > as_of)
        overdue = tuple(a for a in open_actions if a.due is not None and a.due < as_of)
        if incident.closed is not None and incident.closed > as_of:
            incident = _reopened(incident)
        states.append(IncidentState(incident, recorded(incident.lessons), open_actions, overdue))
    return tuple(sorted(states, key=lambda s: (s.incident.date, s.incident.id)))


def _reopened(incident: Incident) -> Incident:
    """The incident as it stood before its closing date (assessed on an earlier date)."""
    from dataclasses import replace

    return replace(incident, closed=None)


# -- key-person risk ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StandardPeople:
    """Who carries one standard: the owners of its claims and who collected its evidence."""

    framework: str
    standard: str  # "1"
    title: str
    owners: tuple[str, ...]  # person ids (roles resolved), or names as written, sorted
    collectors: tuple[str, ...]  # who collected its current evidence, the same way
    evidence: int  # current evidence files behind its claims

    @property
    def sole_collector(self) -> str | None:
        """The one person who collected all its current evidence, when there is enough of it
        for that to be a choice rather than a given."""
        if len(self.collectors) == 1 and self.evidence >= MIN_EVIDENCE_FOR_COLLECTOR:
            return self.collectors[0]
        return None

    @property
    def sole_owner(self) -> str | None:
        return self.owners[0] if len(self.owners) == 1 else None


@dataclass(frozen=True)
class RoleConflict:
    person: str
    roles: tuple[str, str]
    loc: Loc


@dataclass(frozen=True)
class KeyPeople:
    standards: tuple[StandardPeople, ...]  # in catalogue order, those with claims
    approvers: dict[str, tuple[str, ...]]  # person -> ids of the approved policies they approved
    policies: int  # approved policies with an approver recorded
    conflicts: tuple[RoleConflict, ...]
    staff: int  # current people: with fewer than two, there is no one else to share with

    @property
    def shared(self) -> bool:
        """Whether there is anyone to share with: key-person risk is reported only then."""
        return self.staff >= MIN_STAFF

    @property
    def sole_approver(self) -> str | None:
        """The one person who approved every approved policy (from three, with anyone to
        share with), else None (OW103)."""
        if self.shared and len(self.approvers) == 1 and self.policies >= MIN_POLICIES_FOR_APPROVER:
            return next(iter(self.approvers))
        return None

    def sole_collector(self, standard: StandardPeople) -> str | None:
        """The one person who collected all of a standard's current evidence, when there is
        anyone to share with (OW102)."""
        return standard.sole_collector if self.shared else None


def key_people(repo: Repository, position: Position) -> KeyPeople:
    org = repo.organisation

    def who(name: str) -> str:
        return org.person_for(name) if org else name

    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    collected: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)  # evidence id -> person
    titles: dict[tuple[str, str], str] = {}
    for state in position.claims.values():
        if not state.policy.active_on(position.as_of):
            continue
        for ref in state.claim.meets:
            item = repo.items.get(ref)
            if item is None:
                continue
            key = (item.framework, item.standard)
            titles[key] = item.standard_title
            owners[key].add(who(state.claim.owner))
            if state.current and state.latest_pass is not None:
                collected[key][state.latest_pass.id] = who(state.latest_pass.by)
    order = {(i.framework, i.standard): n for n, i in enumerate(
        sorted(repo.items.values(), key=lambda i: _standard_order(i.standard)))}
    standards = tuple(
        StandardPeople(fw, std, titles[(fw, std)], tuple(sorted(owners[(fw, std)])),
                       tuple(sorted(set(collected[(fw, std)].values()))),
                       len(collected[(fw, std)]))
        for fw, std in sorted(owners, key=lambda k: (order.get(k, 1 << 30), k)))
    approvers: dict[str, list[str]] = defaultdict(list)
    for policy in repo.policies:
        if policy.active_on(position.as_of) and policy.approved_by:
            approvers[who(policy.approved_by)].append(policy.id)
    conflicts = []
    if org is not None:
        for first, second in org.settings.separate_roles:
            a, b = org.roles.get(first), org.roles.get(second)
            if a is not None and a == b:
                loc = org.role_locs.get(first) or org.role_locs.get(second) or org.loc
                conflicts.append(RoleConflict(a, (first, second), loc))
    return KeyPeople(standards, {p: tuple(ids) for p, ids in sorted(approvers.items())},
                     sum(len(ids) for ids in approvers.values()), tuple(conflicts),
                     len(position.training.people))


def _standard_order(standard: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 1 << 30 for part in standard.split("."))
