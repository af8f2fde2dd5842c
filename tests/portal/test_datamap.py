"""The portal's Data map page: the flows as an inline SVG diagram built at build time, and the
same facts as tables, from the one pipeline run (``position.datamap`` and the DM results).

Real `mkdocs build --strict` runs of small repositories with a data map (internal and
public), hostile names in every place the diagram and the tables print one, a generated map
of 30 systems and 60 flows whose SVG is parsed for overlapping boxes, curves over boxes and
small text, the page printed by `dspt portal pdf`, and real Chromium screenshots of it and
of the worked example in build/screenshots/ (datamap-*.png), to be looked at.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, TinyRepo
from dsptkit.main import main
from portal.test_browser import _serve, browser  # noqa: F401  (a fixture)
from portal_helpers import Build, make_portal_repo, mkdocs_build

SHOTS = ROOT / "build" / "screenshots"
NS = "{http://www.w3.org/2000/svg}"
AS_OF = "2026-11-22"
WAIVER = """\
    waivers:
      - rule: DM106
        subject: Old Puffin reporting server
        reason: Replaced in January; the reports on it are read-only until then.
        approved_by: siro
        expires: 2027-01-31
    """

ASSETS = """\
    reviewed: 2026-09-01
    assets:
      - {name: Kittiwake booking platform, kind: software, holds_personal_data: true, owner: bob}
      - {name: Kittiwake database, kind: software, holds_personal_data: true,
         supported_until: 2030-01-01}
      - {name: Old Puffin reporting server, kind: hardware, holds_personal_data: true,
         supported_until: 2025-01-31}
    """

SUPPLIERS = """\
    reviewed: 2026-09-01
    suppliers:
      - name: Northwind Cloud
        service: Hosting
        processes_patient_data: true
        country: UK
        contract: {signed: 2025-04-01, expires: 2028-03-31, data_protection: true, evidence: EV-1}
        sub_processors: [{name: Azure, service: Data centres, country: UK}]
        checked: 2026-07-15
        evidence: [EV-1]
      - name: Quaystone Messaging
        service: SMS gateway
        contract: {signed: 2023-07-01, expires: 2026-06-30, data_protection: true}
        checked: 2026-07-15
      - name: Ledgerly
        service: Payroll
        contract_article_28: true
        checked: 2026-07-15
    """

INFORMATION_ASSETS = """\
    reviewed: 2026-09-01
    approved: {by: siro, on: 2026-09-02}
    information_assets:
      - name: Patient appointment records
        owner: ig_lead
        data_categories: [patient, special_category]
        systems: [Kittiwake booking platform, Kittiwake database]
        hosted_in: [UK]
        suppliers: [Northwind Cloud]
        volume: about 40,000 patients
        retention: 8 years after the last appointment
        controls: [Encrypted at rest, Access by role with MFA]
        evidence: [EV-1]
      - name: Old appointment reports
        data_categories: [patient]
        systems: [Old Puffin reporting server]
        hosted_in: [UK]
    """

PROCESSING = """\
    reviewed: 2026-09-01
    approved: {by: siro, on: 2026-09-02}
    processing:
      - activity: Appointment booking
        purpose: Book patients' appointments for our customers
        lawful_basis: Public task
        special_category_condition: 9(2)(h) health care
        data_subjects: [Patients]
        information_assets: [Patient appointment records]
        transfers: []
      - activity: Appointment reminders
        purpose: Remind patients by SMS
        lawful_basis: Because the practice asked us to
        information_assets: [Patient appointment records]
        recipients: [Quaystone Messaging]
        transfers:
          - {country: United States, recipient: Quaystone Messaging}
    """

DATA_FLOWS = """\
    reviewed: 2026-09-01
    approved: {by: siro, on: 2026-09-02}
    parties:
      - {name: GP practices, kind: customer, description: The practices that use our booking service}
      - {name: Patients, kind: public}
    data_flows:
      - from: GP practices
        to: Kittiwake booking platform
        data: Appointment slots and patient contact details
        data_categories: [patient]
        via: API over TLS
        frequency: continuous
      - from: Kittiwake booking platform
        to: Kittiwake database
        information_assets: [Patient appointment records]
        via: TLS inside the hosting network
        frequency: continuous
      - from: Kittiwake booking platform
        to: Quaystone Messaging
        data: Mobile number, first name, appointment time
        data_categories: [patient]
        via: HTTPS API
        frequency: hourly
      - from: Quaystone Messaging
        to: Patients
        data: Appointment reminder text
        data_categories: [patient]
        via: SMS
        frequency: on each reminder
      - from: GP practices
        to: Ledgerly
        data: Invoices
        data_categories: [financial]
        via: email
        frequency: monthly
    """


def with_map(repo, *, flows: str = DATA_FLOWS) -> None:  # type: ignore[no-untyped-def]
    repo.write("evidence/registers/assets.yaml", ASSETS)
    repo.write("evidence/registers/suppliers.yaml", SUPPLIERS)
    repo.write("evidence/registers/information-assets.yaml", INFORMATION_ASSETS)
    repo.write("evidence/registers/processing.yaml", PROCESSING)
    repo.write("evidence/registers/data-flows.yaml", flows)


def big_map(repo, systems: int = 30, flows: int = 60) -> None:  # type: ignore[no-untyped-def]
    """A generated map: ``systems`` systems, 12 suppliers, 6 outside parties and ``flows``
    flows of every kind (outside to ours, ours to suppliers, outside to suppliers, between
    two systems), a third of them patient data, some names too long for a box."""
    words = ["Booking", "Reporting", "Clinical", "Messaging", "Identity", "Backup", "Audit",
             "Analytics", "Integration", "Document", "Scheduling", "Billing"]
    system_names = [f"{words[i % 12]} {'service' if i % 3 else 'database'} {i + 1}" +
                    (" for the regional appointment and referral hub" if i % 7 == 3 else "")
                    for i in range(systems)]
    supplier_names = [f"Supplier {chr(65 + i)} " + ("Cloud Hosting Europe Limited" if i % 4 == 0
                                                    else "Ltd") for i in range(12)]
    parties = [("GP practices in North Yorkshire and the Humber", "customer"),
               ("Patients", "public"), ("NHS England", "nhs"), ("Care homes", "customer"),
               ("Integrated care boards", "nhs"), ("Auditors", "other")]
    repo.write("evidence/registers/assets.yaml", "reviewed: 2026-09-01\nassets:\n" + "".join(
        f"  - {{name: {name}, kind: software, holds_personal_data: true}}\n"
        for name in system_names))
    repo.write("evidence/registers/suppliers.yaml", "reviewed: 2026-09-01\nsuppliers:\n" + "".join(
        f"  - name: {name}\n    service: Service {i}\n    processes_patient_data: {str(i % 2 == 0).lower()}\n"
        f"    contract: {{signed: 2025-01-01, data_protection: true}}\n    sub_processors: []\n"
        f"    checked: 2026-07-01\n" for i, name in enumerate(supplier_names)))
    lines = ["reviewed: 2026-09-01", "approved: {by: siro, on: 2026-09-02}", "parties:"]
    lines += [f"  - {{name: {name}, kind: {kind}}}" for name, kind in parties]
    lines.append("data_flows:")
    state = 7
    order = [system_names[(i * 13) % systems] for i in range(systems)]  # every system, mixed
    used = 0

    def system() -> str:
        nonlocal used
        used += 1
        return order[(used - 1) % systems]

    for n in range(flows):
        state = (state * 1103515245 + 12345) % 2**31  # a fixed sequence: the same map each run
        kind = n % 5
        sup = supplier_names[(state // 11) % 12]
        party = parties[(state // 13) % 6][0]
        if kind == 0:
            ends = (party, system())
        elif kind == 1:
            ends = (system(), sup)
        elif kind == 2:
            ends = (party, sup)
        elif kind == 3:
            ends = (system(), system())
        else:
            ends = (sup, party)
        category = "patient" if n % 3 == 0 else "financial"
        lines.append(f"  - {{from: {ends[0]}, to: {ends[1]}, data: Flow {n + 1} data, "
                     f"data_categories: [{category}], via: HTTPS, frequency: daily}}")
    repo.write("evidence/registers/data-flows.yaml", "\n".join(lines) + "\n")


# -------------------------------------------------------------------------- helpers


def portal_repo(root: Path, *, waiver: bool = False) -> TinyRepo:
    """A tiny repository with the project's portal configuration, the Data map in its nav."""
    repo = TinyRepo(root, None)  # type: ignore[arg-type]
    make_portal_repo(repo)
    config = repo.root / "mkdocs.yml"
    text = config.read_text()
    if "data-map.md" not in text:
        text = text.replace("  - Registers: registers.md\n",
                            "  - Registers: registers.md\n  - Data map: data-map.md\n")
    config.write_text(text)
    if waiver:
        organisation = repo.root / "organisation.yaml"
        organisation.write_text(organisation.read_text() + textwrap.dedent(WAIVER))
    return repo


