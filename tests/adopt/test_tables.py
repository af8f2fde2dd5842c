"""Markdown tables found in documents, and register rows made from them."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from dsptkit.adopt.tables import Table, parse_date, register_rows, tables
from dsptkit.frontmatter import parse_yaml_file
from dsptkit.schema import validate

PEOPLE = {"priya shah": "priya-shah", "tom hughes": "tom-hughes"}


def test_tables_are_found_with_their_header_rows_and_first_line():
    text = ("# Registers\n\nIntro\n\n## Assets\n\n"
            "| Asset | Type |\n|:------|-----:|\n| Laptop | hardware |\n| EMIS | software |\n\n"
            "Between\n\n"
            "Supplier | Service\n--- | ---\nNorthwind | Hosting\n")
    first, second = tables(text)
    assert first.header == ["Asset", "Type"] and first.line == 7 and first.heading == "Assets"
    assert first.rows == [["Laptop", "hardware"], ["EMIS", "software"]]
    assert first.row_lines == [9, 10]
    assert second.header == ["Supplier", "Service"] and second.rows == [["Northwind", "Hosting"]]
    assert second.line == 14 and second.row_lines == [16]


def test_escaped_pipes_code_spans_and_inline_markdown_stay_in_their_cell():
    (table,) = tables("| A | B |\n|---|---|\n| x \\| y | `a|b` and **bold** |\n")
    assert table.rows == [["x | y", "`a|b` and **bold**"]]


def test_no_tables_in_code_or_without_an_alignment_row():
    text = "```\n| A | B |\n|---|---|\n| 1 | 2 |\n```\n\nOwner: X | Version: 2\n\n| a | b |\n| c | d |\n"
    assert tables(text) == []


def test_an_alignment_row_must_match_the_header():
    assert tables("| A | B | C |\n|---|---|\n| 1 | 2 | 3 |\n") == []


@pytest.mark.parametrize("text, expected", [
    ("2025-03-03", date(2025, 3, 3)), ("03/03/2025", date(2025, 3, 3)),
    ("4/1/2027", date(2027, 1, 4)), ("3 March 2025", date(2025, 3, 3)),
    ("3rd Mar 2025", date(2025, 3, 3)), ("3-Mar-2025", date(2025, 3, 3)),
    ("2025/03/03", date(2025, 3, 3)), ("March 3, 2025", date(2025, 3, 3)),
    ("Monday 3 March 2025", date(2025, 3, 3)), ("31/12/25", date(2025, 12, 31)),
    ("March 2027", None), ("TBC", None), ("2025", None), ("31/02/2025", None), ("Q1 2026", None),
])
def test_only_exact_dates_are_dates(text, expected):
    assert parse_date(text) == expected


def _rows(kind, text, people=PEOPLE):
    (table,) = tables(text)
    return register_rows(kind, table, people)


def _valid(kind, rows):
    """The rows as a register file would hold them pass the loader's own schema check."""
    name = kind.replace("_", "-")
    raw = yaml.safe_dump({kind: rows, "sources": [{"path": "a.md", "sha256": "0" * 64}]}).encode()
    doc = parse_yaml_file(f"evidence/registers/{name}.yaml", raw)
    assert validate(doc, f"register-{name}"), doc.problems
    assert not doc.problems


def test_an_asset_register_maps_its_columns_and_keeps_the_rest():
    result = _rows("assets", (
        "| Device | Category | OS | End of support | Owner | Personal data (Y/N) | Location | "
        "Priority | Depends on | Serial |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
        "| **Staff laptops** | hardware | Windows 11 | 10/11/2026 | Priya Shah | Y | Office | High "
        "| Northwind, EMIS | SN-1 |\n"
        "| Firewall | hardware | 7.2 | March 2027 | Facilities | N | Comms room | critical | | |\n"))
    assert result.mapped == {"Device": "name", "Category": "kind", "OS": "version",
                             "End of support": "supported_until", "Owner": "owner",
                             "Personal data (Y/N)": "holds_personal_data", "Location": "location",
                             "Priority": "priority", "Depends on": "depends_on"}
    assert result.unmapped == ["Serial"]
    laptops, firewall = result.rows
    assert laptops == {"name": "Staff laptops", "kind": "hardware", "version": "Windows 11",
                       "supported_until": date(2026, 11, 10), "owner": "priya-shah",
                       "holds_personal_data": True, "location": "Office", "priority": "high",
                       "depends_on": ["Northwind", "EMIS"], "extra": {"Serial": "SN-1"}}
    assert firewall == {"name": "Firewall", "kind": "hardware", "version": "7.2",
                        "owner": "Facilities", "holds_personal_data": False,
                        "location": "Comms room",
                        "extra": {"End of support": "March 2027", "Priority": "critical"}}
    assert any("'March 2027' under End of support is not an exact date" in p and "line 4" in p
               for p in result.problems)
    assert any("not high, medium or low" in p for p in result.problems)
    assert any("owner 'Facilities' is not in the people register" in p for p in result.problems)
    _valid("assets", result.rows)


