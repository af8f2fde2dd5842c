"""Staff sign-off: AK101 from the position, RG001 on the acknowledgements register, and
`dspt ack` recording one acknowledgement or many from an HR system's CSV export.

What a user sees: the lines the check prints, the diff and summary `dspt ack` prints, the
errors it refuses with (exit 1, naming file and line) and the register it leaves behind,
byte for byte.
"""

from __future__ import annotations

import textwrap
from datetime import date

import pytest

from conftest import AS_OF
from dsptkit import pipeline
from dsptkit.frontmatter import parse_yaml_file

REGISTER = "evidence/registers/acknowledgements.yaml"

PEOPLE = textwrap.dedent("""\
    people:
      - {id: alice, name: Alice Adams, email: alice@example.org}
      - {id: bob, name: Bob Brown}
      - {id: jo-lee, name: Jo Lee, email: Jo.Lee@example.org, started: 2026-05-01}
      - {id: sam, name: Sam Smith, left: 2026-03-01}
      - {id: od, name: "O'Dea: \\"Pat\\"", email: pat@example.org}
    """)

AUP = """\
    ---
    id: acceptable-use
    title: Acceptable use policy
    version: "{version}"
    status: {status}
    owner: siro
    approved: {{by: siro, on: 2026-02-01}}
    acknowledge: true
    claims: []
    ---
    # Acceptable use
    """


@pytest.fixture
def staff(repo):
    """The base repository with five people (one a leaver) and a policy staff must sign."""
    repo.write("evidence/registers/people.yaml", PEOPLE)
    repo.write("policies/acceptable-use.md", AUP.format(version="1.2", status="approved"))
    return repo


def ack(repo, *args):
    return repo.dspt("ack", *args, "--repo", str(repo.root))


def register(repo) -> dict:
    """The register as dspt reads it (PyYAML's own loader would read the key `on` as True, as
    YAML 1.1 does; dsptkit reads every key as text, as in `approved: {by, on}`)."""
    doc = parse_yaml_file(REGISTER, (repo.root / REGISTER).read_bytes())
    assert not doc.problems, doc.problems
    return doc.data


def ak101(root, as_of=AS_OF):
    run = pipeline.run(root, as_of)
    return run, [(r.loc.path, r.loc.line, r.message) for r in run.results if r.code == "AK101"]


# -- AK101 -------------------------------------------------------------------------------------

def test_ak101_names_the_person_the_policy_the_version_and_when_it_was_due(staff):
    run = staff.dspt("check")
    assert ("evidence/registers/people.yaml:4:5: AK101 jo-lee has not acknowledged version 1.2 "
            "of policy acceptable-use, due by 2026-05-31 (30d from their start on 2026-05-01)"
            in run.lines)
    assert ("evidence/registers/people.yaml:2:5: AK101 alice has not acknowledged version 1.2 of "
            "policy acceptable-use, due by 2026-03-03 (30d from its approval on 2026-02-01)"
            in run.lines)
    assert not any("sam" in line for line in run.lines if "AK101" in line)  # left in March
    assert "0 errors" in run.out


def test_ak101_quiet_once_everyone_current_has_signed(staff):
    staff.write(REGISTER, """\
        acknowledgements:
          - {person: alice, policy: acceptable-use, version: "1.2", on: 2026-02-10}
          - {person: bob, policy: acceptable-use, version: v1.2, on: 2026-02-11}
          - {person: jo-lee, policy: acceptable-use, version: "1.2", on: 2026-05-02}
          - {person: od, policy: acceptable-use, version: "1.2", on: 2026-05-02}
        """)
    assert ak101(staff.root)[1] == []


@pytest.mark.parametrize("broken", [REGISTER, "evidence/registers/people.yaml",
                                    "organisation.yaml"])
def test_ak101_stands_down_when_what_it_reads_cannot_be_read(staff, broken):
    """An unread acknowledgements register would look as if no one had signed; an unread
    organisation.yaml leaves the allowance unknown; an unread people register, who is asked."""
    staff.write(broken, "key: {\n")
    run, found = ak101(staff.root)
    assert found == []
    assert "AK101" in run.skipped


