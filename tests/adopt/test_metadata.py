"""metadata.read: the facts people write, in the forms they write them."""

from __future__ import annotations

import time
from datetime import date

import pytest

from dsptkit.adopt.metadata import parse_date, parse_version, read
from dsptkit.adopt.model import PartialDate, Source

TODAY = date(2026, 7, 1)
ROLES = {"siro": "amara-okafor", "dpo": "amara-okafor", "caldicott_guardian": "dr-ruth-bell",
         "ig_lead": "tom-hughes", "it_lead": "priya-shah"}
ALIASES = {"cto": "it_lead", "ceo": "siro"}
PEOPLE = {"amara okafor": "amara-okafor", "dr ruth bell": "dr-ruth-bell",
          "tom hughes": "tom-hughes", "priya shah": "priya-shah"}


def reading(text: str, front: dict | None = None, path: str = "docs/some-policy.md",
            variables: dict | None = None, roles: dict | None = None, front_lines: int = 0):
    source = Source(path=path, sha256="0" * 64, fmt="markdown", text=text, front=front,
                    front_lines=front_lines)
    return read(source, roles=ROLES if roles is None else roles, aliases=ALIASES, people=PEOPLE,
                variables=variables or {}, today=TODAY)


def value(r, name):
    found = r.fields.get(name)
    return None if found is None else (str(found.value), found.confident)


# -- forms -----------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "Owner: IG Lead",
    "**Owner:** IG Lead",
    "**Owner**: IG Lead",
    "__Owner:__ IG Lead",
    "- **Document Owner:** IG Lead",
    "> Owner: IG Lead",
    "> **Policy Owner:** Information Governance Lead",
    "Policy Lead: Tom Hughes",
    "Responsible Officer: IG lead",
    "Owner(s): IG Lead",
    "| Document Owner | IG Lead |",
])
def test_owner_forms(line):
    r = reading(f"# Backup Policy\n\n{line}\n\nText.\n")
    assert r.fields["owner"].value in ("ig_lead", "tom-hughes")
    assert r.fields["owner"].confident
    assert r.fields["owner"].line == 3


def test_key_value_table_with_header_row_as_a_pair():
    r = reading("# P\n\n| Document Owner | CTO |\n|---|---|\n| Version | 1.4 |\n"
                "| Review Date | 4 January 2027 |\n| Approved By | SIRO |\n"
                "| Date Approved | 12/05/2025 |\n")
    assert value(r, "owner") == ("it_lead", True)
    assert value(r, "version") == ("1.4", True)
    assert value(r, "next_review") == ("2027-01-04", True)
    assert value(r, "approved_by") == ("siro", True)
    assert value(r, "approved_on") == ("2025-05-12", True)
    assert r.fields["version"].line == 5


def test_header_row_table_with_one_row():
    r = reading("# P\n\n| Version | Date Approved | Author | Next Review |\n|---|---|---|---|\n"
                "| 3.1 | 3 March 2025 | Tom Hughes | March 2026 |\n")
    assert value(r, "version") == ("3.1", True)
    assert value(r, "approved_on") == ("2025-03-03", True)
    assert value(r, "owner") == ("tom-hughes", True)
    assert value(r, "next_review") == ("2026-03", False) or value(r, "next_review") == ("2026-03", True)
    assert not r.fields["next_review"].value.exact


def test_version_history_newest_row_wins():
    r = reading("# P\n\nVersion history\n\n| Version | Date | Author | Changes |\n|---|---|---|---|\n"
                "| 1.0 | 01/02/2023 | Tom Hughes | First issue |\n"
                "| 1.10 | 03/03/2025 | Priya Shah | Annual review |\n"
                "| 1.2 | 03/03/2024 | Tom Hughes | Annual review |\n")
    assert value(r, "version") == ("1.10", True)
    assert r.fields["version"].line == 8


def test_version_history_date_is_not_an_approval():
    r = reading("# P\n\n| Version | Date | Author |\n|---|---|---|\n| 1.0 | 01/02/2023 | A |\n"
                "| 1.1 | 03/03/2025 | B |\n")
    assert "approved_on" not in r.fields and "last_reviewed" not in r.fields


def test_pipe_separated_line():
    r = reading("# P\n\nVersion 2.0 | Owner: CTO | Review: March 2027\n")
    assert value(r, "version") == ("2.0", True)
    assert value(r, "owner") == ("it_lead", True)
    assert value(r, "next_review") == ("2027-03", True)


def test_version_slash_date():
    r = reading("# P\n\nVersion / date: 2.1 / 3 March 2025\n")
    assert value(r, "version") == ("2.1", True)


