"""`dspt portal pdf`: the audit pack (or chosen pages) printed by the real Chromium, read
back with pypdf: page numbers and the as-of date on every page, links that work inside the
PDF, links to pages not printed absolute or plain text, nothing replaced, nothing run.

Needs Chromium (`make browser` installs it), like the browser tests; without it these tests
fail unless DSPT_SKIP_BROWSER=1 is set on purpose. The example's audit pack is also drawn
page by page with pdftoppm into build/screenshots/pdf/, to be looked at.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import AS_OF, ROOT, chromium_path
from dsptkit.main import main
from portal_helpers import make_portal_repo

pypdf = pytest.importorskip("pypdf")

EXAMPLE_AS_OF = "2026-11-22"
ORGANISATION = "Brightwater Health Software Ltd"
SHOTS = ROOT / "build" / "screenshots" / "pdf"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module", autouse=True)
def chromium() -> None:
    chromium_path()


@dataclass
class Printed:
    code: int
    out: str
    err: str
    path: Path

    @property
    def reader(self):  # type: ignore[no-untyped-def]
        return pypdf.PdfReader(str(self.path))

    def texts(self) -> list[str]:
        return [page.extract_text() for page in self.reader.pages]

    def links(self) -> list[tuple[int, dict]]:
        """(page number, annotation) for every link annotation."""
        found = []
        for number, page in enumerate(self.reader.pages, 1):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") == "/Link":
                    found.append((number, annotation))
        return found

    def uris(self) -> list[str]:
        return [str(a["/A"]["/URI"]) for _, a in self.links() if "/A" in a and "/URI" in a["/A"]]


def dspt_pdf(out: Path, *args: str) -> Printed:
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["portal", "pdf", str(out), *args])
    return Printed(code, stdout.getvalue(), stderr.getvalue(), out)


def example(out: Path, *args: str) -> Printed:
    return dspt_pdf(out, "--repo", str(ROOT), "--as-of", EXAMPLE_AS_OF, *args)


def destination_page(reader, name: str) -> int:  # type: ignore[no-untyped-def]
    return reader.get_destination_page_number(reader.named_destinations[name]) + 1


@pytest.fixture(scope="module")
def audit_pack(tmp_path_factory) -> Printed:  # type: ignore[no-untyped-def]
    printed = example(tmp_path_factory.mktemp("pdf") / "audit-pack.pdf")
    assert printed.code == 0, printed.err
    return printed


@pytest.fixture(scope="module")
def page_set(tmp_path_factory) -> Printed:  # type: ignore[no-untyped-def]
    """Pages chosen as paths, a published file name, a name alone and a glob, in that order."""
    printed = example(tmp_path_factory.mktemp("pdf") / "set.pdf", "--page", "index.md",
                      "--page", "evidence/EV-2026-017.html", "--page", "policies/access-*",
                      "--page", "gaps")
    assert printed.code == 0, printed.err
    return printed


def test_every_page_of_the_audit_pack_has_its_number_date_and_organisation(audit_pack):
    texts = audit_pack.texts()
    total = len(texts)
    assert total >= 10  # the whole submission: items, claims and their evidence, policies
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {total}" in text, number
        assert f"As of {EXAMPLE_AS_OF}" in text, number
        assert f"{ORGANISATION} — Audit pack" in text, number
        assert "Public build" in text, number
    assert f"Audit pack: {ORGANISATION}" in texts[0]
    assert "Standards Met on 39 of the 45 published items" in texts[0]
    assert audit_pack.reader.metadata.title == "Audit pack"
    assert f"wrote {audit_pack.path}: 1 portal page as of {EXAMPLE_AS_OF} (public)" in audit_pack.out
    # what the portal's audit pack holds, as the portal shows it: a claim and a policy's text
    whole = " ".join(" ".join(texts).split())
    assert "AC-2: Every account that can be reached from outside the" in whole  # (no ﬃ)
    assert "Joiners, movers and leavers" in whole
    assert "dspt portal pdf" not in whole  # the screen's hint to print is not printed


def test_links_in_the_audit_pack_to_pages_not_printed_show_where_to_look(audit_pack):
    """The audit pack alone: its links all lead to other pages of the portal, and the
    example's mkdocs.yml sets no site_url, so each becomes its text."""
    assert audit_pack.links() == []
    whole = " ".join(" ".join(audit_pack.texts()).split())
    # a link to a page not printed is its text, with the page's path where the text does
    # not already name the page (an ID such as dspt:4.5.3 does)
    assert "Access control policy (policies/access-control.html)" in whole
    assert "(items/dspt-4.5.3.html)" not in whole


