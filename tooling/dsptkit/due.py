"""What falls due: every dated obligation the repository knows, as of a date.

One list, made once per run from the position (``Position.schedule``): evidence that expires
per claim, planned-claim targets, policy and register reviews, data map approvals, each
person's training renewal, supplier checks, contract, certificate and vendor-support ends,
waiver expiries, open incident actions, policy sign-offs and the next publication deadline.
``dspt due`` (text, JSON, CSV, iCalendar), its plan of the year, the dashboard and the board
report all read this list; none works a date out again.

Each item has a ``key`` naming what it is about (``policy-review:access-control``): the same
thing keeps the same key from run to run whatever its date, so a calendar built from it
updates its events rather than adding new ones.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from dsptkit.datamap import MAP_REGISTERS, REGISTER_TITLES
from dsptkit.model import Loc, Organisation, Person, TrainingRecord, Waiver
from dsptkit.standing import YEAR

if TYPE_CHECKING:
    from dsptkit.status import Position


class Kind(StrEnum):
    EVIDENCE = "evidence"
    PLAN = "planned claim"
    POLICY_REVIEW = "policy review"
    REGISTER_REVIEW = "register review"
    MAP_APPROVAL = "data map approval"
    TRAINING = "training"
    SUPPLIER_CHECK = "supplier check"
    CONTRACT = "supplier contract"
    CERTIFICATE = "certificate"
    SUPPORT = "vendor support"
    WAIVER = "waiver"
    ACTION = "incident action"
    SIGN_OFF = "policy sign-off"
    DEADLINE = "publication deadline"

    @property
    def slug(self) -> str:
        return self.value.replace(" ", "-")


# the rules whose findings an overdue item of each kind is; a live waiver of one of them for
# the item's subject is shown beside it ("overdue, waived until ...")
RULES = {
    Kind.EVIDENCE: ("CL",), Kind.PLAN: ("CL",), Kind.POLICY_REVIEW: ("PO101",),
    Kind.REGISTER_REVIEW: ("RG104",), Kind.MAP_APPROVAL: ("DM107",),
    Kind.TRAINING: ("RG101",), Kind.SUPPLIER_CHECK: ("RG103",), Kind.CONTRACT: ("DM101",),
    Kind.SUPPORT: ("RG102",), Kind.ACTION: ("IN102",), Kind.SIGN_OFF: ("AK101",),
}


@dataclass(frozen=True)
class DueItem:
    when: date | None  # None: never done, so due from the start (or an action with no date)
    kind: Kind
    subject: str  # what it is about: a claim, policy or person id, a supplier's name ...
    what: str  # one line, e.g. "evidence for claim AC-1 expires"
    action: str  # what to do, e.g. "collect new evidence for AC-1 (Access control policy)"
    owner: str | None  # as written: a person id, a role, or a name
    person: str | None  # the person id behind the owner (roles resolved); None: unknown
    loc: Loc  # where to act
    overdue: bool  # past its date by the as-of date, or never done
    policy: str | None = None  # the policy it belongs to, for links
    evidence: str | None = None  # the evidence it concerns, for links
    waiver: Waiver | None = None  # a live waiver of the finding this item is, if any

    @property
    def key(self) -> str:
        """Stable across runs and dates: the kind and the subject."""
        return f"{self.kind.slug}:{self.subject}"

    def days(self, as_of: date) -> int | None:
        """Days from the as-of date to the item's date (negative: overdue by so many)."""
        return None if self.when is None else (self.when - as_of).days


@dataclass(frozen=True)
class Schedule:
    as_of: date
    items: tuple[DueItem, ...]  # overdue first (oldest first), then soonest first
    notes: tuple[str, ...]  # what could not be dated, in plain words
    deadline_known: bool  # the publication deadline is the catalogue's, not the usual 30 June

    def within(self, horizon: date, owner: str | None = None,
               organisation: Organisation | None = None) -> tuple[DueItem, ...]:
        """Overdue items and those falling due up to ``horizon``, for one owner if given (a
        person id, or a role resolved to who holds it)."""
        return tuple(item for item in self.items
                     if (item.overdue or (item.when is not None and item.when <= horizon)
                         or (item.when is None and item.kind is Kind.ACTION))
                     and (owner is None or owns(item, owner, organisation)))

    def between(self, start: date, end: date) -> tuple[DueItem, ...]:
        """Items dated from ``start`` to ``end``, both included (overdue ones too, if so dated)."""
        return tuple(i for i in self.items if i.when is not None and start <= i.when <= end)


def owns(item: DueItem, who: str, organisation: Organisation | None) -> bool:
    """Whether ``who`` (a person id or a role) is the item's owner."""
    person = organisation.person_for(who) if organisation else who
    return who in (item.owner, item.person) or person in (item.owner, item.person)