def test_reviewed_by_x_on_y_and_approved_by_the_board():
    r = reading("# P\n\nReviewed by Tom Hughes on 3 March 2025.\n"
                "This policy was approved by the Board on 12 May 2025.\n")
    assert value(r, "last_reviewed") == ("2025-03-03", True)
    assert value(r, "approved_on") == ("2025-05-12", True)
    assert value(r, "approved_by") == ("the Board", False)  # reported, not a role


def test_approved_by_with_on_date_in_the_value():
    r = reading("# P\n\n**Approved by:** CEO on 12 February 2025\n")
    assert value(r, "approved_by") == ("siro", True)
    assert value(r, "approved_on") == ("2025-02-12", True)


def test_front_matter_fields_read_first():
    r = reading("# Heading title\n\nOwner: CTO\n",
                front={"title": "Front title", "version": 2.1, "owner": "CTO",
                       "review_date": date(2027, 3, 2), "approved_by": "SIRO",
                       "approval_date": "2026-03-02", "last_reviewed": date(2026, 3, 2)})
    assert r.title.value == "Front title"
    assert value(r, "version") == ("2.1", True)
    assert value(r, "owner") == ("it_lead", True)
    assert r.fields["owner"].line == 0
    assert value(r, "next_review") == ("2027-03-02", True)
    assert value(r, "last_reviewed") == ("2026-03-02", True)
    assert value(r, "approved_on") == ("2026-03-02", True)


def test_front_matter_and_body_disagreeing_is_reported_not_read():
    r = reading("# T\n\nOwner: IG Lead\n", front={"owner": "CTO"})
    assert value(r, "owner") == ("it_lead", False)
    assert any("disagree" in note for note in r.notes)


def test_front_matter_dsptkit_approved_mapping():
    r = reading("", front={"approved": {"by": "siro", "on": date(2026, 1, 5)}})
    assert value(r, "approved_by") == ("siro", True)
    assert value(r, "approved_on") == ("2026-01-05", True)


def test_line_numbers_count_the_front_matter():
    r = reading("# T\nOwner: CTO\n", front={"title": "T"}, front_lines=4)
    assert r.fields["owner"].line == 6


# -- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("3 March 2025", "2025-03-03"),
    ("3rd March 2025", "2025-03-03"),
    ("Monday 3rd of March, 2025", "2025-03-03"),
    ("03/03/2025", "2025-03-03"),
    ("04/03/2025", "2025-03-04"),  # UK order: 4 March
    ("3/3/25", "2025-03-03"),
    ("3-Mar-2025", "2025-03-03"),
    ("03-Mar-25", "2025-03-03"),
    ("2025-03-03", "2025-03-03"),
    ("2025/03/03", "2025-03-03"),
    ("March 3, 2025", "2025-03-03"),
    ("03.03.2025", "2025-03-03"),
    ("March 2025", "2025-03"),
    ("Mar 2025", "2025-03"),
    ("Sept 2025", "2025-09"),
])
def test_date_forms(text, expected):
    got = parse_date(text)
    assert str(got.value) == expected


def test_month_precision_is_kept():
    assert parse_date("March 2025").value == PartialDate(2025, 3)
    assert not parse_date("March 2025").value.exact


@pytest.mark.parametrize("text", ["Q1 2025", "31 February 2025", "2025-13-01", "25/13/2025",
                                  "12 months after approval", "annually"])
def test_not_dates_are_problems(text):
    got = parse_date(text)
    assert got.value is None and got.problem


def test_a_quarter_is_reported_not_read():
    r = reading("# P\n\nNext review: Q1 2027\n")
    assert "next_review" not in r.fields
    assert any("quarter" in n for n in r.notes)


def test_impossible_date_is_reported():
    r = reading("# P\n\nLast reviewed: 31/02/2025\n")
    assert "last_reviewed" not in r.fields
    assert any("not a real date" in n for n in r.notes)


def test_review_date_in_future_is_next_review():
    r = reading("# P\n\nReview Date: 4 January 2027\n")
    assert value(r, "next_review") == ("2027-01-04", True)
    assert "last_reviewed" not in r.fields and "approved_on" not in r.fields


def test_review_date_in_past_is_last_review():
    r = reading("# P\n\n**Review date:** 4 January 2026\n")
    assert value(r, "last_reviewed") == ("2026-01-04", True)
    assert "next_review" not in r.fields


@pytest.mark.parametrize("label", ["Last Reviewed", "Date of Review", "Last Policy Review",
                                   "Date of last review", "Reviewed on"])
