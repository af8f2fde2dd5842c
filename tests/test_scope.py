"""`dspt scope`: the data map as an IG lead reads it (what data, where, who touches it, how it
moves, why, and what is missing), and as a script reads it (JSON against its schema). Real
repositories on disk, the real command; what is missing is the run's own results, at the
path:line `dspt check` gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import ROOT, on_terminal
from dsptkit.main import main

AS_OF = "2026-07-01"
SCHEMA = ROOT / "tooling" / "dsptkit" / "schemas" / "output" / "scope.schema.json"

ASSETS = """\
    reviewed: 2026-06-01
    assets:
      - {name: Booking platform, kind: software, holds_personal_data: true}
      - {name: Old server, kind: hardware, supported_until: 2025-01-01}
      - {name: Reception PC, kind: hardware, supported_until: 2025-02-01}
    """
SUPPLIERS = """\
    reviewed: 2026-06-01
    suppliers:
      - name: Northwind Cloud
        service: Hosting
        processes_patient_data: true
        country: UK
        contract: {signed: 2024-05-01, data_protection: true, reference: MSA v3}
        sub_processors: [{name: Azure, service: Hosting, country: UK}]
        checked: 2026-05-01
      - name: Quaystone Messaging
        service: SMS reminders
        checked: 2024-01-01
      - name: Ledgerly
        service: Payroll
        processes_patient_data: false
        contract: {signed: 2025-01-01, expires: 2027-01-01, data_protection: true}
        sub_processors: []
        checked: 2026-05-01
    """
INFORMATION_ASSETS = """\
    reviewed: 2026-06-01
    approved: {by: siro, on: 2026-06-01}
    information_assets:
      - name: Patient appointment records
        description: Appointment times and contact details
        owner: bob
        data_categories: [patient, special_category]
        systems: [Booking platform, Old server]
        hosted_in: [UK]
        suppliers: [Northwind Cloud]
        volume: about 40,000 patients
        retention: 8 years after the last appointment
        controls: [Encrypted at rest, Access by role with MFA]
      - name: Staff records
        owner: siro
        data_categories: [staff]
        hosted_in: [UK]
        suppliers: [Ledgerly]
        retention: 6 years after leaving
        controls: [Access by role]
      - name: Old spreadsheet
    """
PROCESSING = """\
    reviewed: 2026-06-01
    approved: {by: siro, on: 2026-06-01}
    processing:
      - activity: Appointment booking
        purpose: To book appointments and send reminders
        lawful_basis: Article 6(1)(b) contract
        special_category_condition: health_or_social_care
        data_subjects: [Patients]
        information_assets: [Patient appointment records]
        recipients: [Quaystone Messaging]
        transfers: []
        retention: 8 years
      - activity: Payroll
        purpose: To pay staff
        lawful_basis: whatever suits
        information_assets: [Staff records]
        transfers: Some to the US
    """
FLOWS = """\
    reviewed: 2026-06-01
    approved: {by: siro, on: 2026-06-01}
    parties:
      - {name: GP practices, kind: customer, description: Our customers}
    data_flows:
      - from: GP practices
        to: Booking platform
        data: Appointment requests
        data_categories: [patient]
        via: HTTPS
        frequency: continuous
      - from: Booking platform
        to: Quaystone Messaging
        information_assets: [Patient appointment records]
        via: API over TLS
        frequency: each booking
    """


def mapped(repo, **replace: str):  # type: ignore[no-untyped-def]
    """The tiny repository with a data map; ``replace`` swaps a register's text."""
    files = {"assets": ASSETS, "suppliers": SUPPLIERS, "information-assets": INFORMATION_ASSETS,
             "processing": PROCESSING, "data-flows": FLOWS}
    for name, text in files.items():
        repo.write(f"evidence/registers/{name}.yaml", replace.get(name.replace("-", "_"), text))
    return repo


def scope(repo, *argv: str):  # type: ignore[no-untyped-def]
    return repo.dspt("scope", "--repo", str(repo.root), "--as-of", AS_OF, *argv)


def flat(text: str) -> str:
    """Text with its wrapping undone: what it says, whatever the width."""
    return " ".join(text.split())


