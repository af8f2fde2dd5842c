"""What a change does to the compliance position: two check runs in, the differences out."""

from __future__ import annotations

from dataclasses import dataclass, field

from dsptkit.engine import CheckRun
from dsptkit.model import Severity


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
    diff = Difference(base, head, (before.position.overall.value, after.position.overall.value))
    b_items, a_items = before.position.items, after.position.items
    def order(ref: str) -> tuple:
        framework, _, ident = ref.partition(":")
        return (framework != "dspt", framework,
                *((int(p), "") if p.isdigit() else (10**9, p) for p in ident.split(".")))

    for ref in sorted(set(b_items) | set(a_items), key=order):
        old = b_items[ref].status.value if ref in b_items else "absent"
        new = a_items[ref].status.value if ref in a_items else "absent"
        if old != new:
            title = (a_items.get(ref) or b_items[ref]).item.title
            diff.items.append((ref, title, old, new))
    b_claims = {c.id: c for c in before.repo.claims}
    a_claims = {c.id: c for c in after.repo.claims}
    diff.claims_added = [(i, a_claims[i].says) for i in sorted(set(a_claims) - set(b_claims))]
    diff.claims_removed = [(i, b_claims[i].says) for i in sorted(set(b_claims) - set(a_claims))]
    for ident in sorted(set(a_claims) & set(b_claims)):
        old, new = b_claims[ident], a_claims[ident]
        changes = [name for name, x, y in (
            ("says", old.says, new.says), ("meets", old.meets, new.meets),
            ("evidence_every", str(old.evidence_every), str(new.evidence_every)),
            ("status", old.planned, new.planned), ("target", old.target, new.target),
            ("owner", old.owner, new.owner)) if x != y]
        if changes:
            diff.claims_changed.append((ident, ", ".join(changes)))
    b_ev = {e.id: e for e in before.repo.evidence}
    a_ev = {e.id: e for e in after.repo.evidence}
    diff.evidence_added = [(i, a_ev[i].title) for i in sorted(set(a_ev) - set(b_ev))]
    diff.evidence_removed = [(i, b_ev[i].title) for i in sorted(set(b_ev) - set(a_ev))]
    for ident in sorted(set(a_ev) & set(b_ev)):
        old, new = b_ev[ident], a_ev[ident]
        changes = [name for name, x, y in (
            ("collected", old.collected, new.collected), ("outcome", old.outcome, new.outcome),
            ("supports", old.supports, new.supports), ("title", old.title, new.title),
            ("attachments", [(f.path, f.actual_sha256) for f in old.files],
             [(f.path, f.actual_sha256) for f in new.files])) if x != y]
        if changes:
            diff.evidence_changed.append((ident, ", ".join(changes)))
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
