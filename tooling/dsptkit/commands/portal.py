"""``dspt portal export DIR``: write the portal's pages as Markdown, for another generator."""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path

from dsptkit.commands._shared import repository_root
from dsptkit.engine import run_check
from dsptkit.errors import UsageError
from dsptkit.repository import load_repository
from dsptkit.writing import Plan, is_empty_dir


def run(args: argparse.Namespace) -> int:
    from dsptkit.history import read_history
    from dsptkit.portal.pages import build_site
    from dsptkit.portal.plugin import _with_meta
    from dsptkit.portal.timeline import build_timeline

    root = Path(repository_root(args))
    target = Path(args.directory)
    if target.exists() and not is_empty_dir(target):
        raise UsageError(f"{target} is not an empty folder; nothing was written")
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        raise UsageError(f"--as-of '{args.as_of}' is not a date; write YYYY-MM-DD") from None
    run_ = run_check(load_repository(root), as_of, date.today())
    if run_.errors:
        raise UsageError(f"the repository has {run_.errors} error(s); run 'dspt check' and fix "
                         "them first")
    history = read_history(root)
    site = build_site(run_, history, build_timeline(run_.repo, str(root), as_of, history),
                      args.internal)
    plan = Plan(target)
    for page in site.pages:
        plan.add(page.path, _with_meta(page))
    plan.add("pages.json", json.dumps([{"path": p.path, "title": p.title, "meta": p.meta}
                                       for p in site.pages], indent=2) + "\n")
    plan.write()
    for asset in site.assets:
        destination = target / asset.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / asset.source, destination)
    print(f"wrote {len(site.pages)} pages and {len(site.assets)} attachments to {target}")
    return 0
