"""``dspt history``: the compliance position over time, from the files as committed."""

from __future__ import annotations

import argparse
import csv
import io
import json

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root, write
from dsptkit.engine import CheckRun
from dsptkit.errors import UsageError
from dsptkit.git import read_history
from dsptkit.model import Severity
from dsptkit.report import FORMAT_VERSION

MAX_POINTS = 120  # ten years by month: each point is a whole check of the repository then
FIELDS = ("when", "commit", "overall", "mandatory_met", "mandatory", "findings", "errors")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    if args.limit > MAX_POINTS:
        raise UsageError(f"--limit {args.limit} is more than {MAX_POINTS} points; ask for fewer")
    history = read_history(root)
    if not history.available:
        raise UsageError(f"no position over time: {history.note}")
    as_of = pipeline.assessment_date(args.as_of)
    # each point is the one pipeline at that commit, on that date: the same findings
    # 'dspt check' would have reported then, history rules included
    rows = [_row(point.label, point.commit.short, pipeline.run(root, point.as_of,
                                                                revision=point.commit.sha))
            for point in pipeline.points_in_time(history, as_of, args.limit, args.by)]
    if args.format == "json":
        write(json.dumps({"format_version": FORMAT_VERSION, "by": args.by, "note": history.note,
                          "rows": rows}, indent=2) + "\n")
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


def _row(when: str, commit: str, result: CheckRun) -> dict:
    position = result.position
    return {"when": when, "commit": commit, "overall": position.verdict.headline,
            "mandatory_met": position.mandatory_met, "mandatory": len(position.mandatory),
            "findings": result.count(Severity.FINDING), "errors": result.errors}
