"""What a change does to the compliance position: two check runs in, the differences out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dsptkit.engine import CheckRun
from dsptkit.model import Severity
from dsptkit.status import ref_order


@dataclass
class Difference:
    base: str
    head: str
    overall: tuple[str, str]
    items: list[tuple[str, str, str, str]] = field(default_factory=list)  # ref, title, before, after
    claims_added: list[tuple[str, str]] = field(default_factory=list)  # id, says
    claims_removed: list[tuple[str, str]] = field(default_factory=list)
    claims_changed: list[tuple[str, str]] = field(default_factory=list)  # id, what
    evidence_added: list[tuple[str, str]] = field(default_factory=list)  # id, title
    evidence_removed: list[tuple[str, str]] = field(default_factory=list)
    evidence_changed: list[tuple[str, str]] = field(default_factory=list)  # id, what
    policies: list[tuple[str, str]] = field(default_factory=list)  # id, what changed
    new_results: list[tuple[str, str, str, str]] = field(default_factory=list)  # severity, code, where, message
    resolved_results: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.items, self.claims_added, self.claims_removed, self.claims_changed,
                        self.evidence_added, self.evidence_removed, self.evidence_changed,
                        self.policies, self.new_results, self.resolved_results)) \
            and self.overall[0] == self.overall[1]

    @property
    def new_errors(self) -> int:
        return sum(1 for r in self.new_results if r[0] == Severity.ERROR.value)


def compare(before: CheckRun, after: CheckRun, base: str, head: str) -> Difference:
    diff = Difference(base, head, (before.position.verdict.headline,
                                   after.position.verdict.headline))
    b_items, a_items = before.position.items, after.position.items
    for ref in sorted(set(b_items) | set(a_items), key=ref_order):
        old = b_items[ref].status.value if ref in b_items else "absent"
        new = a_items[ref].status.value if ref in a_items else "absent"
        if old != new:
            title = (a_items.get(ref) or b_items[ref]).item.title
            diff.items.append((ref, title, old, new))
    claim_fields = {"says": lambda c: c.says, "meets": lambda c: c.meets,
                    "evidence_every": lambda c: str(c.evidence_every),
                    "status": lambda c: c.planned, "target": lambda c: c.target,
                    "owner": lambda c: c.owner}
    diff.claims_added, diff.claims_removed, diff.claims_changed = _by_id(
        before.repo.claims, after.repo.claims, lambda c: c.says, claim_fields)
    evidence_fields = {"collected": lambda e: e.collected, "outcome": lambda e: e.outcome,
                       "supports": lambda e: e.supports, "title": lambda e: e.title,
                       "attachments": lambda e: [(f.path, f.actual_sha256) for f in e.files]}
    diff.evidence_added, diff.evidence_removed, diff.evidence_changed = _by_id(
        before.repo.evidence, after.repo.evidence, lambda e: e.title, evidence_fields)
    b_pol = {p.id: p for p in before.repo.policies}
    a_pol = {p.id: p for p in after.repo.policies}
    for ident in sorted(set(a_pol) | set(b_pol)):
        old, new = b_pol.get(ident), a_pol.get(ident)
        if old is None and new is not None:
            diff.policies.append((ident, f"added ({new.status}, version {new.version})"))
        elif new is None and old is not None:
            diff.policies.append((ident, "removed"))
        elif old is not None and new is not None:
            parts = []
            if old.version != new.version:
                parts.append(f"version {old.version} → {new.version}")
            if (old.approved_by, old.approved_on) != (new.approved_by, new.approved_on):
                when = new.approved_on.isoformat() if new.approved_on else "none"
                parts.append(f"approval → {new.approved_by or 'none'} on {when}")
            if old.status != new.status:
                parts.append(f"status {old.status} → {new.status}")
            if parts:
                diff.policies.append((ident, "; ".join(parts)))

    def key(r):  # type: ignore[no-untyped-def]
        return (r.code, r.subject, r.message)

    old_results = {key(r): r for r in before.results}
    new_results = {key(r): r for r in after.results}
    diff.new_results = [(r.severity.value, r.code, f"{r.loc.path}:{r.loc.line}", r.message)
                        for k, r in new_results.items() if k not in old_results]
    diff.resolved_results = [(r.severity.value, r.code, f"{r.loc.path}:{r.loc.line}", r.message)
                             for k, r in old_results.items() if k not in new_results]
    return diff


def _by_id(old_things, new_things, label: Callable, fields: dict[str, Callable]
           ) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """Things added, removed and changed (naming the fields that changed), matched by id."""
    old = {t.id: t for t in old_things}
    new = {t.id: t for t in new_things}
    added = [(i, label(new[i])) for i in sorted(set(new) - set(old))]
    removed = [(i, label(old[i])) for i in sorted(set(old) - set(new))]
    changed = []
    for ident in sorted(set(new) & set(old)):
        names = [name for name, get in fields.items() if get(old[ident]) != get(new[ident])]
        if names:
            changed.append((ident, ", ".join(names)))
    return added, removed, changed