def line_of(repo, path: str, needle: str) -> int:
    """The 1-based line of ``path`` holding ``needle`` (where the entry it names starts)."""
    lines = (repo.root / path).read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def _closed(node):  # type: ignore[no-untyped-def]
    """The schema with every described object closed, as tests/report/test_output_schemas.py
    reads the schemas: a key the schema does not describe fails."""
    if isinstance(node, dict):
        node = {k: _closed(v) for k, v in node.items()}
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


def assert_valid(data) -> None:  # type: ignore[no-untyped-def]
    assert next(iter(data)) == "format_version" and data["format_version"] == 1
    validator = Draft202012Validator(_closed(json.loads(SCHEMA.read_text("utf-8"))),
                                     format_checker=FormatChecker())
    found = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
             for e in validator.iter_errors(data)]
    assert found == [], "\n".join(found[:20])


# -- what a user sees --------------------------------------------------------------------------

def test_the_map_in_short_sections(repo):
    run = scope(mapped(repo))
    assert run.code == 0, run.err
    assert run.err == ""
    out = run.out
    assert run.lines[:4] == [
        "Test Care Ltd (ODS ZZ001) · data map as of 2026-07-01",
        "3 information assets (1 with patient data) · 2 processing activities ·",
        "  2 flows (2 with patient data) · 3 suppliers (2 with patient data)",
        "What is missing: 7 findings · 1 thing not recorded",
    ]
    # the sections, in the order the guides take them
    headings = [line for line in run.lines if line and not line.startswith(" ")][3:]
    assert headings[:6] == [
        "Registers",
        "Patient and personal data we hold (3 information assets, 1 with patient data)",
        "Who touches it (3 suppliers, 2 with patient data)",
        "How it moves (2 flows, 2 with patient data)",
        "Why we process it (2 activities)",
        "What is missing (7 findings)",
    ]
    assert ("  Information asset register: evidence/registers/information-assets.yaml · 3 entries "
            "·\n    reviewed 2026-06-01 · approved by siro on 2026-06-01\n") in out
    # each information asset: categories, where (country, supplier, systems), owner, volume
    assert (
        "  Patient appointment records [patient, special category]\n"
        "    Where: UK · supplier Northwind Cloud ·\n"
        "      systems Booking platform, Old server (past vendor support)\n"
        "    Owner: bob (Bob Brown) · volume: about 40,000 patients ·\n"
        "      kept: 8 years after the last appointment\n"
        "    Controls: Encrypted at rest, Access by role with MFA · used by: Appointment booking\n"
    ) in out
    assert "    Owner: siro (Alice Adams) · volume: not recorded · kept: 6 years after leaving\n" \
        in out
    # never a guess: what the register does not say is "not recorded"
    assert (
        "  Old spreadsheet [data categories not recorded]\n"
        "    Where: country not recorded · supplier not recorded · systems not recorded\n"
        "    Owner: not recorded · volume: not recorded · kept: not recorded\n"
        "    Controls: not recorded · used by: no processing activity\n"
    ) in out
    # suppliers: patient data, contract standing, sub-processors, last checked
    assert (
        "  Northwind Cloud: Hosting\n"
        "    Patient data: yes · country: UK ·\n"
        "      contract: current, covers data protection (signed 2024-05-01, no end date, MSA v3)\n"
        "    Sub-processors: Azure (Hosting, UK) · last checked 2026-05-01\n"
        "    Holds: Patient appointment records\n"
    ) in out
    assert (
        "  Quaystone Messaging: SMS reminders\n"
        "    Patient data: yes, as the data map shows (not recorded in the suppliers register) ·\n"
        "      country: not recorded · contract: no contract recorded\n"
        "    Sub-processors: not recorded · last checked 2024-01-01, over 12 months ago\n"
    ) in out
    assert "    Patient data: no · country: not recorded ·\n" \
           "      contract: current, covers data protection (signed 2025-01-01, ends 2027-01-01)\n" \
           "    Sub-processors: none · last checked 2026-05-01\n" in out
    assert "  Outside parties:\n    GP practices [customer]: Our customers\n" in out
    # flows: from -> to, via, how often, patient marked
    assert (
        "  GP practices [customer] → Booking platform [our system] · patient data\n"
        "    What: Appointment requests · via: HTTPS · how often: continuous\n"
        "  Booking platform [our system] → Quaystone Messaging [supplier] · patient data\n"
        "    What: Patient appointment records · via: API over TLS · how often: each booking\n"
    ) in out
    # activities: the lawful basis as recognised, or said not to be
    assert (
        "  Appointment booking: To book appointments and send reminders\n"
        "    Lawful basis: contract (6(1)(b)) · special category condition: health or social care "
        "(9(2)(h))\n"
        "    Uses: Patient appointment records · whose data: Patients · shared with: Quaystone "
        "Messaging\n"
        "    Transfers outside the UK: none · kept: 8 years\n"
    ) in out
    assert "    Lawful basis: 'whatever suits' (not one dsptkit recognises)\n" in out
    assert "    Transfers outside the UK: 'Some to the US' (written as text, so not checked) ·\n" \
        in out


