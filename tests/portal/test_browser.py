"""The portal in a real browser: Playwright driving Debian's Chromium against the real site.

Needs Chromium: DSPT_CHROMIUM, else /usr/bin/chromium (`make browser` installs it), else
chromium on PATH. Without it these tests fail, unless DSPT_SKIP_BROWSER=1 is set on purpose.
Screenshots go to build/screenshots/ (the dashboard and other pages in the dark scheme too).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, chromium_path
from portal.test_build import INJECTED
from portal.test_public import attachments_record
from portal_helpers import make_portal_repo, mkdocs_build

SHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    path = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # type: ignore[no-untyped-def]  # noqa: A002
        pass


def _serve(directory: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def base(example_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    yield from _serve(example_site.site)


@pytest.fixture
def page(browser, base):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.requests = []  # type: ignore[attr-defined]
    tab.on("request", lambda request: tab.requests.append(request.url))  # type: ignore[attr-defined]
    yield tab
    context.close()


def search(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the search box and type as a person does (Material reacts to key events)."""
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").focus()
    page.keyboard.type(text, delay=40)
    page.locator(".md-search-result__item").first.wait_for(timeout=20000)


# records every Content-Security-Policy violation on the page, before any of its own scripts
WATCH_CSP = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
             "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_dashboard_shows_the_position(page, base):
    page.goto(f"{base}/index.html")
    assert page.locator(".dspt-position-value").inner_text() == "Standards Met on 39 of 45"
    assert "Standards Met on 39 of 45" in page.locator(".dspt-announce").inner_text()
    assert page.locator("svg.dspt-chart").count() == 1
    shot(page, "dashboard")


def test_from_a_standard_to_an_item_to_its_evidence_and_attachment(page, base):
    page.goto(f"{base}/index.html")
    page.get_by_role("link", name="Standards", exact=True).first.click()
    page.get_by_role("link", name="4. Managing data access").first.click()
    assert page.locator("h1").inner_text().startswith("4. Managing data access")
    shot(page, "standard")
    page.get_by_role("link", name="4.5.3", exact=True).click()
    assert "dspt:4.5.3" in page.locator("h1").inner_text()
    shot(page, "item")
    page.get_by_role("link", name="EV-2026-017").first.click()
    assert page.locator("h1").inner_text().startswith("EV-2026-017")
    image = page.locator("img.dspt-attachment")
    image.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth", image.element_handle()) > 0
    link = page.get_by_role("link", name="2026-05-12-mfa-report.png")
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.status == 200 and response.body()[:4] == b"\x89PNG"
    shot(page, "evidence")


def test_search_finds_evidence(page, base):
    page.goto(f"{base}/index.html")
    search(page, "restore")
    assert "restore" in page.locator(".md-search-result").inner_text().lower()
    shot(page, "search")


def test_the_evidence_table_sorts_and_filters(page, base):
    page.goto(f"{base}/evidence/index.html")
    dates = page.locator("table.dspt-evidence tbody tr td:first-child")
    assert dates.first.inner_text() == "2026-11-03"  # newest first as built
    page.locator("table.dspt-evidence th", has_text="Collected").click()
    assert dates.first.inner_text() == "2026-01-15"
    page.locator("table.dspt-evidence th", has_text="Collected").click()
    assert dates.first.inner_text() == "2026-11-03"
    page.locator("input.dspt-filter").fill("restore")
    visible = page.locator("table.dspt-evidence tbody tr:not([hidden])")
    assert visible.count() == 2  # the failed restore test and its re-test
    shot(page, "evidence-register")


def test_no_request_leaves_this_machine(page, base):
    for path in ("index.html", "standards/index.html", "policies/access-control.html",
                 "evidence/index.html", "gaps.html", "registers.html", "audit-pack.html"):
        page.goto(f"{base}/{path}")
        page.wait_for_load_state("networkidle")
    search(page, "backup")
    assert page.requests
    assert [url for url in page.requests if not url.startswith(base + "/")] == []


def test_the_portal_works_from_a_folder(browser, example_site):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto((example_site.site / "index.html").as_uri())
    assert tab.locator(".dspt-position-value").inner_text() == "Standards Met on 39 of 45"
    search(tab, "restore")
    assert "restore" in tab.locator(".md-search-result").inner_text().lower()
    context.close()




