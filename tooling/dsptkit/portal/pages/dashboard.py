"""The dashboard: the position at a glance, progress by standard, what blocks Standards
Met, what falls due soon, the position month by month, and the last changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dsptkit.model import Evidence, Policy
from dsptkit.portal.chart import Chart, Series, line_chart
from dsptkit.portal.pages.catalogue import standards
from dsptkit.portal.site import Page
from dsptkit.portal.timeline import TimelinePoint
from dsptkit.portal.view import SiteView

DUE_WINDOW = 60  # days ahead the dashboard looks for what falls due
LAST_CHANGES = 10


@dataclass(frozen=True)
class Due:
    when: date
    what: str
    policy: Policy | None = None  # where to act: a policy page,
    evidence: Evidence | None = None  # an evidence page,
    source: str | None = None  # or a file


def page(view: SiteView, timeline: list[TimelinePoint]) -> Page:
    pos = view.pos
    return Page("index.md", "Dashboard", "dashboard.html", {
        "name": view.organisation.name if view.organisation else "Evidence repository",
        "organisation": view.organisation, "position": pos,
        "met": pos.mandatory_met, "mandatory": len(pos.mandatory),
        "certificates": [ev for ev in pos.certificates.values() if ev.certificate],
        "standards": standards(view, "dspt"),
        "due": due(view), "window": DUE_WINDOW,
        "chart": chart(timeline, len(pos.mandatory)),
        "commits": view.history.commits[:LAST_CHANGES] if view.history else None,
    }, {"hide": ["toc"]})


def due(view: SiteView) -> list[Due]:
    """What the position says falls due within the window: planned claims, claims whose
    evidence expires, policy reviews, certificates and waivers."""
    pos, horizon = view.pos, view.as_of + timedelta(days=DUE_WINDOW)
    found: list[Due] = []
    for state in pos.claims.values():
        claim = state.claim
        if not state.policy.active:
            continue
        if claim.planned and claim.target and claim.target <= horizon:
            found.append(Due(claim.target, f"planned claim {claim.id} due", policy=state.policy))
        elif state.expires and pos.as_of <= state.expires <= horizon:
            found.append(Due(state.expires, f"evidence for {claim.id} expires",
                             policy=state.policy))
    for review in pos.policies.values():
        if review.policy.active and review.review_due and review.review_due <= horizon:
            found.append(Due(review.review_due, "policy review" +
                             (" (overdue)" if review.overdue else ""), policy=review.policy))
    for ev in pos.certificates.values():
        if ev.certificate and ev.certificate.expires <= horizon:
            found.append(Due(ev.certificate.expires, f"{ev.certificate.name} certificate expires",
                             evidence=ev))
    for waiver in view.organisation.waivers if view.organisation else ():
        if pos.as_of <= waiver.expires <= horizon:
            found.append(Due(waiver.expires, f"waiver of {waiver.rule or waiver.item} expires",
                             source=waiver.loc.path))
    return sorted(found, key=lambda d: d.when)


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