def test_owners_written_as_a_role_title_become_the_role():
    (table,) = tables("| Asset | Type | Owner |\n|---|---|---|\n| EMIS | software | IT Manager |\n"
                      "| Server | hardware | it_lead |\n")
    result = register_rows("assets", table, PEOPLE, roles={"it manager": "it_lead"})
    assert [r["owner"] for r in result.rows] == ["it_lead", "it_lead"]
    assert result.problems == []


def test_a_required_column_missing_is_reported_and_no_row_is_invented():
    result = _rows("assets", "| Name | Location |\n|---|---|\n| Laptop | Office |\n")
    assert result.rows == []
    assert any("no column for 'kind'" in p for p in result.problems)


def test_a_row_missing_a_required_value_is_not_written():
    result = _rows("assets", "| Name | Type |\n|---|---|\n| Laptop | |\n| Server | hardware |\n")
    assert [r["name"] for r in result.rows] == ["Server"]
    assert any("line 3: no kind" in p for p in result.problems)


def test_a_supplier_register_reads_yes_no_and_certificate_columns():
    result = _rows("suppliers", (
        "Vendor | Service | Data processed | DPA | Cyber Essentials | Last checked | Contact\n"
        "--- | --- | --- | --- | --- | --- | ---\n"
        "Northwind Cloud | Hosting | Patient contact details | Yes | Yes | 15 July 2026 | "
        "[security@nw.example](mailto:security@nw.example)\n"
        "Acme Shred | Confidential waste | Paper records | pending | No | TBC | |\n"))
    northwind, acme = result.rows
    assert northwind == {"name": "Northwind Cloud", "service": "Hosting",
                         "data_processed": "Patient contact details", "contract_article_28": True,
                         "certification": "Cyber Essentials", "checked": date(2026, 7, 15),
                         "contact": "security@nw.example"}
    assert acme == {"name": "Acme Shred", "service": "Confidential waste",
                    "data_processed": "Paper records",
                    "extra": {"DPA": "pending", "Cyber Essentials": "No", "Last checked": "TBC"}}
    _valid("suppliers", result.rows)


def test_people_get_ids_from_their_names_made_unique():
    result = _rows("people", ("| Name | Job title | Start date | Email |\n|---|---|---|---|\n"
                              "| Priya Shah | IT lead | 11/01/2021 | priya@example.org |\n"
                              "| Dr Ruth Bell | CSO | | |\n| Ruth  Bell | Nurse | | |\n"
                              "| Dr Ruth Bell | Locum | | |\n"))
    assert [r["id"] for r in result.rows] == ["priya-shah", "dr-ruth-bell", "ruth-bell",
                                             "dr-ruth-bell-2"]
    assert result.rows[0]["started"] == date(2021, 1, 11)
    assert any("written as 'dr-ruth-bell-2'" in p for p in result.problems)
    _valid("people", result.rows)


def test_training_names_people_by_their_ids_and_never_invents_one():
    result = _rows("training", ("| Staff member | Course | Date completed | Score |\n"
                                "|---|---|---|---|\n"
                                "| Priya Shah | Data Security Awareness | 02/02/2026 | 92% |\n"
                                "| Unknown Person | Data Security Awareness | 03/02/2026 | Pass |\n"))
    assert result.rows == [{"person": "priya-shah", "course": "Data Security Awareness",
                            "completed": date(2026, 2, 2), "score": 92}]
    assert any("'Unknown Person' under Staff member is not in the people register" in p
               for p in result.problems)
    _valid("training", result.rows)


def test_incidents_lists_and_ids():
    result = _rows("incidents", ("| Date | Description | Reported to | Lessons learned | Closed |\n"
                                 "|---|---|---|---|---|\n"
                                 "| 3 Oct 2026 | Wrong number | customer and ICO | Confirm numbers | "
                                 "20/10/2026 |\n"))
    assert result.rows == [{"id": "INC-2026-10-03", "date": date(2026, 10, 3),
                            "summary": "Wrong number", "reported_to": ["customer", "ICO"],
                            "lessons": "Confirm numbers", "closed": date(2026, 10, 20)}]
    _valid("incidents", result.rows)