def test_last_review_labels(label):
    r = reading(f"# P\n\n{label}: 3 March 2025\n")
    assert value(r, "last_reviewed") == ("2025-03-03", True)


@pytest.mark.parametrize("label", ["Next Review", "Next review due", "Review due",
                                   "Next review date", "Date of next review", "Due for review"])
def test_next_review_labels(label):
    r = reading(f"# P\n\n{label}: 3 March 2027\n")
    assert value(r, "next_review") == ("2027-03-03", True)


def test_last_review_in_the_future_is_not_confident():
    r = reading("# P\n\nLast reviewed: 3 March 2027\n")
    assert value(r, "last_reviewed") == ("2027-03-03", False)


def test_effective_and_approval_labels():
    r = reading("# P\n\nEffective Date: 1 April 2025\nDate Approved: 20 March 2025\n"
                "Approval Date: 20/03/2025\nApproved By: Caldicott Guardian\n")
    assert value(r, "effective") == ("2025-04-01", True)
    assert value(r, "approved_on") == ("2025-03-20", True)
    assert value(r, "approved_by") == ("caldicott_guardian", True)


def test_exact_date_kept_over_month_for_the_same_field():
    r = reading("# P\n\nNext review: March 2027\n\nNext review date: 12 March 2027\n")
    assert value(r, "next_review") == ("2027-03-12", True)


def test_two_different_stated_values_are_reported_not_read():
    r = reading("# P\n\nVersion: 2.0\n\nVersion: 3.0\n")
    assert value(r, "version") == ("2.0", False)
    assert any("3.0" in n and "disagree" in n for n in r.notes)
    r = reading("# P\n\n**Next Review:** 1 June 2027\n\nText.\n\n**Next review:** 1 December 2026\n")
    assert value(r, "next_review") == ("2027-06-01", False)


def test_metadata_table_and_history_disagreeing_on_version():
    r = reading("# P\n\n| Version | 3.0 |\n|---|---|\n| Owner | CTO |\n\n| Version | Date |\n|---|---|\n"
                "| 2.0 | 15/06/2024 |\n| 3.0 | 20/06/2026 |\n| 3.1 | 02/09/2026 |\n")
    assert value(r, "version") == ("3.0", False)


def test_a_fallback_never_contradicts_a_stated_value():
    r = reading("# P\n\nOwner: CTO\n\n| Version | Author |\n|---|---|\n| 1.0 | Tom Hughes |\n"
                "| 1.1 | Tom Hughes |\n")
    assert value(r, "owner") == ("it_lead", True)


def test_minute_taker_is_who_made_the_record_chair_only_a_fallback():
    r = reading("# Board minutes\n\n**Date:** 3 March 2026\n**Chair:** Amara Okafor\n"
                "**Minutes taken by:** Tom Hughes\n")
    assert value(r, "by") == ("tom-hughes", True)
    r = reading("# Board minutes\n\n**Date:** 3 March 2026\n**Chair:** Amara Okafor\n")
    assert value(r, "by") == ("amara-okafor", True)


# -- versions --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("2.0 (DSPT Compliant)", "2.0"), ("v3", "3"), ("V3.1", "3.1"), ("Version 1.2.1", "1.2.1"),
    ("1.2.1", "1.2.1"), ("Issue 4", "4"), ("Draft 0.3", "0.3"), ("3", "3"),
])
def test_version_forms(text, expected):
    assert parse_version(text)[0] == expected


@pytest.mark.parametrize("text", ["Draft", "Final", "TBC text", "2025-03-03", "03/03/2025"])
def test_not_versions(text):
    version, problem = parse_version(text)
    assert version is None and problem


def test_draft_is_not_a_version_and_is_reported():
    r = reading("# P\n\nVersion: Draft\n")
    assert "version" not in r.fields
    assert any("Draft" in n for n in r.notes)


def test_version_label_forms():
    assert value(reading("# P\n\n**Document Version:** v3\n"), "version") == ("3", True)
    assert value(reading("# P\n\nRevision: 5\n"), "version") == ("5", True)
    assert value(reading("# P\n\nVersion 1.2.1\n"), "version") == ("1.2.1", True)
    assert value(reading("# P\n\n*Version 3.1 · Approved March 2025*\n"), "version") == ("3.1", True)


def test_version_in_prose_is_not_read():
    r = reading("# P\n\nWe moved to version 2.0 of the supplier's portal in 2024, after a long "
                "trial with the other teams and the support desk.\n")
    assert "version" not in r.fields