def test_what_is_missing_is_the_checks_own_results_at_path_line(repo):
    mapped(repo)
    run = scope(repo)
    quaystone = line_of(repo, "evidence/registers/suppliers.yaml", "name: Quaystone Messaging")
    old_server = line_of(repo, "evidence/registers/assets.yaml", "Old server")
    basis = line_of(repo, "evidence/registers/processing.yaml", "whatever suits")
    section = run.out.split("\nWhat is missing (7 findings)\n")[1]
    firsts = [line for line in section.splitlines() if line.startswith("  evidence/")]
    assert [line.split(": ")[0] + ": " + line.split(": ")[1][:5] for line in firsts] == [
        f"  evidence/registers/assets.yaml:{old_server}:5: DM106",
        f"  evidence/registers/assets.yaml:{old_server}:5: RG102",
        f"  evidence/registers/processing.yaml:{basis}:5: DM104",
        f"  evidence/registers/processing.yaml:{basis + 2}:5: DM105",
        f"  evidence/registers/suppliers.yaml:{quaystone}:5: DM101",
        f"  evidence/registers/suppliers.yaml:{quaystone}:5: DM102",
        f"  evidence/registers/suppliers.yaml:{quaystone}:5: RG103",
    ]
    # the unsupported Reception PC, which the map does not name, is not a gap in the map
    assert "Reception PC" not in section
    assert (f"  evidence/registers/suppliers.yaml:{quaystone}:5: DM101 supplier 'Quaystone "
            "Messaging' (named by activity\n      'Appointment booking' and flow Booking platform "
            "-> Quaystone Messaging) has no contract\n      recorded (contract)\n") in section
    # things not recorded that no rule reports, with where they stand
    spreadsheet = line_of(repo, "evidence/registers/information-assets.yaml", "Old spreadsheet")
    assert ("  Not recorded (no rule reports these, but the map cannot say without them):\n"
            f"    evidence/registers/information-assets.yaml:{spreadsheet}:5: information asset "
            "'Old spreadsheet': its data\n") in section
    assert section.endswith("\n'dspt rules CODE' explains a rule and how to fix what it finds.\n")

    # one truth: the same results dspt check reports, no more and no fewer
    checked = json.loads(repo.dspt("check", "--format", "json").out)["results"]
    about_map = {(r["code"], r["path"], r["line"]) for r in checked
                 if r["code"].startswith("DM") or r["code"] in ("RG103", "RG104")
                 or (r["code"] == "RG102" and r["subject"] == "Old server")}
    data = json.loads(scope(repo, "--format", "json").out)
    assert {(m["code"], m["path"], m["line"]) for m in data["missing"]} == about_map
    assert len(data["missing"]) == 7 and 'Reception PC' not in str(data)


