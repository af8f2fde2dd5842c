"""``dspt portal export DIR``: write the portal's pages as Markdown, for another generator."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.writing import Plan, is_empty_dir


def run(args: argparse.Namespace) -> int:
    from dsptkit.portal.pages import build_site
    from dsptkit.portal.plugin import _with_meta
    from dsptkit.portal.timeline import build_timeline

    root = Path(repository_root(args))
    target = Path(args.directory)
    if target.exists() and not is_empty_dir(target):
        raise UsageError(f"{target} is not an empty folder; nothing was written")
    run_ = pipeline.run(root, args.as_of)
    pipeline.refuse_errors(run_, "the export is")
    site = build_site(run_, build_timeline(run_), args.internal)
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
