"""Rules that read git history: backdated or altered evidence, policies changed without a new
approval, self-approval. They run only where git history is available; the check says when
it is not."""

from __future__ import annotations

from collections.abc import Iterator

from dsptkit.model import Loc
from dsptkit.rules.base import Context, Result, result, rule


def _first_commit(ctx: Context, path: str):  # type: ignore[no-untyped-def]
    commits = ctx.history.of(path) if ctx.history else []
    return commits[-1] if commits else None


@rule("HI001", needs=("history",))
def backdated_evidence(ctx: Context) -> Iterator[Result]:
    """Evidence says it was collected long before it first entered the repository."""
    allowance = ctx.repo.settings.backdating_days
    for evidence in ctx.repo.evidence:
        if evidence.adopted_from:
            continue  # a record brought in by dspt adopt keeps its true date: adoption is late
        first = _first_commit(ctx, evidence.loc.path)
        if first is None:
            continue
        late = (first.committed.date() - evidence.collected).days
        if late > allowance:
            yield result("HI001", evidence.collected_loc,
                         f"evidence {evidence.id} says collected {evidence.collected.isoformat()} "
                         f"but first entered the repository {late} days later, on "
                         f"{first.committed.date().isoformat()} (commit {first.short})",
                         subject=evidence.id)


@rule("HI002", needs=("history",))
def evidence_before_collection(ctx: Context) -> Iterator[Result]:
    """Evidence entered the repository before the date it says it was collected."""
    for evidence in ctx.repo.evidence:
        first = _first_commit(ctx, evidence.loc.path)
        if first is not None and first.committed.date() < evidence.collected:
            yield result("HI002", evidence.collected_loc,
                         f"evidence {evidence.id} says collected {evidence.collected.isoformat()} "
                         f"but was committed on {first.committed.date().isoformat()} "
                         f"(commit {first.short})", subject=evidence.id)


@rule("HI003", needs=("history",))
def attachments_changed_in_history(ctx: Context) -> Iterator[Result]:
    """An attachment was changed by a commit after the one that added it."""
    for evidence in ctx.repo.evidence:
        for att in evidence.files:
            commits = ctx.history.of(att.repo_path) if ctx.history and att.repo_path else []
            for commit in reversed(commits[:-1]):  # every commit after the first, oldest first
                yield result("HI003", att.loc,
                             f"attachment '{att.path}' of {evidence.id} was changed in commit "
                             f"{commit.short} on {commit.committed.date().isoformat()} by "
                             f"{commit.author} ('{commit.message}')", subject=evidence.id)


@rule("HI004", needs=("history",))
def policies_changed_without_approval(ctx: Context) -> Iterator[Result]:
    """An approved policy changed after its last approval without a new version and date.

    A change that only sets or moves the review date (``next_review:``, as ``dspt due
    --apply`` writes it) is a schedule decision, not new policy words, so it is not counted.
    """
    for policy in ctx.repo.policies:
        changes = [change for change in ctx.policy_changes.get(policy.loc.path, [])
                   if not change.schedule_only]
        if not policy.active or not changes:
            continue
        approvals = [i for i, change in enumerate(changes) if change.approval]
        if policy.adopted_from and changes[0].commit is not None:
            approvals = [0, *approvals]  # the text as adopted is the baseline: later edits count
        since = changes[approvals[-1] + 1:] if approvals else changes[1:]
        if not since:
            continue
        latest = since[-1]
        where = f"commit {latest.commit.short} on {latest.commit.committed.date().isoformat()}" \
            if latest.commit else "uncommitted edits"
        count = f" ({len(since)} changes)" if len(since) > 1 else ""
        yield result("HI004", policy.approved_loc if policy.approved_loc.line > 1 else policy.loc,
                     f"policy {policy.id} changed ({where}){count} after its approval, without "
                     "a new version and approval date", subject=policy.id)


@rule("HI005", needs=("history",))
def self_approved_policies(ctx: Context) -> Iterator[Result]:
    """A policy was approved by the person who last changed it."""
    org = ctx.repo.organisation
    if org is None or not org.settings.separation_of_duties or ctx.history is None:
        return
    by_email = {str(p.email).lower(): p.id for p in ctx.repo.people.values() if p.email}
    by_name = {p.name.lower(): p.id for p in ctx.repo.people.values()}
    for policy in ctx.repo.policies:
        # the last commit that changed the policy's words: moving next_review is a schedule
        # decision (dspt due --apply), not authorship
        changed = [c.commit for c in ctx.policy_changes.get(policy.loc.path, [])
                   if c.commit is not None and not c.schedule_only]
        if not policy.active or not policy.approved_by or not changed:
            continue
        last = changed[-1]
        author = by_email.get(last.email.lower()) or by_name.get(last.author.lower())
        approver = org.person_for(policy.approved_by)
        if author is not None and author == approver:
            yield result("HI005", policy.approved_loc,
                         f"policy {policy.id} was approved by {approver}, who also made its last "
                         f"change (commit {last.short})", subject=policy.id)


@rule("HI010", needs=("history",))
def shallow_history(ctx: Context) -> Iterator[Result]:
    """The repository is a shallow clone, so the history rules see only recent commits."""
    if ctx.history is not None and ctx.history.shallow:
        yield result("HI010", Loc("organisation.yaml"), ctx.history.note or "shallow clone")