def test_an_unreadable_policy_does_not_stop_the_others_being_judged(staff):
    staff.write("policies/broken.md", "---\nid: broken\ntitle: [\n---\n")
    run, found = ak101(staff.root)
    assert "AK101" not in run.skipped
    assert [m.split(" has")[0] for _, _, m in found] == ["alice", "bob", "jo-lee", "od"]


def test_a_waiver_names_one_persons_sign_off_of_one_policy_as_dspt_due_does(staff):
    org = (staff.root / "organisation.yaml").read_text()
    staff.write("organisation.yaml", org + "waivers:\n  - {rule: AK101, subject: bob/acceptable-use,"
                                           " reason: On long-term leave until September., "
                                           "approved_by: siro, expires: 2026-09-30}\n")
    run, found = ak101(staff.root)
    assert [m for _, _, m in found if m.startswith("bob ")] == []
    assert [(r.code, r.subject) for r, _ in run.waived] == [("AK101", "bob/acceptable-use")]
    assert not [r for r in run.results if r.code == "WV002"]
    due = {item.subject for item in run.position.schedule.items if item.person == "bob"}
    assert "bob/acceptable-use" in due


# -- RG001 and DT001 on the acknowledgements register -------------------------------------------

def test_rg001_unknown_person_and_policy_with_what_was_meant(staff):
    staff.write(REGISTER, """\
        acknowledgements:
          - {person: Jo Lee, policy: acceptable-use, version: "1.2", on: 2026-05-02}
          - {person: alice, policy: acceptable-usage, version: "1.2", on: 2026-05-02}
          - {person: zed, policy: Acceptable use policy, version: "1.2", on: 2026-05-02}
        """)
    run = staff.dspt("check")
    assert run.code == 1
    assert [line for line in run.lines if " RG001 " in line] == [
        f"{REGISTER}:2:5: RG001 acknowledgement by 'Jo Lee', who is not in the people register "
        "(did you mean 'jo-lee', Jo Lee? write the id)",
        f"{REGISTER}:3:5: RG001 acknowledgement of policy 'acceptable-usage', which does not "
        "exist (did you mean 'acceptable-use'?)",
        f"{REGISTER}:4:5: RG001 acknowledgement by 'zed', who is not in the people register",
        f"{REGISTER}:4:5: RG001 acknowledgement of policy 'Acceptable use policy', which does "
        "not exist (did you mean 'acceptable-use', Acceptable use policy? write the id)",
    ]


def test_rg001_an_acknowledgement_after_leaving(staff):
    staff.write(REGISTER, """\
        acknowledgements:
          - {person: sam, policy: acceptable-use, version: "1.2", on: 2026-02-20}
          - {person: sam, policy: acceptable-use, version: "1.3", on: 2026-03-02}
        """)
    run = staff.dspt("check")
    assert [line for line in run.lines if " RG001 " in line] == [
        f"{REGISTER}:3:5: RG001 sam acknowledged acceptable-use on 2026-03-02, after leaving on "
        "2026-03-01"]


def test_harmless_entries_are_not_errors(staff):
    """Signing at induction before the start date, the same version twice, a draft's or a
    policy's that does not ask: none contradicts anything."""
    staff.write("policies/draft.md", AUP.format(version="0.1", status="draft")
                .replace("id: acceptable-use", "id: draft-policy"))
    staff.write(REGISTER, """\
        acknowledgements:
          - {person: jo-lee, policy: acceptable-use, version: "1.2", on: 2026-04-20}
          - {person: jo-lee, policy: acceptable-use, version: "1.2", on: 2026-05-03}
          - {person: alice, policy: draft-policy, version: "0.1", on: 2026-05-03}
          - {person: alice, policy: governance, version: "1.0", on: 2026-05-03}
        """)
    run = staff.dspt("check")
    assert not [line for line in run.lines if " RG001 " in line or " DT001 " in line], run.out
    assert "0 errors" in run.out