def test_an_injected_script_in_evidence_does_not_run(browser, repo, tmp_path):
    make_portal_repo(repo)
    repo.write("evidence/2026/x.md", INJECTED)
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    for url in _serve(tmp_path / "site"):
        context = browser.new_context()
        tab = context.new_page()
        tab.goto(f"{url}/evidence/EV-X.html")
        tab.wait_for_load_state("networkidle")
        tab.get_by_text("click").click()
        assert tab.evaluate("window.__pwned") is None
        shot(tab, "injected")
        context.close()


HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_EVIDENCE = f"""\
---
id: EV-9
title: {HOSTILE}
collected: 2026-06-10
by: bob
supports: [GV-1]
outcome: pass
---
A record whose title is markup.
"""


def test_a_hostile_title_shows_as_text_and_never_runs(browser, repo, tmp_path):
    make_portal_repo(repo)
    repo.write("evidence/2026/x.md", HOSTILE_EVIDENCE)
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("title: Governance policy",
                                                      f"title: '{HOSTILE}'"))
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    dialogs: list[str] = []

    def on_dialog(dialog):  # type: ignore[no-untyped-def]
        dialogs.append(dialog.message)
        dialog.dismiss()

    for url in _serve(tmp_path / "site"):
        context = browser.new_context()
        tab = context.new_page()
        tab.on("dialog", on_dialog)
        for path, title in (("evidence/EV-9.html", f"EV-9 {HOSTILE}"),
                            ("policies/governance.html", HOSTILE)):
            tab.goto(f"{url}/{path}")
            tab.wait_for_load_state("networkidle")
            assert tab.title().startswith(f"{title} - ")
            assert tab.locator("h1").inner_text() == title
            tab.mouse.wheel(0, 400)  # Material swaps the header to the page title on scroll
            topic = tab.locator('[data-md-component="header-topic"] .md-ellipsis')
            assert topic.text_content().strip() == title
            assert tab.locator("img[src='x']").count() == 0
            shot(tab, "hostile-title" if path.startswith("evidence") else "hostile-policy")
        tab.goto(f"{url}/index.html")
        search(tab, "onerror")
        results = tab.locator(".md-search-result").inner_text()
        assert HOSTILE in results
        assert tab.locator(".md-search-result img").count() == 0
        assert dialogs == []
        context.close()


def test_the_portal_runs_under_its_content_security_policy(browser, base, example_site):
    """Every page carries a CSP allowing only the site itself: Material, search (a Web Worker
    over HTTP, the iframe-worker shim from a folder), the portal's script and styles all
    work under it, and it is live: what it forbids does not load."""
    for start in (base, example_site.site.as_uri()):
        context = browser.new_context()
        tab = context.new_page()
        tab.add_init_script(WATCH_CSP)
        for path in ("index.html", "standards/dspt-4.html", "items/dspt-4.5.3.html",
                     "policies/access-control.html", "evidence/index.html",
                     "evidence/EV-2026-017.html", "gaps.html", "registers.html",
                     "rules/index.html", "audit-pack.html"):
            tab.goto(f"{start}/{path}")
            tab.wait_for_load_state("networkidle")
            assert tab.evaluate("window.__csp") == [], (start, path)
        search(tab, "restore")
        assert tab.evaluate("window.__csp") == []
        tab.evaluate("""() => {
            const img = document.createElement('img');
            img.src = 'https://images.example.net/x.png';
            document.body.append(img);
            const script = document.createElement('script');
            script.textContent = 'window.__ran = 1';
            document.body.append(script);
        }""")
        tab.wait_for_timeout(200)
        assert tab.evaluate("window.__ran") is None
        assert sorted(tab.evaluate("window.__csp")) == [
            "img-src https://images.example.net/x.png", "script-src-elem inline"]
        context.close()


def test_the_public_registers_page_shows_roles_and_counts(page, base):
    page.goto(f"{base}/registers.html")
    text = page.locator("article").inner_text()
    assert "Support analyst" in text and "Lessons learned" in text
    for private in ("Priya Shah", "Jo Lee", "2026-06-01", "Label printer", "7.4.2",
                    "wrong mobile number"):
        assert private not in text
    shot(page, "registers-public")


