"""classify: policy, evidence or which register, and why."""

from __future__ import annotations

from datetime import date

import pytest

from dsptkit.adopt.classify import classify
from dsptkit.adopt.metadata import read
from dsptkit.adopt.model import Source

ROLES = {"siro": "amara-okafor", "ig_lead": "tom-hughes", "it_lead": "priya-shah"}


def kind_of(text: str, front: dict | None = None, path: str = "docs/doc.md"):
    source = Source(path=path, sha256="0" * 64, fmt="markdown", text=text, front=front)
    reading = read(source, roles=ROLES, aliases={}, people={"tom hughes": "tom-hughes"},
                   variables={}, today=date(2026, 7, 1))
    return classify(source, reading)


def table(headers: list[str], rows: int = 4) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for n in range(rows):
        out.append("| " + " | ".join(f"cell {n} {k}" for k in range(len(headers))) + " |")
    return "\n".join(out) + "\n"


# -- policies ------------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["Access Control Policy", "Backup and Restore Procedure",
                                   "Business Continuity Plan", "Password Standard",
                                   "Remote Working Guidance", "Incident Response Procedure"])
def test_policy_words_in_title(title):
    kind = kind_of(f"# {title}\n\nStaff must lock their screens.\n")
    assert kind.kind == "policy"
    assert "title" in kind.why


def test_prose_with_must_and_should_is_a_policy():
    kind = kind_of("# Working with patient data\n\nStaff must lock screens. Passwords must be "
                   "long. Devices should be encrypted. Managers will check.\n")
    assert kind.kind == "policy"
    assert "must" in kind.why


def test_a_policy_containing_a_risk_table_stays_a_policy():
    text = "# Risk Management Policy\n\nRisks must be scored.\n\n" + table(
        ["Risk", "Likelihood", "Impact", "Owner", "Mitigation"], 6)
    assert kind_of(text).kind == "policy"


# -- evidence ------------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["Board Meeting Minutes", "Backup Restore Test Report",
                                   "Fire Drill Record", "IG Audit Report 2026",
                                   "Cyber Essentials Plus Certificate",
                                   "Business Continuity Plan Test", "Access Review Log",
                                   "Laptop Encryption Checklist",
                                   "Tabletop Exercise: Incident Response Plan"])
def test_record_words_in_title(title):
    kind = kind_of(f"# {title}\n\nDate: 12 May 2025\n")
    assert kind.kind == "evidence", kind.why


def test_a_dated_record_without_title_words():
    kind = kind_of("# Server room, May\n\nDate of test: 12 May 2025\nCarried out by: Tom Hughes\n\n"
                   "The generator was started and ran for an hour. It passed.\n")
    assert kind.kind == "evidence"
    assert "Date of test" in kind.why


def test_a_log_is_evidence_not_a_register():
    text = "# Backups\n\n" + "| Date | Result | Checked by |\n|---|---|---|\n" + \
        "".join(f"| 0{n}/03/2025 | OK | TH |\n" for n in range(1, 8))
    kind = kind_of(text)
    assert kind.kind == "evidence"


def test_a_checklist_with_a_device_table_is_evidence():
    text = "# Laptop Encryption Checklist\n\n> Checked 2026/06/14 | Checked by: Tom Hughes\n\n" + \
        table(["Device", "User", "Encrypted", "OS current"], 8)
    assert kind_of(text).kind == "evidence"


def test_attendance_list_is_a_record_not_the_people_register():
    text = "# Data security training session\n\nDate: 3 March 2025\n\n" + table(
        ["Name", "Role", "Signed"], 6)
    assert kind_of(text).kind == "evidence"


# -- registers -----------------------------------------------------------------------------

@pytest.mark.parametrize(("headers", "register"), [
    (["Asset", "Device", "Software", "Version", "Supported until", "Location"], "assets"),
    (["Supplier", "Service", "Contract", "Certification", "Article 28"], "suppliers"),
    (["Name", "Role", "Start date", "Leaver"], "people"),
    (["Name", "Course", "Completed", "Score"], "training"),
    (["Incident", "Date", "Summary", "Reported to", "Closed"], "incidents"),
    (["Information asset", "Asset owner", "Data held", "Format", "Location"], "information_assets"),
    (["Processing activity", "Purpose", "Lawful basis", "Categories of data", "Recipients",
      "Retention"], "processing"),
    (["Risk", "Likelihood", "Impact", "Owner", "Mitigation", "Score"], "risks"),
])
def test_register_tables(headers, register):
    kind = kind_of("# Our list\n\nKept up to date.\n\n" + table(headers, 5))
    assert (kind.kind, kind.register) == ("register", register)
    assert headers[0] in kind.why


