"""The registers: people and their training (exactly as the RG101 rule counts it), assets
and their support, suppliers and their checks, incidents, and each register's review.

A public build shows counts and status: people as counts per role, assets as counts per
support status, incidents as counts and their lessons. Each register's rows and columns
come back field by field as the build's :class:`~dsptkit.portal.public.Exposure` allows
(an internal build shows every one)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from dsptkit.datamap import ContractStanding, contract_standing
from dsptkit.model import Incident, Person
from dsptkit.portal.site import Page
from dsptkit.portal.view import Badge, SiteView
from dsptkit.standing import (
    TRAINING_BAR,
    AssetState,
    Checked,
    Employment,
    SupplierState,
    Support,
    employment,
)

SUPPORT_CSS = {Support.UNSUPPORTED: "not-met", Support.ENDING: "at-risk",
               Support.SUPPORTED: "met", Support.UNKNOWN: "na"}
CHECKED_CSS = {Checked.CHECKED: "met", Checked.OVERDUE: "not-met", Checked.NEVER: "not-met"}
NO_ROLE = "no role recorded"


@dataclass(frozen=True)
class Member:
    person: Person
    employment: Employment
    last_trained: date | None
    training: Badge


@dataclass(frozen=True)
class Role:
    role: str
    current: int
    trained: int  # current people whose training is in date
    starting: int  # people who start after the as-of date (not counted yet)


@dataclass(frozen=True)
class SupportCount:
    badge: Badge
    assets: int
    personal_data: int  # of them, holding personal data


def page(view: SiteView) -> Page:
    pos, shown = view.pos, view.exposure
    members = people(view)
    incidents = [i for i in view.repo.entries("incidents") if isinstance(i, Incident)]
    assets = [(s, Badge(SUPPORT_CSS[s.support], str(s.support))) for s in pos.assets]
    standings = {id(v.supplier): v.contract for v in pos.datamap.suppliers}
    return Page("registers.md", "Registers", "registers.html", {
        "training": pos.training, "percent": view.training_percent(),
        "bar": round(100 * TRAINING_BAR), "registered": bool(view.repo.registers.get("people")),
        "people": members if shown.people else None, "roles": roles(members),
        "people_fields": shown.people,
        "assets": assets if shown.assets else None, "support": support(assets),
        "asset_fields": shown.assets,
        "suppliers": [(s, Badge(CHECKED_CSS[s.checked], str(s.checked)),
                       contract_badge(s, standings, pos.as_of)) for s in pos.suppliers],
        "incidents": incidents if shown.incidents else None, "incident_fields": shown.incidents,
        "open_incidents": sum(1 for i in incidents if not i.closed),
        "reported_incidents": sum(1 for i in incidents if i.reported_to),
        "incident_count": len(incidents),
        "lessons": [i.lessons for i in incidents if i.lessons],
        "reviews": pos.registers,
    })


def contract_badge(state: SupplierState, standings: dict[int, ContractStanding],
                   as_of: date) -> Badge:
    """The supplier's contract as the data map stands it (current and covering data
    protection, expired, not recorded ...)."""
    standing = standings.get(id(state.supplier))
    if standing is None:  # a second entry of the same name: the map follows the first
        standing = contract_standing(state.supplier, as_of)
    return Badge("met" if standing.ok else "not-met", str(standing))


def people(view: SiteView) -> list[Member]:
    training = view.pos.training
    dates = "dates" in view.exposure.people
    members = []
    for person in view.repo.people.values():
        status = employment(person, view.as_of)
        last = training.last_completed.get(person.id)
        if status is Employment.STARTING:
            badge = Badge("na", f"starts {person.started.isoformat()}" if person.started and dates
                          else "starts later")
        elif status is Employment.LEFT:
            badge = Badge("na", "left")
        elif person.id in training.in_date:
            badge = Badge("met", "in date")
        else:
            badge = Badge("not-met", "not in date")
        members.append(Member(person, status, last, badge))
    return members


def roles(members: list[Member]) -> list[Role]:
    """Current people, trained and starting, per role: who they are is not shown."""
    current: Counter[str] = Counter()
    trained: Counter[str] = Counter()
    starting: Counter[str] = Counter()
    for member in members:
        role = member.person.role or NO_ROLE
        if member.employment is Employment.CURRENT:
            current[role] += 1
            trained[role] += member.training.css == "met"
        elif member.employment is Employment.STARTING:
            starting[role] += 1
    return [Role(role, current[role], trained[role], starting[role])
            for role in sorted(set(current) | set(starting), key=str.lower)]


def support(assets: list[tuple[AssetState, Badge]]) -> list[SupportCount]:
    """How many assets have each support status, worst first."""
    found = []
    for status in (Support.UNSUPPORTED, Support.ENDING, Support.UNKNOWN, Support.SUPPORTED):
        states = [state for state, _badge in assets if state.support is status]
        if states:
            found.append(SupportCount(Badge(SUPPORT_CSS[status], str(status)), len(states),
                                      sum(1 for s in states if s.asset.holds_personal_data)))
    return found