def _on_site_only(site: str, off_site: list[str]):  # type: ignore[no-untyped-def]
    """A route handler: requests to the site go through, any other is noted and refused."""

    def route(r):  # type: ignore[no-untyped-def]
        if r.request.url.startswith(site + "/"):
            r.continue_()
        else:
            off_site.append(r.request.url)
            r.abort()

    return route


def test_hostile_attachments_and_remote_images_cannot_run_or_fetch(browser, repo, tmp_path):
    """HTML, SVG, XML and Markdown attachments, remote images and frames in a record's
    text: opening the record and every attachment runs nothing and fetches nothing off the
    site; what could run downloads as a zip."""
    make_portal_repo(repo)
    attachments_record(repo)
    build = mkdocs_build(repo.root, tmp_path / "site", as_of="2026-07-01")
    assert build.code == 0, build.output
    dialogs: list[str] = []
    for url in _serve(tmp_path / "site"):
        context = browser.new_context(accept_downloads=True)
        off_site: list[str] = []

        context.route("**/*", _on_site_only(url, off_site))
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.add_init_script(WATCH_CSP)
        tab.goto(f"{url}/evidence/EV-H.html")
        tab.wait_for_load_state("networkidle")
        images = tab.locator("img.dspt-attachment")
        assert images.count() == 2
        for n in range(2):
            assert tab.evaluate("i => i.complete && i.naturalWidth", images.nth(n).element_handle())
        shot(tab, "evidence-svg-attachment")
        assert tab.evaluate("window.__pwned") is None
        links = tab.locator("a[download]")
        names = []
        for n in range(links.count()):
            with tab.expect_download() as download:
                links.nth(n).click()
            names.append(download.value.suggested_filename)
        assert sorted(names) == sorted(["page.html.zip", "diagram.svg.zip", "data.xml.zip",
                                        "notes.markdown.zip", "shot.png", "shot.png"])
        for raw in ("page.html", "diagram.svg", "data.xml", "notes.markdown", "notes.html"):
            assert tab.request.get(f"{url}/evidence/files/EV-H/{raw}").status == 404
        assert tab.evaluate("window.__csp") == []
        image = images.first.evaluate("i => i.src")
        tab.goto(image)  # an image, opened on its own
        tab.wait_for_load_state("networkidle")
        assert dialogs == [] and off_site == []
        context.close()



def test_the_light_dark_toggle_switches_the_scheme_and_remembers_it(page, base):
    """Material's palette toggle: light by default (or as the system prefers), slate after a
    click, kept on the next page; the portal's own colours follow the scheme."""
    page.goto(f"{base}/index.html")
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # the tabs fade in
    shot(page, "dashboard-light")
    page.locator("label[title='Switch to dark mode']").click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
    value = page.locator(".dspt-position-value")
    text, background = value.evaluate("e => getComputedStyle(e).color"), page.evaluate(
        "getComputedStyle(document.body).backgroundColor")
    assert text != "rgb(33, 43, 50)" and background != "rgb(255, 255, 255)"  # light text, dark page
    shot(page, "dashboard-dark")
    for path, name in (("audit-pack.html", "audit-pack-dark"), ("evidence/index.html", "evidence-dark"),
                       ("policies/access-control.html", "policy-dark"), ("gaps.html", "gaps-dark"),
                       ("items/dspt-4.5.3.html", "item-dark"), ("registers.html", "registers-dark")):
        page.goto(f"{base}/{path}")
        assert body.get_attribute("data-md-color-scheme") == "slate"  # remembered
        shot(page, name)
    page.locator("label[title='Switch to light mode']").click()
    assert body.get_attribute("data-md-color-scheme") == "default"


def test_a_dark_system_setting_opens_the_portal_dark(browser, base):
    context = browser.new_context(color_scheme="dark")
    tab = context.new_page()
    tab.goto(f"{base}/index.html")
    assert tab.locator("body").get_attribute("data-md-color-scheme") == "slate"
    context.close()
