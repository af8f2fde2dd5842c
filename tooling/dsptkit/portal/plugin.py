"""The MkDocs plugin (entry point ``dspt``): a thin adapter from the portal's pages to MkDocs.

It runs the one pipeline the check uses, fails the build with the check's own messages when
the repository has errors, and adds every page and attachment as a generated file: nothing
is written into the repository. Each page reaches MkDocs as a :class:`PortalPage` (the way
Material's blog plugin adds its views): MkDocs gets its meta (the title escaped) without
parsing YAML, and its HTML from its template without running Markdown over an empty page.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import os
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape
from mkdocs.config import base, config_options
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from dsptkit import pipeline
from dsptkit.engine import CheckRun
from dsptkit.errors import FatalError
from dsptkit.model import Severity
from dsptkit.portal import TRUE, needs_extra
from dsptkit.portal.public import FIELDS, Exposure

if TYPE_CHECKING:  # rendering needs the rest of the portal extra: imported when building
    from dsptkit.portal.site import Page, Site
    from dsptkit.portal.templating import Renderer

log = get_plugin_logger(__name__)


# The Content-Security-Policy of every page (site_config/overrides/main.html puts it in a
# <meta>, as static hosting sets no headers): everything from the site itself, images also
# as data: URIs (Material's icons), styles from the site's own files only, and no inline
# script but the theme's own few, each allowed by its hash (filled in per page, below).
SCRIPTS = "'dspt-inline-scripts'"  # replaced by the page's own script hashes
CSP = ("default-src 'self'; script-src 'self' " + SCRIPTS + "; style-src 'self'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self'; "
       "frame-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)  # (JSON data has a type: inert)


def _public_fields() -> config_options.SubConfig:
    """``public: {people: [names], assets: [versions], ...}``: what a public build shows
    beyond counts and status (docs/portal.md says what each field exposes)."""

    class Public(base.Config):
        people = config_options.ListOfItems(config_options.Choice(FIELDS["people"]), default=[])
        assets = config_options.ListOfItems(config_options.Choice(FIELDS["assets"]), default=[])
        incidents = config_options.ListOfItems(config_options.Choice(FIELDS["incidents"]),
                                               default=[])

    return config_options.SubConfig(Public)


class DsptConfig(base.Config):
    repo = config_options.Optional(config_options.Type(str))  # default: beside mkdocs.yml
    # default: today; YAML reads an unquoted 2026-06-30 as a date, which is as good
    as_of = config_options.Optional(config_options.Type((str, date)))
    internal = config_options.Type(bool, default=False)  # include restricted evidence
    public = _public_fields()
    history = config_options.Type(bool, default=True)  # read git for versions and the chart
    chart_months = config_options.Type(int, default=12)


class DsptPlugin(BasePlugin[DsptConfig]):
    def __init__(self) -> None:
        self.site: Site | None = None
        self.root: Path | None = None
        self.renderer: Renderer | None = None
        self._hashes: dict[str, str] = {}  # an inline script -> its CSP hash source
        self.serving = False  # `mkdocs serve`, whose live reload is an inline script

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        enabled = gc.isenabled()
        gc.disable()  # everything made here lives until the build ends
        try:
            return self._configure(config)
        finally:
            if enabled:
                gc.enable()

    def _configure(self, config: MkDocsConfig) -> MkDocsConfig:
        missing = needs_extra("the dspt plugin")  # MkDocs alone is not the whole portal
        if missing:
            raise PluginError(f"dspt: {missing}")
        from dsptkit.portal.site import build_site
        from dsptkit.portal.templating import Renderer
        from dsptkit.portal.timeline import build_timeline

        if config.use_directory_urls:
            raise PluginError("dspt: set 'use_directory_urls: false' in mkdocs.yml, so the "
                              "portal works from a folder or a zip")
        base_dir = Path(config.config_file_path or ".").resolve().parent
        self.root = (base_dir / self.config.repo).resolve() if self.config.repo else base_dir
        internal = self.config.internal or os.environ.get("DSPT_PORTAL_INTERNAL", "") in TRUE
        if internal and os.environ.get("DSPT_PORTAL_PUBLIC", "") in TRUE:
            raise PluginError("dspt: DSPT_PORTAL_PUBLIC is set, so this build is to be "
                              "published, but an internal build was asked for ('internal: "
                              "true' in mkdocs.yml or DSPT_PORTAL_INTERNAL); an internal build "
                              "contains restricted evidence and must not be published")
        public = self.config.public
        exposure = Exposure.of({kind: public[kind] for kind in FIELDS})
        run = self._check()
        if run.history is not None and run.history.note:
            log.info(run.history.note)
        timeline = build_timeline(run, self.config.chart_months) if self.config.history else []
        self.site = build_site(run, timeline, internal, exposure)
        custom_dir = config.theme.custom_dir
        if custom_dir is not None and not Path(custom_dir).is_absolute():
            custom_dir = str(base_dir / custom_dir)
        self.renderer = Renderer(self.site, custom_dir)
        config.extra["dspt"] = {"overall": self.site.overall, "as_of": run.as_of.isoformat(),
                                "public": self.site.public, "csp": CSP,
                                "organisation": run.repo.organisation.name
                                if run.repo.organisation else ""}
        # Material prints site_name as HTML (the header, <title>, the logo's label), and
        # `dspt init --name` puts the organisation's name there: pass it escaped, and as
        # markup, so the theme's own `| e` does not escape it twice.
        if not isinstance(config.site_name, Markup):
            config.site_name = escape(str(config.site_name))
        return config

    def _check(self) -> CheckRun:
        assert self.root is not None
        if not (self.root / "organisation.yaml").is_file():
            raise PluginError(f"dspt: no organisation.yaml in {self.root}; set the plugin's "
                              "'repo' option to the evidence repository")
        try:
            as_of = pipeline.assessment_date(self.config.as_of, "the dspt plugin's as_of")
            run = pipeline.run(self.root, as_of, history=self.config.history)
        except FatalError as exc:
            raise PluginError(f"dspt: {exc}") from None
        errors = [r for r in run.results if r.severity is Severity.ERROR]
        if errors:
            lines = "\n".join(f"  {r.loc}: {r.code} {r.message}" for r in errors)
            raise PluginError(f"dspt: the repository has {len(errors)} error(s); the portal is "
                              f"not built until they are fixed:\n{lines}")
        return run

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None and self.root is not None and self.renderer is not None
        taken = {f.src_uri for f in files}
        titles = nav_titles(config.nav)
        for page in self.site.pages:
            if page.path in taken:
                raise PluginError(f"dspt: {page.path} is generated by the portal; remove it "
                                  "from the docs folder")
            # the file holds the meta too, for anything that reads it; MkDocs itself gets
            # the page below, which needs neither YAML nor Markdown parsed
            file = File.generated(config, page.path, content=page.front_matter())
            PortalPage(file, config, page, self.renderer, titles.get(page.path))  # file.page
            files.append(file)
        for asset in self.site.assets:
            packed = asset.content(self.root)  # a file a browser could run: in a zip
            if packed is not None:
                files.append(File.generated(config, asset.path, content=packed))
            else:
                files.append(File.generated(config, asset.path,
                                            abs_src_path=str(self.root / asset.source)))
        # The model and the pages live until the build ends: move them out of the cyclic
        # garbage collector's way, so it does not re-walk them after every page it renders.
        gc.collect()
        gc.freeze()
        return files

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        return self._policy(output, page.content or "")

    def on_post_template(self, output_content: str, *, template_name: str,
                         config: MkDocsConfig) -> str:
        return self._policy(output_content, "")  # 404.html

    def _policy(self, output: str, content: str) -> str:
        """Fill in the page's Content-Security-Policy with the hash of each inline script
        the theme wrote. The page's own content (the portal's templates, people's text) is
        left out of the search: nothing in it is ever allowed to run."""
        if SCRIPTS not in output:
            return output
        if self.serving:  # a preview on this machine: live reload injects inline script
            return output.replace(SCRIPTS, "'unsafe-inline'", 1)
        start = output.find(content) if content else -1
        parts = [(0, len(output))] if start < 0 else [(0, start), (start + len(content),
                                                                   len(output))]
        hashes = []
        for script in (m.group(1) for begin, end in parts
                       for m in _INLINE_SCRIPT.finditer(output, begin, end)):
            found = self._hashes.get(script)
            if found is None:
                digest = hashlib.sha256(script.encode("utf-8")).digest()
                found = self._hashes[script] = f"'sha256-{base64.b64encode(digest).decode()}'"
            if found not in hashes:
                hashes.append(found)
        return output.replace(SCRIPTS, " ".join(hashes), 1)

    def on_serve(self, server, *, config, builder):  # type: ignore[no-untyped-def]
        assert self.root is not None
        for name in ("organisation.yaml", "policies", "evidence", "standards"):
            if (self.root / name).exists():
                server.watch(str(self.root / name))
        return server


class PortalPage(MkDocsPage):
    """A generated page as MkDocs sees it: its meta is the portal page's own (the title
    HTML-escaped, as MkDocs and Material print titles as HTML) and its content is its
    template, rendered when MkDocs renders the page."""

    def __init__(self, file: File, config: MkDocsConfig, page: Page, renderer: Renderer,
                 nav_title: str | None = None) -> None:
        super().__init__(nav_title, file, config)  # a title in mkdocs.yml's nav names its tab
        self.portal = page
        self.renderer = renderer

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", self.portal.mkdocs_meta()

    def render(self, config: MkDocsConfig, files: Files) -> None:
        rendered = self.renderer.render(self.portal)
        self.content = rendered.html
        self.toc = get_toc(rendered.toc)
        self.present_anchor_ids = {token["id"] for token in rendered.toc}


def nav_titles(nav: object) -> dict[str, str]:
    """The titles mkdocs.yml's ``nav`` gives pages (``- Gaps and plan: gaps.md``), by path."""
    titles: dict[str, str] = {}
    if isinstance(nav, list):
        for entry in nav:
            titles |= nav_titles(entry)
    elif isinstance(nav, dict):
        for title, target in nav.items():
            if isinstance(target, str):
                titles[target] = str(title)
            else:
                titles |= nav_titles(target)
    return titles
