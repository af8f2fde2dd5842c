"""`dspt adopt` and the data map (issue 13): information asset registers, records of
processing and data flows written as tables become the registers `dspt check` and
`dspt scope` read, with every cell that cannot be read kept as written under extra.

The corpus organisation larchmere-physio (tests/adopt/corpus/larchmere-physio) keeps its
data map in three house styles: an information asset register with odd headings and messy
cells (bold labels), a record of processing in the ICO template's columns (Word, built here
with python-docx), and a data flow map (a metadata table), with the asset and supplier
registers they name, all adopted in one run by the real CLI. The tests below say exactly
what a user gets."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import yaml

from dsptkit.adopt.datamap_cells import Names, party_kind, read
from dsptkit.adopt.tables import register_rows, tables
from dsptkit.datamap import key

from .test_corpus import OrgRun, run_org

ORG = "larchmere-physio"


@pytest.fixture(scope="module")
def larchmere(tmp_path_factory) -> OrgRun:
    pytest.importorskip("docx")
    return run_org(ORG, tmp_path_factory.mktemp(ORG))


def _register(run: OrgRun, name: str) -> dict:
    return yaml.safe_load((run.repo / "evidence" / "registers" / f"{name}.yaml").read_text("utf-8"))


def _source(run: OrgRun, rel: str) -> dict:
    data = (run.work / ORG / rel).read_bytes()
    return {"path": f"{ORG}/{rel}", "sha256": hashlib.sha256(data).hexdigest()}


def _results(run: OrgRun) -> list[dict]:
    return json.loads(run.check.stdout)["results"]


# ------------------------------------------------------------------ what the user gets

def test_the_information_asset_register_is_adopted_as_written(larchmere):
    data = _register(larchmere, "information-assets")
    assert data["sources"] == [_source(larchmere, "style-bold-labels/Information Asset Register.md")]
    # "Register owner: Practice Manager", "Approved by: Clinical Director", "Date approved:
    # 9 October 2026", "Last reviewed: 9 October 2026" (DSPT 1.1.2)
    assert data["owner"] == "ig_lead"
    assert data["approved"] == {"by": "siro", "on": date(2026, 10, 9)}
    assert data["reviewed"] == date(2026, 10, 9)
    assert data["information_assets"] == [
        {"name": "Patient treatment records", "owner": "caldicott_guardian",
         "data_categories": ["patient", "special_category"], "systems": ["ClinicNote"],
         "hosted_in": ["UK"], "suppliers": ["Fernbrook Clinical Software Ltd"],
         "volume": "approx. 6,500 patients",
         "controls": ["Role-based access with MFA", "Encrypted at rest", "Daily backups"],
         "retention": "8 years after last treatment (adults); 25th birthday for children",
         "extra": {"Ref": "IA-01", "Notes": "Includes scanned referral letters"}},
        {"name": "Appointment diary", "owner": "ig_lead", "data_categories": ["patient"],
         "systems": ["ClinicNote"], "hosted_in": ["UK", "Ireland"],
         "suppliers": ["Fernbrook Clinical Software Ltd", "Pingwell Messaging"],
         "volume": "~9,000 appointments a year", "controls": ["Role-based access with MFA"],
         "retention": "2 years",
         "extra": {"Ref": "IA-02", "Notes": "Reminder texts go out through Pingwell"}},
        # a category and a country that cannot be read whole: kept as written, not half-read
        {"name": "Staff HR files", "owner": "siro", "systems": ["Shared drive"],
         "suppliers": ["Tidewater Cloud Office"], "volume": "14 staff",
         "controls": ["Restricted folder", "MFA"], "retention": "6 years after leaving",
         "extra": {"Ref": "IA-03", "Type of data": "Staff, Special category (sickness absence)",
                   "Hosting location/country": "UK (Tidewater London)"}},
        # 'Brightlink portal' is in no register: the cell is kept, no system is invented
        {"name": "Card payment records", "owner": "ig_lead", "data_categories": ["financial"],
         "hosted_in": ["UK"], "suppliers": ["Brightlink Payments"],
         "controls": ["Terminal encrypts card data"], "retention": "6 years",
         "extra": {"Ref": "IA-04", "Held on": "Card terminal, Brightlink portal",
                   "Notes": "Card numbers are never stored by us"}},
        # 'TBC' is no retention rule: the check still sees none (DM103)
        {"name": "Paper referral letters (legacy)", "owner": "caldicott_guardian",
         "data_categories": ["patient", "special_category"], "hosted_in": ["UK"],
         "volume": "2 archive boxes", "controls": ["Locked room"],
         "extra": {"Ref": "IA-05", "Held on": "Filing cabinet", "Retention": "TBC",
                   "Notes": "Being scanned into ClinicNote"}},
        {"name": "Exercise videos", "owner": "caldicott_guardian", "data_categories": ["other"],
         "systems": ["Shared drive"], "hosted_in": ["UK"], "suppliers": ["Tidewater Cloud Office"],
         "volume": "120 videos", "retention": "Indefinite",
         "extra": {"Ref": "IA-06", "Safeguards": "None", "Notes": "No personal data"}},
        {"name": "Notes viewed on tablets", "owner": "caldicott_guardian",
         "data_categories": ["patient", "special_category"], "systems": ["Treatment room tablets"],
         "hosted_in": ["UK"], "controls": ["Device PIN", "Managed by MDM"],
         "retention": "Nothing is stored on the device",
         "extra": {"Ref": "IA-07", "Notes": "Tablets only open ClinicNote"}},
    ]


def test_the_ico_template_record_of_processing_from_word(larchmere):
    data = _register(larchmere, "processing")
    assert data["sources"] == [_source(larchmere, "style-word/Record of Processing Activities.docx")]
    assert data["owner"] == "ig_lead" and data["reviewed"] == date(2026, 10, 12)
    assert "approved" not in data  # the document states no approval
    safeguards = ("Safeguards for exceptional transfers of personal data to third countries or "
                  "international organisations (if applicable)")
    assert data["processing"] == [
        {"activity": "Assessment and treatment of patients",
         "purpose": "Assessment and treatment of patients",
         "lawful_basis": "Public task (NHS patients); contract (private patients)",
         "special_category_condition": "9(2)(h) health or social care",
         "data_subjects": ["Patients"],
         "data_categories": "Contact details, health and treatment records",
         "information_assets": ["Patient treatment records", "Appointment diary"],  # a Word line break
         "recipients": ["Patient's GP", "NHS Larchfield ICB (activity numbers only)"],
         "retention": "8 years after last treatment (adults)", "transfers": "None",
         "security": "Role-based access with MFA; encryption",
         "extra": {"Business function": "Clinical care",
                   "Link to contract with processor": "Fernbrook DPA (2025)"}},
        {"activity": "Appointment reminders by text", "purpose": "Appointment reminders by text",
         "lawful_basis": "Legitimate interests", "special_category_condition": "N/A",
         "data_subjects": ["Patients"], "data_categories": "Name, mobile number, appointment time",
         "information_assets": ["Appointment diary"], "recipients": ["Pingwell Messaging"],
         "retention": "2 years", "transfers": "Ireland",
         "security": "Texts carry no clinical detail",
         "extra": {"Business function": "Clinical care", safeguards: "UK adequacy regulations",
                   "Link to contract with processor": "Pingwell DPA (2026)"}},
        {"activity": "Staff administration and payroll",
         "purpose": "Staff administration and payroll",
         "lawful_basis": "Contract; legal obligation",
         "special_category_condition": "9(2)(b) employment",
         "data_subjects": ["Staff", "Job applicants"],
         "data_categories": "Contact details, bank details, sickness absence",
         "information_assets": ["Staff HR files"], "recipients": ["Payroll bureau", "HMRC"],
         "retention": "6 years after leaving", "transfers": "No",
         "security": "Restricted folder, MFA", "extra": {"Business function": "HR"}},
        {"activity": "Taking card payments", "purpose": "Taking card payments",
         "lawful_basis": "Contract", "data_subjects": ["Private patients"],
         "data_categories": "Name, card payment reference",
         "information_assets": ["Card payment records"], "recipients": ["Brightlink Payments"],
         "retention": "6 years", "transfers": "None", "security": "Card data never stored by us",
         "extra": {"Business function": "Finance",
                   "Link to contract with processor": "Brightlink terms (2024)"}},
        # 'Patient mailing list' is in no information asset register: kept as written
        {"activity": "Newsletter to past patients who opted in",
         "purpose": "Newsletter to past patients who opted in", "lawful_basis": "Consent",
         "data_subjects": ["Patients who opted in"], "data_categories": "Name, email address",
         "recipients": ["Tidewater Cloud Office"], "retention": "Until consent is withdrawn",
         "transfers": "None",
         "extra": {"Business function": "Marketing", "Assets used": "Patient mailing list"}},
    ]


def test_the_data_flow_map_becomes_flows_between_named_ends(larchmere):
    data = _register(larchmere, "data-flows")
    assert data["sources"] == [_source(larchmere, "style-meta-table/Data Flow Map.md")]
    assert data["owner"] == "ig_lead" and data["reviewed"] == date(2026, 10, 12)
    assert data["parties"] == [{"name": "GP practices", "kind": "nhs"},
                               {"name": "Patient's GP", "kind": "nhs"},
                               {"name": "NHS Larchfield ICB", "kind": "nhs"}]
    assert data["data_flows"] == [
        {"from": "GP practices", "to": "ClinicNote", "data": "Referral letters",
         "data_categories": ["patient"], "information_assets": ["Patient treatment records"],
         "via": "NHSmail to the referrals inbox, then uploaded", "frequency": "Daily",
         "extra": {"#": "1"}},
        {"from": "ClinicNote", "to": "Pingwell Messaging",
         "data": "Name, mobile number, appointment time", "data_categories": ["patient"],
         "information_assets": ["Appointment diary"], "via": "API over TLS",
         "frequency": "Continuous", "extra": {"#": "2"}},
        {"from": "ClinicNote", "to": "Patient's GP", "data": "Discharge summary",
         "data_categories": ["patient"], "information_assets": ["Patient treatment records"],
         "via": "NHSmail", "frequency": "On discharge", "extra": {"#": "3"}},
        # 'No' patient data is not a category: the flow's categories stay unrecorded
        {"from": "ClinicNote", "to": "NHS Larchfield ICB",
         "data": "Activity numbers (no patient details)", "via": "Upload to the ICB portal",
         "frequency": "Monthly", "extra": {"#": "4", "Patient data?": "No"}},
        {"from": "Reception PC", "to": "Brightlink Payments", "data": "Card payment",
         "information_assets": ["Card payment records"], "via": "Card terminal",
         "frequency": "Each payment", "extra": {"#": "5", "Patient data?": "No"}},
    ]  # row 6 names 'Payroll bureau', which nothing says what it is: not written


def test_the_suppliers_country_is_read_where_it_names_countries(larchmere):
    suppliers = {s["name"]: s for s in _register(larchmere, "suppliers")["suppliers"]}
    assert suppliers["Pingwell Messaging"]["country"] == "Ireland"
    assert suppliers["Tidewater Cloud Office"]["extra"] == {"Cyber Essentials": "No"}


def test_dspt_check_reads_the_adopted_map_and_finds_its_honest_gaps(larchmere):
    assert larchmere.adopt.returncode == 0, larchmere.adopt.stdout + larchmere.adopt.stderr
    assert "5 adopted (0 policies, 0 records, 5 registers), 0 not adopted" in larchmere.adopt.stdout
    assert larchmere.check_errors == []
    results = _results(larchmere)
    codes = {r["code"] for r in results}
    assert not {c for c in codes if c.startswith("SC")}, codes
    assert "DM001" not in codes  # every system, supplier, asset and party named resolves
    messages = {(r["code"], r["path"], r["message"]) for r in results}
    assert ("DM105", "evidence/registers/information-assets.yaml",
            "information asset 'Appointment diary' is held in Ireland, outside the UK, with no "
            "safeguard for the transfer recorded (transfer_safeguard, or a transfer to Ireland "
            "with its safeguard in an activity that uses it)") in messages
    assert ("DM103", "evidence/registers/information-assets.yaml",
            "information asset 'Paper referral letters (legacy)' holds patient data but records "
            "no retention rule (retention)") in messages
    assert any(code == "DM105" and "'Appointment reminders by text': transfers are written as "
               "text ('Ireland')" in message for code, _, message in messages)
    # approved within 12 months: DM107 has nothing to say about the asset register's approval
    assert not any(code == "DM107" and path == "evidence/registers/information-assets.yaml"
                   for code, path, _ in messages)
    # 'None' and 'No' transfers are read as none
    assert not any("'Assessment and treatment of patients': transfers" in m for _, _, m in messages)
    assert not any("'Staff administration and payroll': transfers" in m for _, _, m in messages)


def test_the_report_says_what_was_kept_and_why(larchmere):
    report = larchmere.report
    for line in (
        "- approved: {by: siro, on: 2026-10-09} ← line 4: Approved by: Clinical Director; line 5: "
        "Date approved: 9 October 2026",
        "Type of data → data_categories, Held on → systems, Hosted by → suppliers, Hosting "
        "location/country → hosted_in, No. of records → volume, Safeguards → controls",
        "row at line 15: 'sickness absence' under Type of data is not a data category dsptkit "
        "knows (patient, special_category, criminal_offence, staff, business_contacts, financial, "
        "other); kept under extra as 'Type of data'",
        "row at line 15: 'Tidewater London' under Hosting location/country is not a country "
        "dsptkit knows",
        "row at line 16: 'Card terminal, Brightlink portal' under Held on is not a system in the "
        "asset register (add it there and list systems by hand); kept under extra as 'Held on'",
        "row at line 17: 'TBC' under Retention records no retention; kept under extra as "
        "'Retention'",
        "row at line 18: 'None' under Safeguards names no control; kept under extra as "
        "'Safeguards'",
        "columns kept under extra: Ref, Notes",
        "Purpose of processing → purpose and activity",
        "no column for 'activity': each row's Purpose of processing names it",
        "'Patient mailing list' under Assets used is not an information asset in the "
        "information asset register",
        "Patient data? → data_categories (yes: patient)",
        "row at line 17: 'Payroll bureau' (To) is not a system in the asset register, a supplier "
        "in the suppliers register or an outside party adopt can tell from its name",
        "outside parties added under parties:, each kind read from its name alone (check each): "
        "GP practices (nhs), Patient's GP (nhs), NHS Larchfield ICB (nhs)",
    ):
        assert line in report, line


# ------------------------------------------------------------------ reading cells

ALL = Names(systems={key("Booking DB"), key("Reporting DB"), key("EMIS Web"), key("Docman"),
                     key("Smith, Jones CRM")},
            suppliers={key("Northwind Cloud")},
            information_assets={key("Patient records"), key("Appointment diary")},
            parties={key("Lakeside Care Homes")})


@pytest.mark.parametrize("text, expected", [
    ("Patient", ["patient"]), ("Patients; Staff", ["patient", "staff"]),
    ("Patient; Special category/health", ["patient", "special_category"]),
    ("Special category data", ["special_category"]), ("Health", ["special_category"]),
    ("Patient (health)", ["patient", "special_category"]),
    ("Staff, Financial", ["staff", "financial"]), ("Bank details", ["financial"]),
    ("Business contacts", ["business_contacts"]), ("DBS checks", ["criminal_offence"]),
    ("special_category; criminal_offence", ["special_category", "criminal_offence"]),
    ("Service users\nFinance", ["patient", "financial"]),
    ("Racial or ethnic origin and health", ["special_category"]), ("Other", ["other"]),
    ("Names and addresses", None), ("Patient; appointment times", None), ("Personal", None),
])
def test_data_categories_map_to_the_fixed_list_or_are_kept(text, expected):
    got = read("information_assets", "data_categories", text, "Data categories", ALL)
    assert got.target == "data_categories" and got.value == expected
    assert (got.problem is None) == (expected is not None)


@pytest.mark.parametrize("text, expected", [
    ("UK", ["UK"]), ("United Kingdom", ["United Kingdom"]), ("UK, Ireland", ["UK", "Ireland"]),
    ("UK & EEA", ["UK", "EEA"]), ("England/Wales", ["England", "Wales"]),
    ("Ireland (EU)", ["Ireland", "EU"]), ("USA", ["USA"]),
    ("UK (AWS London)", None), ("Worldwide", None), ("Cloud", None), ("TBC", None),
])
def test_hosting_places_are_countries_or_kept(text, expected):
    assert read("information_assets", "hosted_in", text, "Country", ALL).value == expected


@pytest.mark.parametrize("text, expected", [
    ("Booking DB", ["Booking DB"]), ("booking  db", ["booking  db"]),
    ("Booking DB; Reporting DB", ["Booking DB", "Reporting DB"]),
    ("Booking DB\nReporting DB", ["Booking DB", "Reporting DB"]),
    ("EMIS Web, Docman", ["EMIS Web", "Docman"]), ("EMIS Web and Docman", ["EMIS Web", "Docman"]),
    ("Smith, Jones CRM", ["Smith, Jones CRM"]),
    ("Booking DB; Spreadsheet", None), ("EMIS Web (clinical)", None), ("None", None),
])
def test_systems_are_names_the_asset_register_holds_or_kept(text, expected):
    assert read("information_assets", "systems", text, "System", ALL).value == expected


def test_lists_split_on_semicolons_and_breaks_and_none_is_no_control():
    assert read("information_assets", "controls", "MFA\nEncrypted at rest; Backups, nightly",
                "Controls", ALL).value == ["MFA", "Encrypted at rest", "Backups, nightly"]
    none = read("information_assets", "controls", "None", "Controls", ALL)
    assert none.value is None and "names no control" in none.problem
    assert read("processing", "recipients", "Payroll bureau, HMRC; NHS England (returns, monthly)",
                "Recipients", ALL).value == ["Payroll bureau", "HMRC",
                                             "NHS England (returns, monthly)"]
    assert read("processing", "recipients", "None", "Recipients", ALL).value == "None"


def test_processing_text_is_kept_as_written_with_a_note_when_the_check_will_not_read_it():
    basis = read("processing", "lawful_basis", "Processor", "Lawful basis", ALL)
    assert basis.value == "Processor" and "DM104" in basis.problem
    assert read("processing", "lawful_basis", "6(1)(e)", "Lawful basis", ALL).problem is None
    flag = read("processing", "special_category_condition", "Yes", "Special category", ALL)
    assert (flag.target, flag.value, flag.problem) == ("special_category", True, None)
    assert read("processing", "special_category_condition", "9(2)(h)", "Article 9",
                ALL).problem is None
    for none in ("None", "No", "N/A", "None outside the UK"):
        assert read("processing", "transfers", none, "Transfers", ALL).value == none
        assert read("processing", "transfers", none, "Transfers", ALL).problem is None
    usa = read("processing", "transfers", "USA (SCCs)", "Transfers", ALL)
    assert usa.value == "USA (SCCs)" and "DM105" in usa.problem


@pytest.mark.parametrize("name, kind", [
    ("NHS England", "nhs"), ("Frimley ICB", "nhs"), ("GP practices", "nhs"),
    ("Patient's GP", "nhs"), ("St Elsewhere Hospital", "nhs"), ("Patients", "public"),
    ("The public", "public"), ("Service users", "public"), ("Customers", "customer"),
    ("GP practices (our customers)", "customer"), ("Patient portal", None),
    ("Payroll bureau", None), ("Booking DB", None),
])
def test_outside_parties_are_told_by_their_name_alone_or_not_at_all(name, kind):
    assert party_kind(name) == kind


def _flows(text: str, names: Names = ALL):
    (table,) = tables(text)
    return register_rows("data_flows", table, {}, names=names)


def test_a_flow_names_systems_suppliers_and_parties_and_nothing_else():
    result = _flows(
        "| From | To | What data | How | How often | Patient data (Y/N) | Ref |\n"
        "|---|---|---|---|---|---|---|\n"
        "| Booking DB | Northwind Cloud | Appointments | API over TLS | Continuous | Y | F1 |\n"
        "| Booking DB | Lakeside Care Homes | Care plans | SFTP | Nightly | Yes | F2 |\n"
        "| Reporting DB | NHS England | Activity returns | Upload | Monthly | N | F3 |\n"
        "| Spreadsheet | Patients | Letters | Post | Weekly | maybe | F4 |\n")
    assert result.rows == [
        {"from": "Booking DB", "to": "Northwind Cloud", "data": "Appointments",
         "data_categories": ["patient"], "via": "API over TLS", "frequency": "Continuous",
         "extra": {"Ref": "F1"}},
        {"from": "Booking DB", "to": "Lakeside Care Homes", "data": "Care plans",
         "data_categories": ["patient"], "via": "SFTP", "frequency": "Nightly",
         "extra": {"Ref": "F2"}},
        {"from": "Reporting DB", "to": "NHS England", "data": "Activity returns", "via": "Upload",
         "frequency": "Monthly", "extra": {"Patient data (Y/N)": "N", "Ref": "F3"}},
    ]
    assert result.parties == [{"name": "NHS England", "kind": "nhs"}]  # Lakeside: listed already
    assert any("row at line 6: 'Spreadsheet' (From) is not a system" in p for p in result.problems)
    assert result.unmapped == ["Ref"]


def test_a_flow_end_that_names_two_kinds_of_thing_is_not_written():
    names = Names(systems={key("Northwind Cloud")}, suppliers={key("Northwind Cloud")})
    result = _flows("| Source | Destination |\n|---|---|\n| Northwind Cloud | Patients |\n", names)
    assert result.rows == [] and result.parties == []
    assert "names a system and a supplier; the row is not written" in result.problems[0]


def test_an_ico_template_table_names_its_activities_by_purpose():
    (table,) = tables(
        "| Business function | Purpose of processing | Categories of individuals | "
        "Article 6 lawful basis for processing personal data | Retention schedule (if possible) |\n"
        "|---|---|---|---|---|\n| HR | Payroll | Staff | Legal obligation | 6 years |\n")
    result = register_rows("processing", table, {})
    assert result.rows == [{"activity": "Payroll", "purpose": "Payroll", "lawful_basis": "Legal obligation",
                            "data_subjects": ["Staff"], "retention": "6 years",
                            "extra": {"Business function": "HR"}}]


def test_a_name_used_twice_is_written_once_and_reported():
    """The data map tells information assets (and suppliers) apart by name: a second row of
    the same name would make the register a broken reference (DM001) and be rejected whole."""
    (table,) = tables("| Information asset | Retention |\n|---|---|\n| Patient records | 8 years |\n"
                      "| patient  records | 10 years |\n| Staff files | 6 years |\n")
    result = register_rows("information_assets", table, {})
    assert [r["name"] for r in result.rows] == ["Patient records", "Staff files"]
    assert ("row at line 4: 'patient records' is already the name of the row at line 3 (the "
            "data map tells them apart by name, DM001); the row is not written") in result.problems


# ------------------------------------------------------------------ the command

def test_a_word_register_with_line_breaks_in_its_cells_becomes_lists(repo, tmp_path, monkeypatch):
    docx = pytest.importorskip("docx")
    monkeypatch.setenv("DSPT_AS_OF", "2026-07-01")
    repo.write("evidence/registers/assets.yaml",
               "assets:\n  - {name: Booking DB, kind: software}\n  - {name: Reporting DB, kind: software}\n")
    document = docx.Document()
    document.add_heading("Information Asset Register", 1)
    table = document.add_table(rows=3, cols=5)
    for c, text in enumerate(["Information asset", "Information asset owner", "System",
                              "Data location", "Protection"]):
        table.cell(0, c).text = text
    for c, text in enumerate(["Patient records", "Bob Brown", "Booking DB\nReporting DB", "UK",
                              "MFA\nEncrypted at rest"]):
        table.cell(1, c).text = text
    cell = table.cell(2, 4)
    cell.text = "Locked cabinet"
    cell.add_paragraph("Visitors signed in")  # a second paragraph in the cell
    for c, text in enumerate(["Paper diary", "Alice Adams", "Desk drawer", "UK"]):
        table.cell(2, c).text = text
    path = tmp_path / "IAR.docx"
    document.save(str(path))
    run = repo.dspt("adopt", str(path), "--repo", str(repo.root))
    assert run.code == 0, run.out + run.err
    data = yaml.safe_load((repo.root / "evidence/registers/information-assets.yaml").read_text())
    assert data["information_assets"] == [
        {"name": "Patient records", "owner": "bob", "systems": ["Booking DB", "Reporting DB"],
         "hosted_in": ["UK"], "controls": ["MFA", "Encrypted at rest"]},
        {"name": "Paper diary", "owner": "alice", "hosted_in": ["UK"],
         "controls": ["Locked cabinet", "Visitors signed in"],
         "extra": {"System": "Desk drawer"}},
    ]
    check = repo.dspt("check")
    assert not {c for c in check.codes if c.startswith("SC")} and "DM001" not in check.codes, check.out


def test_references_to_registers_not_there_are_kept_never_broken(repo, tmp_path, monkeypatch):
    """No asset or supplier register names them: written as references they would be broken
    (DM001, an error); kept under extra, the register is adopted and the check passes."""
    monkeypatch.setenv("DSPT_AS_OF", "2026-07-01")
    source = tmp_path / "Information Asset Register.md"
    source.write_text("# Information Asset Register\n\n"
                      "| Asset | IAO | Application | Processor | Country |\n|---|---|---|---|---|\n"
                      "| Patient records | Bob Brown | Booking DB | Northwind Cloud | UK |\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.out
    (entry,) = yaml.safe_load((repo.root / "evidence/registers/information-assets.yaml")
                              .read_text())["information_assets"]
    assert entry == {"name": "Patient records", "owner": "bob", "hosted_in": ["UK"],
                     "extra": {"Application": "Booking DB", "Processor": "Northwind Cloud"}}
    report = (repo.root / "adoption-report.md").read_text()
    assert "'Booking DB' under Application is not a system in the asset register" in report
    assert "'Northwind Cloud' under Processor is not a supplier in the suppliers register" in report
    assert "DM001" not in repo.dspt("check").codes


def test_a_flow_table_with_no_row_that_can_be_written_is_not_adopted(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("DSPT_AS_OF", "2026-07-01")
    source = tmp_path / "Data flows.md"
    source.write_text("# Data flows\n\n| From | To | Data |\n|---|---|---|\n"
                      "| Booking DB | Reporting DB | Appointments |\n")
    before = repo.snapshot()
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 1
    assert ("not adopted: no row of the table could be written: row at line 5: 'Booking DB' "
            "(From) is not a system in the asset register") in run.out
    after = repo.snapshot()
    assert set(after) - set(before) == {"adoption-report.md"}  # the report, and nothing else
    assert all(after[path] == data for path, data in before.items())


def test_parties_already_listed_are_kept_when_flows_are_adopted(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("DSPT_AS_OF", "2026-07-01")
    repo.write("evidence/registers/assets.yaml", "assets:\n  - {name: Booking DB, kind: software}\n")
    repo.write("evidence/registers/data-flows.yaml",
               "parties:\n  - {name: Lakeside Care Homes, kind: customer, description: Our customer}\n"
               "data_flows: []\n")
    source = tmp_path / "Data flows.md"
    source.write_text("# Data flows\n\n| From | To | Data | Method |\n|---|---|---|---|\n"
                      "| Booking DB | Lakeside Care Homes | Care plans | SFTP |\n"
                      "| Booking DB | Patients | Reminders | SMS |\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.out
    data = yaml.safe_load((repo.root / "evidence/registers/data-flows.yaml").read_text())
    assert data["parties"] == [
        {"name": "Lakeside Care Homes", "kind": "customer", "description": "Our customer"},
        {"name": "Patients", "kind": "public"}]
    assert [(f["from"], f["to"], f["via"]) for f in data["data_flows"]] == [
        ("Booking DB", "Lakeside Care Homes", "SFTP"), ("Booking DB", "Patients", "SMS")]
    assert "DM001" not in repo.dspt("check").codes
