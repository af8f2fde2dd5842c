"""The Submission page (internal builds only): the DSPT submission drafted from the
repository, as ``dspt export`` writes it, from the same :func:`dsptkit.submission.draft`.

It names restricted evidence and people, so :func:`dsptkit.portal.site.build_site` adds it
to internal builds alone; this builder refuses a public view as well."""

from __future__ import annotations

from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView
from dsptkit.submission import draft

PATH = "submission.md"


def page(view: SiteView) -> Page:
    if not view.internal:
        raise ValueError("the Submission page is for internal builds only")
    sub = draft(view.run)
    return Page(PATH, "Submission", "submission.html", {
        "sub": sub,
        "evidence_ids": frozenset(ev.id for ev in view.repo.evidence),  # those with a page
        "plans": [a for a in sub.action_plan if a.kind == "planned"],
        "unplanned": [a for a in sub.action_plan if a.kind != "planned"],
    }, {"search": {"exclude": True}})