def test_json_holds_the_same_facts_and_follows_its_schema(repo):
    mapped(repo)
    run = scope(repo, "--format", "json")
    assert run.code == 0
    data = json.loads(run.out)
    assert_valid(data)
    assets = {a["name"]: a for a in data["information_assets"]}
    records = assets["Patient appointment records"]
    assert records["patient"] is True and records["owner_name"] == "Bob Brown"
    assert records["unsupported_systems"] == ["Old server"]
    assert records["used_by"] == ["Appointment booking"]
    assert assets["Old spreadsheet"]["patient"] is None  # not recorded, not guessed
    assert assets["Old spreadsheet"]["data_categories"] is None
    suppliers = {s["name"]: s for s in data["suppliers"]}
    assert suppliers["Quaystone Messaging"]["processes_patient_data"] is None
    assert suppliers["Quaystone Messaging"]["patient_data"] is True
    assert suppliers["Quaystone Messaging"]["sub_processors"] is None
    assert suppliers["Ledgerly"]["sub_processors"] == []
    assert suppliers["Northwind Cloud"]["contract"]["standing"] == "current"
    assert suppliers["Quaystone Messaging"]["contract"]["standing"] == "not_recorded"
    assert suppliers["Quaystone Messaging"]["check_standing"] == "overdue"
    activity = data["processing"][0]
    assert activity["lawful_bases"] == ["contract"]
    assert activity["conditions"] == ["health_or_social_care"]
    assert data["processing"][1]["lawful_bases"] == []
    assert data["processing"][1]["transfers"] == {"listed": False, "text": "Some to the US",
                                                  "checkable": False, "list": []}
    flow = data["flows"][0]
    assert flow["from"] == {"name": "GP practices", "kind": "customer", "side": "outside",
                            "patient": True}
    assert flow["to"]["side"] == "ours" and flow["patient"] is True
    assert data["summary"] == {
        "map": True, "information_assets": 3, "patient_information_assets": 1, "activities": 2,
        "flows": 2, "patient_flows": 2, "suppliers": 3, "patient_suppliers": 2, "parties": 1,
        "errors": 0, "findings": 7, "warnings": 0, "waived": 0, "notes": 1,
        "repository_errors": 0}
    # text and JSON say the same: every finding's message is in the text, inert and whole
    text = " ".join(scope(repo).out.split())
    for m in data["missing"]:
        assert f"{m['path']}:{m['line']}:{m['column']}: {m['code']} {m['message']}" in text


