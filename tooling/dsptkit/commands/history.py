"""``dspt history``: the compliance position over time, from the files as committed."""

from __future__ import annotations

import argparse
import csv
import io
import json
from datetime import UTC, date, datetime, time

from dsptkit.commands._shared import repository_root, write
from dsptkit.engine import run_check
from dsptkit.errors import UsageError
from dsptkit.history import GitTree, month_end_commits, read_history
from dsptkit.model import Repository, Severity
from dsptkit.portal.timeline import month_ends
from dsptkit.repository import load_repository

FIELDS = ("when", "commit", "overall", "mandatory_met", "mandatory", "findings", "errors")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    history = read_history(root)
    if not history.available:
        raise UsageError(f"no position over time: {history.note}")
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    as_of = args.as_of or date.today()
    loaded: dict[str, Repository] = {}

    def at(sha: str) -> Repository:
        if sha not in loaded:
            loaded[sha] = load_repository(root, GitTree(root, sha))
        return loaded[sha]

    rows = []
    if args.by == "month":
        ends = month_ends(as_of, args.limit)
        moments = [datetime.combine(end, time(23, 59, 59), tzinfo=UTC) for end in ends]
        commits = month_end_commits(history, moments)
        for end, moment in zip(ends, moments, strict=True):
            commit = commits.get(moment)
            if commit is not None:
                rows.append(_row(end.strftime("%Y-%m"), commit.short, at(commit.sha), end))
    else:
        for commit in reversed(history.commits[: args.limit]):
            when = commit.committed.date()
            rows.append(_row(when.isoformat(), commit.short, at(commit.sha), when))
    if args.format == "json":
        write(json.dumps({"by": args.by, "note": history.note, "rows": rows}, indent=2) + "\n")
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write(buffer.getvalue())
    else:
        lines = [f"{'when':<11} {'commit':<9} {'met':>9} {'findings':>8} {'errors':>6}  position"]
        for row in rows:
            met = f"{row['mandatory_met']}/{row['mandatory']}"
            lines.append(f"{row['when']:<11} {row['commit']:<9} {met:>9} {row['findings']:>8} "
                         f"{row['errors']:>6}  {row['overall']}")
        if not rows:
            lines.append("(no commits in that period)")
        if history.note:
            lines.append(f"note: {history.note}")
        write("\n".join(lines) + "\n")
    return 0


def _row(when: str, commit: str, repo: Repository, as_of: date) -> dict:
    result = run_check(repo, as_of, as_of)
    mandatory = [s for s in result.position.items.values() if s.mandatory and not s.waived]
    return {"when": when, "commit": commit, "overall": result.position.overall.value,
            "mandatory_met": sum(1 for s in mandatory if s.status.is_met),
            "mandatory": len(mandatory), "findings": result.count(Severity.FINDING),
            "errors": result.errors}
