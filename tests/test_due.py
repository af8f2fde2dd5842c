"""`dspt due`: everything that falls due within a window, overdue first and marked, with its
owner and what to do, as an IG lead reads it (text) and as other tools read it (JSON against
its schema, CSV). The worked example (the repository root, Brightwater) is pinned at dates
around each kind of deadline; tiny repositories cover what the example does not have
(incident actions, sign-offs, notes, hostile text). The iCalendar output is
tests/test_ical.py's."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import ROOT, on_terminal
from dsptkit.main import main

SCHEMA = ROOT / "tooling" / "dsptkit" / "schemas" / "output" / "due.schema.json"
EXAMPLE = ("--repo", str(ROOT))

PEOPLE = """\
    people:
      - {id: alice, name: Alice Adams, email: alice@example.org}
      - {id: bob, name: Bob Brown}
    """
INCIDENTS = """\
    incidents:
      - id: INC-1
        date: 2026-05-01
        summary: Reminder sent to the wrong number
        lessons: Numbers are read back.
        actions:
          - {action: Read back mobile numbers, owner: bob, due: 2026-07-15}
          - {action: Retrain reception, owner: siro}
          - {action: Update the script, owner: bob, due: 2026-06-01, done: 2026-06-02}
    """


def due(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main(["due", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def example(capsys, as_of: str, *argv: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = due(capsys, *EXAMPLE, "--as-of", as_of, *argv)
    assert code == 0, err
    assert err == ""
    return out


def example_json(capsys, as_of: str, *argv: str) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(example(capsys, as_of, "--format", "json", *argv))


def flat(text: str) -> str:
    """Text with each run of spaces as one (the status column's width varies with the
    longest status in its section)."""
    return re.sub(r" +", " ", text)


def line_for(out: str, what: str) -> str:
    """The item whose 'what' is given: its first line and the second (its action), flat."""
    lines = out.splitlines()
    for n, line in enumerate(lines):
        if f": {what} — " in line:
            return flat(line + "\n" + lines[n + 1])
    raise AssertionError(f"no item {what!r} in:\n{out}")


def section(out: str, title: str) -> str:
    """The lines under a heading ("Overdue", "Due by", "No date set") up to the next blank."""
    blocks = out.split("\n\n")
    found = [b for b in blocks if b.startswith(title)]
    assert found, f"no section {title!r} in:\n{out}"
    return found[0]


def assert_schema_valid(data: dict) -> None:
    def closed(node):  # type: ignore[no-untyped-def]
        if isinstance(node, dict):
            node = {k: closed(v) for k, v in node.items()}
            if "properties" in node:
                node.setdefault("additionalProperties", False)
        elif isinstance(node, list):
            node = [closed(v) for v in node]
        return node

    spec = closed(json.loads(SCHEMA.read_text("utf-8")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in
              Draft202012Validator(spec, format_checker=FormatChecker()).iter_errors(data)]
    assert errors == []
    assert next(iter(data)) == "format_version"


@pytest.fixture
def tiny(repo):
    """The base tiny repository with an email, a supplier, an incident with actions and a
    policy staff must acknowledge."""
    repo.write("evidence/registers/people.yaml", PEOPLE)
    repo.write("evidence/registers/incidents.yaml", INCIDENTS)
    repo.write("evidence/registers/suppliers.yaml", """\
        reviewed: 2026-06-01
        owner: it_lead
        suppliers:
          - {name: Northwind Cloud, service: Hosting, checked: 2025-08-10}
        """)
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("owner: siro\n", "owner: siro\nacknowledge: true\n"))
    return repo


# -- each kind of deadline in the worked example, on and around its day -------------------------

def test_evidence_expiry_the_day_before_on_the_day_and_after(capsys):
    """AC-1's evidence is current up to and including 28 September 2026."""
    before = example(capsys, "2026-09-27")
    assert line_for(before, "evidence for claim AC-1 expires") == flat(
        "  2026-09-28  in 1 day  evidence: evidence for claim AC-1 expires — Priya Shah\n"
        "      policies/access-control.md:10: collect new evidence for AC-1 (Access control policy)")
    assert "evidence for claim AC-1" in section(before, "Due by 2026-11-26")
    on_the_day = example(capsys, "2026-09-28")
    assert "2026-09-28 due today" in line_for(on_the_day, "evidence for claim AC-1 expires")
    assert "evidence for claim AC-1" in section(on_the_day, "Due by")
    after = example(capsys, "2026-09-29")
    assert "2026-09-28 OVERDUE since 2026-09-28 (1 day)" in line_for(
        after, "evidence for claim AC-1 expired")
    assert "evidence for claim AC-1" in section(after, "Overdue")
    assert "evidence for claim AC-1" not in section(after, "Due by")


