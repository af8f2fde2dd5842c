"""``dspt portal export DIR``: write the portal's pages for another generator: each page as
a Markdown file (the YAML meta block MkDocs reads, then the page's rendered HTML), an index
``pages.json``, and the attachments the portal publishes.

The export is the same build as the site: public unless ``--internal``, showing of people,
assets and incidents what the ``public`` option of the ``dspt`` plugin in the repository's
mkdocs.yml allows (counts and status only by default)."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.writing import Plan, is_empty_dir

SITE_CONFIG = "site_config/overrides"  # where `dspt init`'s mkdocs.yml keeps its overrides


def run(args: argparse.Namespace) -> int:
    from dsptkit.portal.public import Exposure
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer
    from dsptkit.portal.timeline import build_timeline

    root = Path(repository_root(args))
    target = Path(args.directory)
    if target.exists() and not is_empty_dir(target):
        raise UsageError(f"{target} is not an empty folder; nothing was written")
    config = mkdocs_config(root)
    try:
        exposure = Exposure.of(plugin_options(config).get("public"))
    except (ValueError, AttributeError, TypeError) as exc:
        raise UsageError(f"mkdocs.yml: the dspt plugin's 'public' option: {exc}") from None
    run_ = pipeline.run(root, args.as_of)
    pipeline.refuse_errors(run_, "the export is")
    site = build_site(run_, build_timeline(run_), args.internal, exposure)
    renderer = Renderer(site, custom_dir(root, config))
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
        packed = asset.content(root)  # a file a browser could run: published in a zip
        if packed is not None:
            destination.write_bytes(packed)
        else:
            shutil.copyfile(root / asset.source, destination)
    build = "an internal export: do not publish it" if args.internal else "a public export"
    pages, assets = len(site.pages), len(site.assets)
    print(f"wrote {pages} page{'s' if pages != 1 else ''} and {assets} "
          f"attachment{'s' if assets != 1 else ''} to {target} ({build})")
    return 0


def mkdocs_config(root: Path) -> dict[str, Any]:
    """The repository's mkdocs.yml as plain data, or nothing when it cannot be read so
    (it may use tags only MkDocs knows: then the defaults apply)."""
    import yaml

    try:
        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return config if isinstance(config, dict) else {}


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The ``dspt`` plugin's options in mkdocs.yml's ``plugins`` (a list or a mapping)."""
    plugins = config.get("plugins")
    entries = plugins.items() if isinstance(plugins, dict) else \
        (next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)
         for p in plugins or ())
    for name, options in entries:
        if name == "dspt":
            return options if isinstance(options, dict) else {}
    return {}


def custom_dir(root: Path, config: dict[str, Any] | None = None) -> Path:
    """The theme's ``custom_dir`` from the repository's mkdocs.yml (templates overridden
    under its ``dspt/`` folder apply to the export too), else the usual place."""
    config = mkdocs_config(root) if config is None else config
    theme = config.get("theme")
    found = theme.get("custom_dir") if isinstance(theme, dict) else None
    return root / found if isinstance(found, str) else root / SITE_CONFIG