def test_a_page_set_prints_in_the_order_given_with_contents_and_working_links(page_set):
    texts, reader = page_set.texts(), page_set.reader
    total = len(texts)
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {total}" in text and f"As of {EXAMPLE_AS_OF}" in text
    contents = texts[0]
    assert "4 pages of the evidence portal" in contents
    order = ["Dashboard", "EV-2026-017 MFA enforcement report", "Access control policy",
             "Gaps and improvement plan"]
    assert [contents.index(title) for title in order] == sorted(contents.index(t) for t in order)
    starts = {name: destination_page(reader, name) for name in reader.named_destinations
              if "--" not in name}
    assert list(starts) == ["/p1-index", "/p2-evidence-EV-2026-017",
                            "/p3-policies-access-control", "/p4-gaps"]
    assert list(starts.values()) == sorted(starts.values())
    assert ORGANISATION in texts[starts["/p1-index"] - 1]
    # the evidence record's link to its claim's policy, a printed page, goes to that page
    record = starts["/p2-evidence-EV-2026-017"]
    policy = starts["/p3-policies-access-control"]
    from_record = [str(a["/Dest"]) for n, a in page_set.links() if n == record and "/Dest" in a]
    assert "/p3-policies-access-control--evidence-ac-2" in from_record  # claim AC-2's evidence
    assert destination_page(reader, "/p3-policies-access-control--evidence-ac-2") >= policy
    # and the policy's claims table links to its own headings, inside the same page
    assert any(str(a["/Dest"]).startswith("/p3-policies-access-control--")
               for _, a in page_set.links() if "/Dest" in a)
    for _, annotation in page_set.links():
        assert "/Dest" in annotation or "/A" in annotation
    assert page_set.uris() == []


def test_a_link_to_a_page_not_printed_goes_to_the_published_portal(repo, tmp_path):
    make_portal_repo(repo)
    config = repo.root / "mkdocs.yml"
    config.write_text("site_url: https://dspt.example.org/portal/\n" + config.read_text())
    printed = dspt_pdf(tmp_path / "policy.pdf", "--repo", str(repo.root), "--as-of", AS_OF,
                       "--page", "policies/governance.md")
    assert printed.code == 0, printed.err
    uris = printed.uris()
    assert "https://dspt.example.org/portal/items/dspt-1.1.1.html" in uris
    assert "https://dspt.example.org/portal/evidence/EV-1.html" in uris
    assert all(uri.startswith("https://dspt.example.org/portal/") for uri in uris), uris
    assert "(items/" not in "\n".join(printed.texts())


def test_links_between_printed_pages_of_a_small_repository(repo, tmp_path):
    make_portal_repo(repo)
    printed = dspt_pdf(tmp_path / "two.pdf", "--repo", str(repo.root), "--as-of", AS_OF,
                       "--page", "policies/governance.md", "--page", "evidence/*")
    assert printed.code == 0, printed.err
    reader = printed.reader
    assert [name for name in reader.named_destinations if "--" not in name] == [
        "/p1-policies-governance", "/p2-evidence-index", "/p3-evidence-EV-1"]  # the glob's two
    policy, register, record = (destination_page(reader, name) for name in (
        "/p1-policies-governance", "/p2-evidence-index", "/p3-evidence-EV-1"))
    assert 1 < policy < register < record  # after the contents
    assert "EV-1 ICO registration checked" in reader.pages[record - 1].extract_text()
    links = printed.links()
    to_record = {n for n, a in links if a.get("/Dest") == "/p3-evidence-EV-1"}
    assert to_record == {1, policy, register}  # the contents, the policy's claim, the register
    back = {n for n, a in links if str(a.get("/Dest", "")).startswith("/p1-policies-governance")}
    assert record in back  # the record's claim, to the policy's heading for it
    assert printed.uris() == []


