"""``dspt portal ACTION``: the portal's pages outside MkDocs.

``dspt portal export DIR``: write the portal's pages for another generator: each page as a
Markdown file (the YAML meta block MkDocs reads, then the page's rendered HTML), an index
``pages.json``, and the attachments the portal publishes.

``dspt portal pdf OUT.pdf [--page PATH]...``: print the audit pack, or the pages named, to
one PDF (:mod:`dsptkit.portal.pdf`).

Both are the same build as the site: public unless ``--internal``, showing of people,
assets and incidents what the ``public`` option of the ``dspt`` plugin in the repository's
mkdocs.yml allows (counts and status only by default). Both need the portal extra."""

from __future__ import annotations

import argparse
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dsptkit import pipeline
from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.portal import TRUE, needs_extra
from dsptkit.writing import Plan, is_empty_dir

if TYPE_CHECKING:
    from dsptkit.engine import CheckRun
    from dsptkit.portal.site import Site
    from dsptkit.portal.templating import Renderer

SITE_CONFIG = "site_config/overrides"  # where `dspt init`'s mkdocs.yml keeps its overrides


def run(args: argparse.Namespace) -> int:
    missing = needs_extra(f"dspt portal {args.action}")
    if missing:
        raise UsageError(missing)
    if args.action == "pdf":
        return pdf(args)
    return export(args)


def _build(args: argparse.Namespace, root: Path, action: str,
           ) -> tuple[CheckRun, dict[str, Any], Site, Renderer]:
    """The check run, mkdocs.yml, the site and its renderer, as the plugin builds them."""
    from dsptkit.portal.public import Exposure
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer
    from dsptkit.portal.timeline import build_timeline

    config = mkdocs_config(root)
    try:
        exposure = Exposure.of(plugin_options(config).get("public"))
    except (ValueError, AttributeError, TypeError) as exc:
        raise UsageError(f"mkdocs.yml: the dspt plugin's 'public' option: {exc}") from None
    if args.internal and os.environ.get("DSPT_PORTAL_PUBLIC", "").strip().lower() in TRUE:
        raise UsageError("DSPT_PORTAL_PUBLIC is set, so this build is to be published, but "
                         "--internal was asked for; an internal build contains restricted "
                         "evidence and must not be published; nothing was written")
    run_ = pipeline.run(root, args.as_of)
    pipeline.refuse_errors(run_, action)
    site = build_site(run_, build_timeline(run_), args.internal, exposure)
    return run_, config, site, Renderer(site, custom_dir(root, config))


def export(args: argparse.Namespace) -> int:
    root = Path(repository_root(args))
    target = Path(args.directory)
    if target.exists() and not is_empty_dir(target):
        raise UsageError(f"{target} is not an empty folder; nothing was written")
    _, _, site, renderer = _build(args, root, "the export is")
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


def pdf(args: argparse.Namespace) -> int:
    from dsptkit.portal import pdf as printing
    from dsptkit.writing import write_new  # atomic; refuses to replace

    root = Path(repository_root(args))
    output = Path(args.output)
    if output.exists() or output.is_symlink():
        raise printing.Refused(f"{output} exists; dspt portal pdf writes a new file and "
                               "replaces nothing; nothing was written")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder; nothing was written")
    program = printing.find_chromium()  # before the build: say at once when there is none
    version = printing.chromium_version(program)
    if version is not None and version < printing.MARGIN_BOXES:
        raise printing.Refused(f"{program} is Chromium {version}; dspt portal pdf needs "
                               f"{printing.MARGIN_BOXES} or later, which prints the page numbers "
                               "and the date in the page margins; nothing was written")
    run_, config, site, renderer = _build(args, root, "the PDF is")
    pages = printing.select(site.pages, args.pages)
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    html = printing.document(site, renderer, pages, site_url=site_url or None,
                             published=published(run_, site, config), root=root)
    data = printing.print_pdf(html, program)
    try:
        write_new(output, data)
    except FileExistsError:
        raise printing.Refused(f"{output} appeared while printing; it was left as it was and "
                               "nothing was written") from None
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}; nothing was written") from None
    build = "internal: do not publish it" if args.internal else "public"
    print(f"wrote {output}: {len(pages)} portal page{'s' if len(pages) != 1 else ''} as of "
          f"{site.as_of} ({build})")
    return 0


def published(run_: CheckRun, site: Site, config: dict[str, Any]) -> set[str]:
    """The pages and files of the public portal (the one at ``site_url``): a PDF links to
    nothing else there. For an internal PDF that is the public build of the same run."""
    from dsptkit.portal.public import Exposure
    from dsptkit.portal.site import build_site

    if not site.public:
        try:
            site = build_site(run_, None, False, Exposure.of(plugin_options(config).get("public")))
        except (ValueError, AttributeError, TypeError):  # read once already; cannot differ
            return set()
    return {page.path[:-3] + ".html" for page in site.pages} | {a.path for a in site.assets}


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
