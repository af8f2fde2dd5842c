"""``dspt check``: lint the repository and print results."""

from __future__ import annotations

import argparse
import sys

from dsptkit import pipeline
from dsptkit.commands._shared import check_run, repository_root, write
from dsptkit.errors import UsageError
from dsptkit.rules.table import prefix_problem


def run(args: argparse.Namespace) -> int:
    for prefixes, ignoring in ((args.select or (), False), (args.ignore, True)):
        for prefix in prefixes:
            why = prefix_problem(prefix, ignoring)
            if why is not None:
                raise UsageError(why)
    brief = getattr(args, "brief", False)
    if brief and args.format != "text":
        raise UsageError(f"--brief is a text output (for the commit hook); it cannot be "
                         f"combined with --format {args.format}")
    if getattr(args, "staged", False):  # what the next commit would hold: git's index
        result = pipeline.run(repository_root(args), args.as_of, select=args.select,
                              ignore=args.ignore, staged=True)
    else:
        result = check_run(args, args.select, args.ignore)
    if args.format == "json":
        from dsptkit.report.json import format_check
    elif args.format == "sarif":
        from dsptkit.report.sarif import format_check
    elif args.format == "github":
        from dsptkit.report.github import format_check
    else:
        from dsptkit.report.text import colour_wanted, format_check

        write(format_check(result, colour=colour_wanted(sys.stdout), brief=brief))
        return 1 if result.failed(args.strict) else 0
    write(format_check(result))
    return 1 if result.failed(args.strict) else 0