def test_an_existing_file_is_never_replaced(repo, tmp_path):
    make_portal_repo(repo)
    out = tmp_path / "pack.pdf"
    out.write_bytes(b"the auditor's copy")
    printed = dspt_pdf(out, "--repo", str(repo.root), "--as-of", AS_OF)
    assert printed.code == 1
    assert f"{out} exists" in printed.err and "nothing was written" in printed.err
    assert out.read_bytes() == b"the auditor's copy"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf", "repo"]


def test_a_page_that_matches_nothing_says_how_to_name_pages(repo, tmp_path):
    make_portal_repo(repo)
    out = tmp_path / "x.pdf"
    printed = dspt_pdf(out, "--repo", str(repo.root), "--as-of", AS_OF,
                       "--page", "policies/governance.md", "--page", "policies/govrnance.md")
    assert printed.code == 1
    assert "--page policies/govrnance.md: no page of the portal has that path" in printed.err
    assert "Did you mean policies/governance.md" in printed.err
    assert "pages.json" in printed.err and "policies/access-control.md" in printed.err
    assert "Traceback" not in printed.err
    assert not out.exists()


def test_a_hostile_title_and_organisation_name_print_as_text(repo, tmp_path):
    make_portal_repo(repo)
    name = 'Test "Care" \\ Ltd </style><b>'
    organisation = repo.root / "organisation.yaml"
    organisation.write_text(organisation.read_text().replace(
        "name: Test Care Ltd", "name: '" + name + "'"))
    policy = repo.root / "policies/governance.md"
    policy.write_text(policy.read_text().replace("title: Governance policy",
                                                 f"title: '{HOSTILE}'"))
    printed = dspt_pdf(tmp_path / "hostile.pdf", "--repo", str(repo.root), "--as-of", AS_OF,
                       "--page", "policies/governance.md")
    assert printed.code == 0, printed.err
    texts = printed.texts()
    assert HOSTILE in texts[0]  # the heading
    for number, text in enumerate(texts, 1):
        assert f"{name} — {HOSTILE}" in text  # the margin, through its CSS escaping
        assert f"Page {number} of {len(texts)}" in text  # the stylesheet was not broken
    assert printed.reader.metadata.title == HOSTILE


def _text_sizes(page) -> list[float]:  # type: ignore[no-untyped-def]
    """The printed size of every run of text on a page (font size times the text matrix)."""
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            sizes.append(abs(size * tm[3] * cm[3]))

    page.extract_text(visitor_text=visit)
    return sizes


def test_a_long_unbroken_string_wraps_instead_of_shrinking_the_page(repo, tmp_path):
    # Chromium shrinks a whole page to fit anything too wide; a 150-letter title or a long
    # address must wrap instead, so the text keeps its size and no column falls off the page
    make_portal_repo(repo)
    long_word = "y" * 150
    policy = repo.root / "policies/governance.md"
    policy.write_text(policy.read_text().replace("title: Governance policy",
                                                 f"title: Governance {long_word}")
                      .replace("# Governance", "# Governance\n\nSee https://example.sharepoint.com/"
                               + "sites/governance/" + "x" * 200 + "/policy.docx"))
    plain = dspt_pdf(tmp_path / "plain.pdf", "--repo", str(repo.root), "--as-of", AS_OF,
                     "--page", "gaps.md")
    printed = dspt_pdf(tmp_path / "long.pdf", "--repo", str(repo.root), "--as-of", AS_OF,
                       "--page", "gaps.md", "--page", "policies/governance.md")
    assert plain.code == 0 and printed.code == 0, printed.err
    normal = max(_text_sizes(plain.reader.pages[0]))
    for page in printed.reader.pages:
        assert max(_text_sizes(page)) >= normal * 0.98  # not scaled down to fit
    assert "yyyy" in "".join(printed.texts())


