"""``dspt diff BASE [HEAD]``: what a change does to the compliance position."""

from __future__ import annotations

import argparse
from datetime import date

from dsptkit.commands._shared import repository_root, write
from dsptkit.compare import compare
from dsptkit.engine import run_check
from dsptkit.errors import UsageError
from dsptkit.history import GitTree, resolve_revision
from dsptkit.repository import load_repository


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    as_of = date.today() if args.as_of is None else args.as_of
    runs = []
    for revision in (args.base, args.head):
        if revision == "WORKTREE":
            repo = load_repository(root)
        else:
            sha = resolve_revision(root, revision)
            if sha is None:
                raise UsageError(f"'{revision}' is not a commit in this repository (try a "
                                 "branch, tag or commit id; in a shallow clone, fetch more "
                                 "history)")
            repo = load_repository(root, GitTree(root, sha))
        runs.append(run_check(repo, as_of, date.today()))
    difference = compare(runs[0], runs[1], args.base, args.head)
    from dsptkit.report import diff as report

    formatter = {"text": report.format_text, "json": report.format_json,
                 "markdown": report.format_markdown}[args.format]
    write(formatter(difference))
    return 0
