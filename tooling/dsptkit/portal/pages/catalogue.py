"""Standards, their assertions and catalogue items: the standards index, a page per
standard, a page per item (its status and why, the claims and evidence that meet it,
certificates, waivers, mappings to other frameworks, and its findings)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from dsptkit.model import CARRYING_RELATIONS, SCHEME_NAMES, Claim, Policy
from dsptkit.portal import links
from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView
from dsptkit.status import ItemState, ItemStatus

WORST_FIRST = (ItemStatus.NOT_MET, ItemStatus.PLANNED, ItemStatus.AT_RISK, ItemStatus.MET,
               ItemStatus.NOT_APPLICABLE)


@dataclass(frozen=True)
class Standard:
    framework: str
    number: str
    title: str
    states: tuple[ItemState, ...]

    @property
    def counted(self) -> tuple[ItemState, ...]:
        return tuple(s for s in self.states if s.counted)

    @property
    def met(self) -> int:
        """Mandatory items met or answered "not applicable" (as the position counts them)."""
        return sum(1 for s in self.counted if s.answered)

    @property
    def items_met(self) -> int:
        return sum(1 for s in self.states if s.status.is_met)

    @property
    def worst(self) -> ItemStatus:
        counted = self.counted
        if not counted:
            return ItemStatus.NOT_APPLICABLE
        return min((s.status for s in counted), key=WORST_FIRST.index)


@dataclass(frozen=True)
class Mapping:
    direction: str  # "maps to" or "mapped from"
    ref: str
    relation: str
    carries: bool  # whether evidence carries across it


def natural(text: str) -> tuple:
    return tuple((int(p), "") if p.isdigit() else (10**9, p)
                 for p in text.replace("A.", "").split("."))


def frameworks(view: SiteView) -> list[str]:
    return sorted({i.framework for i in view.repo.items.values()}, key=lambda f: (f != "dspt", f))


def standards(view: SiteView, framework: str) -> list[Standard]:
    groups: dict[tuple[str, str], list[ItemState]] = defaultdict(list)
    for state in view.pos.items.values():
        item = state.item
        if item.framework == framework:
            groups[(item.standard, item.standard_title)].append(state)
    return [Standard(framework, number, title, tuple(states))
            for (number, title), states in sorted(groups.items(), key=lambda kv: natural(kv[0][0]))]


def build(view: SiteView) -> list[Page]:
    mapped_from: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for known in view.repo.items.values():
        for ref, relation in known.maps_to:
            mapped_from[ref].append((known.ref, relation))
    inactive: dict[str, list[tuple[Policy, Claim]]] = defaultdict(list)
    for policy in view.repo.policies:
        if not policy.active:
            for claim in policy.claims:
                for ref in claim.meets:
                    inactive[ref].append((policy, claim))
    pages = [index(view)]
    for framework in frameworks(view):
        pages += [standard(view, s) for s in standards(view, framework)]
    pages += [item(view, state, mapped_from, inactive) for state in view.pos.items.values()]
    return pages


def index(view: SiteView) -> Page:
    groups = []
    for framework in frameworks(view):
        known = view.repo.frameworks.get(framework)
        groups.append({"id": framework, "framework": known,
                       "title": known.title if known else framework,
                       "standards": standards(view, framework)})
    return Page("standards/index.md", "Standards", "standards.html", {"frameworks": groups})


def standard(view: SiteView, std: Standard) -> Page:
    by_assertion: dict[tuple[str, str], list[ItemState]] = defaultdict(list)
    for state in std.states:
        by_assertion[(state.item.assertion, state.item.assertion_title)].append(state)
    assertions = [(number, title, states) for (number, title), states in
                  sorted(by_assertion.items(), key=lambda kv: natural(kv[0][0]))]
    return Page(links.standard(std.framework, std.number), f"{std.number}. {std.title}",
                "standard.html", {"standard": std, "framework": view.repo.frameworks.get(std.framework),
                                  "assertions": assertions})


def item(view: SiteView, state: ItemState, mapped_from: dict[str, list[tuple[str, str]]],
         inactive: dict[str, list[tuple[Policy, Claim]]]) -> Page:
    it = state.item
    waivers = [w for w in (view.organisation.waivers if view.organisation else ())
               if w.item == it.ref]
    waived = [(r, w) for r, w in view.run.waived if it.ref in r.items]
    maps = [Mapping("maps to", ref, rel, rel in CARRYING_RELATIONS) for ref, rel in it.maps_to]
    maps += [Mapping("mapped from", ref, rel, rel in CARRYING_RELATIONS or rel == "subset")
             for ref, rel in mapped_from.get(it.ref, [])]
    return Page(links.item(it.ref), f"{it.ref} {it.title}", "item.html", {
        "state": state, "item": it,
        "weak_claims": [cs for cs in state.claims if not cs.standing.counts],
        "exempt_by": [SCHEME_NAMES.get(s, s) for s in it.exempt_by],
        "inactive": inactive.get(it.ref, []), "waivers": waivers, "waived": waived,
        "mappings": maps, "findings": view.results_by_item.get(it.ref, []),
    })
