"""The portal as built by the real `mkdocs build --strict`."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import ROOT
from portal_helpers import make_portal_repo, mkdocs_build


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append((tag, name, value))


def links_of(html: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_the_example_builds_strict_without_warnings(example_site):
    assert "WARNING" not in example_site.output
    for page in ("index.html", "standards/index.html", "standards/dspt-4.html",
                 "items/dspt-4.2.4.html", "policies/access-control.html", "evidence/index.html",
                 "evidence/EV-2026-017.html", "gaps.html", "registers.html", "rules/CL102.html",
                 "audit-pack.html", "evidence/files/EV-2026-017/2026-05-12-mfa-report.png"):
        assert (example_site.site / page).is_file(), page


def test_every_internal_link_and_source_resolves(example_site):
    broken = []
    for page in example_site.site.rglob("*.html"):
        if page.name == "404.html":  # MkDocs writes it with root-absolute links for servers
            continue
        for tag, attr, value in links_of(page.read_text("utf-8")):
            parts = urlsplit(value)
            if parts.scheme or value.startswith(("#", "//", "mailto:", "data:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(example_site.site)}: {tag}[{attr}]={value}")
    assert broken == []


def test_nothing_is_fetched_from_another_host(example_site):
    external = []
    for page in example_site.site.rglob("*.html"):
        for tag, _attr, value in links_of(page.read_text("utf-8")):
            if tag in ("script", "link", "img", "iframe", "source") and \
                    urlsplit(value).scheme in ("http", "https", ""):
                if urlsplit(value).netloc:
                    external.append(f"{page.name}: {tag} {value}")
    assert external == []
    assert "fonts.googleapis" not in (example_site.site / "index.html").read_text()


def test_the_dashboard_shows_the_position_at_a_glance(example_site):
    html = (example_site.site / "index.html").read_text()
    assert '<div class="dspt-position-value">Standards Met on 39 of 45</div>' in html
    assert ("Standards Met on 39 of the 45 published items; 6 are not in this catalogue, so "
            "Standards Met cannot be confirmed.") in html
    assert "39 of 39 mandatory items in this catalogue met (1 answered not applicable)" in html
    assert 'title="14 of 14"' in html  # standard 1 counts 1.4.3, answered "not applicable"
    assert "No item in this catalogue: all its mandatory items are met. 6 published items are " \
           "not in this catalogue, so they cannot be checked (CA102)." in html
    assert "This catalogue is for 2025-26 (v8), whose publication deadline was 2026-06-30" in html
    assert "<svg class=\"dspt-chart\"" in html
    assert "evidence for claim BC-2 expires" in html


def test_item_page_shows_claims_evidence_certificate_and_provenance(example_site):
    html = (example_site.site / "items/dspt-7.3.4.html").read_text()
    assert "BC-2" in html and "EV-2026-025" in html and "EV-2026-024" in html
    assert "Cat 3 [Inf] as Cat 4; Cat 4 [V-ds]" in html
    html = (example_site.site / "items/dspt-4.2.4.html").read_text()
    assert "met via Cyber Essentials Plus certificate" in html


def test_policy_page_has_metadata_claims_text_and_history(example_site):
    html = (example_site.site / "policies/access-control.html").read_text()
    for text in ("Version", "2.1", "<dt>Owner</dt><dd>it_lead</dd>", "AC-1",
                 "Joiners, movers and leavers", "Version history"):
        assert text in html
    assert "Priya Shah" not in html  # a public build shows roles, not names
    toc = html.split('data-md-type="toc"')[1].split("</nav>")[0]  # from the page's headings
    assert '<a href="#claims" class="md-nav__link">' in toc
    assert '<a href="#evidence-ac-1" class="md-nav__link">' in toc


def test_a_policy_past_its_review_says_so_and_a_waived_one_says_it_is_waived(example_site):
    html = (example_site.site / "policies/information-governance.html").read_text()
    assert '<span class="dspt-badge dspt-not-met">approved, review overdue</span>' in html
    assert "PO101" in html.split('id="findings"')[1].split('id="claims"')[0]
    html = (example_site.site / "policies/incident-management.html").read_text()
    assert '<span class="dspt-badge dspt-at-risk">approved, review overdue (waived)</span>' in html
    index = (example_site.site / "policies/index.html").read_text()
    assert index.count("approved, review overdue") == 2


def test_the_check_build_writes_nothing_into_the_repository(tmp_path, repo):
    make_portal_repo(repo)
    before = repo.snapshot()
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    assert repo.snapshot() == before


def test_a_broken_repository_fails_the_build_with_the_checks_messages(tmp_path, repo):
    make_portal_repo(repo)
    repo.write("evidence/2026/bad.md", "no front matter\n")
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code != 0
    assert "the repository has 1 error(s); the portal is not built until they are fixed" in \
        build.output
    assert "evidence/2026/bad.md:1:1: FM010 no front matter" in build.output
    assert not (tmp_path / "site" / "index.html").exists()


RESTRICTED = """\
---
id: EV-SECRET-9
title: Zebra-Quartz disciplinary notes
collected: 2026-06-10
by: bob
supports: [GV-1]
outcome: pass
classification: restricted
files:
  - path: zebra-quartz.txt
    sha256: {digest}