def test_a_policy_that_could_not_be_read_is_not_called_missing(staff):
    staff.write("policies/acceptable-use.md", "---\nid: acceptable-use\ntitle: [\n---\n")
    staff.write(REGISTER, """\
        acknowledgements:
          - {person: alice, policy: acceptable-use, version: "1.2", on: 2026-05-02}
        """)
    run = staff.dspt("check")
    assert not [line for line in run.lines if " RG001 " in line], run.out


def test_dt001_an_acknowledgement_dated_after_today(staff):
    staff.write(REGISTER, """\
        acknowledgements:
          - {person: alice, policy: acceptable-use, version: "1.2", on: 2099-05-02}
        """)
    run = staff.dspt("check")
    assert any(line.startswith(f"{REGISTER}:2:") and " DT001 'on' is 2099-05-02, after today"
               in line for line in run.lines), run.out


# -- dspt ack: one acknowledgement -------------------------------------------------------------

def test_ack_creates_the_register_shows_it_and_passes_the_check(staff):
    run = ack(staff, "jo-lee", "acceptable-use", "--on", "2026-06-03")
    assert run.code == 0, run.err
    assert run.lines == [
        "--- /dev/null",
        f"+++ b/{REGISTER}",
        "@@ -0,0 +1,4 @@",
        "+# Staff acknowledgements: who read and accepted which version of which policy, and when.",
        "+# One entry per person per version; `dspt ack` adds them (docs/acknowledgements.md).",
        "+acknowledgements:",
        '+  - {person: jo-lee, policy: acceptable-use, version: "1.2", on: 2026-06-03}',
        f"recorded 1 acknowledgement in {REGISTER}",
    ]
    assert register(staff)["acknowledgements"] == [
        {"person": "jo-lee", "policy": "acceptable-use", "version": "1.2",
         "on": date(2026, 6, 3)}]
    check = staff.dspt("check")
    assert "0 errors" in check.out
    assert not [line for line in check.lines if "AK101 jo-lee" in line]
    assert [line for line in check.lines if "AK101 alice" in line]


@pytest.mark.parametrize("who", ["jo-lee", "Jo Lee", "  jo   LEE ", "Lee, Jo", "jo.lee@EXAMPLE.org",
                                 "Ｊｏ Ｌｅｅ"])
@pytest.mark.parametrize("what", ["acceptable-use", "Acceptable use policy", "ACCEPTABLE USE"])
def test_ack_finds_people_and_policies_as_people_write_them(staff, who, what):
    run = ack(staff, who, what, "--on", "2026-06-03")
    assert run.code == 0, run.err
    assert register(staff)["acknowledgements"] == [
        {"person": "jo-lee", "policy": "acceptable-use", "version": "1.2",
         "on": date(2026, 6, 3)}]


def test_ack_defaults_to_today_and_the_current_version(staff):
    run = ack(staff, "alice", "acceptable-use")
    assert run.code == 0, run.err
    assert register(staff)["acknowledgements"] == [
        {"person": "alice", "policy": "acceptable-use", "version": "1.2", "on": date.today()}]


def test_ack_writes_the_policys_own_spelling_of_its_version(staff):
    assert ack(staff, "alice", "acceptable-use", "--version", "v1.2", "--on", "2026-06-03").code == 0
    assert register(staff)["acknowledgements"][0]["version"] == "1.2"


def test_ack_of_an_older_version_is_recorded_with_a_note(staff):
    run = ack(staff, "alice", "acceptable-use", "--version", "1.1", "--on", "2026-01-20")
    assert run.code == 0, run.err
    assert run.lines[0] == ("note: version 1.1 is not the current version of acceptable-use (1.2): "
                            "recorded, but it does not count as acknowledging the current one")
    assert register(staff)["acknowledgements"][0]["version"] == "1.1"
    assert [m for _, _, m in ak101(staff.root)[1] if m.startswith("alice")] == [
        "alice has not acknowledged version 1.2 of policy acceptable-use, due by 2026-03-03 (30d "
        "from its approval on 2026-02-01); they last acknowledged version 1.1 on 2026-01-20"]