# -- people ----------------------------------------------------------------------------------

def test_placeholder_is_never_read_as_a_role():
    r = reading("# P\n\nOwner: {{ siro_name }} (DPO)\n")
    assert "owner" not in r.fields
    assert ("siro_name", 3) in r.placeholders


def test_placeholder_filled_from_variables():
    r = reading("# P\n\nOwner: {{ siro_name }} (SIRO)\n", variables={"siro_name": "Amara Okafor"})
    assert value(r, "owner") == ("siro", True)
    assert r.placeholders == []


def test_placeholder_in_front_matter():
    r = reading("", front={"owner": "{{ policy_owner }}"})
    assert "owner" not in r.fields
    assert r.placeholders == [("policy_owner", 0)]


def test_several_owners_first_mappable_with_a_note():
    r = reading("# P\n\n**Owners:** CTO, DPO\n")
    assert value(r, "owner") == ("it_lead", True)
    assert any("several" in n for n in r.notes)


def test_person_names_with_title_and_case():
    assert value(reading("# P\n\nAuthor: Dr Ruth Bell\n"), "owner") == ("dr-ruth-bell", True)
    assert value(reading("# P\n\nOwner: ruth bell\n"), "owner") == ("dr-ruth-bell", True)
    assert value(reading("# P\n\nOwner: Tom Hughes (IG Lead)\n"), "owner") == ("ig_lead", True)


def test_unknown_owner_is_reported_not_defaulted():
    r = reading("# P\n\nOwner: Practice Manager\n")
    assert value(r, "owner") == ("Practice Manager", False)
    assert any("Practice Manager" in n for n in r.notes)


def test_role_title_without_that_role_is_not_confident():
    r = reading("# P\n\nOwner: Caldicott Guardian\n", roles={"siro": "amara-okafor"})
    assert value(r, "owner") == ("caldicott_guardian", False)
    assert any("does not list" in n for n in r.notes)


def test_organisation_aliases_extend_defaults():
    assert value(reading("# P\n\nOwner: CTO\n"), "owner") == ("it_lead", True)
    assert value(reading("# P\n\nOwner: Senior Information Risk Owner\n"), "owner") == ("siro", True)


def test_unfilled_values_are_not_read():
    r = reading("# P\n\nOwner: TBC\nNext review: [insert date]\n")
    assert "owner" not in r.fields and "next_review" not in r.fields


# -- titles ----------------------------------------------------------------------------------

def test_title_heading_then_file_name():
    assert reading("Intro\n\n# Access Control Policy\n").title.value == "Access Control Policy"
    assert reading("No heading.\n", path="docs/backup_and-restore.md").title.value == "Backup and restore"


# -- evidence --------------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "expected"), [
    ("Date: 12 May 2025", "2025-05-12"), ("Date of test: 12/05/2025", "2025-05-12"),
    ("Meeting date: 12-May-2025", "2025-05-12"), ("Completed: 2025-05-12", "2025-05-12"),
    ("Test date: 12 May 2025", "2025-05-12"),
])
def test_collected_labels(line, expected):
    assert value(reading(f"# Backup restore test\n\n{line}\n"), "collected") == (expected, True)


@pytest.mark.parametrize(("line", "expected"), [
    ("Carried out by: Priya Shah", "priya-shah"), ("Tested by: IT Lead", "it_lead"),
    ("**Chair:** Amara Okafor", "amara-okafor"), ("Test carried out by: Priya Shah", "priya-shah"),
])
def test_by_labels(line, expected):
    assert value(reading(f"# Test\n\nDate: 1 May 2025\n{line}\n"), "by") == (expected, True)


def test_minutes_heading_date_and_chair_in_attendance():
    r = reading("# Board meeting – 12 May 2025\n\nPresent: Amara Okafor (CEO, chair), Tom Hughes\n")
    assert value(r, "collected") == ("2025-05-12", True)
    assert value(r, "by") == ("amara-okafor", True)


def test_log_latest_entry_is_collected():
    r = reading("# Backup log\n\n| Date | Result | Checked by |\n|---|---|---|\n"
                "| 03/03/2025 | OK | TH |\n| 10/03/2025 | OK | TH |\n| 04/03/2025 | Failed | TH |\n")
    assert value(r, "collected") == ("2025-03-10", True)
    assert r.fields["collected"].line == 6


def test_future_collected_is_not_confident():
    assert value(reading("# T\n\nDate: 1 May 2027\n"), "collected") == ("2027-05-01", False)


# -- references ------------------------------------------------------------------------------