def test_the_worked_example(capsys):
    """The example's map, as a new user first sees it: it runs clean, its JSON follows the
    schema, and what is missing is exactly what dspt check finds about the map."""
    where = ["--repo", str(ROOT), "--as-of", "2026-11-23"]
    assert main(["scope", *where]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Brightwater Health Software Ltd (ODS 8KX71) · data map as of 2026-11-23\n")
    assert main(["scope", "--format", "json", *where]) == 0
    data = json.loads(capsys.readouterr().out)
    assert_valid(data)
    assert data["summary"]["map"] and data["summary"]["patient_information_assets"] > 0
    main(["check", "--format", "json", *where])
    checked = json.loads(capsys.readouterr().out)["results"]
    dm = {(r["code"], r["path"], r["line"]) for r in checked if r["code"].startswith("DM")}
    assert dm <= {(m["code"], m["path"], m["line"]) for m in data["missing"]}
    for m in data["missing"]:
        assert f"{m['path']}:{m['line']}:{m['column']}: {m['code']} {m['message']}" in flat(text)


def test_patient_only_leaves_out_what_holds_no_patient_data(repo):
    mapped(repo)
    run = scope(repo, "--patient-only")
    assert run.lines[0].endswith("data map as of 2026-07-01 (patient data only)")
    assert "Staff records" not in run.out
    assert "  Ledgerly:" not in run.out and "Payroll:" not in run.out
    assert "  Old spreadsheet [data categories not recorded]" in run.out  # it might hold some
    assert "(the whole map, not only patient data)" in run.out
    assert "DM104 activity 'Payroll'" in run.out  # what is missing is still all of it
    data = json.loads(scope(repo, "--patient-only", "--format", "json").out)
    assert_valid(data)
    assert data["patient_only"] is True
    assert [a["name"] for a in data["information_assets"]] == ["Patient appointment records",
                                                               "Old spreadsheet"]
    assert [s["name"] for s in data["suppliers"]] == ["Northwind Cloud", "Quaystone Messaging"]
    assert [a["activity"] for a in data["processing"]] == ["Appointment booking"]


def test_a_waived_gap_is_shown_as_waived(repo):
    mapped(repo)
    org = (repo.root / "organisation.yaml").read_text("utf-8")
    repo.write("organisation.yaml", org + "waivers:\n"
                                          "  - rule: RG103\n"
                                          "    subject: Quaystone Messaging\n"
                                          "    reason: Annual check booked for 10 July.\n"
                                          "    approved_by: siro\n"
                                          "    expires: 2026-08-01\n")
    run = scope(repo)
    assert run.code == 0, run.out
    assert "What is missing: 6 findings · 1 waived · 1 thing not recorded" in run.out
    waived = run.out.split("  Waived (a risk accepted until the waiver expires):\n")[1]
    quaystone = line_of(repo, "evidence/registers/suppliers.yaml", "name: Quaystone Messaging")
    waiver = line_of(repo, "organisation.yaml", "- rule: RG103")
    assert waived.startswith(
        f"    evidence/registers/suppliers.yaml:{quaystone}:5: RG103 supplier 'Quaystone "
        "Messaging' was last checked on\n        2024-01-01, over 12 months ago\n"
        "      waived until 2026-08-01 by siro: Annual check booked for 10 July. "
        f"(organisation.yaml:{waiver})\n")
    data = json.loads(scope(repo, "--format", "json").out)
    assert_valid(data)
    [entry] = [m for m in data["missing"] if m["waived"]]
    assert entry["code"] == "RG103" and entry["waiver"]["reason"] == "Annual check booked for 10 July."
    assert data["summary"]["waived"] == 1 and data["summary"]["findings"] == 6


def test_a_broken_reference_is_an_error_and_fails_like_status(repo):
    mapped(repo, data_flows=FLOWS + "  - {from: Booking platform, to: Nowhere Ltd}\n")
    run = scope(repo)
    assert run.code == 1
    assert run.err == ("dspt: 1 error(s) in the repository; run 'dspt check' to see them. The "
                       "map above may be incomplete.\n")
    line = line_of(repo, "evidence/registers/data-flows.yaml", "Nowhere Ltd")
    assert ("  Booking platform [our system] → Nowhere Ltd [in no register] · patient data not "
            "known\n") in run.out
    assert f"  evidence/registers/data-flows.yaml:{line}:" in run.out
    assert "DM001 flow Booking platform -> Nowhere Ltd: 'Nowhere Ltd' is not" in flat(run.out)
    assert "What is missing (1 error, 7 findings)" in run.out
    assert json.loads(scope(repo, "--format", "json").out)["summary"]["errors"] == 1
    assert repo.dspt("status").code == run.code  # the same exit as dspt status


def test_no_data_map_says_so_and_what_to_add(repo):
    for name in ("information-assets", "processing", "data-flows"):
        repo.remove(f"evidence/registers/{name}.yaml")
    run = scope(repo)  # no map, no suppliers, no asset register
    assert run.code == 0
    assert run.lines[1:3] == ["No data map yet · suppliers not recorded",
                              "What is missing: 3 findings"]
    assert ("  Information asset register: none (evidence/registers/information-assets.yaml "
            "does not exist)\n") in run.out
    assert ("\nNo data map yet: there is no information asset register, record of processing "
            "activities or data\nflows register. Add evidence/registers/information-assets.yaml, "
            "processing.yaml and data-flows.yaml\n(docs/format.md shows their fields; 'dspt adopt' "
            "maps registers kept as Markdown tables), have\nmanagement approve them (approved: {by, "
            "on}), then run 'dspt scope' again.\n\n") in run.out
    assert ("Patient and personal data we hold (not recorded)\n  Not recorded: there is no "
            "information asset register (evidence/registers/information-assets.yaml).\n") in run.out
    assert ("Who touches it (not recorded)\n  Not recorded: there is no suppliers register "
            "(evidence/registers/suppliers.yaml).\n") in run.out
    for path in ("data-flows", "information-assets", "processing"):
        assert f"  evidence/registers/{path}.yaml:1:1: DM107 there is no " in run.out
    data = json.loads(scope(repo, "--format", "json").out)
    assert_valid(data)
    assert data["summary"]["map"] is False
    assert [r["state"] for r in data["registers"]] == ["absent"] * 5


def test_an_empty_map_is_said_to_be_empty(repo):
    run = scope(repo)  # the tiny repository: the three map registers, approved, with no entries
    assert run.code == 0
    assert run.lines[1:3] == ["0 information assets (0 with patient data) · 0 processing activities ·",
                              "  0 flows (0 with patient data) · suppliers not recorded"]
    assert "The data map's registers are there but empty: list the information" in run.out
    assert "Patient and personal data we hold (0 information assets, 0 with patient data)\n" \
           "  None recorded.\n" in run.out
    assert "What is missing\n  Nothing the checks find: every rule about the data map passes.\n" \
        in run.out
    data = json.loads(scope(repo, "--format", "json").out)
    assert_valid(data)
    assert data["missing"] == [] and data["summary"]["map"] is True


@pytest.mark.parametrize("broken, message", [
    ("    lawful_basis: [contract]\n", "SC001 'processing[0].lawful_basis' must be text, got a list"),
    ("processing: [unclosed\n", "FM012"),
])
def test_a_broken_register_is_named_at_path_line_and_fails_without_a_traceback(repo, broken,
                                                                                  message):
    text = PROCESSING.replace("    lawful_basis: Article 6(1)(b) contract\n", broken) \
        if broken.startswith(" ") else "reviewed: 2026-06-01\n" + broken
    mapped(repo, processing=text)
    run = scope(repo)
    assert run.code == 1
    assert "Traceback" not in run.out + run.err
    assert run.err.startswith("dspt: 1 error(s) in the repository; run 'dspt check'")
    assert ("  Record of processing activities: could not be read (evidence/registers/processing"
            ".yaml; its errors\n      are under What is missing)\n") in run.out
    [error] = [line for line in run.lines if line.startswith("  evidence/registers/processing")]
    assert message in " ".join(run.out.split())
    [checked] = [line for line in repo.dspt("check").lines
                 if line.startswith("evidence/registers/processing")]
    assert checked.startswith(error.strip())  # the line dspt check prints, wrapped
    # what depends on the unreadable register is said to be unknown, not absent
    assert "used by: not known (record of processing activities could not be read)" in run.out
    assert ("Why we process it (not known)\n"
            "  Not known: the record of processing activities (evidence/registers/processing.yaml)"
            " could not be\n    read; its errors are under What is missing.\n") in run.out
    assert "processing activities not known" in run.lines[1] + run.lines[2]
    data = json.loads(scope(repo, "--format", "json").out)
    assert_valid(data)
    assert data["registers"][1]["state"] == "unreadable"
    assert data["summary"]["errors"] == 1 and data["summary"]["repository_errors"] == 1


def test_rules_turned_off_are_named_not_silently_missing(repo):
    mapped(repo)
    org = (repo.root / "organisation.yaml").read_text("utf-8")
    repo.write("organisation.yaml", org + "check: {ignore: [DM104]}\n")
    run = scope(repo)
    assert "DM104" not in run.out.replace("note: DM104 not run", "")
    assert ("\n  note: DM104 not run (turned off by check.select or check.ignore in "
            "organisation.yaml), so what it\n      finds is not shown\n") in run.out


# -- hostile text --------------------------------------------------------------------------------

def test_hostile_names_are_printed_inert(repo):
    evil = "Evil\x1b[2J\x1b[31m Corp\u202eevil.exe"
    mapped(repo,
           suppliers=SUPPLIERS + f'  - {{name: "{evil.encode("unicode_escape").decode()}", '
                                 'service: "Line one\\nLine two", checked: 2026-05-01}\n',
           information_assets=INFORMATION_ASSETS.replace(
               "  - name: Old spreadsheet",
               '  - name: "Old\\nspreadsheet\\u2028with\\u202ebreaks"'),
           data_flows=FLOWS.replace("description: Our customers",
                                    'description: "\\x1b]8;;http://x\\x07click\\x1b]8;;\\x07"'))
    run = scope(repo)
    assert run.code == 0, run.out + run.err
    for raw in ("\x1b", "\u202e", "\u2028", "\x07"):
        assert raw not in run.out
    assert "  Evil\\x1b[2J\\x1b[31m Corp\\u202eevil.exe: Line one\\x0aLine two\n" in run.out
    assert "  Old\\x0aspreadsheet\\u2028with\\u202ebreaks [data categories not recorded]\n" \
        in run.out
    assert "GP practices [customer]: \\x1b]8;;http://x\\x07click\\x1b]8;;\\x07\n" in run.out
    # the messages that quote them are inert too, and every line is one line of the output
    assert "information asset 'Old\\x0aspreadsheet" in flat(run.out)
    # JSON keeps the text as written (JSON escapes control characters itself)
    data = json.loads(scope(repo, "--format", "json").out)
    assert_valid(data)
    assert data["suppliers"][-1]["name"] == evil


def test_long_names_wrap_within_the_width(repo):
    long = "Patient appointment records kept for every practice we serve across " * 3
    mapped(repo, information_assets=INFORMATION_ASSETS.replace(
        "Patient appointment records\n", long.strip() + "\n", 1).replace(
        "[Patient appointment records]", f"[{long.strip()}]"))
    run = scope(repo)
    assert all(len(line) <= 100 for line in run.lines), max(run.lines, key=len)
    heading = run.out.split("\n  Patient appointment records kept")[1].split("[patient")[0]
    assert "\n    " in heading  # the continuation is indented under the name
    unbroken = "x" * 130  # one word longer than a line is broken, not left to run on
    mapped(repo, suppliers=SUPPLIERS.replace("service: Payroll", f"service: {unbroken}"))
    assert all(len(line) <= 100 for line in scope(repo).lines)


# -- terminal, help and completion ---------------------------------------------------------------

def test_colour_only_on_a_terminal_and_the_width_follows_it(repo):
    mapped(repo)
    argv = ("scope", "--repo", str(repo.root), "--as-of", AS_OF)
    coloured = on_terminal(*argv)
    assert "\x1b[1mWho touches it (3 suppliers, 2 with patient data)\x1b[0m\n" in coloured
    assert ": \x1b[33mDM101\x1b[0m supplier 'Quaystone Messaging'" in coloured
    plain = scope(repo).out
    assert "\x1b" not in plain
    assert coloured.replace("\x1b[1m", "").replace("\x1b[33m", "").replace("\x1b[0m", "") == plain
    assert "\x1b" not in on_terminal(*argv, NO_COLOR="1")
    narrow = on_terminal(*argv, NO_COLOR="1", COLUMNS="72")
    assert max(len(line) for line in narrow.splitlines()) <= 72
    assert "\x1b" not in on_terminal(*argv, "--format", "json")


def test_help_explains_it(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["scope", "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "usage: dspt scope [-h] [--repo DIR] [--as-of YYYY-MM-DD] [--format {text,json}] " \
           "[--patient-only]" in text
    for words in ("the patient and personal data held", "how it moves", "lawful basis",
                  "with path:line", "docs/scope.md", "Exit codes: 0 shown",
                  "1 the repository has errors"):
        assert words in text
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "the data map: what data, where, who touches it" in " ".join(
        capsys.readouterr().out.split())


def test_shell_completion_offers_it(tmp_path):
    """The completion code `dspt completion bash` installs asks the installed command, through
    argcomplete's protocol, what can follow the words typed so far; ask it as bash does."""
    dspt = os.path.join(os.path.dirname(sys.executable), "dspt")
    if not os.path.exists(dspt):
        pytest.fail(f"{dspt} is not installed: run 'make install'")
    answer = tmp_path / "completions"
    for line, want in (("dspt sc", "scope"), ("dspt scope --pa", "--patient-only"),
                       ("dspt scope --format ", "json")):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARGCOMPLETE", "COMP_"))}
        env.update(_ARGCOMPLETE="1", _ARGCOMPLETE_SHELL="bash", COMP_LINE=line,
                   COMP_POINT=str(len(line)), COMP_TYPE="9", _ARGCOMPLETE_IFS="\n",
                   _ARGCOMPLETE_STDOUT_FILENAME=str(answer))
        done = subprocess.run([dspt], env=env, capture_output=True, text=True, check=False,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        offered = [word.strip() for word in answer.read_text("utf-8").split("\n")]
        assert want in offered, (line, offered)
