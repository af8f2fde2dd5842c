"""The plugin driven by MkDocs in this process (the other portal tests run `mkdocs build` as
a subprocess): the same pages, and the build refuses a repository with errors."""

from __future__ import annotations

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from conftest import ROOT
from portal_helpers import make_portal_repo


def _build(config_file, site, monkeypatch, as_of="2026-11-22"):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DSPT_AS_OF", as_of)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.delenv("DSPT_PORTAL_INTERNAL", raising=False)
    config = load_config(config_file=str(config_file), site_dir=str(site), strict=True)
    build(config)


def test_the_example_builds_in_process_with_the_check_s_position(tmp_path, monkeypatch):
    from dsptkit import pipeline

    _build(ROOT / "mkdocs.yml", tmp_path / "site", monkeypatch)
    index = (tmp_path / "site" / "index.html").read_text("utf-8")
    verdict = pipeline.run(ROOT, "2026-11-22").position.verdict
    assert f'<div class="dspt-position-value">{verdict.headline}</div>' in index
    assert verdict.statement in index
    assert (tmp_path / "site" / "gaps.html").is_file()
    assert (tmp_path / "site" / "evidence" / "index.html").is_file()


def test_a_repository_with_errors_is_not_built(repo, tmp_path, monkeypatch, caplog):
    make_portal_repo(repo)
    repo.write("evidence/2026/bad.md", "no front matter\n")
    with pytest.raises((PluginError, Abort)) as failed:
        _build(repo.root / "mkdocs.yml", tmp_path / "site", monkeypatch, "2026-07-01")
    said = str(failed.value) + caplog.text
    assert "the portal is not built until they are fixed" in said
    assert "evidence/2026/bad.md:1:1: FM010" in said
    assert not (tmp_path / "site" / "index.html").exists()
