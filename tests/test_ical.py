"""`dspt due --format ics` and `dsptkit.ical.calendar` (the internal portal's due.ics): the
file is read back by two parsers (icalendar and vobject) and holds what `dspt due` lists; the
same item keeps its UID from run to run and date to date; the same inputs give the same
bytes; owners are attendees only when asked, and otherwise no one is named; text from the
repository cannot break the file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta

import icalendar
import pytest
import vobject

from conftest import ROOT
from dsptkit import pipeline
from dsptkit.ical import calendar, uid_for
from dsptkit.main import main
from dsptkit.model import one_line

EXAMPLE = ("--repo", str(ROOT))
HOSTILE = 'Evil\nBEGIN:VEVENT; Ltd, "x" \\ END:VCALENDAR\x07'
PEOPLE = """\
    people:
      - {id: alice, name: "Alice Adams", email: alice@example.org}
      - {id: bob, name: Bob Brown}
      - {id: carol, name: "Carol; Cole, \\"CC\\"", email: "carol@example.org\\nATTENDEE:mailto:x@evil.example"}
    """


def ics(capsys, *argv: str) -> bytes:  # type: ignore[no-untyped-def]
    """The file as written to stdout (capsys decodes it as UTF-8; line ends kept)."""
    capsys.readouterr()
    code = main(["due", "--format", "ics", *argv])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""
    return captured.out.encode("utf-8")


def listing(capsys, *argv: str) -> dict:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["due", "--format", "json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def events(data: bytes) -> list:  # type: ignore[no-untyped-def]
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def by_uid(data: bytes) -> dict:  # type: ignore[no-untyped-def]
    return {str(e["UID"]): e for e in events(data)}


@pytest.fixture
def tiny(repo):
    """Owners with and without an email (and one whose email is no address), and a supplier
    whose name tries to end the event and start another."""
    repo.write("evidence/registers/people.yaml", PEOPLE)
    repo.write("evidence/registers/training.yaml", """\
        training:
          - {person: alice, course: Data Security Awareness, completed: 2026-02-01}
          - {person: bob, course: Data Security Awareness, completed: 2026-02-03}
          - {person: carol, course: Data Security Awareness, completed: 2026-02-05}
        """)
    repo.write("evidence/registers/suppliers.yaml", f"""\
        reviewed: 2026-06-01
        owner: bob
        suppliers:
          - name: {json.dumps(HOSTILE)}
            service: Hosting
            checked: 2025-08-10
        """)
    repo.write("evidence/registers/incidents.yaml", """\
        incidents:
          - id: INC-1
            date: 2026-05-01
            summary: Reminder sent to the wrong number
            lessons: Numbers are read back.
            actions:
              - {action: Bob Brown to read back mobile numbers, owner: carol, due: 2026-07-15}
              - {action: Retrain reception, owner: siro}
        """)
    return repo


# -- what the file holds -------------------------------------------------------------------------

def test_both_parsers_read_what_dspt_due_lists(capsys):
    where = (*EXAMPLE, "--as-of", "2026-11-22", "--within", "1y")
    data = ics(capsys, *where)
    listed = listing(capsys, *where)
    dated = [i for i in listed["items"] if i["when"] is not None]
    assert dated
    found = events(data)
    assert len(found) == len(dated)
    for event, item in zip(found, dated, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and start.isoformat() == item["when"]
        assert end == start + timedelta(days=1)
        summary = one_line(item["what"])
        expected = f"Overdue: {summary}" if item["overdue"] else summary[0].upper() + summary[1:]
        assert str(event["SUMMARY"]) == expected
        assert [str(c) for c in event["CATEGORIES"].cats] == [item["kind"]]
        assert f"Where: {item['path']}:{item['line']}" in str(event["DESCRIPTION"])
        assert str(event["TRANSP"]) == "TRANSPARENT"
    # the second parser reads the same events
    (parsed,) = list(vobject.readComponents(data.decode("utf-8")))
    second = parsed.vevent_list
    assert [e.uid.value for e in second] == [str(e["UID"]) for e in found]
    assert [e.summary.value for e in second] == [str(e["SUMMARY"]) for e in found]
    assert [e.dtstart.value for e in second] == [e.decoded("DTSTART") for e in found]
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # folded as RFC 5545 asks


def test_calendar_properties(capsys):
    data = ics(capsys, *EXAMPLE, "--as-of", "2026-11-22")
    cal = icalendar.Calendar.from_ical(data)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]) == "-//dsptkit//dspt due//EN"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["NAME"]) == "DSPT: Brightwater Health Software Ltd — what falls due"
    assert b"X-WR-CALNAME:DSPT: Brightwater Health Software Ltd \xe2\x80\x94 what falls due\r\n" in data
    assert b"REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in data
    assert b"X-PUBLISHED-TTL:P1D\r\n" in data
    (parsed,) = list(vobject.readComponents(data.decode("utf-8")))
    assert parsed.x_wr_calname.value == "DSPT: Brightwater Health Software Ltd — what falls due"


def test_overdue_events_stay_on_their_day(capsys):
    found = by_uid(ics(capsys, *EXAMPLE, "--as-of", "2026-11-22"))
    ac1 = found[uid_for("8KX71", "evidence:AC-1")]
    assert str(ac1["SUMMARY"]) == "Overdue: evidence for claim AC-1 expired"
    assert ac1.decoded("DTSTART") == date(2026, 9, 28)
    assert str(ac1["DESCRIPTION"]) == (
        "Collect new evidence for AC-1 (Access control policy)\n"
        "Overdue since 2026-09-28.\n"
        "Owner: Priya Shah\n"
        "Where: policies/access-control.md:10")
    review = found[uid_for("8KX71", "policy-review:incident-management")]
    assert "Waived until 2026-12-15 (PO101)." in str(review["DESCRIPTION"])


def test_items_with_no_date_are_left_out_and_counted(capsys, tiny):
    where = ("--repo", str(tiny.root), "--as-of", "2026-07-01", "--within", "1y")
    undated = [i for i in listing(capsys, *where)["items"] if i["when"] is None]
    assert [i["what"] for i in undated] == ["action from incident INC-1: Retrain reception"]
    data = ics(capsys, *where)
    assert b"Retrain reception" not in data
    assert "1 item(s) with no date are not shown; 'dspt due' lists them." in \
        str(icalendar.Calendar.from_ical(data)["DESCRIPTION"])


def test_owner_and_window_choose_the_events(capsys):
    where = (*EXAMPLE, "--as-of", "2026-11-22", "--within", "90d", "--owner", "it_lead")
    listed = listing(capsys, *where)["items"]
    found = events(ics(capsys, *where))
    assert [e.decoded("DTSTART").isoformat() for e in found] == [i["when"] for i in listed]
    assert all("Owner: Priya Shah" in str(e["DESCRIPTION"]) for e in found)


# -- UIDs and bytes ------------------------------------------------------------------------------

def test_uids_are_stable_across_runs_and_dates(capsys):
    """The same item keeps its UID when its date comes and goes (AC-1 before and after its
    evidence expired), so a calendar updates its event; every UID in a file is unique."""
    before = ics(capsys, *EXAMPLE, "--as-of", "2026-09-27", "--within", "1y")
    again = ics(capsys, *EXAMPLE, "--as-of", "2026-09-27", "--within", "1y")
    assert before == again  # the same inputs, the same bytes
    after = ics(capsys, *EXAMPLE, "--as-of", "2026-11-22", "--within", "1y")
    assert before != after
    first, second = by_uid(before), by_uid(after)
    assert len(first) == len(events(before)) and len(second) == len(events(after))
    uid = uid_for("8KX71", "evidence:AC-1")
    assert str(first[uid]["SUMMARY"]) == "Evidence for claim AC-1 expires"
    assert str(second[uid]["SUMMARY"]) == "Overdue: evidence for claim AC-1 expired"
    shared = set(first) & set(second)
    assert len(shared) >= 5
    for u in shared:
        assert str(first[u]["CATEGORIES"].cats) == str(second[u]["CATEGORIES"].cats)
    assert re.fullmatch(r"[0-9a-f]{32}@dsptkit", uid)


def test_dtstamp_is_the_as_of_date(capsys):
    data = ics(capsys, *EXAMPLE, "--as-of", "2026-11-22")
    stamps = {e.decoded("DTSTAMP") for e in events(data)}
    assert stamps == {datetime.fromisoformat("2026-11-22T00:00:00+00:00")}
    assert b"DTSTAMP:20261122T000000Z\r\n" in data


def test_the_portal_call(capsys):
    """What the internal portal publishes as due.ics: a year ahead, owners as attendees;
    the same bytes as the command with --within 1y."""
    run = pipeline.run(ROOT, "2026-11-22")
    schedule = run.position.schedule
    data = calendar(schedule, run.repo, horizon=date(2027, 11, 22), attendees=True)
    assert data == ics(capsys, *EXAMPLE, "--as-of", "2026-11-22", "--within", "1y")
    everything = calendar(schedule, run.repo, horizon=None, attendees=True)
    assert len(events(everything)) == sum(1 for i in schedule.items if i.when is not None)


# -- people and privacy --------------------------------------------------------------------------

def test_attendees_with_email_only_when_asked(capsys, tiny):
    where = ("--repo", str(tiny.root), "--as-of", "2026-07-01", "--within", "1y")
    data = ics(capsys, *where)
    found = events(data)
    attendees = [(str(a), dict(a.params)) for e in found for a in _list(e.get("ATTENDEE"))]
    assert attendees and set(a for a, _ in attendees) == {"mailto:alice@example.org"}
    assert all(p == {"CN": "Alice Adams", "ROLE": "REQ-PARTICIPANT"} for _, p in attendees)
    # Bob has no email: his name is in the description, and he is no attendee
    bob = [e for e in found if "training" in [str(c) for c in e["CATEGORIES"].cats]
           and "Bob Brown" in str(e["SUMMARY"])]
    assert len(bob) == 1 and "ATTENDEE" not in bob[0] and "Owner: Bob Brown" in str(bob[0]["DESCRIPTION"])
    # Carol's email is no address: no attendee, and nothing of it outside a text value
    assert not any(line.startswith(b"ATTENDEE:mailto:x@") for line in data.split(b"\r\n"))
    carol = [e for e in found if str(e["SUMMARY"]).startswith("Action from incident INC-1")]
    assert len(carol) == 1 and "ATTENDEE" not in carol[0]
    assert 'Owner: Carol; Cole, "CC"' in str(carol[0]["DESCRIPTION"])
    (parsed,) = list(vobject.readComponents(data.decode("utf-8")))
    assert {a.value for e in parsed.vevent_list for a in e.contents.get("attendee", [])} == \
        {"mailto:alice@example.org"}


def test_no_attendees_names_no_one(capsys, tiny):
    where = ("--repo", str(tiny.root), "--as-of", "2026-07-01", "--within", "1y")
    data = ics(capsys, *where, "--no-attendees")
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8")
    for word in ("Alice", "Adams", "Bob", "Brown", "Carol", "Cole", "example.org", "evil.example",
                 "alice", "bob", "carol", "ATTENDEE", "Owner:"):
        assert word.lower() not in unfolded.lower(), word
    found = events(data)
    summaries = {str(e["SUMMARY"]) for e in found}
    assert "[name withheld]'s data security training falls out of date" in summaries
    assert "Action from incident INC-1: [name withheld] to read back mobile numbers" in summaries
    # the same events, the same UIDs: only the words about people differ
    named = events(ics(capsys, *where))
    assert [str(e["UID"]) for e in found] == [str(e["UID"]) for e in named]


def test_hostile_text_round_trips_as_text(capsys, tiny):
    data = ics(capsys, "--repo", str(tiny.root), "--as-of", "2026-07-01", "--within", "1y")
    lines = data.split(b"\r\n")
    assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT") == len(events(data))
    assert lines.count(b"END:VCALENDAR") == 1 and lines[-2] == b"END:VCALENDAR"
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", data.replace(b"\r\n", b""))
    shown = one_line(HOSTILE)
    check = [e for e in events(data) if "supplier check" in [str(c) for c in e["CATEGORIES"].cats]]
    assert [str(e["SUMMARY"]) for e in check] == [f"Yearly check of supplier {shown}"]
    assert str(check[0]["DESCRIPTION"]).startswith(f"Check {shown}'s certifications")
    (parsed,) = list(vobject.readComponents(data.decode("utf-8")))
    assert len(parsed.vevent_list) == len(events(data))
    assert f"Yearly check of supplier {shown}" in [e.summary.value for e in parsed.vevent_list]


def test_a_repeated_key_gets_its_own_uid(capsys, repo):
    """Two waivers of one rule for one subject are two items with one key: each keeps an
    event, the first with the key's own UID."""
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text + textwrap.dedent("""\
        waivers:
          - {rule: RG103, subject: Northwind, reason: Accepted, approved_by: siro, expires: 2026-12-01}
          - {rule: RG103, subject: Northwind, reason: Again, approved_by: siro, expires: 2027-01-01}
        """))
    data = ics(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01", "--within", "1y")
    waivers = [e for e in events(data) if "waiver" in [str(c) for c in e["CATEGORIES"].cats]]
    assert [e.decoded("DTSTART") for e in waivers] == [date(2026, 12, 1), date(2027, 1, 1)]
    assert [str(e["UID"]) for e in waivers] == [uid_for("ZZ001", "waiver:RG103:Northwind"),
                                                uid_for("ZZ001", "waiver:RG103:Northwind#2")]
    uids = [str(e["UID"]) for e in events(data)]
    assert len(uids) == len(set(uids))


def test_without_the_calendar_extra(tmp_path):
    """No icalendar: the command says which extra to install, exit 2, no traceback."""
    code = ("import sys; sys.modules['icalendar'] = None\n"
            "from dsptkit.main import main\n"
            f"raise SystemExit(main(['due', '--format', 'ics', '--repo', {str(ROOT)!r}]))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("dspt: error: dspt due --format ics needs the calendar extra: "
                                  "pip install ")
    assert "calendar]" in done.stderr and "Traceback" not in done.stderr


def _list(value):  # type: ignore[no-untyped-def]
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
