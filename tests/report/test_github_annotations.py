"""dspt check --format github: one workflow command per result, escaped as the Actions runner
reads them back, so no file name or message can end an annotation early or add a command."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from dsptkit.main import main
from dsptkit.model import Severity
from dsptkit.report.github import annotation, escape_data, escape_property

HOSTILE_PATH = "policies/a,b: 100%\n::error file=x::pwned.md"
HOSTILE_POLICY = """\
    ---
    id: odd
    title: Odd
    version: "1.0"
    status: approved
    owner: "carol\\r\\n::error::pwned 50%, x:y"
    approved: {by: siro, on: 2026-01-10}
    claims:
      - id: OD-1
        says: Something.
        meets: [dspt:1.1.1]
    ---
    # Odd
    """
COMMAND = re.compile(r"^::(error|warning|notice) file=([^,:]*),line=(\d+),col=(\d+),"
                     r"title=([A-Z]{2}\d{3})::(.*)$")


def unescape_property(text: str) -> str:
    """What the runner does (actions/runner ActionCommand.UnescapeProperty)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def unescape_data(text: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def check(capsys, *argv: str) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = main(["check", "--format", "github", *argv])
    return code, capsys.readouterr().out.splitlines()


def test_the_example_as_annotations(capsys):
    code, lines = check(capsys, "--repo", str(ROOT), "--as-of", "2026-11-22")
    assert code == 0
    assert lines[:3] == [
        "::notice file=evidence/registers/people.yaml,line=7,col=5,title=OW101::tom-hughes owns "
        "26 of 43 claims (60%25), over the 50%25 limit",
        "::warning file=evidence/registers/suppliers.yaml,line=49,col=5,title=DM102::supplier "
        "'Fernhill IT Services' handles patient data (recorded as processes_patient_data: true) "
        "but its sub-processors are not recorded (sub_processors, or [] for none)",
        "::warning file=policies/access-control.md,line=10,col=5,title=CL102::claim AC-1: newest "
        "passing evidence EV-2026-016 (2026-06-30) expired on 2026-09-28 (evidence_every 90d)",
    ]
    assert lines[6] == ("0 errors, 5 findings, 1 warning, 2 waived (12 policies, 41 evidence "
                        "files; as of 2026-11-22)")
    assert lines[7].startswith("note: check.history is false")
    assert len(lines) == 8
    assert check(capsys, "--repo", str(ROOT), "--as-of", "2026-11-22", "--strict")[0] == 1


def test_hostile_paths_and_messages_stay_one_annotation_each(repo, capsys):
    repo.write(HOSTILE_PATH, HOSTILE_POLICY)
    code, lines = check(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01")
    assert code == 1  # RF004 is an error: the exit code is the text format's
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 2 and len(lines) == 4
    parsed = [COMMAND.match(line) for line in commands]
    assert all(parsed), commands
    error, finding = parsed
    assert error[1] == "error" and error[5] == "RF004"
    assert finding[1] == "warning" and finding[5] == "CL101"
    assert commands[0].startswith("::error file=policies/a%2Cb%3A 100%25%0A%3A%3Aerror "
                                  "file=x%3A%3Apwned.md,line=6,col=1,title=RF004::")
    # the runner gets back exactly the path and the message
    assert unescape_property(error[2]) == HOSTILE_PATH
    assert unescape_data(error[6]) == ("policy odd is owned by 'carol\r\n::error::pwned 50%, x:y', "
                                       "who is not in the people register or a role in "
                                       "organisation.yaml")
    assert (error[3], error[4]) == ("6", "1")


@pytest.mark.parametrize("raw", ["50%", "a\r\nb", "%0A", "x::y,z", "100%25", "tab\there"])
def test_escaping_round_trips(raw):
    assert "\n" not in escape_data(raw) and "\r" not in escape_data(raw)
    prop = escape_property(raw)
    assert not set(prop) & {":", ",", "\n", "\r"}
    if "\t" not in raw:
        assert unescape_data(escape_data(raw)) == raw
        assert unescape_property(prop) == raw
    else:  # other control characters are shown, never printed raw into the log
        assert escape_data(raw) == "tab\\x09here"


def test_severities_map_to_error_warning_notice():
    assert annotation(Severity.ERROR, "a.md", 1, 2, "PD001", "m") == \
        "::error file=a.md,line=1,col=2,title=PD001::m"
    assert annotation(Severity.FINDING, "a.md", 1, 2, "CL102", "m").startswith("::warning ")
    assert annotation(Severity.WARNING, "a.md", 1, 2, "EV101", "m").startswith("::notice ")