def test_a_build_for_publishing_refuses_internal(repo, tmp_path, monkeypatch):
    make_portal_repo(repo)
    monkeypatch.setenv("DSPT_PORTAL_PUBLIC", "1")
    out = tmp_path / "internal.pdf"
    printed = dspt_pdf(out, "--repo", str(repo.root), "--as-of", AS_OF, "--internal")
    assert printed.code == 2
    assert "DSPT_PORTAL_PUBLIC is set" in printed.err and "nothing was written" in printed.err
    assert not out.exists()


def test_an_internal_pdf_says_so_on_every_page(repo, tmp_path):
    make_portal_repo(repo)
    printed = dspt_pdf(tmp_path / "internal.pdf", "--repo", str(repo.root), "--as-of", AS_OF,
                       "--internal")
    assert printed.code == 0, printed.err
    for text in printed.texts():
        assert "Internal build: do not publish" in text
    assert "(internal: do not publish it)" in printed.out


def test_a_repository_with_errors_is_not_printed(repo, tmp_path):
    make_portal_repo(repo)
    repo.write("evidence/2026/broken.md", "---\nid: EV-2\n---\nno title, no date\n")
    out = tmp_path / "x.pdf"
    printed = dspt_pdf(out, "--repo", str(repo.root), "--as-of", AS_OF)
    assert printed.code == 1
    assert "the PDF is refused until they are fixed" in printed.err
    assert not out.exists()


