"""Policies: the index (each policy's status says when its approval is not the whole
story), and a page per policy with its facts, open findings, each claim's standing and
evidence, the policy's own text, and its version history."""

from __future__ import annotations

from dsptkit.model import Policy
from dsptkit.portal import links
from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView


def build(view: SiteView) -> list[Page]:
    return [index(view)] + [policy(view, p) for p in view.repo.policies]


def index(view: SiteView) -> Page:
    policies = sorted(view.repo.policies, key=lambda p: p.title.lower())
    return Page("policies/index.md", "Policies", "policies.html",
                {"policies": policies, "reviews": view.pos.policies}, {"hide": ["toc"]})


def policy(view: SiteView, p: Policy) -> Page:
    return Page(links.policy(p.id), p.title, "policy.html", {
        "policy": p, "review": view.pos.policies[p.id],
        "claims": [view.pos.claims[c.id] for c in p.claims],
        "findings": view.policy_findings(p),
        "document": view.document(p.loc.path, page=links.policy(p.id)),
        "commits": view.commits(p.loc.path),
    })
