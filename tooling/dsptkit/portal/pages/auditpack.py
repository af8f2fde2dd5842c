"""The audit pack: the whole submission on one page for "print to PDF": every item with its
status, every claim of an approved policy with its evidence, and every approved policy's
text."""

from __future__ import annotations

from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView
from dsptkit.status import ItemStatus


def page(view: SiteView) -> Page:
    pos = view.pos
    active = [p for p in view.repo.policies if p.active]
    return Page("audit-pack.md", "Audit pack", "audit_pack.html", {
        "name": view.organisation.name if view.organisation else "evidence repository",
        "position": pos,
        "items": [s for s in pos.items.values() if s.item.framework == "dspt"
                  and s.status is not ItemStatus.NOT_APPLICABLE],
        "policies": [(p, [pos.claims[c.id] for c in p.claims], view.document(p.loc.path))
                     for p in active],
    }, {"search": {"exclude": True}})