def test_ack_dry_run_shows_the_change_and_writes_nothing(staff):
    before = staff.snapshot()
    run = ack(staff, "bob", "acceptable-use", "--on", "2026-06-03", "--dry-run")
    assert run.code == 0
    assert '+  - {person: bob, policy: acceptable-use, version: "1.2", on: 2026-06-03}' in run.lines
    assert run.lines[-1] == (f"dry run: would record 1 acknowledgement in {REGISTER}; nothing was "
                             "written")
    assert staff.snapshot() == before


def test_ack_twice_records_once(staff):
    assert ack(staff, "bob", "acceptable-use", "--on", "2026-06-03").code == 0
    before = staff.snapshot()
    run = ack(staff, "Bob Brown", "acceptable-use", "--version", "V1.2", "--on", "2026-06-04")
    assert run.code == 0
    assert run.lines == [f"nothing to record: 1 acknowledgement already recorded in {REGISTER}"]
    assert staff.snapshot() == before


def test_ack_appends_leaving_every_other_byte_as_it_was(staff):
    """Comments, a byte-order mark, CRLF line endings, a block entry, a field after the list
    and no new line at the end: the new entry goes after the last one, nothing else moves."""
    original = ("\ufeff# Kept by HR\r\n"
                "owner: siro\r\n"
                "acknowledgements:\r\n"
                "  # from the paper forms\r\n"
                "  - person: alice   # signed at the team meeting\r\n"
                "    policy: acceptable-use\r\n"
                "    version: '1.2'\r\n"
                "    on: 2026-02-10\r\n"
                "\r\n"
                "# reviewed yearly\r\n"
                "reviewed: 2026-03-01").encode("utf-8")
    staff.write(REGISTER, original)
    run = ack(staff, "bob", "acceptable-use", "--on", "2026-06-03")
    assert run.code == 0, run.err
    assert run.lines[:6] == [f"--- a/{REGISTER}", f"+++ b/{REGISTER}", "@@ -8,2 +8,3 @@",
                             "     on: 2026-02-10",
                             '+  - {person: bob, policy: acceptable-use, version: "1.2", '
                             'on: 2026-06-03}', " "]
    written = (staff.root / REGISTER).read_bytes()
    added = b'  - {person: bob, policy: acceptable-use, version: "1.2", on: 2026-06-03}\r\n'
    cut = original.index(b"\r\n\r\n# reviewed") + 2
    assert written == original[:cut] + added + original[cut:]
    assert register(staff)["reviewed"] == date(2026, 3, 1)
    assert "0 errors" in staff.dspt("check").out


def test_ack_appends_after_a_last_line_with_no_new_line(staff):
    staff.write(REGISTER, b"acknowledgements:\n- {person: alice, policy: acceptable-use, "
                          b"version: '1.2', on: 2026-02-10}")
    assert ack(staff, "bob", "acceptable-use", "--on", "2026-06-03").code == 0
    assert (staff.root / REGISTER).read_bytes() == (
        b"acknowledgements:\n- {person: alice, policy: acceptable-use, version: '1.2', on: "
        b"2026-02-10}\n- {person: bob, policy: acceptable-use, version: \"1.2\", on: 2026-06-03}\n")


def test_ack_fills_an_empty_list(staff):
    staff.write(REGISTER, "reviewed: 2026-03-01\nacknowledgements: []   # none yet\nowner: siro\n")
    run = ack(staff, "bob", "acceptable-use", "--on", "2026-06-03")
    assert run.code == 0, run.err
    assert (staff.root / REGISTER).read_text() == (
        "reviewed: 2026-03-01\nacknowledgements: # none yet\n"
        '  - {person: bob, policy: acceptable-use, version: "1.2", on: 2026-06-03}\nowner: siro\n')
    assert "0 errors" in staff.dspt("check").out


