"""``dspt diff BASE [HEAD]``: what a change does to the compliance position."""

from __future__ import annotations

import argparse

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root, write
from dsptkit.compare import compare


def run(args: argparse.Namespace) -> int:
    root = repository_root(args)
    # both sides through the one pipeline, history rules included, on the same date
    as_of = pipeline.assessment_date(args.as_of)
    runs = [pipeline.run(root, as_of, revision=None if revision == "WORKTREE" else revision)
            for revision in (args.base, args.head)]
    difference = compare(runs[0], runs[1], args.base, args.head)
    from dsptkit.report import diff as report

    formatter = {"text": report.format_text, "json": report.format_json,
                 "markdown": report.format_markdown}[args.format]
    write(formatter(difference))
    return 0
