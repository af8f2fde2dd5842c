"""What several commands share: finding the repository and running the check once."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date

from dsptkit.engine import CheckRun, run_check
from dsptkit.errors import UsageError
from dsptkit.repository import ORGANISATION_FILE, find_root, load_repository


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
    from dsptkit.history import policy_changes, read_history

    root = repository_root(args)
    today = date.today()
    repo = load_repository(root)
    history = read_history(root)
    return run_check(repo, args.as_of or today, today, select, ignore, history,
                     policy_changes(root, history))


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
