"""``dspt check``: lint the repository and print results."""

from __future__ import annotations

import argparse

from dsptkit.commands._shared import check_run, write
from dsptkit.errors import UsageError
from dsptkit.rules import REGISTRY


def run(args: argparse.Namespace) -> int:
    known = [rule.code for rule in REGISTRY.all()]
    for prefix in (*(args.select or ()), *args.ignore):
        if not any(code.startswith(prefix) for code in known):
            raise UsageError(f"'{prefix}' matches no rule code (see 'dspt rules')")
    result = check_run(args, args.select, args.ignore)
    if args.format == "json":
        from dsptkit.report.json import format_check
    elif args.format == "sarif":
        from dsptkit.report.sarif import format_check
    else:
        from dsptkit.report.text import format_check
    write(format_check(result))
    return 1 if result.failed(args.strict) else 0