def test_policy_review_waived_until_the_waiver_expires(capsys):
    """The incident management policy's review falls due on 1 October 2026; a PO101 waiver
    covers it until 15 December, and the waiver's own expiry is an item."""
    on_the_day = example(capsys, "2026-10-01")
    assert "2026-10-01 due today" in line_for(on_the_day, "review of policy incident-management")
    late = example(capsys, "2026-10-02")
    assert line_for(late, "review of policy incident-management").startswith(flat(
        "  2026-10-01  OVERDUE since 2026-10-01 (1 day)  policy review: review of policy "
        "incident-management — Tom Hughes (waived until 2026-12-15, PO101)\n"
        "      policies/incident-management.md:6: review the Incident and breach management policy"))
    assert "2026-12-15 due today waiver: waiver of PO101 for incident-management expires — " \
           "Amara Okafor" in flat(example(capsys, "2026-12-15"))
    expired = example(capsys, "2026-12-16")
    assert "waiver of PO101" not in expired
    line = line_for(expired, "review of policy incident-management")
    assert "OVERDUE since 2026-10-01 (76 days)" in line and "waived" not in line


def test_publication_deadline(capsys):
    assert "2027-06-30 in 1 day" in line_for(example(capsys, "2027-06-29", "--within", "1d"),
                                              "DSPT publication deadline (the usual 30 June; the "
                                              "catalogue does not yet confirm this cycle's deadline)")
    data = example_json(capsys, "2027-06-30", "--within", "1d")
    deadline = [i for i in data["items"] if i["kind"] == "publication deadline"]
    assert [(d["when"], d["days"], d["overdue"], d["owner_name"]) for d in deadline] == \
        [("2027-06-30", 0, False, "Amara Okafor")]
    assert data["deadline_known"] is False
    # the day after, the next deadline is the one that falls due; never an overdue deadline
    data = example_json(capsys, "2027-07-01", "--within", "1y")
    assert [i["when"] for i in data["items"] if i["kind"] == "publication deadline"] == \
        ["2028-06-30"]


def test_training_renewal(capsys):
    what = "Tom Hughes's data security training falls out of date"
    assert "2027-02-10 in 1 day" in line_for(example(capsys, "2027-02-09"), what)
    assert "2027-02-10 OVERDUE since 2027-02-10 (1 day)" in line_for(
        example(capsys, "2027-02-11"), what)
    assert "training register" in line_for(example(capsys, "2027-02-11"), what)


def test_supplier_checks(capsys):
    out = example(capsys, "2027-07-14", "--within", "1d")
    checks = [line for line in out.splitlines() if "supplier check:" in line]
    assert len(checks) >= 7 and all(line.startswith("  2027-07-15  in 1 day") for line in checks)
    assert "yearly check of supplier Northwind Cloud — Tom Hughes" in out
    late = example(capsys, "2027-07-16", "--within", "1d")
    assert " 2027-07-15 OVERDUE since 2027-07-15 (1 day) supplier check: yearly check of " \
           "supplier Northwind Cloud" in flat(late)


# -- the listing as a whole ----------------------------------------------------------------------