def build(repo: TinyRepo, site: Path, internal: bool = False) -> Build:
    done = mkdocs_build(repo.root, site, as_of=AS_OF, internal=internal)
    assert done.code == 0, done.output
    assert "WARNING" not in done.output, done.output
    return done


def svg_of(html: str) -> ET.Element:
    """The diagram, parsed as XML: it must be well-formed, whatever the names in it."""
    found = re.search(r'<svg class="dspt-diagram".*?</svg>\s*</div>', html, re.S)
    assert found, "no diagram on the page"
    return ET.fromstring(found.group(0)[:found.group(0).rindex("</div>")])


def boxes_of(svg: ET.Element) -> list[tuple[str, float, float, float, float]]:
    """(full name, x, y, width, height) of every box."""
    found = []
    for group in svg.iter(f"{NS}g"):
        if "node" in (group.get("class") or "").split():
            rect = group.find(f"{NS}rect")
            title = group.find(f"{NS}title")
            assert rect is not None and title is not None
            found.append((title.text or "", float(rect.get("x")), float(rect.get("y")),
                          float(rect.get("width")), float(rect.get("height"))))
    return found


def curves_of(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{NS}g") if "flow" in (g.get("class") or "").split()
            and g.find(f"{NS}path[@class='line']") is not None]