def test_the_new_registers_take_their_tables():
    assets = _rows("information_assets", (
        "| Information Asset | Information Asset Owner | Location | Personal data | "
        "Special category | Retention period |\n|---|---|---|---|---|---|\n"
        "| Patient records | Tom Hughes | EMIS | Yes | Yes | 8 years after death |\n"))
    assert assets.rows == [{"name": "Patient records", "owner": "tom-hughes", "location": "EMIS",
                            "holds_personal_data": True, "special_category": True,
                            "retention": "8 years after death"}]
    _valid("information_assets", assets.rows)
    processing = _rows("processing", (
        "| Processing activity | Purpose | Lawful basis (Article 6) | Article 9 condition | "
        "Data subjects | Recipients |\n|---|---|---|---|---|---|\n"
        "| Appointments | Direct care | 6(1)(e) | 9(2)(h) | Patients | None |\n"))
    assert processing.rows == [{"activity": "Appointments", "purpose": "Direct care",
                                "lawful_basis": "6(1)(e)", "special_category_condition": "9(2)(h)",
                                "data_subjects": ["Patients"], "recipients": "None"}]
    _valid("processing", processing.rows)
    risks = _rows("risks", ("| Ref | Risk description | Likelihood | Impact | Rating | Owner | "
                            "Controls | Status | Review date |\n|---|---|---|---|---|---|---|---|---|\n"
                            "| R 01 | Ransomware | 3 | 5 | 15 (High) | SIRO | Backups | Open | "
                            "01/04/2027 |\n"))
    assert risks.rows == [{"id": "R 01", "risk": "Ransomware", "likelihood": "3", "impact": "5",
                           "score": "15 (High)", "owner": "SIRO", "mitigation": "Backups",
                           "status": "Open", "extra": {"Review date": "01/04/2027"}}]
    _valid("risks", risks.rows)


def test_duplicate_and_extra_columns_are_kept_under_distinct_names():
    table = Table(["Name", "Type", "Notes", "Notes"], [["Laptop", "hardware", "a", "b", "c"]], 1,
                  row_lines=[3])
    result = register_rows("assets", table, {})
    assert result.rows[0]["extra"] == {"Notes": "a", "Notes (2)": "b", "column 5": "c"}
    assert result.unmapped == ["Notes", "Notes (2)"]
    assert any("more cells than headings" in p for p in result.problems)


def test_an_unknown_register_is_refused():
    with pytest.raises(ValueError):
        register_rows("widgets", Table(["a"], [], 1), {})


def test_adopted_rows_load_into_the_registers_and_pass_the_check(repo):
    from dsptkit.model import InformationAsset, ProcessingActivity, Risk, Supplier
    from dsptkit.repository import load_repository

    source = [{"path": "old docs/Suppliers.md", "sha256": "a" * 64}]
    for kind, text in {
        "suppliers": "| Supplier | Service | Notes |\n|---|---|---|\n| Northwind | Hosting | ok |\n",
        "information_assets": "| Asset | Owner | Retention |\n|---|---|---|\n| Records | Bob | 8y |\n",
        "processing": "| Activity | Lawful basis |\n|---|---|\n| Payroll | 6(1)(b) |\n",
        "risks": "| Risk | Likelihood | Impact | Next review |\n|---|---|---|---|\n"
                 "| Phishing | 4 | 3 | 2027-01-01 |\n",
    }.items():
        rows = _rows(kind, text, {"bob": "bob"}).rows
        body = yaml.safe_dump({"reviewed": date(2026, 6, 1), "sources": source, kind: rows},
                              sort_keys=False)
        repo.write(f"evidence/registers/{kind.replace('_', '-')}.yaml", body)
    run = repo.dspt("check", "--select", "FM,SC,RF,RG")
    assert any(line.startswith("0 errors,") for line in run.lines), run.out
    assert not run.codes & {"SC001", "SC002", "SC003"}, run.out
    loaded = load_repository(repo.root)
    (supplier,) = loaded.entries("suppliers")
    assert isinstance(supplier, Supplier) and supplier.extra == {"Notes": "ok"}
    assert loaded.registers["suppliers"].sources == (("old docs/Suppliers.md", "a" * 64),)
    (asset,) = loaded.entries("information_assets")
    assert isinstance(asset, InformationAsset) and asset.owner == "bob" and asset.retention == "8y"
    (activity,) = loaded.entries("processing")
    assert isinstance(activity, ProcessingActivity) and activity.lawful_basis == "6(1)(b)"
    (risk,) = loaded.entries("risks")
    assert isinstance(risk, Risk) and risk.extra == {"Next review": "2027-01-01"}


def test_a_register_file_not_known_is_named_with_the_files_that_are(repo):
    repo.write("evidence/registers/information_assets.yaml", "information_assets: []\n")
    run = repo.dspt("check")
    assert "information-assets.yaml" in run.out and "SC003" in run.codes