@pytest.mark.parametrize("args,message", [
    (["zoe", "acceptable-use"], "no one in the people register is 'zoe'"),
    (["alicia", "acceptable-use"], "no one in the people register is 'alicia' (did you mean "
                                   "alice, Alice Adams?)"),
    (["alice", "acceptable-usage"], "no policy has the id or title 'acceptable-usage' (did you "
                                    "mean acceptable-use, Acceptable use policy?)"),
    (["sam", "acceptable-use", "--on", "2026-06-03"], "sam left on 2026-03-01, before 2026-06-03"),
    (["alice", "acceptable-use", "--on", "2099-06-03"], "2099-06-03 is in the future (today is "),
    (["alice", "acceptable-use", "--version", "=HYPERLINK(\"x\")"],
     "'=HYPERLINK(\"x\")' is not a version (such as 1.2 or v2.0)"),
    (["Jo\nLee: \"x\"", "acceptable-use"], "no one in the people register is 'Jo\\x0aLee: \"x\"'"),
])
def test_ack_refuses_and_changes_nothing(staff, args, message):
    staff.write(REGISTER, "acknowledgements:\n  - {person: alice, policy: governance, "
                          "version: '1.0', on: 2026-02-10}\n")
    before = staff.snapshot()
    run = ack(staff, *args)
    assert run.code == 1, run.out
    assert run.err.startswith("dspt: error: ") and message in run.err, run.err
    assert run.err.rstrip().endswith("nothing was written")
    assert len(run.err.splitlines()) == 1
    assert staff.snapshot() == before


def test_ack_refuses_a_draft(staff):
    staff.write("policies/acceptable-use.md", AUP.format(version="2.0", status="draft"))
    run = ack(staff, "alice", "acceptable-use", "--on", "2026-06-03")
    assert run.code == 1
    assert ("dspt: error: policy acceptable-use is draft, not approved: only an approved version "
            "is acknowledged; nothing was written") in run.err
    assert not (staff.root / REGISTER).exists()


def test_ack_lists_everyone_an_ambiguous_name_could_be(staff):
    staff.write("evidence/registers/people.yaml", PEOPLE + "  - {id: jo-lee-2, name: jo lee}\n")
    run = ack(staff, "Jo Lee", "acceptable-use")
    assert run.code == 1
    assert ("dspt: error: 'Jo Lee' matches 2 people: jo-lee (Jo Lee, Jo.Lee@example.org), "
            "jo-lee-2 (jo lee); give their id; nothing was written") in run.err
    assert ack(staff, "Jo.Lee@example.org", "acceptable-use").code == 0


@pytest.mark.parametrize("text", ["acknowledgements: [\n", "acknowledgements:\n  - {person: alice}\n"])
def test_ack_will_not_add_to_a_register_it_cannot_read(staff, text):
    staff.write(REGISTER, text)
    before = staff.snapshot()
    run = ack(staff, "alice", "acceptable-use")
    assert run.code == 1
    assert (f"dspt: error: {REGISTER} cannot be read ('dspt check' shows why); fix it before "
            "recording more; nothing was written") in run.err
    assert staff.snapshot() == before


def test_ack_refuses_when_the_people_register_cannot_be_read(staff):
    staff.write("evidence/registers/people.yaml", "people: {\n")
    run = ack(staff, "alice", "acceptable-use")
    assert run.code == 1
    assert "the people register could not be read" in run.err


@pytest.mark.parametrize("args", [[], ["alice"], ["alice", "acceptable-use", "--csv", "x.csv"],
                                  ["--csv", "x.csv", "--version", "1.0"]])
def test_ack_usage_errors(staff, args):
    run = ack(staff, *args)
    assert run.code == 2
    assert run.err.startswith("dspt: error: ")


def test_awkward_versions_are_written_so_they_load_exactly(staff):
    version = '1.0: "final" #2\t€'
    staff.write("policies/acceptable-use.md",
                AUP.format(version="X", status="approved").replace(
                    'version: "X"', "version: '1.0: \"final\" #2\t€'"))
    run = ack(staff, "O'Dea: \"Pat\"", "acceptable-use", "--on", "2026-06-03")
    assert run.code == 0, run.err
    assert register(staff)["acknowledgements"] == [
        {"person": "od", "policy": "acceptable-use", "version": version, "on": date(2026, 6, 3)}]
    assert '+  - {person: od, policy: acceptable-use, version: "1.0: \\"final\\" #2\\x09€", ' \
           'on: 2026-06-03}' in run.lines
    run, found = ak101(staff.root)
    assert run.errors == 0
    assert not [m for _, _, m in found if m.startswith("od ")]


