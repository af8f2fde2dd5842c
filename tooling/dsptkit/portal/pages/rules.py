"""Rules: every check ``dspt check`` runs with how often it fires now, and a page per rule
with its documentation (what it finds, why it matters, how to fix it, an example) and what
trips it in this repository."""

from __future__ import annotations

from collections import Counter

from dsptkit.portal import links
from dsptkit.portal.sanitise import Document
from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView
from dsptkit.rules import REGISTRY, Rule


def build(view: SiteView) -> list[Page]:
    counts = Counter(res.code for res in view.run.results)
    pages = [Page("rules/index.md", "Rules", "rules.html",
                  {"rules": [(r, Document(r.summary)) for r in REGISTRY.all()],
                   "counts": counts}, {"hide": ["toc"]})]
    pages += [rule(view, r) for r in REGISTRY.all()]
    return pages


def rule(view: SiteView, r: Rule) -> Page:
    why, fix = getattr(r, "why", None), getattr(r, "fix", None)
    # (heading id, heading, documentation: the rules table's text, with `code` in Markdown)
    sections = [("what-it-finds", "What it finds", Document(r.summary))]
    if why or fix:
        sections += [(key, heading, Document(text)) for key, heading, text in
                     (("why", "Why it matters", why), ("fix", "How to fix it", fix)) if text]
    elif r.doc:
        sections.append(("about", "About", Document(r.doc)))
    return Page(links.rule(r.code), f"{r.code} {r.name}", "rule.html", {
        "rule": r, "sections": sections, "example": getattr(r, "example", None),
        "results": [res for res in view.run.results if res.code == r.code],
        "waived": [(res, w) for res, w in view.run.waived if res.code == r.code],
    })