---
The Zebra-Quartz matter: confidential details.
"""


def test_restricted_evidence_never_reaches_a_public_build(tmp_path, repo):
    make_portal_repo(repo)
    digest = repo.attach("evidence/2026/zebra-quartz.txt", b"Zebra-Quartz attachment\n")
    repo.write("evidence/2026/secret.md", RESTRICTED.format(digest=digest))
    public = mkdocs_build(repo.root, tmp_path / "public", as_of="2026-07-01")
    assert public.code == 0, public.output
    leaks = [path for path, text in public.pages().items()
             if re.search("zebra-quartz|EV-SECRET-9", text, re.I)]
    assert leaks == []
    assert not list((tmp_path / "public").rglob("zebra-quartz*"))
    assert "1 restricted record not published" in \
        (tmp_path / "public/evidence/index.html").read_text()

    internal = mkdocs_build(repo.root, tmp_path / "internal", as_of="2026-07-01", internal=True)
    assert internal.code == 0, internal.output
    assert (tmp_path / "internal/evidence/EV-SECRET-9.html").is_file()
    assert (tmp_path / "internal/evidence/files/EV-SECRET-9/zebra-quartz.txt").is_file()
    assert "Zebra-Quartz" in (tmp_path / "internal/search/search_index.json").read_text()
    for page in ("index.html", "evidence/EV-SECRET-9.html", "rules/EV101.html"):
        html = (tmp_path / "internal" / page).read_text()
        assert "Internal build: do not publish" in html.split('class="md-content"')[1]
        assert "Internal build: do not publish" in html.split('class="md-content"')[0]


INJECTED = """\
---
id: EV-X
title: Evidence with raw HTML
collected: 2026-06-10
by: bob
supports: [GV-1]
outcome: pass
---
<script>window.__pwned = 1</script>
<img src="x.png" onerror="window.__pwned = 2">
<a href="javascript:window.__pwned = 3">click</a>

<details><summary>Kept</summary>Tables and details are allowed.</details>
"""


def test_raw_html_in_evidence_cannot_run_script(tmp_path, repo):
    make_portal_repo(repo)
    repo.write("evidence/2026/x.md", INJECTED)
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    html = (tmp_path / "site/evidence/EV-X.html").read_text()
    assert "__pwned" not in html
    assert "<details><summary>Kept</summary>" in html


def test_portal_export_writes_the_same_pages_as_markdown(tmp_path, capsys):
    from dsptkit.main import main

    target = tmp_path / "pages"
    assert main(["portal", "export", str(target), "--repo", str(ROOT), "--as-of",
                 "2026-11-22"]) == 0
    assert (target / "index.md").read_text().startswith('---\ntitle: "Dashboard"\n')
    page = (target / "evidence/EV-2026-017.md").read_text()
    meta, body = page.split("\n---\n", 1)
    assert meta.startswith('---\ntitle: "EV-2026-017 MFA enforcement report"')
    assert body.startswith('<h1 id="') and "current to 2027-05-12" in body  # rendered HTML
    index = json.loads((target / "pages.json").read_text())
    assert {"path": "evidence/EV-2026-017.md", "title": "EV-2026-017 MFA enforcement report",
            "template": "evidence.html", "meta": {"hide": ["toc", "navigation"],
                                                  "dspt_leaf": True}} in index
    assert (target / "evidence/files/EV-2026-017/2026-05-12-mfa-report.png").is_file()
    capsys.readouterr()
    assert main(["portal", "export", str(target), "--repo", str(ROOT)]) == 2
    assert "is not an empty folder; nothing was written" in capsys.readouterr().err


def test_a_new_organisations_portal_builds(tmp_path, capsys):
    from dsptkit.main import main

    assert main(["init", str(tmp_path / "org"), "--name", "Acme: Care", "--category", "3",
                 "--no-git"]) == 0
    build = mkdocs_build(tmp_path / "org", tmp_path / "site")
    assert build.code == 0, build.output
    assert "Acme: Care — DSPT evidence" in (tmp_path / "site/index.html").read_text()


def test_the_site_config_is_packaged_with_the_templates():
    """A real copy (tests/test_package_data.py checks that it matches site_config/ byte for
    byte), holding what the portal's mkdocs.yml names."""
    packaged = ROOT / "tooling/dsptkit/templates/site_config"
    assert not packaged.is_symlink()
    for name in ("overrides/main.html", "docs/assets/portal.css", "docs/assets/portal.js"):
        assert Path(packaged / name).is_file(), name


def test_the_page_templates_are_shipped_with_the_package():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["dsptkit"]
    templates = ROOT / "tooling/dsptkit/portal/templates"
    shipped = {"portal/templates/*.html", "portal/templates/*", "portal/templates/**/*"}
    assert shipped & set(patterns), patterns
    assert sorted(p.suffix for p in templates.iterdir()) == [".html"] * len(list(templates.iterdir()))


def test_an_item_met_only_through_a_certificate_says_so(example_site):
    html = (example_site.site / "items" / "dspt-4.2.4.html").read_text()
    assert "Cyber Essentials Plus certificate, and only through it: its own claim AC-1 (stale) " \
           "would not meet it" in html
    answered = (example_site.site / "items" / "dspt-1.4.3.html").read_text()
    assert "<dt>Answered</dt><dd>not applicable: " in answered
    assert "<dt>Not applicable allowed</dt><dd>yes (" in answered
