"""dspt catalogue diff OLD NEW: what a new edition changes, read as dspt check reads it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, Run
from dsptkit.main import main

OLD = """\
    framework: dspt
    title: Data Security and Protection Toolkit
    edition: 2024-25 (v7)
    standards:
      - id: "1"
        title: Personal confidential data
        assertions:
          - id: "1.1"
            title: Lawful use
            items:
              - id: "1.1.1"
                title: ICO registration
                levels: {"3": optional}
              - id: "1.1.2"
                title: Asset register
                levels: {"3": approaching}
                evidence_every: 1y
              - id: "1.1.3"
                title: Privacy notices
                levels: {"3": met, "4": met}
              - id: "1.1.4"
                title: Record of processing
                levels: {"3": met}
                evidence_every: 1y
          - id: "1.2"
            title: Rights
            items:
              - id: "1.2.9"
                title: Withdrawn item
                levels: {"3": approaching}
    """

NEW = """\
    framework: dspt
    title: Data Security and Protection Toolkit
    edition: 2025-26 (v8)
    standards:
      - id: "1"
        title: Personal confidential data
        assertions:
          - id: "1.1"
            title: Lawful use
            items:
              - id: "1.1.1"
                title: ICO registration
                levels: {"3": met, "4": approaching}
              - id: "1.1.2"
                title: Asset register
                levels: {"3": approaching}
                evidence_every: 6m
              - id: "1.1.3"
                title: Consent to share is recorded
                levels: {"3": met, "4": met}
              - id: "1.1.4"
                title: Record of processing
                levels: {"3": met}
                evidence_every: 12m
          - id: "1.2"
            title: Rights
            items:
              - id: "1.2.10"
                title: Tenth item
                levels: {"3": met}
              - id: "1.2.2"
                title: Second item
                levels: {"4": optional}
    """


def write(tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def dspt(capsys, *argv: str) -> Run:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def dspt_process(*argv: str, cwd=None) -> Run:
    """The installed command in its own process, to see exactly what a user sees."""
    done = subprocess.run([sys.executable, "-m", "dsptkit", *argv], capture_output=True,
                          text=True, cwd=cwd)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def editions(tmp_path):
    return write(tmp_path, "v7.yaml", OLD), write(tmp_path, "v8.yaml", NEW)


def test_diff_lists_every_kind_of_change_in_catalogue_order(capsys, editions):
    old, new = editions
    run = dspt(capsys, "catalogue", "diff", old, new)
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.lines[:3] == [f"Catalogue change {old} → {new}",
                             "Edition: 2024-25 (v7) → 2025-26 (v8)",
                             "Items: 5 → 6"]
    assert "Deadline" not in run.out  # neither file states a cycle
    text = run.out.split("\n\n", 1)[1]
    assert text.splitlines() == [
        "Items added (2):",
        "  dspt:1.2.2 Second item — 4: optional",  # 1.2.2 before 1.2.10, by number
        "  dspt:1.2.10 Tenth item — 3: met",
        "",
        "Items removed (1):",
        "  dspt:1.2.9 Withdrawn item — was 3: approaching",
        "",
        "Levels changed (1):",
        "  dspt:1.1.1 ICO registration — 3: optional → met; 4: (not asked) → approaching",
        "",
        "Cadence changed (evidence_every) (1):",  # 1y → 12m is the same cadence: not listed
        "  dspt:1.1.2 Asset register — 1y → 6m",
        "",
        "Re-read: same ID, but what is asked may have changed (1):",
        "  dspt:1.1.3 Consent to share is recorded",
        "      title was: Privacy notices",
        "",
        "Next: Re-read the items listed against the official edition; update claims that meet "
        "removed items (dspt check reports them as RF002); claim items that became mandatory "
        "(CO101); check evidence against the new cadences (CL105); then run dspt check and "
        "dspt status.",
    ]


def test_json_is_a_stable_object(capsys, editions):
    old, new = editions
    run = dspt(capsys, "catalogue", "diff", old, new, "--format", "json")
    assert run.code == 0, run.err
    data = json.loads(run.out)
    assert list(data) == ["format_version", "old", "new", "added", "removed", "level_changed",
                          "cadence_changed", "reread"]
    assert data["format_version"] == 1
    assert data["old"] == {"path": old, "framework": "dspt",
                           "title": "Data Security and Protection Toolkit",
                           "edition": "2024-25 (v7)", "opens": None, "deadline": None,
                           "published": {}, "positions": {}, "items": 5}
    assert [item["ref"] for item in data["added"]] == ["dspt:1.2.2", "dspt:1.2.10"]
    assert data["added"][1] == {"ref": "dspt:1.2.10", "title": "Tenth item",
                                "levels": {"3": "met"}, "evidence_every": None, "answer": None,
                                "not_applicable": False}
    assert [item["ref"] for item in data["removed"]] == ["dspt:1.2.9"]
    assert data["level_changed"] == [{"ref": "dspt:1.1.1", "title": "ICO registration",
                                      "levels": {"3": {"old": "optional", "new": "met"},
                                                 "4": {"old": None, "new": "approaching"}}}]
    assert data["cadence_changed"] == [{"ref": "dspt:1.1.2", "title": "Asset register",
                                        "evidence_every": {"old": "1y", "new": "6m"}}]
    assert data["reread"] == [{"ref": "dspt:1.1.3", "title": "Consent to share is recorded",
                               "changes": {"title": {"old": "Privacy notices",
                                                     "new": "Consent to share is recorded"}}}]


def test_one_category_shows_only_its_levels(capsys, editions):
    old, new = editions
    run = dspt(capsys, "catalogue", "diff", old, new, "--category", "4")
    assert run.code == 0, run.err
    assert "  dspt:1.1.1 ICO registration — 4: (not asked) → approaching" in run.lines
    assert "  dspt:1.2.10 Tenth item — 4: (not asked)" in run.lines
    assert "3:" not in run.out
    data = json.loads(dspt(capsys, "catalogue", "diff", old, new, "--category", "3",
                           "--format", "json").out)
    assert data["level_changed"][0]["levels"] == {"3": {"old": "optional", "new": "met"}}
    assert data["added"][0]["levels"] == {"3": None}


def test_cycle_published_counts_answer_and_not_applicable(capsys, tmp_path):
    edition = """\
        framework: dspt
        edition: {edition}
        cycle: {{opens: {opens}, deadline: {deadline}}}
        published:
          "3": {{met: {met}, approaching: 26, items: null, source: "[V-2nd] test"}}
          "4": {{met: 29, approaching: null, items: 45, source: "[V-ds] test"}}
        standards:
          - id: "1"
            title: Personal confidential data
            assertions:
              - id: "1.4"
                title: Retention
                items:
                  - id: "1.4.3"
                    title: Destruction of records
                    levels: {{"3": optional}}
                    {extra}
        """
    old = write(tmp_path, "old.yaml", edition.format(
        edition="2024-25 (v7)", opens="2024-09-01", deadline="2025-06-30", met=42,
        extra="answer: yes-no"))
    new = write(tmp_path, "new.yaml", edition.format(
        edition="2025-26 (v8)", opens="2025-09-01", deadline="2026-06-30", met=45,
        extra='answer: document\n                    not_applicable: {source: "[V-off] N131"}'))
    run = dspt(capsys, "catalogue", "diff", old, new)
    assert run.code == 0, run.err
    assert run.lines[1:6] == ["Edition: 2024-25 (v7) → 2025-26 (v8)",
                              "Deadline: 2025-06-30 → 2026-06-30",
                              "Published counts:",
                              "  category 3: mandatory for Standards Met 42 → 45",
                              "Items: 1 (unchanged)"]  # category 4's counts are the same
    assert run.out.split("\n\n")[1].splitlines() == [
        "Re-read: same ID, but what is asked may have changed (1):",
        "  dspt:1.4.3 Destruction of records",
        "      answer: yes-no → document",
        "      not applicable: not allowed → allowed",
    ]
    data = json.loads(dspt(capsys, "catalogue", "diff", old, new, "--format", "json").out)
    assert data["new"]["deadline"] == "2026-06-30" and data["new"]["opens"] == "2025-09-01"
    assert data["new"]["published"]["3"] == {"met": 45, "approaching": 26, "items": None}
    assert data["reread"][0]["changes"] == {"answer": {"old": "yes-no", "new": "document"},
                                            "not_applicable": {"old": False, "new": True}}


def test_the_shipped_catalogue_against_itself_has_no_differences(capsys):
    catalogue = str(ROOT / "standards/dspt/catalogue.yaml")
    run = dspt(capsys, "catalogue", "diff", catalogue, catalogue)
    assert run.code == 0, run.err
    assert run.err == ""
    assert "No differences in items, levels, cadences, titles or answers." in run.lines
    assert run.lines[-1].startswith("Next: nothing to re-read")
    data = json.loads(dspt(capsys, "catalogue", "diff", catalogue, catalogue,
                           "--format", "json").out)
    assert data["old"] == data["new"]
    assert data["new"]["items"] > 40
    assert not any(data[key] for key in ("added", "removed", "level_changed",
                                         "cadence_changed", "reread"))


def test_a_broken_catalogue_is_named_with_its_line_and_nothing_is_compared(tmp_path, editions):
    old, _ = editions
    broken = tmp_path / "broken.yaml"
    broken.write_text('framework: dspt\nstandards:\n  - id: "1"\n    title: T\n'
                      "    assertions: 5\n")
    run = dspt_process("catalogue", "diff", old, "broken.yaml", cwd=tmp_path)
    assert run.code == 1
    assert run.out == ""
    assert run.err.splitlines() == [
        "broken.yaml:5:5: SC001 'standards[0].assertions' must be a list, got a whole number 5",
        "dspt: error: broken.yaml is not a valid catalogue (see above); nothing compared"]
    unparsable = tmp_path / "unparsable.yaml"
    unparsable.write_text("framework: dspt\nstandards: [\n")
    run = dspt_process("catalogue", "diff", "unparsable.yaml", old, cwd=tmp_path)
    assert run.code == 1
    assert run.err.startswith("unparsable.yaml:3:1: ")
    assert "Traceback" not in run.err


def test_a_file_that_is_missing_or_not_a_catalogue_file(tmp_path, editions):
    old, _ = editions
    run = dspt_process("catalogue", "diff", old, "no-such.yaml", cwd=tmp_path)
    assert (run.code, run.out) == (1, "")
    assert run.err == "dspt: error: no-such.yaml: cannot be read: No such file or directory\n"
    run = dspt_process("catalogue", "diff", str(tmp_path), old)
    assert run.code == 1
    assert "is a folder; give the catalogue file" in run.err
    assert "Traceback" not in run.err


def test_usage_errors_and_help(capsys):
    run = dspt_process("catalogue", "diff", "only-one.yaml")
    assert run.code == 2
    assert "the following arguments are required: NEW" in run.err
    assert dspt_process("catalogue", "diff", "a", "b", "--category", "1").code == 2
    assert dspt_process("catalogue").code == 2
    with pytest.raises(SystemExit) as stop:
        main(["catalogue", "--help"])
    assert stop.value.code == 0
    assert "diff" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["catalogue", "diff", "--help"])
    out = capsys.readouterr().out
    assert "usage: dspt catalogue diff" in out
    for words in ("OLD", "NEW", "--format", "--category", "re-read", "Exit codes"):
        assert words in out


def test_changes_to_what_a_level_needs_and_to_exemptions_are_listed(tmp_path, capsys):
    from dsptkit.main import main

    real = (Path(__file__).resolve().parents[2] / "standards/dspt/catalogue.yaml").read_text()
    old = tmp_path / "old.yaml"
    old.write_text(real)
    new = tmp_path / "new.yaml"
    new.write_text(real.replace("once: true", "once: false", 1)
                   .replace("exempt_by: [ce-plus]", "exempt_by: []", 1))
    assert main(["catalogue", "diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "What each level needs:\n  category 3 approaching: items: approaching, plan: action, " \
           "publishable once → items: approaching, plan: action\n" in out
    assert "      exempt with: ce-plus → none\n" in out
    assert "; read what each level now needs (dspt status states the level); " in out
