"""What several commands share: finding the repository and running the pipeline once."""

from __future__ import annotations

import argparse
import os
import sys

from dsptkit import pipeline
from dsptkit.engine import CheckRun
from dsptkit.errors import UsageError
from dsptkit.repository import ORGANISATION_FILE, find_root


def repository_root(args: argparse.Namespace):
    if args.repo is None:
        return find_root(os.getcwd())
    root = os.path.abspath(args.repo)
    if not os.path.isdir(root):
        raise UsageError(f"--repo {args.repo}: no such folder")
    if not os.path.isfile(os.path.join(root, ORGANISATION_FILE)):
        raise UsageError(f"--repo {args.repo}: no {ORGANISATION_FILE} there; is this a dsptkit "
                         "repository?")
    return root


def check_run(args: argparse.Namespace, select=None, ignore=()) -> CheckRun:
    """The one pipeline for the repository and date the command line names."""
    return pipeline.run(repository_root(args), args.as_of, select=select, ignore=ignore)


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