def test_ids_yaml_would_read_as_something_else_are_quoted(staff):
    staff.write("evidence/registers/people.yaml", PEOPLE + "  - {id: 'true', name: Tru Ly}\n"
                                                           "  - {id: '1e3', name: Num Ber}\n")
    assert ack(staff, "Tru Ly", "acceptable-use", "--on", "2026-06-03").code == 0
    assert ack(staff, "Num Ber", "acceptable-use", "--on", "2026-06-03").code == 0
    assert [e["person"] for e in register(staff)["acknowledgements"]] == ["true", "1e3"]
    assert "0 errors" in staff.dspt("check").out


# -- dspt ack --csv ----------------------------------------------------------------------------

HR = ("Employee ID,Staff member,E-mail,Department,Policy Name,Version,Date Signed (UK)\r\n"
      'E1001,"Brown, Bob",,Ops,Acceptable use policy,v1.2,03/06/2026 14:22\r\n'
      "E1002,Alice Adams,alice@example.org,Ops,acceptable-use,,3 June 2026\r\n"
      "E1003,Jo Lee,,Care,ACCEPTABLE USE,1.2,04-Jun-2026\r\n"
      "E1003,Jo Lee,,Care,ACCEPTABLE USE,1.2,02-Jun-2026\r\n"
      ",,,,,,\r\n")