def test_overdue_first_then_by_date(capsys):
    out = example(capsys, "2026-11-22")
    data = example_json(capsys, "2026-11-22")
    overdue = sum(1 for i in data["items"] if i["overdue"])
    dated = sum(1 for i in data["items"] if not i["overdue"])
    lines = out.splitlines()
    assert lines[0] == ("Brightwater Health Software Ltd: what falls due as of 2026-11-22, "
                        "within 60d (to 2027-01-21)")
    assert lines[1] == f"{overdue} overdue, {dated} due by 2027-01-21."
    assert lines[3] == f"Overdue ({overdue})"
    assert flat(lines[4]) == flat(
        "  2025-12-31  OVERDUE since 2025-12-31 (326 days)  vendor support: vendor support for "
        "Label printer driver ended — Priya Shah (waived until 2027-03-31, RG102)")
    assert out.index(f"Overdue ({overdue})") < out.index(f"Due by 2027-01-21 ({dated})")
    due_by = section(out, "Due by")
    assert " 2026-12-15 in 23 days waiver: waiver of PO101 for incident-management expires" \
        in flat(due_by)
    assert "OVERDUE" not in due_by
    assert [i["key"] for i in data["items"][:2]] == ["vendor-support:Label printer driver",
                                                     "evidence:AC-1"]
    dates = [i["when"] for i in data["items"] if not i["overdue"]]
    assert dates == sorted(dates)
    assert [i["overdue"] for i in data["items"]] == sorted((i["overdue"] for i in data["items"]),
                                                           reverse=True)
    assert all(i["days"] <= 60 for i in data["items"])


def test_within(capsys):
    """The window's last day is included; overdue items are shown whatever the window."""
    assert "evidence for claim AC-1 expires" in example(capsys, "2026-07-30", "--within", "60d")
    assert "evidence for claim AC-1 expires" not in example(capsys, "2026-07-30", "--within", "59d")
    for written in ("8w", "2m", "P60D", " 60D "):
        data = example_json(capsys, "2026-11-22", "--within", written)
        assert data["within"] == written.strip()
        assert data["horizon"] in ("2027-01-17", "2027-01-22", "2027-01-21")
    short = example_json(capsys, "2026-11-22", "--within", "1d")
    assert all(i["overdue"] or i["days"] <= 1 for i in short["items"])
    assert "evidence:AC-1" in {i["key"] for i in short["items"]}
    assert example_json(capsys, "2026-11-22", "--within", "2y")["items"][-1]["when"] >= "2028-11-09"


@pytest.mark.parametrize("who", ["priya-shah", "PRIYA-SHAH", "it_lead", "Priya Shah",
                                 "  priya shah "])
def test_owner_by_id_role_or_name(capsys, who):
    data = example_json(capsys, "2026-11-22", "--within", "1y", "--owner", who)
    assert data["owner"]["name"] == "Priya Shah"
    assert data["owner"]["matched"] in ("priya-shah", "it_lead")
    assert data["items"] and {i["owner_name"] for i in data["items"]} == {"Priya Shah"}
    assert {i["person"] for i in data["items"]} == {"priya-shah"}
    assert "training:priya-shah" in {i["key"] for i in data["items"]}  # her own, by id


def test_owner_role_stands_for_whoever_holds_it(capsys):
    """Tom Hughes is both IG lead and DPO: --owner dpo lists what he owns."""
    dpo = example_json(capsys, "2026-11-22", "--within", "1y", "--owner", "dpo")
    tom = example_json(capsys, "2026-11-22", "--within", "1y", "--owner", "tom-hughes")
    assert dpo["items"] == tom["items"] and dpo["items"]
    text = example(capsys, "2026-11-22", "--owner", "ig_lead")
    assert text.splitlines()[0].endswith(", owned by Tom Hughes (ig_lead)")
    assert "Priya Shah" not in text


