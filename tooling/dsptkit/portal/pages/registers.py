"""The registers: people and their training (exactly as the RG101 rule counts it), assets
and their support, suppliers and their checks, incidents, and each register's review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dsptkit.model import Person
from dsptkit.portal.site import Page
from dsptkit.portal.view import Badge, SiteView
from dsptkit.standing import TRAINING_BAR, Checked, Employment, Support, employment

SUPPORT_CSS = {Support.UNSUPPORTED: "not-met", Support.ENDING: "at-risk",
               Support.SUPPORTED: "met", Support.UNKNOWN: "na"}
CHECKED_CSS = {Checked.CHECKED: "met", Checked.OVERDUE: "not-met", Checked.NEVER: "not-met"}


@dataclass(frozen=True)
class Member:
    person: Person
    employment: Employment
    last_trained: date | None
    training: Badge


def page(view: SiteView) -> Page:
    pos = view.pos
    return Page("registers.md", "Registers", "registers.html", {
        "training": pos.training, "percent": view.training_percent(),
        "bar": round(100 * TRAINING_BAR), "people": people(view),
        "assets": [(s, Badge(SUPPORT_CSS[s.support], str(s.support))) for s in pos.assets],
        "suppliers": [(s, Badge(CHECKED_CSS[s.checked], str(s.checked))) for s in pos.suppliers],
        "incidents": view.repo.entries("incidents"), "reviews": pos.registers,
    })


def people(view: SiteView) -> list[Member]:
    training = view.pos.training
    members = []
    for person in view.repo.people.values():
        status = employment(person, view.as_of)
        last = training.last_completed.get(person.id)
        if status is Employment.STARTING:
            badge = Badge("na", f"starts {person.started.isoformat()}" if person.started
                          else "starts later")
        elif status is Employment.LEFT:
            badge = Badge("na", "left")
        elif person.id in training.in_date:
            badge = Badge("met", "in date")
        else:
            badge = Badge("not-met", "not in date")
        members.append(Member(person, status, last, badge))
    return members