def csv_file(tmp_path, text: str | bytes, name: str = "hr.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return str(path)


def test_csv_from_an_hr_system(staff, tmp_path):
    path = csv_file(tmp_path, b"\xef\xbb\xbf" + HR.encode("utf-8"))
    run = ack(staff, "--csv", path)
    assert run.code == 0, run.err
    # the HR system's own numbers name no one here: the name and email do
    assert run.lines[0] == (f"read {path}: 4 rows; person from 'Employee ID', 'Staff member', "
                            "'E-mail'; policy from 'Policy Name'; version from 'Version'; date "
                            "from 'Date Signed (UK)'; not read: 'Department'")
    assert run.lines[-1] == f"recorded 3 acknowledgements in {REGISTER} (1 already recorded, skipped)"
    assert register(staff)["acknowledgements"] == [
        {"person": "bob", "policy": "acceptable-use", "version": "1.2", "on": date(2026, 6, 3)},
        {"person": "alice", "policy": "acceptable-use", "version": "1.2", "on": date(2026, 6, 3)},
        {"person": "jo-lee", "policy": "acceptable-use", "version": "1.2", "on": date(2026, 6, 2)},
    ]
    assert "0 errors" in staff.dspt("check").out
    before = staff.snapshot()
    again = ack(staff, "--csv", path)
    assert again.code == 0
    assert again.lines[-1] == f"nothing to record: 4 acknowledgements already recorded in {REGISTER}"
    assert staff.snapshot() == before


def test_csv_with_a_version_column_it_cannot_read_is_refused_not_given_the_current_one(
        staff, tmp_path):
    # recording the current version for a row that names another would clear AK101 falsely
    path = csv_file(tmp_path, b"Staff member;Policy;Issue no. (ver);Signed on\n"
                              b"Jo Lee;acceptable-use;1.1;03/06/2026\n")
    before = staff.snapshot()
    run = ack(staff, "--csv", path)
    assert run.code == 1
    assert run.err == (f"dspt: error: {path}:1: the column 'Issue no. (ver)' looks like the "
                       "version signed, but its heading is not one dsptkit reads; rename it "
                       "'Version' (or remove it to record each policy's current version); "
                       "nothing was written\n")
    assert staff.snapshot() == before


@pytest.mark.parametrize("cell,day", [
    ("2026-06-03", date(2026, 6, 3)), ("03/06/2026", date(2026, 6, 3)),
    ("3/6/26", date(2026, 6, 3)), ("3 June 2026", date(2026, 6, 3)),
    ("03-Jun-2026", date(2026, 6, 3)), ("Wed 3rd June 2026", date(2026, 6, 3)),
    ("2026-06-03T14:22:05Z", date(2026, 6, 3)), ("03/06/2026 2:22 pm", date(2026, 6, 3)),
    ("13.06.2026", date(2026, 6, 13)), ("June 3, 2026", date(2026, 6, 3)),
])
def test_csv_reads_dates_as_exports_write_them(staff, tmp_path, cell, day):
    path = csv_file(tmp_path, f'Employee;Document;Signed on\nbob;acceptable-use;"{cell}"\n')
    run = ack(staff, "--csv", path)
    assert run.code == 0, run.err
    assert register(staff)["acknowledgements"][0]["on"] == day


def test_csv_with_a_title_row_split_names_and_no_date_column(staff, tmp_path):
    path = csv_file(tmp_path, "Policy sign-off report\n\nFirst name\tSurname\tDocument\n"
                              "Alice\tAdams\tAcceptable use\nJo\tLee\tacceptable-use\n")
    run = ack(staff, "--csv", path, "--on", "2026-06-20")
    assert run.code == 0, run.err
    assert run.lines[0] == (f"read {path}: 2 rows; person from 'First name', 'Surname'; policy from "
                            "'Document'; version: each policy's current one; date: 2026-06-20 for "
                            "every row")
    assert [(e["person"], e["on"]) for e in register(staff)["acknowledgements"]] == [
        ("alice", date(2026, 6, 20)), ("jo-lee", date(2026, 6, 20))]


def test_csv_refuses_every_bad_row_at_once_and_writes_nothing(staff, tmp_path):
    staff.write(REGISTER, "acknowledgements: []\n")
    path = csv_file(tmp_path, "Name,Email,Policy,Date\r\n"
                              "Alice Adams,,acceptable-use,2026-06-03\r\n"
                              "=HYPERLINK(\"http://x\"),,acceptable-use,2026-06-03\r\n"
                              "Bob Brown,alice@example.org,acceptable-use,2026-06-03\r\n"
                              "Bob Brown,,Acceptable usage,2026-06-03\r\n"
                              "Bob Brown,,acceptable-use,\r\n"
                              "Bob Brown,,acceptable-use,June 2026\r\n"
                              "Bob Brown,,acceptable-use,2099-06-03\r\n"
                              "Sam Smith,,acceptable-use,2026-06-03\r\n"
                              "Bob Brown,,acceptable-use,45811\r\n")
    before = staff.snapshot()
    run = ack(staff, "--csv", path)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"dspt: error: {path}: 8 rows cannot be recorded, so nothing was written:",
        f"{path}:3: no one in the people register is '=HYPERLINK(\"http://x\")' under 'Name'",
        f"{path}:4: the row names more than one person: 'Bob Brown' under 'Name' is bob; "
        "'alice@example.org' under 'Email' is alice",
        f"{path}:5: no policy has the id or title 'Acceptable usage' under 'Policy' (did you mean "
        "acceptable-use, Acceptable use policy?)",
        f"{path}:6: no date under 'Date'",
        f"{path}:7: 'June 2026' under 'Date' is not a date; write it as 2026-06-03 or 03/06/2026 "
        "(day first)",
        f"{path}:8: 2099-06-03 is in the future (today is {date.today().isoformat()})",
        f"{path}:9: sam left on 2026-03-01, before 2026-06-03",
        f"{path}:10: '45811' under 'Date' is not a date (a spreadsheet's day number? format the "
        "column as a date before exporting)",
    ]
    assert staff.snapshot() == before