def test_owner_by_email_and_nothing_due(capsys, tiny):
    code, out, err = due(capsys, "--repo", str(tiny.root), "--as-of", "2026-07-01", "--owner",
                         "ALICE@example.org", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["owner"] == {"given": "ALICE@example.org", "matched": "alice", "name": "Alice Adams"}
    assert data["items"]
    # a window and owner with nothing in it says so plainly
    tiny.write("evidence/registers/incidents.yaml", "incidents: []\n")
    text = tiny.root / "policies/governance.md"
    text.write_text(text.read_text().replace("acknowledge: true\n", ""))
    code, out, err = due(capsys, "--repo", str(tiny.root), "--as-of", "2026-07-01", "--owner",
                         "bob", "--within", "7d")
    assert code == 0, err
    assert out == ("Test Care Ltd: what falls due as of 2026-07-01, within 7d (to 2026-07-08), "
                   "owned by Bob Brown (bob)\n"
                   "Nothing that Bob Brown (bob) owns falls due by 2026-07-08, and nothing is "
                   "overdue.\n")


def test_incident_actions_and_sign_offs(capsys, tiny):
    """Open incident actions (one with no due date, listed last), the done one not at all;
    sign-offs not made within 30 days of approval are overdue."""
    code, out, err = due(capsys, "--repo", str(tiny.root), "--as-of", "2026-07-01")
    assert code == 0, err
    overdue = section(out, "Overdue (2)")
    assert "  2026-02-09  OVERDUE since 2026-02-09 (142 days)  policy sign-off: Alice Adams to " \
           "acknowledge Governance policy version 1.0 — Alice Adams\n" \
           "      evidence/registers/people.yaml:2: Alice Adams reads and acknowledges the " \
           "Governance policy; record it with 'dspt ack alice governance'" in overdue
    assert "supplier check: yearly check of supplier Northwind Cloud — Bob Brown" not in overdue
    assert "  2026-07-15  in 14 days  incident action: action from incident INC-1: Read back " \
           "mobile numbers — Bob Brown\n" \
           "      evidence/registers/incidents.yaml:7: do it, then record the day it was done in 'done:'" in out
    assert out.split("\n\n")[-1] == (
        "No date set (1)\n"
        "  —           no date set  incident action: action from incident INC-1: Retrain "
        "reception — Alice Adams\n"
        "      evidence/registers/incidents.yaml:8: do it, then record the day it was done in 'done:'\n")
    assert "Update the script" not in out


def test_never_done_and_notes(capsys, repo):
    """A claim with no evidence has been due from the start; a data map register with no
    review date cannot fall due, which the notes say."""
    repo.remove("evidence/2026/ico.md")
    repo.write("evidence/registers/data-flows.yaml", """\
        approved: {by: siro, on: 2026-01-10}
        data_flows: []
        """)
    code, out, err = due(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01")
    assert code == 0, err
    assert line_for(out, "claim GV-1 has no evidence yet") == flat(
        "  —  OVERDUE, never done  evidence: claim GV-1 has no evidence yet — Alice Adams\n"
        "      policies/governance.md:9: collect evidence for GV-1 (Governance policy)")
    assert out.endswith("What could not be dated:\n"
                        "  note: the data flows register has no review date, so when its review "
                        "falls due is not known\n")
    data = json.loads(due(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01", "--format",
                          "json")[1])
    assert data["notes"] == ["the data flows register has no review date, so when its review "
                             "falls due is not known"]
    never = [i for i in data["items"] if i["key"] == "evidence:GV-1"]
    assert never == [{**never[0], "when": None, "days": None, "overdue": True}]
    assert data["items"][0] == never[0]  # never done comes first
    assert_schema_valid(data)


# -- JSON and CSV --------------------------------------------------------------------------------

def test_json_matches_its_schema(capsys, tiny):
    for as_of in ("2026-09-29", "2026-11-22", "2027-07-16"):
        data = example_json(capsys, as_of, "--within", "1y")
        assert data["format_version"] == 1 and data["organisation"]["ods_code"] == "8KX71"
        assert_schema_valid(data)
    waived = [i for i in example_json(capsys, "2026-11-22")["items"] if i["waived_until"]]
    assert {(i["key"], i["waived_until"], i["waiver_rule"]) for i in waived} == {
        ("vendor-support:Label printer driver", "2027-03-31", "RG102"),
        ("policy-review:incident-management", "2026-12-15", "PO101")}
    data = example_json(capsys, "2026-11-22", "--owner", "Tom Hughes")
    assert data["owner"] == {"given": "Tom Hughes", "matched": "tom-hughes", "name": "Tom Hughes"}
    assert_schema_valid(data)
    code, out, _ = due(capsys, "--repo", str(tiny.root), "--as-of", "2026-07-01", "--format", "json")
    assert_schema_valid(json.loads(out))
    assert json.loads(out)["owner"] is None


def test_the_schema_lists_every_kind():
    from dsptkit.due import Kind

    spec = json.loads(SCHEMA.read_text("utf-8"))
    assert spec["properties"]["items"]["items"]["properties"]["kind"]["enum"] == [k.value for k in Kind]


def test_csv_has_the_json_items(capsys):
    data = example_json(capsys, "2026-11-22", "--within", "90d")
    text = example(capsys, "2026-11-22", "--within", "90d", "--format", "csv")
    assert "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(data["items"][0])
    assert len(rows) == len(data["items"])

    def as_text(value):  # type: ignore[no-untyped-def]
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    assert rows == [{k: as_text(v) for k, v in item.items()} for item in data["items"]]
    assert rows[1]["days"] == "-55"  # a number, not a formula made safe


def test_csv_cells_cannot_be_formulas(capsys, repo):
    repo.write("evidence/registers/suppliers.yaml", """\
        reviewed: 2026-06-01
        suppliers:
          - {name: "=HYPERLINK(\\"http://x\\")", service: Hosting, checked: 2025-08-10}
          - {name: "@SUM(A1)", service: Hosting, checked: 2025-08-11}
        """)
    code, out, err = due(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01", "--format",
                         "csv", "--within", "1y")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    subjects = {row["subject"] for row in rows if row["kind"] == "supplier check"}
    assert subjects == {"'=HYPERLINK(\"http://x\")", "'@SUM(A1)"}
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())


# -- bad input, a broken repository, a terminal --------------------------------------------------

@pytest.mark.parametrize(("within", "message"), [
    ("soon", "--within 'soon' is not a duration; write a whole number and a unit, e.g. 60d, "
             "8w, 3m or 1y (or ISO 8601, P60D)"),
    ("0d", "--within '0d' is no time at all; give a window such as 60d"),
    ("200y", "--within '200y' is longer than 100 years"),
    ("6\nd", "--within '6\\x0ad' is not a duration"),
])
def test_bad_within_is_a_usage_error(capsys, within, message):
    code, out, err = due(capsys, *EXAMPLE, "--as-of", "2026-11-22", "--within", within)
    assert code == 2 and out == ""
    assert err.startswith(f"dspt: error: {message}")
    assert "Traceback" not in err


def test_unknown_owner_is_a_usage_error(capsys):
    code, out, err = due(capsys, *EXAMPLE, "--as-of", "2026-11-22", "--owner", "Fred")
    assert code == 2 and out == ""
    assert err.startswith("dspt: error: --owner 'Fred' is no person or role this repository knows")
    assert "amara-okafor" in err and "ig_lead" in err and "Traceback" not in err
    code, _, err = due(capsys, *EXAMPLE, "--as-of", "2026-11-22", "--owner", " ")
    assert code == 2 and "--owner is empty" in err


def test_two_people_with_one_name(capsys, repo):
    repo.write("evidence/registers/people.yaml", """\
        people:
          - {id: alice, name: Alice Adams}
          - {id: bob, name: Bob Brown}
          - {id: bob2, name: Bob Brown}
        """)
    code, _, err = due(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01", "--owner",
                       "bob brown")
    assert code == 2
    assert "--owner 'bob brown' names more than one person (bob, bob2); give the person's id" in err


def test_a_repository_with_errors_is_refused(capsys, repo):
    repo.write("policies/broken.md", "no front matter\n")
    before = repo.snapshot()
    for fmt in ("text", "ics"):
        code, out, err = due(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01", "--format", fmt)
        assert code == 1 and out == ""
        assert err == ("dspt: error: the repository has 1 error(s); the listing is refused until "
                       "they are fixed (run 'dspt check' to see them); nothing was written\n")
    assert repo.snapshot() == before


def test_hostile_text_stays_on_its_line(capsys, repo):
    repo.write("evidence/registers/suppliers.yaml", """\
        reviewed: 2026-06-01
        suppliers:
          - {name: "Evil\\nBEGIN:VEVENT; Ltd, \\u202ex", service: Hosting, checked: 2025-08-10}
        """)
    code, out, err = due(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01")
    assert code == 0, err
    assert "  2026-08-10  in 40 days  supplier check: yearly check of supplier " \
           "Evil\\x0aBEGIN:VEVENT; Ltd, \\u202ex — no owner recorded\n" in out
    assert "\u202e" not in out


def test_colour_only_on_a_terminal():
    out = on_terminal("due", "--repo", str(ROOT), "--as-of", "2026-11-22")
    assert "\033[1;31mOVERDUE since 2026-09-28 (55 days)\033[0m" in out
    assert "\033[33mOVERDUE since 2026-10-01" in out  # waived: a finding's colour
    assert "\033[" not in on_terminal("due", "--repo", str(ROOT), "--as-of", "2026-11-22",
                                      NO_COLOR="1")
