"""``dspt new evidence|policy``: write a new, dated, valid file from a few options."""

from __future__ import annotations

import argparse
import hashlib
import re
from datetime import date
from pathlib import Path

from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.repository import load, load_repository
from dsptkit.writing import Plan, slugify, yaml_string


def run(args: argparse.Namespace) -> int:
    root = Path(repository_root(args))
    plan = _evidence(args, root) if args.kind == "evidence" else _policy(args, root)
    written = plan.write()
    for path in written:
        print(f"wrote {path.relative_to(root).as_posix()}")
    return 0


def _evidence(args: argparse.Namespace, root: Path) -> Plan:
    repo, report = load(root)
    claims = {claim.id: claim for claim in repo.claims}
    unknown = [c for c in args.claims if c not in claims]
    if unknown:
        known = ", ".join(sorted(claims)[:12]) or "none yet"
        raise UsageError(f"no policy makes claim {', '.join(unknown)} (known claims: {known})")
    try:
        collected = date.fromisoformat(args.collected) if args.collected else date.today()
    except ValueError:
        raise UsageError(f"--collected '{args.collected}' is not a date; write YYYY-MM-DD") \
            from None
    if collected > date.today():
        raise UsageError(f"--collected {collected.isoformat()} is in the future")
    sources = []
    for name in args.files:
        source = Path(name)
        if not source.exists():
            raise UsageError(f"attachment {name} does not exist")
        if not source.is_file():
            raise UsageError(f"attachment {name} is not a file (a folder cannot be attached; "
                             "give its files)")
        sources.append(source)
    first = claims[args.claims[0]]
    title = args.title or f"Evidence for {first.id}: {first.says}"
    title = " ".join(title.split())
    if len(title) > 100:
        title = title[:99].rstrip() + "…"
    by = args.by or first.owner
    folder = Path("evidence") / str(collected.year)
    stem = f"{collected.isoformat()}-{slugify(args.title or f'{first.id} evidence', 50)}"
    plan = Plan(root)
    lines = ["---", f"id: {_next_id(repo, report.broken_ids, collected.year)}", f"title: {yaml_string(title)}",
             f"collected: {collected.isoformat()}", f"by: {by}",
             f"supports: [{', '.join(args.claims)}]", f"outcome: {args.outcome}"]
    if args.restricted:
        lines.append("classification: restricted")
    names = set()
    if sources:
        lines.append("files:")
        for source in sources:
            data = source.read_bytes()
            name = f"{stem}-{slugify(source.stem, 40)}{source.suffix.lower()}"
            if name in names:
                raise UsageError(f"two attachments would both be named {name}; rename one")
            names.add(name)
            plan.add(folder / name, data)
            lines += [f"  - path: {name}", f"    sha256: {hashlib.sha256(data).hexdigest()}"]
    lines += ["---", f"# {title}", "", "What was checked, by whom, what was found and what "
              "changed.", ""]
    plan.files.insert(0, (root / folder / f"{stem}.md", "\n".join(lines).encode("utf-8")))
    return plan


def _next_id(repo, broken: frozenset[str], year: int) -> str:  # type: ignore[no-untyped-def]
    pattern = re.compile(rf"^EV-{year}-(\d+)$")
    numbers = [int(m.group(1)) for e in repo.evidence if (m := pattern.match(e.id))]
    numbers += [int(m.group(1)) for ident in broken if (m := pattern.match(ident))]
    return f"EV-{year}-{(max(numbers) + 1) if numbers else 1:03d}"


def _policy(args: argparse.Namespace, root: Path) -> Plan:
    policy_id = args.policy_id.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", policy_id):
        raise UsageError(f"--id '{policy_id[:90]}' should be lower-case letters, digits and "
                         "hyphens, at most 80 characters, e.g. remote-working")
    repo = load_repository(root)
    if any(p.id == policy_id for p in repo.policies):
        raise UsageError(f"a policy with id {policy_id} already exists")
    plan = Plan(root)
    plan.add(Path("policies") / f"{policy_id}.md", "\n".join([
        "---", f"id: {policy_id}", f"title: {yaml_string(args.title.strip())}", 'version: "0.1"',
        "status: draft", f"owner: {args.owner}", "review_every: 1y", "claims: []",
        "# claims:", "#   - id: XX-1", "#     says: What we do, in one sentence people can check.",
        "#     meets: [dspt:1.1.1]", "#     evidence_every: 1y", "---",
        f"# {args.title.strip()}", "", "What this policy is for, who it applies to, and what "
        "we do.", ""]))
    return plan
