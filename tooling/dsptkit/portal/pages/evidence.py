"""Evidence: the register (every published record with its standing: current to when,
superseded by what, expired when, failed), and a page per record with its facts, its own
text, its attachments (published as files to download, raster images shown, never run;
see :mod:`dsptkit.portal.attachments`) and its history."""

from __future__ import annotations

from dataclasses import dataclass

from dsptkit.model import AttachmentState, Evidence
from dsptkit.portal import links
from dsptkit.portal.attachments import Published, base_name, publish
from dsptkit.portal.sanitise import attachment_rewriter
from dsptkit.portal.site import Asset, Page
from dsptkit.portal.view import SiteView


@dataclass(frozen=True)
class Attached:
    name: str
    published: str | None  # where the site publishes it; None when it is not there
    image: bool  # a raster image: shown inline as well as offered for download
    packed: bool  # published in a zip of its own: a browser could run it as part of the site
    sha256: str | None  # the file's own, or the one recorded when it is missing
    check: str  # "matches", or what the loader found instead


def build(view: SiteView) -> tuple[list[Page], list[Asset]]:
    assets: list[Asset] = []
    pages = [register(view)] + [record(view, ev, assets) for ev in view.published]
    return pages, assets


def register(view: SiteView) -> Page:
    published = sorted(view.published, key=lambda ev: (ev.collected, ev.id), reverse=True)
    return Page("evidence/index.md", "Evidence register", "evidence_register.html",
                {"evidence": published, "hidden": len(view.hidden)},
                {"search": {"exclude": True}, "hide": ["toc"]})


def record(view: SiteView, ev: Evidence, assets: list[Asset]) -> Page:
    here = links.evidence(ev.id)
    readable = [att for att in ev.files if att.state is AttachmentState.OK and att.repo_path]
    where: dict[str, Published] = {}
    for published in publish(ev.id, [(base_name(att.path), att.repo_path or "")
                                     for att in readable]):
        if published.source not in where:
            where[published.source] = published
            assets.append(Asset(published.path, published.source,
                                published.name if published.packed else None))
    names: dict[str, tuple[str, bool]] = {}  # as the record's text links to it
    attached = []
    for att in ev.files:
        name = base_name(att.path)
        published = where.get(att.repo_path or "") if att.state is AttachmentState.OK else None
        if published is not None:
            names[att.path] = (links.url(here, published.path), published.preview)
            attached.append(Attached(name, published.path, published.preview, published.packed,
                                     att.actual_sha256, "matches" if att.actual_sha256 ==
                                     att.sha256 else "differs from the recorded sha256"))
        else:
            attached.append(Attached(name, None, False, False, att.sha256, str(att.state)))
    state = view.pos.evidence[ev.id]
    return Page(here, f"{ev.id} {ev.title}", "evidence.html", {
        "ev": ev, "state": state, "attachments": attached,
        "superseded_by": state.superseded_by,
        "record": view.document(ev.loc.path, attachment_rewriter(names), page=here),
        "commits": view.commits(ev.loc.path),
    }, {"hide": ["toc"]})  # short pages, ten thousand of them: no table of contents
