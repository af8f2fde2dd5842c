"""``dspt status``: the compliance position per standard."""

from __future__ import annotations

import argparse
import sys

from dsptkit.commands._shared import check_run, write
from dsptkit.report.status import format_json, format_text
from dsptkit.report.text import colour_wanted


def run(args: argparse.Namespace) -> int:
    result = check_run(args)
    write(format_json(result) if args.format == "json"
          else format_text(result, colour=colour_wanted(sys.stdout)))
    if result.errors:
        # the position of a broken repository cannot be trusted: say so, and fail
        print(f"dspt: {result.errors} error(s) in the repository; run 'dspt check' to see them. "
              "The position above may be wrong.", file=sys.stderr)
        return 1
    return 0
