"""The gaps page: every open finding, grouped by what someone must do, with one rule's
repeated findings in a group summarised as one line (the 37 claims of untouched starter
policies are one "approve draft policies" line, not 37); then the improvement plan and what
is waived."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from dsptkit.model import Severity
from dsptkit.portal.site import Page
from dsptkit.portal.view import SiteView
from dsptkit.rules import REGISTRY, Result, Rule


@dataclass(frozen=True)
class Action:
    key: str
    title: str  # what someone must do
    advice: str
    codes: tuple[str, ...]  # the rules whose findings this action closes


# What someone must do about each rule's findings, in the order the page lists them. The one
# place the grouping lives: a rule not named here falls under "Other".
ACTIONS = (
    Action("approve", "Approve draft policies",
           "Only approved policies count. Review each draft, adapt it to how you work, and "
           "approve it (or move its claims into an approved policy).", ("PO102",)),
    Action("collect", "Collect evidence",
           "A mandatory item needs an approved policy claim backed by evidence: write the "
           "claim where none exists, then record the evidence.", ("CO101", "CL101", "CL104")),
    Action("renew", "Renew expired evidence",
           "The newest passing evidence is older than the claim allows, or the certificate "
           "has expired: repeat the check and record it.", ("CL102", "EV102")),
    Action("fix", "Fix failing controls",
           "The newest evidence found the control failing: fix it, then record a passing "
           "re-test.", ("CL103",)),
    Action("review", "Review overdue and changed policies",
           "Review the policy and record the new approval (version and date) in the same "
           "change.", ("PO101", "HI004", "HI005")),
    Action("registers", "Bring the registers up to date",
           "Training, asset support, supplier checks and each register's yearly review.",
           ("RG101", "RG102", "RG103", "RG104")),
    Action("other", "Other", "Everything else the check found.", ()),
)
REPEATED = 4  # this many findings of one rule in one group are summarised as one line
_ACTION_OF = {code: action for action in ACTIONS for code in action.codes}
_OTHER = ACTIONS[-1]


@dataclass(frozen=True)
class Repeated:
    rule: Rule
    results: list[Result]
    items: int  # how many catalogue items they concern
    files: int  # how many files they are in
    mandatory: bool  # whether any concerns a mandatory item


@dataclass(frozen=True)
class Group:
    action: Action
    count: int
    repeated: list[Repeated]  # one line each, with the findings listed under it
    single: list[Result]  # a line each


def action_of(code: str) -> Action:
    return _ACTION_OF.get(code, _OTHER)


def groups(view: SiteView) -> list[Group]:
    """Open findings (errors never reach a built portal) by action; mandatory items first."""
    mandatory = {ref for ref, s in view.pos.items.items() if s.mandatory}
    by_action: dict[str, dict[str, list[Result]]] = defaultdict(lambda: defaultdict(list))
    for res in view.run.results:
        if res.severity is not Severity.ERROR:
            by_action[action_of(res.code).key][res.code].append(res)
    found = []
    for action in ACTIONS:
        by_code = by_action.get(action.key)
        if not by_code:
            continue
        repeated, single = [], []
        for code, results in sorted(by_code.items()):
            if len(results) >= REPEATED:
                repeated.append(Repeated(REGISTRY[code], results,
                                         len({ref for r in results for ref in r.items}),
                                         len({r.loc.path for r in results}),
                                         any(set(r.items) & mandatory for r in results)))
            else:
                single += results
        single.sort(key=lambda r: (not (set(r.items) & mandatory), r.code, r.sort_key))
        repeated.sort(key=lambda r: (not r.mandatory, r.rule.code))
        found.append(Group(action, sum(len(r) for r in by_code.values()), repeated, single))
    return found


def page(view: SiteView) -> Page:
    mandatory = frozenset(ref for ref, s in view.pos.items.items() if s.mandatory)
    plans = sorted((s for s in view.pos.claims.values() if s.claim.planned and s.policy.active),
                   key=lambda s: s.claim.target or date.max)
    return Page("gaps.md", "Gaps and improvement plan", "gaps.html", {
        "groups": groups(view), "mandatory": mandatory, "plans": plans,
        "waived": view.run.waived, "repeated": REPEATED,
    })
