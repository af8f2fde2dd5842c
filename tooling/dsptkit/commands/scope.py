"""``dspt scope``: what data, where, who touches it, and what is missing (the data map)."""

from __future__ import annotations

import argparse
import shutil
import sys

from dsptkit.commands._shared import check_run, write
from dsptkit.report.scope import WIDTH, format_json, format_text
from dsptkit.report.text import colour_wanted


def run(args: argparse.Namespace) -> int:
    result = check_run(args)
    if args.format == "json":
        write(format_json(result, args.patient_only))
    else:
        width = shutil.get_terminal_size((WIDTH, 24)).columns if _terminal() else WIDTH
        write(format_text(result, args.patient_only, colour=colour_wanted(sys.stdout),
                          width=width))
    if result.errors:
        # as dspt status: a broken repository's map cannot be trusted, so say so and fail
        print(f"dspt: {result.errors} error(s) in the repository; run 'dspt check' to see them. "
              "The map above may be incomplete.", file=sys.stderr)
        return 1
    return 0


def _terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False
