"""Rules about policies: approval, review, and claims that only drafts make."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from dsptkit.model import Claim, Policy
from dsptkit.rules.base import Context, Result, result, rule


@rule("PO001")
def approved_without_approval(ctx: Context) -> Iterator[Result]:
    """A policy says `status: approved` but does not say who approved it and when."""
    for policy in ctx.repo.policies:
        if policy.status == "approved" and not (policy.approved_by and policy.approved_on):
            missing = " and ".join(name for name, value in (("by", policy.approved_by),
                                                            ("on", policy.approved_on))
                                   if not value)
            yield result("PO001", policy.approved_loc if policy.approved_loc.line > 1
                         else policy.loc, f"policy {policy.id} is approved but 'approved' has no "
                                          f"'{missing}'", subject=policy.id)


@rule("PO101")
def overdue_reviews(ctx: Context) -> Iterator[Result]:
    """An approved policy is past its review date."""
    for state in ctx.position.policies.values():
        if state.overdue and state.review_due is not None:
            policy = state.policy
            yield result("PO101", policy.approved_loc, f"policy {policy.id} was due for review on "
                                                       f"{state.review_due.isoformat()}",
                         subject=policy.id)


@rule("PO102", needs=("policies", "standards"))
def items_claimed_only_by_inactive_policies(ctx: Context) -> Iterator[Result]:
    """A catalogue item is claimed only by a draft or retired policy."""
    active: set[str] = set()
    inactive: dict[str, list[tuple[Policy, Claim]]] = defaultdict(list)
    for policy in ctx.repo.policies:
        for claim in policy.claims:
            for ref in claim.meets:
                if policy.active:
                    active.add(ref)
                elif not _untouched_starter(policy):  # PO103 sums those up in one finding
                    inactive[ref].append((policy, claim))
    for ref, pairs in sorted(inactive.items()):
        if ref in active or ref not in ctx.repo.items:
            continue
        for policy, claim in pairs:
            yield result("PO102", claim.loc, f"{ref} is claimed only by {policy.status} policy "
                                             f"{policy.id} (claim {claim.id}), so it counts as "
                                             "unclaimed", subject=claim.id, items=(ref,))


def _untouched_starter(policy: Policy) -> bool:
    return policy.starter and not policy.active


@rule("PO103", needs=("policies",))
def untouched_starters(ctx: Context) -> Iterator[Result]:
    """Starter policies from dspt init are still drafts as it wrote them."""
    starters = [p for p in ctx.repo.policies if _untouched_starter(p)]
    if not starters:
        return
    items = tuple(sorted({ref for p in starters for c in p.claims for ref in c.meets
                          if ref in ctx.repo.items}))
    names = ", ".join(p.id for p in starters[:6]) + (" …" if len(starters) > 6 else "")
    yield result("PO103", starters[0].loc,
                 f"{len(starters)} starter polic{'ies are' if len(starters) != 1 else 'y is'} "
                 f"still {'drafts' if len(starters) != 1 else 'a draft'} as dspt init wrote "
                 f"{'them' if len(starters) != 1 else 'it'} ({names}), so the "
                 f"{len(items)} items {'they claim' if len(starters) != 1 else 'it claims'} "
                 "count as unclaimed: make each your own and approve it, or adopt your own "
                 "documents (dspt adopt --replace-starters)", items=items)
