"""The Board report page (internal builds only): the quarterly board report of
:mod:`dsptkit.report.board` for the quarter of the build's as-of date, the same facts
``dspt report board`` writes as Markdown, and what ``dspt report board --format pdf`` prints.

It names people and reads git history for the end of the last quarter, so
:func:`dsptkit.portal.site.build_site` adds it to internal builds alone; this builder refuses
a public view as well."""

from __future__ import annotations

from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView
from dsptkit.report.board import CAP, RECONSTRUCTED, BoardReport, Quarter, build, percent

PATH = "board.md"


def page(view: SiteView, report: BoardReport | None = None) -> Page:
    """The page for ``report``, or for the quarter of the build's as-of date (the run's own
    files are the current side; git gives the end of the last quarter)."""
    if not view.internal:
        raise ValueError("the Board report page is for internal builds only")
    if report is None:
        report = build(view.run, view.repo.root, Quarter.of(view.as_of))
    return Page(PATH, "Board report", "board.html", {
        "report": report, "cap": CAP, "percent": percent, "reconstructed": RECONSTRUCTED,
        "evidence_ids": frozenset(ev.id for ev in view.repo.evidence),  # those with a page
        "policy_ids": frozenset(p.id for p in view.repo.policies),
    }, {"search": {"exclude": True}})