def schedule(position: Position) -> Schedule:
    repo, as_of = position.repo, position.as_of
    org = repo.organisation
    people = repo.people
    notes: list[str] = []

    by_name = {p.name.casefold(): p.id for p in people.values()}

    def person(owner: str | None) -> str | None:
        """The person id behind an owner written as an id, a role, a role's alias or a name."""
        if owner is None:
            return None
        if org is not None:
            owner = org.person_for(org.role_aliases.get(owner, owner))
        return owner if owner in people else by_name.get(owner.casefold())

    waivers = [w for w in (org.waivers if org else ()) if w.rule and w.expires >= as_of]

    def waived(kind: Kind, subject: str) -> Waiver | None:
        for waiver in waivers:
            if waiver.subject == subject and any(
                    waiver.rule.startswith(code) or code.startswith(waiver.rule)
                    for code in RULES.get(kind, ())):
                return waiver
        return None

    found: list[DueItem] = []

    def add(when: date | None, kind: Kind, subject: str, what: str, action: str,
            owner: str | None, loc: Loc, overdue: bool | None = None, **links: str | None) -> None:
        late = (when is None or when < as_of) if overdue is None else overdue
        found.append(DueItem(when, kind, subject, what, action, owner, person(owner), loc, late,
                             waiver=waived(kind, subject) if late else None, **links))

    # evidence per claim, and planned claims' targets
    for state in position.claims.values():
        claim, policy = state.claim, state.policy
        if not policy.active_on(as_of):
            continue
        where = f"{claim.id} ({policy.title})"
        if claim.planned:
            add(claim.target, Kind.PLAN, claim.id, f"planned claim {claim.id} is due to be in place",
                f"put {where} in place and collect its first evidence", claim.owner, claim.loc,
                policy=policy.id)
        elif state.latest_failure is not None:
            add(state.latest_failure.collected, Kind.EVIDENCE, claim.id,
                f"evidence for claim {claim.id} found the control failing",
                f"fix the control and collect passing evidence for {where}", claim.owner,
                claim.loc, overdue=True, policy=policy.id, evidence=state.latest_failure.id)
        elif state.expires is None:
            add(None, Kind.EVIDENCE, claim.id, f"claim {claim.id} has no evidence yet",
                f"collect evidence for {where}", claim.owner, claim.loc, policy=policy.id)
        else:
            ended = _past(state.expires, as_of, "expires", "expired")
            add(state.expires, Kind.EVIDENCE, claim.id, f"evidence for claim {claim.id} {ended}",
                f"collect new evidence for {where}", claim.owner, claim.loc, policy=policy.id,
                evidence=state.latest_pass.id if state.latest_pass else None)

    # policy reviews
    for review in position.policies.values():
        policy = review.policy
        if not policy.active_on(as_of):
            continue
        if review.review_due is None:
            notes.append(f"policy {policy.id} has no approval date or review date, so when its "
                         "review falls due is not known")
            continue
        add(review.review_due, Kind.POLICY_REVIEW, policy.id, f"review of policy {policy.id}",
            f"review the {policy.title}, have it approved and record the new version and date",
            policy.owner, policy.next_review_loc or policy.approved_loc, policy=policy.id)

    # register reviews, and the data map's approvals
    for state in position.registers:
        register = state.register
        title = REGISTER_TITLES.get(register.kind, f"{register.kind.replace('_', ' ')} register")
        if register.reviewed is not None:
            add(YEAR.after(register.reviewed), Kind.REGISTER_REVIEW, register.kind,
                f"yearly review of the {title}",
                f"review the {title} ({register.loc.path}) and record the date in 'reviewed'",
                register.owner, register.reviewed_loc or register.loc)
        elif register.kind in MAP_REGISTERS:
            notes.append(f"the {title} has no review date, so when its review falls due is not "
                         "known")
        if register.kind in MAP_REGISTERS and register.approved_on is not None:
            add(YEAR.after(register.approved_on), Kind.MAP_APPROVAL, register.kind,
                f"yearly approval of the {title}",
                f"have management approve the {title} again and record it in 'approved'",
                register.approved_by, register.approved_loc or register.loc)

    # each current person's training renewal
    training = position.training
    course_loc = training.register.loc if training.register else Loc(
        "evidence/registers/training.yaml")
    newest_record: dict[str, Loc] = {}
    for record in repo.entries("training"):
        if isinstance(record, TrainingRecord) and \
                training.last_completed.get(record.person) == record.completed:
            newest_record.setdefault(record.person, record.loc)
    for someone in training.people:
        last = training.last_completed.get(someone.id)
        if last is not None:
            add(YEAR.after(last), Kind.TRAINING, someone.id,
                f"{someone.name}'s data security training falls out of date",
                f"{someone.name} completes data security training; record it in the training "
                "register", someone.id, newest_record.get(someone.id, course_loc))
        else:
            add(someone.started, Kind.TRAINING, someone.id,
                f"{someone.name} has no data security training recorded",
                f"{someone.name} completes data security training; record it in the training "
                "register", someone.id, someone.loc, overdue=True)

    # suppliers: the yearly check, and the contract's end
    suppliers_owner = repo.registers["suppliers"].owner if "suppliers" in repo.registers else None
    for supplier_state in position.suppliers:
        supplier = supplier_state.supplier
        add(YEAR.after(supplier.checked) if supplier.checked else None, Kind.SUPPLIER_CHECK,
            supplier.name, f"yearly check of supplier {supplier.name}",
            f"check {supplier.name}'s certifications and data protection terms; record the "
            "date in 'checked'", suppliers_owner, supplier.loc)
        contract = supplier.contract
        if contract is not None and contract.expires is not None:
            add(contract.expires, Kind.CONTRACT, supplier.name,
                f"contract with {supplier.name} {_past(contract.expires, as_of, 'ends', 'ended')}",
                f"renew or replace the contract with {supplier.name} (with its data protection "
                "clauses) before it ends", suppliers_owner, contract.loc)

    # certificates (the newest of each scheme), and vendor support of assets
    for ev in position.newest_certificates.values():
        cert = ev.certificate
        if cert is not None:
            add(cert.expires, Kind.CERTIFICATE, cert.scheme,
                f"{cert.name} certificate {_past(cert.expires, as_of, 'expires', 'expired')}",
                f"renew {cert.name} before it expires and record the new certificate",
                ev.by, ev.loc, evidence=ev.id)
    for asset_state in position.assets:
        asset = asset_state.asset
        if asset.supported_until is not None:
            add(asset.supported_until, Kind.SUPPORT, asset.name,
                f"vendor support for {asset.name} {_past(asset.supported_until, as_of, 'ends', 'ended')}",
                f"upgrade or replace {asset.name}, or have the risk accepted, before support ends",
                asset.owner, asset.loc)

    # waivers
    for waiver in waivers:
        label = waiver.rule or waiver.item or "a rule"
        about = f"{label} for {waiver.subject}" if waiver.subject else label
        add(waiver.expires, Kind.WAIVER, f"{label}:{waiver.subject or ''}",
            f"waiver of {about} expires",
            f"fix what {label} finds, or have a new waiver approved before this one expires",
            waiver.approved_by, waiver.loc)

    # the learning loop: open incident actions
    for incident_state in position.incidents:
        incident = incident_state.incident
        for act in incident_state.open_actions:
            add(act.due, Kind.ACTION, f"{incident.id}#{act.index + 1}",
                f"action from {incident_state.kind} {incident.id}: {act.action}",
                "do it, then record the day it was done in 'done:'", act.owner, act.loc,
                overdue=act.due is not None and act.due < as_of)

    # staff sign-off of policies
    for row in position.acknowledgements.rows:
        if row.done:
            continue
        if row.due is None:
            continue  # the policy has no approval date: PO rules say so
        add(row.due, Kind.SIGN_OFF, f"{row.person.id}/{row.policy.id}",
            f"{row.person.name} to acknowledge {row.policy.title} version {row.policy.version}",
            f"{row.person.name} reads and acknowledges the {row.policy.title}; record it with "
            f"'dspt ack {row.person.id} {row.policy.id}'", row.person.id, row.person.loc,
            policy=row.policy.id)

    # the next publication deadline
    calendar = position.calendar
    # the catalogue's edition only when the deadline is its own: past its cycle, the next
    # deadline belongs to an edition the catalogue does not hold yet
    edition = calendar.edition if calendar.deadline_known and calendar.edition else \
        f"the cycle ending {calendar.deadline.isoformat()}"
    expected = "" if calendar.deadline_known else \
        " (the usual 30 June; the catalogue does not yet confirm this cycle's deadline)"
    siro = "siro" if org and "siro" in org.roles else None
    add(calendar.deadline, Kind.DEADLINE, str(calendar.deadline.year),  # one per year's cycle
        f"DSPT publication deadline{expected}",
        f"publish the DSPT self-assessment for {edition}: run 'dspt export' for the draft",
        siro, org.loc if org else Loc("organisation.yaml"), overdue=False)

    found.sort(key=_order)
    seen: dict[str, int] = {}
    for index, item in enumerate(found):  # two waivers of one rule for one subject, say
        seen[item.key] = seen.get(item.key, 0) + 1
        if seen[item.key] > 1:
            found[index] = replace(item, subject=f"{item.subject}#{seen[item.key]}")
    return Schedule(as_of, tuple(found), tuple(notes), calendar.deadline_known)


def _past(when: date, as_of: date, future: str, past: str) -> str:
    return past if when < as_of else future


def _order(item: DueItem) -> tuple:
    if item.overdue:
        return (0, item.when or date.min, item.kind.value, item.subject)
    if item.when is None:
        return (2, date.max, item.kind.value, item.subject)
    return (1, item.when, item.kind.value, item.subject)


def owner_name(item: DueItem, people: dict[str, Person]) -> str | None:
    """The owner as a reader knows them: the person's name, else the owner as written."""
    if item.person is not None and item.person in people:
        return people[item.person].name
    return item.owner