def test_without_chromium_it_says_what_to_install(repo, tmp_path, monkeypatch):
    make_portal_repo(repo)
    monkeypatch.setenv("DSPT_CHROMIUM", str(tmp_path / "no-such-chromium"))
    printed = dspt_pdf(tmp_path / "x.pdf", "--repo", str(repo.root), "--as-of", AS_OF)
    assert printed.code == 1
    assert "DSPT_CHROMIUM=" in printed.err and "no such program" in printed.err
    monkeypatch.setenv("DSPT_CHROMIUM", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    printed = dspt_pdf(tmp_path / "x.pdf", "--repo", str(repo.root), "--as-of", AS_OF)
    assert printed.code == 1
    assert "apt install chromium" in printed.err and "DSPT_CHROMIUM" in printed.err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("action", ["pdf", "export"])
def test_without_the_portal_extra_it_says_exactly_what_to_install(repo, tmp_path, monkeypatch,
                                                                  action):
    import dsptkit.portal

    real = dsptkit.portal.find_spec
    monkeypatch.setattr(dsptkit.portal, "find_spec",
                        lambda name: None if name == "nh3" else real(name))
    run = repo.dspt("portal", action, str(tmp_path / "out"), "--repo", str(repo.root))
    assert run.code == 2
    # the extra, pinned as this dsptkit was installed (never a bare name): here the checkout
    assert run.err.strip() == (f"dspt: error: dspt portal {action} needs the portal extra: "
                               f"pip install -e '{ROOT}[portal]' (not installed: nh3)")


def test_the_audit_pack_pages_drawn_for_looking_at(audit_pack):
    """Every page drawn by poppler's pdftoppm (as a reader's viewer would), into
    build/screenshots/pdf/: one image per page, none blank."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(audit_pack.path), str(SHOTS / "audit-pack")],
                   check=True, capture_output=True)
    images = sorted(SHOTS.glob("audit-pack-*.png"))
    assert len(images) == len(audit_pack.reader.pages)
    assert all(image.stat().st_size > 5000 for image in images)


# ------------------------------------------------------------------ no Chromium needed


def test_css_strings_cannot_end_the_string_or_the_stylesheet():
    from dsptkit.portal.templating import css_string

    text = str(css_string('a "b" \\ </style> — ok'))
    assert text.startswith('"') and text.endswith('"')
    inner = text[1:-1]
    for bad in ('"', "<", ">"):
        assert bad not in inner
    assert inner.count("\\") == 6  # one per escape: two quotes, the backslash, <, >, the dash
    assert "\\002014 " in inner  # the em dash, with the space CSS reads as ending its escape


def test_the_print_document_allows_no_script_and_relinks(repo):
    from dsptkit import pipeline
    from dsptkit.portal.pdf import document, select
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer

    run = pipeline.run(repo.root, AS_OF)
    site = build_site(run)
    pages = select(site.pages, ["policies/governance.md"])
    html = document(site, Renderer(site), pages, site_url=None, published=set(), root=repo.root)
    csp = html.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    assert "script-src 'none'" in csp and "default-src 'none'" in csp and "'sha256-" in csp
    assert "<script" not in html
    assert 'href="../' not in html and 'href="items/' not in html and 'href="evidence/' not in html
    assert '<span class="dspt-id dspt-unlinked">EV-1</span>' in html
    assert 'id="p1-policies-governance--claims"' in html


def test_an_override_restyles_the_print_and_its_styles_are_allowed(repo):
    """site_config/overrides/dspt/print.html extending the shipped template: its style is in
    the document, and the Content-Security-Policy allows exactly the document's styles."""
    import base64
    import hashlib

    from dsptkit import pipeline
    from dsptkit.portal.pdf import document, select
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer

    make_portal_repo(repo)
    repo.write("site_config/overrides/dspt/print.html",
               '{% extends "dsptkit/print.html" %}\n'
               "{% block style %}{{ super() }} h1 { color: #330072; }{% endblock %}\n")
    run = pipeline.run(repo.root, AS_OF)
    site = build_site(run)
    html = document(site, Renderer(site, repo.root / "site_config/overrides"),
                    select(site.pages, []), site_url=None, published=set(), root=repo.root)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1 and "h1 { color: #330072; }" in styles[0]
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}';" in html


def test_images_the_portal_shows_are_inlined_and_nothing_else_is_fetched():
    from dsptkit import pipeline
    from dsptkit.portal.pdf import document, select
    from dsptkit.portal.site import build_site
    from dsptkit.portal.templating import Renderer

    run = pipeline.run(ROOT, EXAMPLE_AS_OF)
    site = build_site(run)
    pages = select(site.pages, ["evidence/EV-2026-017.md"])
    html = document(site, Renderer(site), pages, site_url="https://dspt.example.org",
                    published={"evidence/files/EV-2026-017/2026-05-12-mfa-report.png"}, root=ROOT)
    assert re.search(r'<img src="data:image/png;base64,iVBORw0KGgo[^"]*" [^>]*class="dspt-attachment"', html)
    assert 'href="https://dspt.example.org/evidence/files/EV-2026-017/2026-05-12-mfa-report.png"' \
        in html
    assert re.findall(r'(?:src|href)="(?!data:|https://|#)[^"]*"', html) == []


def test_the_mkdocs_plugin_without_the_portal_extra_says_what_to_install(monkeypatch):
    from mkdocs.exceptions import PluginError

    import dsptkit.portal
    from dsptkit.portal.plugin import DsptPlugin

    real = dsptkit.portal.find_spec
    monkeypatch.setattr(dsptkit.portal, "find_spec",
                        lambda name: None if name == "nh3" else real(name))
    with pytest.raises(PluginError) as refused:
        DsptPlugin().on_config(None)  # type: ignore[arg-type]
    assert str(refused.value) == ("dspt: the dspt plugin needs the portal extra: "
                                  f"pip install -e '{ROOT}[portal]' (not installed: nh3)")
