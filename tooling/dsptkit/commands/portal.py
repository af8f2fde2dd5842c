"""``dspt portal export DIR``: write the portal's pages for another generator: each page as
a Markdown file (the YAML meta block MkDocs reads, then the page's rendered HTML), an index
``pages.json``, and the attachments the portal publishes."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.writing import Plan, is_empty_dir

SITE_CONFIG = "site_config/overrides"  # where `dspt init`'s mkdocs.yml keeps its overrides


def run(args: argparse.Namespace) -> int:
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer
    from dsptkit.portal.timeline import build_timeline

    root = Path(repository_root(args))
    target = Path(args.directory)
    if target.exists() and not is_empty_dir(target):
        raise UsageError(f"{target} is not an empty folder; nothing was written")
    run_ = pipeline.run(root, args.as_of)
    pipeline.refuse_errors(run_, "the export is")
    site = build_site(run_, build_timeline(run_), args.internal)
    renderer = Renderer(site, custom_dir(root))
    plan = Plan(target)
    for page in site.pages:
        plan.add(page.path, page.front_matter() + renderer.render(page).html)
    plan.add("pages.json", json.dumps([{"path": p.path, "title": p.title,
                                        "template": p.template, "meta": p.meta}
                                       for p in site.pages], indent=2) + "\n")
    plan.write(validate=False)  # the folder is pages for a generator, not evidence to check
    for asset in site.assets:
        destination = target / asset.path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / asset.source, destination)
    print(f"wrote {len(site.pages)} pages and {len(site.assets)} attachments to {target}")
    return 0


def custom_dir(root: Path) -> Path:
    """The theme's ``custom_dir`` from the repository's mkdocs.yml (templates overridden
    under its ``dspt/`` folder apply to the export too), else the usual place."""
    import yaml

    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        found = config["theme"]["custom_dir"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return root / SITE_CONFIG
    return root / found if isinstance(found, str) else root / SITE_CONFIG