def font_sizes(svg: ET.Element) -> list[float]:
    """The font size every piece of text is drawn at (its own, or its group's)."""
    sizes = []

    def walk(element: ET.Element, inherited: str | None) -> None:
        size = element.get("font-size") or inherited
        if element.tag == f"{NS}text":
            assert size is not None, ET.tostring(element)
            sizes.append(float(size))
        for child in element:
            walk(child, size)

    walk(svg, None)
    return sizes


def points_on(d: str, per_segment: int = 24) -> list[tuple[float, float]]:
    """Points along a path of M, L and C commands (what the diagram draws)."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", d)
    points: list[tuple[float, float]] = []
    at = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        command = tokens[i]
        numbers = []
        i += 1
        while i < len(tokens) and tokens[i] not in "MLC":
            numbers.append(float(tokens[i]))
            i += 1
        pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
        if command == "M":
            at = pairs[0]
            points.append(at)
        elif command == "L":
            for end in pairs:
                points += [(at[0] + (end[0] - at[0]) * t / per_segment,
                            at[1] + (end[1] - at[1]) * t / per_segment)
                           for t in range(1, per_segment + 1)]
                at = end
        else:
            for c1, c2, end in zip(pairs[::3], pairs[1::3], pairs[2::3], strict=True):
                for step in range(1, per_segment + 1):
                    t = step / per_segment
                    u = 1 - t
                    points.append(tuple(u**3 * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 +
                                        t**3 * p3 for p0, p1, p2, p3 in zip(at, c1, c2, end,
                                                                          strict=True)))
                at = end
    return points


def dspt_pdf(out: Path, *args: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(["portal", "pdf", str(out), *args])


def full_shot(tab, name: str, selector: str | None = None) -> Path:  # type: ignore[no-untyped-def]
    """A screenshot of the whole page, or of one element of it drawn as the whole page is
    (the theme's sticky header stays at the top, not over the element)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    clip = None
    if selector is not None:
        box = tab.evaluate(f"""() => {{ const r = document.querySelector({selector!r})
            .getBoundingClientRect(); return {{x: r.x + scrollX, y: r.y + scrollY,
            width: r.width, height: r.height}}; }}""")
        clip = {"x": max(box["x"] - 8, 0), "y": max(box["y"] - 8, 0),
                "width": box["width"] + 16, "height": box["height"] + 16}
    tab.screenshot(path=str(path), full_page=True, clip=clip)
    return path


# ----------------------------------------------------------------------------- sites


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[TinyRepo, Build, Build]:  # type: ignore[no-untyped-def]
    """The small map, built internal (everything named) and public (the default)."""
    folder = tmp_path_factory.mktemp("small")
    repo = portal_repo(folder / "repo", waiver=True)
    with_map(repo)
    return repo, build(repo, folder / "internal", internal=True), build(repo, folder / "public")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Build:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("big")
    repo = portal_repo(folder / "repo")
    big_map(repo)
    return build(repo, folder / "site", internal=True)


# ---------------------------------------------------------------- what the page says


def test_the_page_is_in_the_nav_and_draws_every_flow_between_labelled_boxes(small):
    _repo, internal, _public = small
    assert re.search(r'<a href="data-map.html" class="md-tabs__link">\s*Data map\s*</a>',
                     (internal.site / "index.html").read_text())
    html = (internal.site / "data-map.html").read_text()
    svg = svg_of(html)
    assert svg.get("role") == "img"
    summary = ("Diagram of the data map: 5 data flows, 4 carrying patient data, between 2 "
               "outside parties, 2 of our systems and 2 suppliers. The tables below give the "
               "same facts.")
    assert svg.get("aria-label") == summary and svg.find(f"{NS}title").text == summary
    assert sorted(name for name, *_ in boxes_of(svg)) == [
        "GP practices (customer · patient data)", "Kittiwake booking platform (our system · "
        "patient data)", "Kittiwake database (our system · patient data)",
        "Ledgerly (supplier)", "Patients (the public · patient data)",
        "Quaystone Messaging (supplier · patient data)"]
    curves = curves_of(svg)
    titles = [c.find(f"{NS}title").text for c in curves]
    assert titles[0] == ("Flow 1: GP practices → Kittiwake booking platform: Appointment slots "
                         "and patient contact details (patient data)")
    assert titles[4] == "Flow 5: GP practices → Ledgerly: Invoices"
    # patient data is not marked by colour alone: a thick solid line and a filled arrowhead,
    # against a thin dashed line and an open one
    for curve, patient in zip(curves, [True, True, True, True, False], strict=True):
        line = curve.find(f"{NS}path[@class='line']")
        assert (line.get("stroke-dasharray") is None) is patient
        assert float(line.get("stroke-width")) == (3.5 if patient else 1.5)
        assert curve.find(f"{NS}polygon" if patient else f"{NS}polyline") is not None
    assert "patient data" in [t.text for t in svg.iter(f"{NS}text")]  # the legend
    # every box links to its register entry, every curve to its row; no link is tabbed to
    links = [a for a in svg.iter(f"{NS}a")]
    assert all(a.get("tabindex") == "-1" for a in links)
    hrefs = {a.get("href") for a in links}
    assert {f"#flow-{n}" for n in range(1, 6)} <= hrefs
    assert {"registers.html#supplier-quaystone-messaging", "registers.html#supplier-ledgerly",
            "registers.html#asset-kittiwake-booking-platform", "#party-gp-practices",
            "#party-patients"} <= hrefs
    registers = (internal.site / "registers.html").read_text()
    for href in hrefs:
        page, _, anchor = href.partition("#")
        assert f'id="{anchor}"' in (registers if page else html), href
    assert svg.find(f".//{NS}script") is None


def test_the_tables_give_the_same_facts_and_link_each_entry_to_its_register_and_evidence(small):
    _repo, internal, _public = small
    html = (internal.site / "data-map.html").read_text()
    rows = dict(re.findall(r'<tr id="(flow-\d)">(.*?)</tr>', html, re.S))
    assert "<strong>yes</strong>" in rows["flow-1"] and "API over TLS" in rows["flow-1"]
    assert "<td>no</td>" in rows["flow-5"] and "Invoices" in rows["flow-5"]
    assert 'from <a href="#information-asset-patient-appointment-records">Patient ' \
           'appointment records</a>' in rows["flow-2"]
    asset = re.search(r'<tr id="information-asset-patient-appointment-records">(.*?)</tr>',
                      html, re.S).group(1)
    assert "Bob Brown (ig_lead)" in asset and "about 40,000 patients" in asset
    assert '<a href="registers.html#supplier-northwind-cloud">Northwind Cloud</a>' in asset
    assert '<a class="dspt-id" href="evidence/EV-1.html">EV-1</a>' in asset
    assert "evidence/registers/information-assets.yaml:4" in asset
    old = re.search(r'<tr id="information-asset-old-appointment-reports">(.*?)</tr>', html,
                    re.S).group(1)
    assert old.count(">not recorded<") == 3  # owner, retention and controls: DM103's gaps
    assert "unsupported" in old
    booking = re.search(r'<tr id="activity-appointment-booking">(.*?)</tr>', html, re.S).group(1)
    assert "Public task<br><small class=\"dspt-muted\">read as: public task (6(1)(e))" in booking
    assert "read as: health or social care (9(2)(h))" in booking
    reminders = re.search(r'<tr id="activity-appointment-reminders">(.*?)</tr>', html,
                          re.S).group(1)
    assert "Because the practice asked us to" in reminders and ">not recognised<" in reminders
    assert "United States (Quaystone Messaging)" in reminders
    assert ">no safeguard recorded<" in reminders
    suppliers = html[html.index('id="suppliers-in-scope"'):html.index('id="outside-parties"')]
    assert ">current, covers data protection<" in suppliers and "Azure" in suppliers
    assert ">expired<" in suppliers and "2023-07-01 to 2026-06-30" in suppliers
    assert ">covers data protection; dates not recorded<" in suppliers
    assert '<a class="dspt-id" href="evidence/EV-1.html">EV-1</a>' in suppliers
    assert ">Ledgerly</a>" in suppliers and ">Northwind Cloud</a>" in suppliers
    assert "GP practices" in html[html.index('id="outside-parties"'):]


def missing_of(repo) -> list:
    from dsptkit import pipeline
    from dsptkit.datamap import missing

    return missing(pipeline.run(repo.root, AS_OF))


def test_what_is_missing_is_the_runs_own_map_findings_with_the_waived_apart(small):
    _repo, internal, _public = small
    html = (internal.site / "data-map.html").read_text()
    missing = html[html.index('id="what-is-missing"'):]
    open_part = missing[:missing.index('id="waived"')]
    codes = re.findall(r'href="rules/([A-Z]{2}\d{3})\.html"', open_part)
    # CL102 (the governance claim) is no gap in the map; RG102 names the system the map uses;
    # listed as dspt check lists them (by file and line), the same list dspt scope shows
    assert sorted(codes) == ["DM101", "DM102", "DM103", "DM104", "DM104", "DM105", "RG102"]
    assert codes == [r.code for r, w in missing_of(_repo) if w is None]
    waived = missing[missing.index('id="waived"'):missing.index('id="not-recorded"')]
    assert re.findall(r'href="rules/([A-Z]{2}\d{3})\.html"', waived) == ["DM106"]
    assert "Replaced in January" in waived and "2027-01-31" in waived
    assert "supplier &#39;Ledgerly&#39;: the contract&#39;s dates are not recorded" in missing


def test_a_public_build_draws_our_systems_as_one_unnamed_box_and_people_by_role(small):
    _repo, _internal, public = small
    leaks = [path for path, text in public.pages().items()
             if "Kittiwake" in text or "Puffin" in text]
    assert leaks == []  # nowhere: not the diagram, the tables, the findings or search
    html = (public.site / "data-map.html").read_text()
    svg = svg_of(html)
    assert "Our systems (2 systems · patient data)" in [name for name, *_ in boxes_of(svg)]
    assert "2 of our systems (drawn as one box)" in svg.get("aria-label")
    # the flow between two of our systems is in the table only; the others are drawn
    assert len(curves_of(svg)) == 4 and "#flow-2" not in {a.get("href") for a in svg.iter(f"{NS}a")}
    assert 'id="flow-2"' in html and html.count("one of our systems") >= 4
    assert "ig_lead" in html and "Bob Brown" not in html and "Alice Adams" not in html
    assert "2 of our systems" in html  # the information asset's systems, counted
    assert 'id="asset-' not in (public.site / "registers.html").read_text()
    assert 'id="supplier-quaystone-messaging"' in (public.site / "registers.html").read_text()


# ------------------------------------------------------------------------- escaping


HOSTILE_FLOWS = """\
    reviewed: 2026-09-01
    approved: {by: siro, on: 2026-09-02}
    parties:
      - {name: "Patients \\u202egpj.exe", kind: public, description: "<img src=x onerror=alert(3)>"}
    data_flows:
      - from: "Patients \\u202egpj.exe"
        to: "<script>alert(1)</script>"
        data: "</svg><script>alert(2)</script>"
        data_categories: [patient]
        via: "\\"><img src=x onerror=alert(4)>"
      - from: "<script>alert(1)</script>"
        to: "\\"><img src=x onerror=alert(1)>"
        information_assets: ["<b>Records</b> \\u202e"]
    """


def test_names_from_the_repository_are_text_in_the_diagram_and_the_tables(tmp_path, browser):  # noqa: F811
    repo = portal_repo(tmp_path / "repo")
    repo.write("evidence/registers/assets.yaml", """\
        assets:
          - {name: "<script>alert(1)</script>", kind: software, holds_personal_data: true}
        """)
    repo.write("evidence/registers/suppliers.yaml", """\
        suppliers:
          - name: "\\"><img src=x onerror=alert(1)>"
            service: "<i>hosting</i>"
            contract: {signed: 2025-01-01, data_protection: true}
            sub_processors: [{name: "<svg onload=alert(5)>"}]
            checked: 2026-07-01
        """)
    repo.write("evidence/registers/information-assets.yaml", """\
        approved: {by: siro, on: 2026-09-02}
        reviewed: 2026-09-01
        information_assets:
          - name: "<b>Records</b> \\u202e"
            owner: "<u>nobody</u>"
            data_categories: [patient]
            systems: ["<script>alert(1)</script>"]
            hosted_in: [UK]
            retention: 1 year
            controls: ["</td><script>alert(6)</script>"]
        """)
    repo.write("evidence/registers/data-flows.yaml", HOSTILE_FLOWS)
    site = build(repo, tmp_path / "site", internal=True)
    html = (site.site / "data-map.html").read_text()
    content = html[html.index('<h1 id="data-map"'):html.index("</article>")]
    for raw in ("<script>alert", "<img src=x", "</svg><script>", "<b>Records", "<i>hosting",
                "<svg onload", "<u>nobody", "</td><script>", "\u202e"):
        assert raw not in content, raw
    svg = svg_of(html)  # well-formed XML, the names inside it text
    texts = [t.text for t in svg.iter(f"{NS}text")]
    assert "<script>alert(1)</script>" in texts
    assert ['"><img src=x', "onerror=alert(1)>"] == texts[texts.index('"><img src=x'):][:2]
    assert '"><img src=x onerror=alert(1)> (supplier · patient data)' in [
        name for name, *_ in boxes_of(svg)]
    assert "Patients \\u202egpj.exe" in texts  # the control written out, never obeyed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "Patients \\u202egpj.exe" in content and "&lt;b&gt;Records&lt;/b&gt; \\u202e" in content
    assert 'href="registers.html#supplier-img-src-x-onerror-alert-1"' in content

    tab = browser.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto((site.site / "data-map.html").as_uri())
    tab.wait_for_timeout(300)
    assert dialogs == []
    assert tab.evaluate("document.querySelectorAll('.md-content script, .md-content img, "
                        ".md-content svg svg svg, .md-content i, .md-content b').length") == 0
    assert "<script>alert(1)</script>" in tab.locator("svg.dspt-diagram").text_content()
    tab.close()


# --------------------------------------------------------- readable at 30 systems and 60 flows


def test_thirty_systems_and_sixty_flows_no_box_overlaps_and_no_curve_crosses_a_box(big):
    html = (big.site / "data-map.html").read_text()
    svg = svg_of(html)
    width, height = float(svg.get("width")), float(svg.get("height"))
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"
    boxes = boxes_of(svg)
    assert sum(1 for name, *_ in boxes if "our system" in name) == 30
    assert len(curves_of(svg)) == 60
    for i, (a, ax, ay, aw, ah) in enumerate(boxes):
        assert 0 <= ax and ax + aw <= width and 80 <= ay and ay + ah <= height, a
        for b, bx, by, bw, bh in boxes[i + 1:]:
            apart = ax + aw <= bx or bx + bw <= ax or ay + ah + 8 <= by or by + bh + 8 <= ay
            assert apart, f"{a} and {b} overlap"
    assert min(font_sizes(svg)) >= 12
    # a curve runs beside boxes and between them, never over one (2px off its sides: it
    # starts and ends there)
    for curve in curves_of(svg):
        for x, y in points_on(curve.find(f"{NS}path[@class='line']").get("d")):
            for name, bx, by, bw, bh in boxes:
                assert not (bx + 2 < x < bx + bw - 2 and by + 2 < y < by + bh - 2), \
                    (curve.find(f"{NS}title").text, name)


def test_thirty_systems_in_chromium_labels_fit_and_the_diagram_scrolls_rather_than_shrinks(
        big, browser):  # noqa: F811
    for width, name in ((1280, "datamap-30-systems"), (700, "datamap-30-systems-narrow")):
        context = browser.new_context(viewport={"width": width, "height": 900})
        tab = context.new_page()
        tab.goto((big.site / "data-map.html").as_uri())
        drawn = tab.evaluate("""() => {
            const svg = document.querySelector('svg.dspt-diagram');
            const scroller = svg.parentElement;
            const names = Array.from(svg.querySelectorAll('g.node text.name')).map(name => {
                const box = name.closest('g.node').querySelector('rect.box');
                return [name.getComputedTextLength(), +box.getAttribute('width'),
                        parseFloat(getComputedStyle(name).fontSize)];
            });
            const sizes = Array.from(svg.querySelectorAll('text')).map(
                t => parseFloat(getComputedStyle(t).fontSize));
            const page = document.documentElement;
            return {shown: svg.getBoundingClientRect().width, natural: +svg.getAttribute('width'),
                    wider: page.scrollWidth > page.clientWidth,
                    scrolls: scroller.scrollWidth > scroller.clientWidth,
                    overflow: getComputedStyle(scroller).overflowX, names, smallest: Math.min(...sizes)};
        }""")
        assert drawn["shown"] == drawn["natural"]  # never shrunk
        assert drawn["overflow"] == "auto" and drawn["scrolls"] is (width < drawn["natural"])
        assert drawn["smallest"] >= 12
        assert not drawn["wider"]  # the diagram and the tables scroll, not the page
        for text_width, box_width, size in drawn["names"]:  # shortened to fit, not clipped
            assert text_width <= box_width - 2 * 10 + 1 and size == 14
        if width > 1000:
            full_shot(tab, name, "figure.dspt-datamap-figure")
        else:  # what a phone shows: the diagram's start, the rest a scroll away
            tab.evaluate("document.querySelector('#flows').scrollIntoView()")
            tab.screenshot(path=str(SHOTS / f"{name}.png"))
        context.close()
    dark = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    tab = dark.new_page()
    tab.goto((big.site / "data-map.html").as_uri())
    assert tab.locator("body").get_attribute("data-md-color-scheme") == "slate"
    fill = tab.evaluate("getComputedStyle(document.querySelector('svg.dspt-diagram text.name')).fill")
    assert fill != "rgb(33, 43, 50)"  # light text on the dark page
    full_shot(tab, "datamap-30-systems-dark", "figure.dspt-datamap-figure")
    dark.close()


# ----------------------------------------------------------------- the worked example


def test_the_worked_examples_data_map(example_site, browser):  # noqa: F811
    html = (example_site.site / "data-map.html").read_text()
    assert '<h1 id="data-map">Data map</h1>' in html
    if (ROOT / "evidence" / "registers" / "data-flows.yaml").is_file():
        svg = svg_of(html)
        assert boxes_of(svg) and curves_of(svg)
        assert min(font_sizes(svg)) >= 12
    for scheme, name in (("light", "datamap-example"), ("dark", "datamap-example-dark")):
        context = browser.new_context(viewport={"width": 1280, "height": 900},
                                      color_scheme=scheme)
        tab = context.new_page()
        tab.goto((example_site.site / "data-map.html").as_uri())
        full_shot(tab, name)
        if tab.locator("figure.dspt-datamap-figure").count():
            full_shot(tab, name + "-diagram", "figure.dspt-datamap-figure")
        context.close()


# ----------------------------------------------------------------------- no data map


def test_without_data_map_registers_the_page_says_so_and_what_to_add(tmp_path):
    repo = portal_repo(tmp_path / "repo")
    for name in ("information-assets", "processing", "data-flows"):
        if (repo.root / f"evidence/registers/{name}.yaml").exists():
            repo.remove(f"evidence/registers/{name}.yaml")
    site = build(repo, tmp_path / "site")
    html = (site.site / "data-map.html").read_text()
    assert "<strong>This repository has no data map yet.</strong> None of the three registers" in html
    for file in ("information-assets.yaml", "processing.yaml", "data-flows.yaml"):
        assert f"<code>evidence/registers/{file}</code>" in html
    assert "dspt-diagram" not in html and 'id="flows"' not in html
    missing = html[html.index('id="what-is-missing"'):]
    assert re.findall(r'href="rules/([A-Z]{2}\d{3})\.html"', missing) == ["DM107"] * 3
    assert "there is no data flows register" in missing


# ----------------------------------------------------------------------------- print


def test_the_page_prints_with_its_diagram_whole(small, tmp_path):
    repo, _internal, _public = small
    out = tmp_path / "map.pdf"
    assert dspt_pdf(out, "--page", "data-map.md", "--repo", str(repo.root), "--as-of", AS_OF,
                    "--internal") == 0
    pypdf = pytest.importorskip("pypdf")
    text = pypdf.PdfReader(str(out)).pages[0].extract_text()
    for drawn in ("Outside parties", "Our systems", "Suppliers", "Quaystone Messaging",
                  "Kittiwake database", "holds or receives patient data"):
        assert drawn in text, drawn
    if shutil.which("pdftoppm"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        for old in SHOTS.glob("datamap-pdf-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "2", str(out),
                        str(SHOTS / "datamap-pdf")], check=True, capture_output=True)
        assert sorted(p.name for p in SHOTS.glob("datamap-pdf-*.png"))


def test_a_link_inside_the_diagram_that_the_pdf_cannot_keep_stays_an_svg_link():
    from dsptkit.portal.pdf import Relinker

    page = ('<p><a href="registers.html#x">R</a></p><svg class="dspt-diagram"><g>'
            '<rect/><a href="registers.html#x" tabindex="-1"><rect class="hit"/></a>'
            '<a href="#flow-1"><path/></a></g></svg><p id="flow-1">after</p>')
    out = Relinker({"data-map.md": "p1-data-map"}, None, set(), {}).page(page, "data-map.md")
    svg = out[out.index("<svg"):out.index("</svg>")]
    assert "<span" not in svg and svg.count("<a") == 2 and svg.count("</a>") == 2
    assert '<a tabindex="-1">' in svg and 'href="#p1-data-map--flow-1"' in svg
    assert out.startswith('<p><span class="dspt-unlinked" data-path="registers.html">R</span>')


def test_a_public_name_that_holds_a_systems_name_is_kept_whole(tmp_path):
    """Redacting "Kestrel database" must not eat into the information asset "Backups of the
    kestrel database", which the public build shows: the longer, public name wins."""
    from dsptkit import pipeline
    from portal_helpers import rendered_pages

    repo = portal_repo(tmp_path / "repo")
    with_map(repo)
    repo.write("evidence/registers/information-assets.yaml",
               INFORMATION_ASSETS.replace("Old appointment reports", "Backups of the Kittiwake "
                                                                     "database"))
    repo.write("evidence/registers/data-flows.yaml", DATA_FLOWS.rstrip(" ") + (
        "      - {from: Kittiwake database, to: Northwind Cloud,\n"
        "         information_assets: [Backups of the Kittiwake database]}\n"))
    run = pipeline.run(repo.root, AS_OF)
    assert not [r for r in run.results if r.severity.value == "error"]
    html = rendered_pages(run)["data-map.md"]
    assert "Backups of the Kittiwake database" in html
    assert "flow one of our systems -&gt; Northwind Cloud" in html
    assert "Kittiwake" not in html.replace("Backups of the Kittiwake database", "")