def test_register_named_in_title_with_few_rows():
    text = "# Supplier Register\n\nOwner: IG Lead\n\nSome words about the register, what it " \
           "covers and how often it is reviewed.\nMore words.\nAnd more.\nAnd more.\n\n" + \
           table(["Supplier", "Service", "Contact"], 1)
    kind = kind_of(text)
    assert (kind.kind, kind.register) == ("register", "suppliers")
    assert "supplier register" in kind.why


def test_incident_log_is_the_incidents_register():
    kind = kind_of("# Incident Log\n\n" + table(["Ref", "Date", "Summary", "Reported to", "Closed"]))
    assert (kind.kind, kind.register) == ("register", "incidents")


# -- front matter --------------------------------------------------------------------------

@pytest.mark.parametrize(("front", "expected"), [
    ({"type": "policy"}, ("policy", None)),
    ({"type": "procedure"}, ("policy", None)),
    ({"type": "minutes"}, ("evidence", None)),
    ({"category": "record"}, ("evidence", None)),
    ({"type": "risk register"}, ("register", "risks")),
    ({"type": "suppliers"}, ("register", "suppliers")),
])
def test_front_matter_type_is_honoured(front, expected):
    kind = kind_of("# Some Report\n\nStaff must.\n", front=front)
    assert (kind.kind, kind.register) == expected
    assert "front matter" in kind.why


def test_front_matter_register_without_name_uses_the_table():
    kind = kind_of("# Things\n\n" + table(["Supplier", "Service", "Contract"]), front={"type": "register"})
    assert (kind.kind, kind.register) == ("register", "suppliers")


def test_nothing_decides_it_says_so():
    kind = kind_of("# Notes\n\nSome text.\n")
    assert kind.kind == "policy"
    assert "--as" in kind.why


def test_a_weak_record_word_with_a_policys_facts_is_a_policy():
    kind = kind_of("# Taking Paper Records Off Site\n\nVersion 2.0 | Owner: IG Lead\n"
                   "Next review: 2027/01/31\n\nStaff must sign records out.\n")
    assert kind.kind == "policy"
    assert "records" in kind.why


# -- the data map's registers --------------------------------------------------------------

@pytest.mark.parametrize("title, headers, register", [
    ("Data Flow Map", ["From", "To", "Data items", "Transfer method", "Frequency"], "data_flows"),
    ("Flows", ["Source", "Destination", "Data", "How", "Patient data?"], "data_flows"),
    ("Information flows", ["Sender", "Recipient", "What data", "Method"], "data_flows"),
    ("Record of Processing Activities",
     ["Business function", "Purpose of processing", "Categories of individuals",
      "Categories of personal data", "Categories of recipients",
      "Article 6 lawful basis for processing personal data", "Retention schedule (if possible)"],
     "processing"),
    ("Documentation of processing",
     ["Purpose of processing", "Categories of individuals", "Categories of personal data",
      "Article 6 lawful basis for processing personal data"], "processing"),
    ("Information Asset Register (IAR)",
     ["Ref", "Asset", "IAO", "Type of data", "Held on", "Hosted by", "Hosting location/country",
      "No. of records", "Safeguards", "Retention"], "information_assets"),
])
def test_data_map_tables_are_their_registers(title, headers, register):
    kind = kind_of(f"# {title}\n\n" + table(headers, 5))
    assert (kind.kind, kind.register) == ("register", register), kind.why


def test_an_incident_log_is_no_data_flow_for_its_reported_to_column():
    kind = kind_of("# Incident log\n\n" + table(["Incident", "Date", "Summary", "Reported to",
                                                 "How", "Closed"], 5))
    assert (kind.kind, kind.register) == ("register", "incidents"), kind.why
