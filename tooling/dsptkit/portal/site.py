"""Every page of the portal, as data: a path, a plain-text title, a template and what the
template shows. Nothing here asks git: the plugin (or ``dspt portal export``) passes in
one check run and the timeline, gets back the pages and the attachments to publish (it
reads an attachment that goes out packed in a zip only when it writes it), and has
:mod:`dsptkit.portal.templating` render each page when it is needed.

The pages come from one module per family under :mod:`dsptkit.portal.pages`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from dsptkit.engine import CheckRun
from dsptkit.portal.attachments import packed_bytes
from dsptkit.portal.public import Exposure
from dsptkit.portal.timeline import TimelinePoint
from dsptkit.portal.view import SiteView

# pages reached from tables rather than the navigation: the tabs are the navigation, and
# the theme leaves out the sidebar for them (site_config/overrides/main.html)
LEAVES = ("items/", "policies/", "evidence/", "rules/", "standards/")


@dataclass(frozen=True)
class Page:
    path: str  # e.g. "policies/access-control.md"
    title: str  # plain text: every place that shows it escapes it
    template: str  # e.g. "policy.html", looked up in site_config/overrides/dspt/ first
    context: dict[str, Any]  # what the template shows: model objects, states, chart data
    meta: dict[str, Any] = field(default_factory=dict)  # hide, search: as MkDocs reads them

    def mkdocs_meta(self) -> dict[str, Any]:
        """The page's meta as MkDocs (and generators like it) read it. They treat a title as
        HTML (Material prints it raw in ``<title>`` and the header), so it goes in escaped:
        a title such as ``<img src=x onerror=...>`` then shows as text and never runs."""
        return {"title": escape(self.title), **self.meta}

    def front_matter(self) -> str:
        """:meth:`mkdocs_meta` as the YAML block that starts a Markdown file."""
        lines = [f"{key}: {json.dumps(value)}" for key, value in self.mkdocs_meta().items()]
        return "---\n" + "\n".join(lines) + "\n---\n"


@dataclass(frozen=True)
class Asset:
    path: str  # where it is published, e.g. "evidence/files/EV-1/shot.png"
    source: str  # repository-relative path of the file
    packed: str | None = None  # published as a zip holding the file under this name

    def content(self, root: Path) -> bytes | None:
        """The published bytes when they are not the file itself (a packed attachment)."""
        return packed_bytes(root / self.source, self.packed) if self.packed else None


@dataclass(frozen=True)
class Site:
    pages: list[Page]
    assets: list[Asset]
    view: SiteView  # what every template reaches as ``site``
    overall: str
    as_of: date
    public: bool


def build_site(run: CheckRun, timeline: list[TimelinePoint] | None = None,
               internal: bool = False, exposure: Exposure | None = None) -> Site:
    """All pages and assets for a check run. A public build leaves restricted evidence out
    and shows of people, assets and incidents what ``exposure`` allows (counts and status
    only by default); an internal build shows everything."""
    from dsptkit.portal.pages import (
        auditpack,
        catalogue,
        dashboard,
        datamap,
        evidence,
        gaps,
        policies,
        registers,
        rules,
    )

    view = SiteView(run, internal, exposure)
    evidence_pages, assets = evidence.build(view)
    pages = [dashboard.page(view, timeline or []), *catalogue.build(view),
             *policies.build(view), *evidence_pages, gaps.page(view), registers.page(view),
             datamap.page(view), *rules.build(view), auditpack.page(view)]
    if internal:  # the submission draft names restricted evidence and people: never public
        from dsptkit.portal.pages import submission
        pages.append(submission.page(view))
    for page in pages:  # the tabs are the navigation; pages use the full width
        hide = page.meta.setdefault("hide", [])
        if "navigation" not in hide:
            hide.append("navigation")
        if page.path.startswith(LEAVES) and not page.path.endswith("index.md"):
            page.meta["dspt_leaf"] = True
    return Site(pages, assets, view, run.position.verdict.headline, run.position.as_of,
                not internal)
