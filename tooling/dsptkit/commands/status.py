"""``dspt status``: the compliance position per standard."""

from __future__ import annotations

import argparse

from dsptkit.commands._shared import check_run, write
from dsptkit.report.status import format_json, format_text


def run(args: argparse.Namespace) -> int:
    result = check_run(args)
    write(format_json(result) if args.format == "json" else format_text(result))
    if result.errors:
        # the position of a broken repository cannot be trusted: say so, and fail
        import sys
        print(f"dspt: {result.errors} error(s) in the repository; run 'dspt check' to see them. "
              "The position above may be wrong.", file=sys.stderr)
        return 1
    return 0
