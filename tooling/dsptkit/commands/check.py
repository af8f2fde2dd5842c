"""``dspt check``: lint the repository and print results."""

from __future__ import annotations

import argparse

from dsptkit.commands._shared import check_run, write
from dsptkit.errors import UsageError
from dsptkit.rules.table import prefix_problem


def run(args: argparse.Namespace) -> int:
    for prefixes, ignoring in ((args.select or (), False), (args.ignore, True)):
        for prefix in prefixes:
            why = prefix_problem(prefix, ignoring)
            if why is not None:
                raise UsageError(why)
    result = check_run(args, args.select, args.ignore)
    if args.format == "json":
        from dsptkit.report.json import format_check
    elif args.format == "sarif":
        from dsptkit.report.sarif import format_check
    else:
        from dsptkit.report.text import format_check
    write(format_check(result))
    return 1 if result.failed(args.strict) else 0