def test_csv_month_first_dates_make_the_others_ambiguous(staff, tmp_path):
    path = csv_file(tmp_path, "Name,Policy,Date\nAlice Adams,acceptable-use,06/13/2026\n"
                              "Bob Brown,acceptable-use,06/03/2026\n"
                              "Jo Lee,acceptable-use,2026-06-03\n")
    run = ack(staff, "--csv", path)
    assert run.code == 1
    assert run.err.splitlines()[1:] == [
        f"{path}:2: '06/13/2026' under 'Date' is not a date in day/month/year order (it reads "
        "month first); export dates as YYYY-MM-DD, or day first",
        f"{path}:3: '06/03/2026' under 'Date' could be day/month or month/day: line 2 reads month "
        "first; export dates as YYYY-MM-DD",
    ]


def test_csv_saved_by_excel_as_windows_1252_is_refused_naming_the_line(staff, tmp_path):
    path = csv_file(tmp_path, "Name,Policy\nAlice Adams,acceptable-use\n"
                              "Bob Brown,Acceptable use – v1.2\n".encode("cp1252"))
    before = staff.snapshot()
    run = ack(staff, "--csv", path)
    assert run.code == 1
    assert run.err.startswith(f"dspt: error: {path}:3: the file is not UTF-8 (byte 0x96, often")
    assert "save it as 'CSV UTF-8 (Comma delimited)'" in run.err
    assert staff.snapshot() == before


@pytest.mark.parametrize("text,message", [
    ("Department,Notes\nOps,x\n", ":1: no heading row naming the person"),
    ("Name,Policy\n", ": no rows under the headings on line 1"),
    ("Name,Policy\nAlice Adams,\"acceptable-use\n", ":2: cannot be read as CSV"),
    (b"PK\x03\x04\x00\x00", ":1: the file is binary (a spreadsheet?), not CSV text"),
])
def test_csv_that_cannot_be_used(staff, tmp_path, text, message):
    path = csv_file(tmp_path, text)
    run = ack(staff, "--csv", path)
    assert run.code == 1, run.err
    assert message in run.err, run.err
    assert not (staff.root / REGISTER).exists()


def test_csv_too_large_or_missing(staff, tmp_path):
    from dsptkit.commands.ack import MAX_CSV_BYTES

    path = csv_file(tmp_path, "Name,Policy\n" + "x" * MAX_CSV_BYTES)
    run = ack(staff, "--csv", path)
    assert run.code == 1 and "over the 5,242,880-byte limit" in run.err
    run = ack(staff, "--csv", str(tmp_path / "missing.csv"))
    assert run.code == 1 and "missing.csv: no such file; nothing was written" in run.err


def test_csv_on_with_a_date_column_is_a_usage_error(staff, tmp_path):
    path = csv_file(tmp_path, "Name,Policy,Date\nAlice Adams,acceptable-use,2026-06-03\n")
    run = ack(staff, "--csv", path, "--on", "2026-06-04")
    assert run.code == 2
    assert "--on gives the date for a CSV without a date column" in run.err


def test_csv_dry_run(staff, tmp_path):
    path = csv_file(tmp_path, HR)
    before = staff.snapshot()
    run = ack(staff, "--csv", path, "--dry-run")
    assert run.code == 0
    assert len([line for line in run.lines if line.startswith("+  - {")]) == 3
    assert run.lines[-1] == (f"dry run: would record 3 acknowledgements in {REGISTER} (1 already "
                             "recorded, skipped); nothing was written")
    assert staff.snapshot() == before


def test_what_would_break_the_repository_is_refused(staff, tmp_path):
    """The bytes about to be written go through the same loader and rules as dspt check: a
    register grown past the size limit is refused, and nothing is written."""
    from dsptkit.frontmatter import MAX_FILE_BYTES

    head = "acknowledgements: []\n# "
    staff.write(REGISTER, head + "x" * (MAX_FILE_BYTES - len(head) - 20) + "\n")
    before = staff.snapshot()
    run = ack(staff, "alice", "acceptable-use", "--on", "2026-06-03")
    assert run.code == 1
    assert "what would be written does not pass the check, so nothing was written" in run.err
    assert "FM003" in run.err
    assert staff.snapshot() == before
