"""The dashboard: the position at a glance, progress by standard, what blocks Standards
Met, what falls due in the next 60 days, staff sign-off of policies, who carries each
standard, the position month by month, and the last changes.

What falls due is the position's own schedule (``position.schedule``, the list ``dspt due``
prints); sign-off and key people are ``position.acknowledgements`` and
``position.key_people``. Nothing here works a date or a count out again: it only chooses
what this build may show of them (a public build names roles, not people, and shows no
incident's narrative unless the site widens it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dsptkit.due import DueItem, Kind
from dsptkit.model import Evidence, Policy
from dsptkit.portal import links
from dsptkit.portal.chart import Chart, Series, line_chart
from dsptkit.portal.pages.catalogue import standards
from dsptkit.portal.site import Page
from dsptkit.portal.timeline import TimelinePoint
from dsptkit.portal.view import Badge, SiteView
from dsptkit.staff import StandardPeople

DUE_WINDOW = 60  # days ahead the dashboard looks for what falls due
LAST_CHANGES = 10
CALENDAR = "due.ics"  # published with an internal build only (portal/site.py)
BOARD = "board.md"  # the board report's page, in builds that have it
ACTION = "an action following an incident or near miss"  # what a public build says of one
WITHHELD = "not published"  # a date a public build does not show


@dataclass(frozen=True)
class Due:
    """One item of the schedule as this build shows it."""

    item: DueItem
    when: str  # the date, or why there is none
    status: Badge | None  # overdue (by how long), or waived; None when not yet due
    what: str
    owner: str
    policy: Policy | None  # where to act: a policy page,
    evidence: Evidence | None  # an evidence page,
    source: str  # or the file


@dataclass(frozen=True)
class SignOffShare:
    policy: Policy
    done: int
    total: int
    overdue: int


@dataclass(frozen=True)
class Carrier:
    """One standard and who carries it, as this build may name them."""

    standard: StandardPeople
    page: str | None  # the standard's page, when this build has one
    owners: str
    collectors: str
    sole: Badge | None  # one person collected all its current evidence


def page(view: SiteView, timeline: list[TimelinePoint], published: Iterable[str] = ()) -> Page:
    """The dashboard; ``published`` is the paths of the other pages and files of this build,
    so that it links to the calendar and the board report only where the build has them."""
    pos, paths = view.pos, set(published)
    horizon = view.as_of + timedelta(days=DUE_WINDOW)
    acks, people = pos.acknowledgements, pos.key_people
    return Page("index.md", "Dashboard", "dashboard.html", {
        "name": view.organisation.name if view.organisation else "Evidence repository",
        "organisation": view.organisation, "position": pos,
        "met": pos.mandatory_met, "mandatory": len(pos.mandatory),
        "certificates": [ev for ev in pos.certificates.values() if ev.certificate],
        "standards": standards(view, "dspt"),
        "due": due(view, horizon), "window": DUE_WINDOW, "horizon": horizon,
        "due_notes": [view.redact(note) for note in pos.schedule.notes],
        "sign_off": acks if acks.policies else None,
        "sign_off_percent": 100 * acks.done // acks.total if acks.total else None,
        "sign_off_policies": sign_off(view) if view.internal else [],
        "carriers": carriers(view, paths), "key_people": pos.key_people,
        "sole_approver": view.owner(people.sole_approver) if people.sole_approver else None,
        "conflicts": [(view.owner(c.person), c.roles) for c in people.conflicts],
        "calendar": CALENDAR if CALENDAR in paths else None,
        "board": BOARD if BOARD in paths else None,
        "chart": chart(timeline, len(pos.mandatory)),
        "commits": view.history.commits[:LAST_CHANGES] if view.history else None,
    }, {"hide": ["toc"]})


def due(view: SiteView, horizon: date) -> list[Due]:
    """The schedule's items to the horizon, overdue first (its own order). A public build
    leaves out the dates it withholds elsewhere: an asset's end of support, and a person's
    dates (training is renewed a year after it was done; sign-off is due after a start)."""
    policies = {p.id: p for p in view.repo.policies}
    shown = view.exposure
    narrative = "summaries" in shown.incidents
    withheld = ({Kind.SUPPORT} if "support_dates" not in shown.assets else set()) | \
        ({Kind.TRAINING, Kind.SIGN_OFF} if "dates" not in shown.people else set())
    rows = []
    for item in view.pos.schedule.within(horizon):
        evidence = view.evidence_by_id(item.evidence) if item.evidence else None
        what = item.what if item.kind is not Kind.ACTION or narrative else ACTION
        dated = item.kind not in withheld
        when = (item.when.isoformat() if dated else WITHHELD) if item.when else "no date"
        rows.append(Due(item, when, status(item, view.as_of, dated), view.redact(what),
                        view.owner(item.owner), policies.get(item.policy or ""), evidence,
                        view.redact(item.loc.path)))
    return rows


def status(item: DueItem, as_of: date, dated: bool = True) -> Badge | None:
    """Overdue (and by how long, when dated and the date is shown), waived (until when), or
    None."""
    if not item.overdue:
        return None
    if item.waiver is not None:
        return Badge("at-risk", f"overdue, waived until {item.waiver.expires.isoformat()}")
    days = item.days(as_of)
    if days is None:
        return Badge("not-met", "overdue: never done")
    if not dated:  # how late would tell the date
        return Badge("not-met", "overdue")
    late = -days
    return Badge("not-met", f"overdue by {late} day{'s' if late != 1 else ''}" if late
                 else "overdue")


def sign_off(view: SiteView) -> list[SignOffShare]:
    """Per policy that asks, how many current people signed its current version."""
    acks, as_of = view.pos.acknowledgements, view.as_of
    found = []
    for policy in acks.policies:
        rows = acks.for_policy(policy.id)
        found.append(SignOffShare(policy, sum(1 for r in rows if r.done), len(rows),
                                  sum(1 for r in rows if r.overdue(as_of))))
    return found


def carriers(view: SiteView, paths: set[str]) -> list[Carrier]:
    """Each standard with claims: its owners and collectors by name (roles in a public build
    that shows roles), and a flag when one person collected all its current evidence."""
    found = []
    key_people = view.pos.key_people
    for standard in key_people.standards:
        sole = key_people.sole_collector(standard)
        path = links.standard(standard.framework, standard.standard)
        found.append(Carrier(standard, path if path in paths else None,
                             _people(view, standard.owners),
                             _people(view, standard.collectors),
                             Badge("at-risk", "one collector") if sole else None))
    return found


def _people(view: SiteView, people: tuple[str, ...]) -> str:
    """People as this build may show them, each once: names, or roles in a public build."""
    shown = list(dict.fromkeys(view.owner(p) for p in people))
    if not shown:
        return "—"
    if not view.show_names and len(people) > 1:  # roles may repeat: say how many people
        return f"{len(people)} people: " + ", ".join(shown)
    return ", ".join(shown)


def chart(timeline: list[TimelinePoint], mandatory: int) -> Chart | None:
    if not timeline:
        return None
    series = [Series("by the dates in today's evidence",
                     [(p.label, p.reconstructed) for p in timeline], "reconstructed")]
    if any(p.recorded is not None for p in timeline):
        series.insert(0, Series("as committed in git at each month's end",
                                [(p.label, p.recorded) for p in timeline], "recorded"))
    top = max([mandatory] + [p.reconstructed for p in timeline] +
              [p.recorded for p in timeline if p.recorded is not None])
    return line_chart(series, top, "Mandatory items met at each month's end",
                      "Month end", "Mandatory items met")
