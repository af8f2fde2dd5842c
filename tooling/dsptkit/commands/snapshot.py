"""``dspt snapshot NAME``: freeze a submission as a record in the repository and a git tag."""

from __future__ import annotations

import argparse
import hashlib
import json
import posixpath
from datetime import date
from pathlib import Path

from dsptkit import __version__, pipeline
from dsptkit.commands._shared import repository_root
from dsptkit.errors import RepositoryError, UsageError
from dsptkit.git import (
    GitTree,
    commit_and_tag,
    read_history,
    resolve_revision,
    tag_exists,
    tag_message,
    valid_tag_name,
    working_tree_changes,
)
from dsptkit.report import FORMAT_VERSION

FOLDER = "snapshots"


def _tag(name: str) -> str:
    return f"dspt/{name}"


def run(args: argparse.Namespace) -> int:
    root = Path(repository_root(args))
    name = args.name.strip()
    if not name or any(c in name for c in " ~^:?*[\\/") or name.startswith((".", "-")):
        raise UsageError(f"'{args.name}' cannot name a snapshot: use letters, digits, '.', '-' "
                         "and '_', e.g. 2026-27")
    if not valid_tag_name(root, _tag(name)):
        raise UsageError(f"'{args.name}' cannot name a snapshot: git does not accept "
                         f"'{_tag(name)}' as a tag name; use letters, digits, '.', '-' and '_', "
                         "e.g. 2026-27")
    return _verify(root, name) if args.verify else _create(root, name, args.as_of)


def _create(root: Path, name: str, as_of: date | None) -> int:
    history = read_history(root)
    if not history.available:
        raise UsageError(f"a snapshot needs git: {history.note}")
    record_path = f"{FOLDER}/{name}.json"
    if (root / record_path).exists() or tag_exists(root, _tag(name)):
        raise UsageError(f"snapshot {name} already exists ({record_path} or tag {_tag(name)}); "
                         "a snapshot is never overwritten")
    pending = [p for p in working_tree_changes(root) or []
               if p.split("/")[0] in ("policies", "evidence", "standards", "organisation.yaml")]
    if pending:
        raise UsageError(f"commit these first, so the snapshot matches what git holds: "
                         f"{', '.join(pending[:5])}{' ...' if len(pending) > 5 else ''}")
    today = date.today()
    run_ = pipeline.run(root, as_of)
    pipeline.refuse_errors(run_, "a snapshot is")
    repo = run_.repo
    manifest = []
    for evidence in repo.evidence:
        manifest.append({"path": evidence.loc.path, "sha256": _sha(root / evidence.loc.path),
                         "evidence": evidence.id})
        for att in evidence.files:
            if att.repo_path:
                manifest.append({"path": att.repo_path, "sha256": att.actual_sha256,
                                 "evidence": evidence.id})
    for policy in repo.policies:
        manifest.append({"path": policy.loc.path, "sha256": _sha(root / policy.loc.path),
                         "policy": policy.id, "version": policy.version})
    # everything else the position is computed from: settings, waivers, roles, registers and
    # the catalogues
    inputs = {"organisation.yaml": "organisation"}
    inputs |= {register.loc.path: "register" for register in repo.registers.values()}
    inputs |= {item.loc.path: "catalogue" for item in repo.items.values()}
    for path, kind in sorted(inputs.items()):
        manifest.append({"path": path, "sha256": _sha(root / path), "input": kind})
    org = repo.organisation
    record = {
        "format_version": FORMAT_VERSION,
        "snapshot": name, "dsptkit": __version__, "as_of": run_.as_of.isoformat(),
        "taken": today.isoformat(), "commit": history.head,
        "organisation": {"name": org.name, "ods_code": org.ods_code,
                         "category": org.category} if org else None,
        "overall": run_.position.overall.value,
        "position": run_.position.verdict.statement,
        "items": [{"ref": ref, "status": s.status.value, "reason": s.reason,
                   "mandatory": s.mandatory} for ref, s in run_.position.items.items()],
        "findings": [{"code": r.code, "path": r.loc.path, "line": r.loc.line,
                      "message": r.message} for r in run_.results],
        "manifest": sorted(manifest, key=lambda m: m["path"]),
    }
    data = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    target = root / record_path
    target.parent.mkdir(exist_ok=True)
    with open(target, "xb") as handle:
        handle.write(data)
    digest = hashlib.sha256(data).hexdigest()
    try:
        commit = commit_and_tag(root, record_path, f"DSPT snapshot {name}", _tag(name),
                                f"DSPT snapshot {name}: {record['overall']} as of "
                                f"{record['as_of']}\n\nrecord sha256 {digest}\n")
    except RuntimeError as exc:
        target.unlink(missing_ok=True)
        if not any(target.parent.iterdir()):
            target.parent.rmdir()
        raise RepositoryError(f"{exc}; the snapshot was undone: nothing was committed, tagged "
                              "or left behind") from None
    print(f"snapshot {name} (as of {record['as_of']}): {record['position']} "
          f"{len(manifest)} files in the manifest; record {record_path} committed as "
          f"{commit[:8]} and tagged {_tag(name)}.\n"
          f"Rebuild the portal as submitted: git checkout {_tag(name)} && mkdocs build\n"
          f"Verify it later: dspt snapshot --verify {name}")
    return 0


def _verify(root: Path, name: str) -> int:
    tag = _tag(name)
    sha = resolve_revision(root, tag)
    if sha is None:
        raise UsageError(f"no snapshot {name}: tag {tag} does not exist")
    tree = GitTree(root, sha)
    raw = tree.read(f"{FOLDER}/{name}.json")
    if raw is None:
        print(f"FAILED: the tagged commit has no {FOLDER}/{name}.json")
        return 1
    problems = []
    message = tag_message(root, tag) or ""
    digest = hashlib.sha256(raw).hexdigest()
    if f"record sha256 {digest}" not in message:
        problems.append("the record does not match the sha256 in the tag's message")
    record = json.loads(raw)
    for entry in record.get("manifest", []):
        content = tree.read(entry["path"])
        if content is None:
            problems.append(f"{entry['path']}: missing at {tag}")
        elif hashlib.sha256(content).hexdigest() != entry["sha256"]:
            problems.append(f"{entry['path']}: content differs from the manifest")
    for problem in problems:
        print(f"FAILED: {problem}")
    if problems:
        return 1
    changed = [e["path"] for e in record["manifest"]
               if _sha(root / e["path"]) != e["sha256"]]
    print(f"snapshot {name} verified: {len(record['manifest'])} files match the manifest at "
          f"{tag} ({record['overall']} as of {record['as_of']}).")
    if changed:
        print(f"Since then, {len(changed)} of them changed in the working tree: "
              + ", ".join(posixpath.normpath(p) for p in changed[:5]))
    return 0


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