def refs(text: str) -> list[str]:
    return [ref.ref for ref in reading(text).references]


@pytest.mark.parametrize(("text", "expected"), [
    ("Leavers are removed the same day (DSPT 4.2.4).", ["dspt:4.2.4"]),
    ("This is our Evidence 7.3.5 record.", ["dspt:7.3.5"]),
    ("See evidence items 7.3.4, 7.3.5 and 7.3.6.", ["dspt:7.3.4", "dspt:7.3.5", "dspt:7.3.6"]),
    ("It meets DSPT Standard 4 in full.", ["dspt-standard:4"]),
    ("It meets NDG standard 4 in full.", ["dspt-standard:4"]),
    ("This satisfies 8.2.1 of the DSPT.", ["dspt:8.2.1"]),
    ("Requirement 1.1.1: we are registered with the ICO.", ["dspt:1.1.1"]),
])
def test_references(text, expected):
    assert refs(text) == expected


def test_reference_keeps_the_citing_sentence_and_line():
    r = reading("# P\n\nIntro text. Accounts are removed when people leave (DSPT 4.2.4). Next.\n")
    assert r.references[0].sentence == "Accounts are removed when people leave (DSPT 4.2.4)."
    assert r.references[0].line == 3


@pytest.mark.parametrize("text", [
    "Version 1.2.1 of the tool fixed it.",
    "We run release 2.14.3 of the app.",
    "The gateway is at 10.2.1.40 on the office network.",
    "Section 2.1.3 says how.",
    "See 8.2.1 above.",  # no DSPT context
    "Dated 03.03.2025 and 1.2.2025.",
    "Assertion 1.1 is met.",
    "Version 2.1.3 of the DSPT guidance.",
    "See section 4.2.4 of the DSPT guidance.",
    "DSPT 12.1.1 is not an item.",
    "The toolkit moved to 192.168.1.1.",
])
def test_no_false_references(text):
    assert refs(text) == []


def test_reference_column_in_a_table():
    r = refs("# Map\n\n| Control | DSPT ref |\n|---|---|\n| MFA | 4.5.3 |\n| Version 1.2.1 | n/a |\n")
    assert r == ["dspt:4.5.3"]


# -- speed -----------------------------------------------------------------------------------

def test_a_hundred_documents_well_under_a_second():
    text = ("# Access Control Policy\n\n**Version:** 2.0 (DSPT Compliant)\n**Owner:** CTO\n"
            "**Review Date:** 4 January 2027\n| Version | Date | Author |\n|---|---|---|\n"
            "| 1.0 | 01/02/2023 | Tom Hughes |\n| 1.1 | 01/02/2024 | Tom Hughes |\n\n" +
            "Staff must lock screens (DSPT 4.2.4). Passwords will be long. " * 3 + "\n") * 5 + \
        "\n".join(f"Paragraph {n} says what people should do, on 3 March 2025." for n in range(150))
    start = time.perf_counter()
    for _ in range(100):
        reading(text)
    assert time.perf_counter() - start < 1.0


def test_a_date_deep_in_prose_after_a_label_is_not_read():
    r = reading("# P\n\nReview: the IG lead looks at this policy every year and the next one "
                "is expected around 1 March 2027 if nothing changes.\n")
    assert "next_review" not in r.fields


def test_date_of_review_in_the_future_is_the_next_review():
    assert value(reading("# P\n\n**Date of Review:** 1 May 2027\n"), "next_review") == ("2027-05-01", True)


def test_a_log_table_is_not_a_history_table():
    r = reading("# User log\n\n| Date | User | Authorised by |\n|---|---|---|\n"
                "| 14 January 2026 | Sally | Tom Hughes |\n| 2 March 2026 | Locum | Tom Hughes |\n")
    assert "approved_by" not in r.fields
    assert value(r, "collected") == ("2026-03-02", True)


def test_two_labels_on_one_line():
    r = reading("# Device Register\n\n**Owner:** IG Lead. **Last reviewed:** 1 September 2025.\n")
    assert value(r, "owner") == ("ig_lead", True)
    assert value(r, "last_reviewed") == ("2025-09-01", True)
    r = reading("# P\n\n**Owner:** CTO    **Version:** 1.0\n")
    assert value(r, "owner") == ("it_lead", True)
    assert value(r, "version") == ("1.0", True)


def test_initials_are_not_guessed_but_hinted():
    r = reading("# P\n\nAuthor: T. Hughes\n")
    assert value(r, "owner") == ("T. Hughes", False)
    assert any("perhaps tom-hughes" in n for n in r.notes)
