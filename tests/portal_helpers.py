"""Portal fixtures: real `mkdocs build --strict` runs, into folders in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from conftest import ROOT

MKDOCS = Path(sys.executable).with_name("mkdocs")


@dataclass
class Build:
    code: int
    output: str
    site: Path

    def pages(self) -> dict[str, str]:
        return {str(p.relative_to(self.site)): p.read_text("utf-8", errors="replace")
                for p in self.site.rglob("*") if p.is_file() and p.suffix in (".html", ".json",
                                                                              ".js", ".xml")}


def mkdocs_build(repo_root: Path, site: Path, as_of: str = "2026-11-22",
                 internal: bool = False, env: dict[str, str] | None = None) -> Build:
    env = dict(os.environ, DSPT_AS_OF=as_of, NO_MKDOCS_2_WARNING="1") | (env or {})
    env.pop("DSPT_PORTAL_INTERNAL", None)
    if internal:
        env["DSPT_PORTAL_INTERNAL"] = "1"
    done = subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(repo_root / "mkdocs.yml"),
                           "-d", str(site)], capture_output=True, text=True, env=env, check=False)
    return Build(done.returncode, done.stdout + done.stderr, site)


def make_portal_repo(repo) -> None:  # type: ignore[no-untyped-def]
    """Give a tiny test repository the project's own portal configuration."""
    shutil.copy(ROOT / "mkdocs.yml", repo.root / "mkdocs.yml")
    shutil.copytree(ROOT / "site_config", repo.root / "site_config")


def widen(repo, **fields: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Widen a test repository's public build in its mkdocs.yml: ``widen(repo, people=[...])``."""
    path = repo.root / "mkdocs.yml"
    text = path.read_text()
    for kind, chosen in fields.items():
        old = f"        {kind}: []"
        assert old in text, kind
        text = text.replace(old, f"        {kind}: [{', '.join(chosen)}]")
    path.write_text(text)


def site_files(site: Path) -> dict[str, bytes]:
    """Every file a build or export wrote, by its path: pages, search index, sitemap, files."""
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def rendered_pages(run, internal: bool = False, custom_dir: Path | None = None,  # type: ignore[no-untyped-def]
                   timeline=None) -> dict[str, str]:
    """Every page of a check run's portal as its template renders it (no MkDocs)."""
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer

    site = build_site(run, timeline, internal)
    renderer = Renderer(site, custom_dir)
    return {page.path: renderer.render(page).html for page in site.pages}
