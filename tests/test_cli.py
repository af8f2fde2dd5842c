"""The command line as a user meets it: exact output, exit codes, formats, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from dsptkit.main import main
from dsptkit.rules import REGISTRY

EXAMPLE_AS_OF = "2026-11-22"


def run_example(capsys, *args):
    capsys.readouterr()
    as_of = [] if "--as-of" in args else ["--as-of", EXAMPLE_AS_OF]
    code = main([*args, "--repo", str(ROOT), *as_of])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_check_on_the_example_prints_sorted_results_and_a_summary(capsys):
    code, out, err = run_example(capsys, "check")
    assert out == (
        "evidence/registers/people.yaml:7:5: OW101 tom-hughes owns 26 of 43 claims (60%), over "
        "the 50% limit\n"
        # the example's one data map gap: Fernhill's sub-processors, asked for, awaited
        "evidence/registers/suppliers.yaml:49:5: DM102 supplier 'Fernhill IT Services' handles "
        "patient data (recorded as processes_patient_data: true) but its sub-processors are not "
        "recorded (sub_processors, or [] for none)\n"
        "policies/access-control.md:10:5: CL102 claim AC-1: newest passing evidence EV-2026-016 "
        "(2026-06-30) expired on 2026-09-28 (evidence_every 90d)\n"
        "policies/information-governance.md:6:1: PO101 policy information-governance was due for "
        "review on 2026-11-10\n"
        "standards/dspt/catalogue.yaml:38:1: CA101 This catalogue is for 2025-26 (v8), whose "
        "publication deadline was 2026-06-30; update it for the current cycle "
        "(standards/README.md).\n"
        "standards/dspt/catalogue.yaml:55:5: CA102 Standards Met for category 3 needs 45 items; "
        "this catalogue holds 39, so 6 are not in it; add the missing items in a local "
        "catalogue (standards/README.md)\n"
        "0 errors, 5 findings, 1 warning, 2 waived (12 policies, 41 evidence files; as of "
        "2026-11-22)\n"
        "note: check.history is false in organisation.yaml, so git history was not read: the "
        "history rules (HI) were not run\n"
    )
    assert (code, err) == (0, "")


def test_strict_fails_on_findings(capsys):
    code, _, _ = run_example(capsys, "check", "--strict")
    assert code == 1


def _codes(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if not line.startswith("note:")][:-1]


def test_ignore_and_select_by_code_prefix(capsys):
    _, out, _ = run_example(capsys, "check", "--ignore", "PO1,OW,CA,DM1")
    assert _codes(out) == ["CL102"]
    _, out, _ = run_example(capsys, "check", "--ignore", "PO1,OW,CA")
    assert _codes(out) == ["DM102", "CL102"]
    _, out, _ = run_example(capsys, "check", "--select", "PO1", "--ignore", "PO102")
    assert _codes(out) == ["PO101"]


def test_errors_cannot_be_switched_off(capsys, repo):
    code, _, err = run_example(capsys, "check", "--ignore", "PO")
    assert code == 2
    assert err == "dspt: error: 'PO' would switch off errors (PO001); errors cannot be ignored: " \
                  "fix them instead\n"
    # a broken file still fails a run that selects other rules only
    repo.write("policies/broken.md", "no front matter\n")
    run = repo.dspt("check", "--select", "CL")
    assert run.code == 1 and "FM" in " ".join(run.codes)
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text + "check:\n  select: [ZZ]\n  ignore: [FM]\n")
    lines = repo.dspt("check").lines
    assert "organisation.yaml:12:12: SC001 'check.select[0]': 'ZZ' matches no rule code (see " \
           "'dspt rules')" in lines, lines
    assert any(line.startswith("organisation.yaml:13:12: SC001 'check.ignore[0]': 'FM' would "
                               "switch off errors (FM001, FM002, FM003, FM004 ...)")
               for line in lines), lines
    repo.write("organisation.yaml", text + "check:\n  ignore: ['']\n")
    assert any(line.startswith("organisation.yaml:12:12: SC001 'check.ignore[0]' is ''")
               for line in repo.dspt("check").lines)


def test_select_and_ignore_in_organisation_yaml(repo):
    repo.remove("evidence/2026/ico.md")
    assert repo.dspt("check").codes == {"CL101"}
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text + "check:\n  ignore: [CL1]\n")
    assert repo.dspt("check").codes == set()
    assert repo.dspt("check", "--select", "CL").codes == set()  # config ignore still applies


def test_json_output(capsys):
    code, out, _ = run_example(capsys, "check", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["format_version"] == 1
    assert data["summary"] == {"errors": 0, "findings": 5, "warnings": 1, "waived": 2}
    assert data["results"][2] == {
        "code": "CL102", "name": "claim.evidence-stale", "severity": "finding",
        "path": "policies/access-control.md", "line": 10, "col": 5,
        "message": "claim AC-1: newest passing evidence EV-2026-016 (2026-06-30) expired on "
                   "2026-09-28 (evidence_every 90d)",
        "subject": "AC-1", "items": ["dspt:4.2.4"],
    }
    assert data["waived"][0]["waiver"]["approved_by"] == "siro"


def test_sarif_output_is_sarif_2_1_0_for_code_scanning(capsys):
    _, out, _ = run_example(capsys, "check", "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.code for r in REGISTRY.all()]
    first = run["results"][2]
    assert first["ruleId"] == "CL102"
    assert rules[first["ruleIndex"]]["id"] == "CL102"
    assert run["results"][0]["level"] == "note"  # a warning
    assert first["level"] == "warning"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "policies/access-control.md", "uriBaseId": "SRCROOT"},
        "region": {"startLine": 10, "startColumn": 5},
    }
    assert rules[first["ruleIndex"]]["helpUri"] == \
        "https://github.com/dsptkit/dsptkit/blob/main/docs/rules.md#cl102"
    assert run["tool"]["driver"]["informationUri"] == "https://github.com/dsptkit/dsptkit"
    assert list(first["partialFingerprints"]) == ["dsptkit/v1"]  # tests/report/test_sarif.py


def test_status_text_on_the_example(capsys):
    code, out, _ = run_example(capsys, "status")
    lines = out.splitlines()
    assert lines[:5] == [
        "Brightwater Health Software Ltd (ODS 8KX71) · category 3 · DSPT 2025-26 (v8)",
        "Position as of 2026-11-22: Standards Met on 39 of the 45 published items; 6 are not "
        "in this catalogue, so Standards Met cannot be confirmed.",
        "Edition: This catalogue is for 2025-26 (v8), whose publication deadline was "
        "2026-06-30; update it for the current cycle (standards/README.md).",
        "Next deadline expected 2027-06-30 (220 days left; the DSPT deadline has "
        "been 30 June each year, but this catalogue does not cover that cycle)",
        "Certificate: Cyber Essentials Plus (EV-2026-036), valid until 2027-05-14",
    ]
    assert "Standards Exceeded" not in out and "Standards Met\n" not in out
    assert "7 Continuity planning                              4/4  100%        1        0" \
           "        0" in lines
    assert "8 Unsupported systems                              3/3  100%        0        1" \
           "        0" in lines
    assert "All                                              39/39  100%" in lines
    assert "Not in this catalogue                                6   (of 45 published)" in lines
    assert lines[lines.index("Answered not applicable:") + 1].startswith("  dspt:1.4.3   ")
    assert lines[-2:] == ["At risk (evidence expiring soon):",
                          "  dspt:7.3.4   evidence expires on 2026-12-18"]
    assert code == 0


def test_status_of_the_example_before_its_certificate_and_after_it_expires(capsys):
    _, out, _ = run_example(capsys, "status", "--as-of", "2026-05-14")
    assert "Position as of 2026-05-14: Standards Not Met" in out
    _, out, _ = run_example(capsys, "status", "--as-of", "2027-05-15")
    assert "Certificate:" not in out
    assert "  dspt:4.2.4   not met  Access is removed or changed when people leave or change role" \
        in out


def test_status_json(capsys):
    _, out, _ = run_example(capsys, "status", "--format", "json")
    data = json.loads(out)
    assert data["overall"] == "Not determined"  # 6 of the 45 published items are not held
    assert data["position"]["coverage"]["met"] == {"held": 39, "published": 45, "missing": 6,
                                                   "complete": False}
    assert data["position"]["headline"] == "Standards Met on 39 of 45"
    assert data["calendar"]["deadline"] == "2027-06-30"
    assert data["calendar"]["in_cycle"] is False
    assert data["blocking"] == []
    assert data["certificates"] == {"ce-plus": {"evidence": "EV-2026-036", "expires": "2027-05-14"}}
    items = {i["ref"]: i for i in data["items"]}
    assert items["dspt:7.3.4"]["status"] == "at risk"
    assert items["dspt:8.3.8"]["status"] == "planned"
    assert items["dspt:1.1.1"]["status"] == "met"
    assert items["dspt:4.2.4"]["reason"] == ("met via Cyber Essentials Plus certificate "
                                             "(EV-2026-036, valid until 2027-05-14)")
    assert items["iso27001:A.6.2"]["status"] == "met"  # carried across from dspt:2.2.1 (equal)


def test_rules_lists_every_rule_and_explains_one(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == len(REGISTRY.all())
    assert main(["rules", "cl102"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CL102 claim.evidence-stale (finding)\n\n"
                          "What it finds\n  A claim's newest passing evidence is older than its "
                          "`evidence_every`.\n\nWhy it matters\n  Evidence freshness fails closed")
    headings = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert headings[1:] == ["What it finds", "Why it matters", "How to fix it", "Example"]
    assert out.endswith("\nExample\n    evidence_every: 90d        # newest pass collected "
                        "2026-04-01: expired on 2026-06-30\n")
    assert main(["rules", "claim.evidence-stale", "--format", "json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert list(output) == ["format_version", "rules"] and output["format_version"] == 1
    [data] = output["rules"]
    rule = REGISTRY["CL102"]
    assert data == {"code": "CL102", "name": "claim.evidence-stale", "severity": "finding",
                    "summary": rule.summary, "why": rule.why, "fix": rule.fix,
                    "example": rule.example,
                    "help_uri": "https://github.com/dsptkit/dsptkit/blob/main/docs/rules.md#cl102"}


def test_a_retired_rule_code_is_explained_not_suggested(capsys, monkeypatch):
    from dsptkit.rules import table

    monkeypatch.setitem(table.RETIRED, "CL199", "claim.example: merged into CL102")
    assert main(["rules", "CL199"]) == 2
    assert capsys.readouterr().err == ("dspt: error: rule CL199 was retired (claim.example: "
                                       "merged into CL102); its code is never reused\n")


@pytest.mark.parametrize("argv,message", [
    (["check", "--select", "XX"], "dspt: error: 'XX' matches no rule code (see 'dspt rules')\n"),
    (["rules", "CL10"], "dspt: error: no rule 'CL10' (did you mean CL105, CL104, CL103?); "
                        "'dspt rules' lists them all\n"),
    (["check", "--repo", "/no/such/dsptkit-folder"],
     "dspt: error: --repo /no/such/dsptkit-folder: no such folder\n"),
])
def test_usage_errors_exit_2_with_a_message(capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == message
    assert captured.out == ""


def test_a_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["check", "--as-of", "2026-02-30"])
    assert stop.value.code == 2
    assert "'2026-02-30' is not a date; write YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["check", "status"])
def test_an_assessment_date_the_calendar_cannot_look_ahead_from_is_a_usage_error(capsys, command):
    # the position looks a year ahead (the next deadline): from 9999-07-01 there is none
    with pytest.raises(SystemExit) as stop:
        main([command, "--as-of", "9999-07-01"])
    assert stop.value.code == 2
    assert "'9999-07-01' is after 9998-12-31" in capsys.readouterr().err


def test_outside_a_repository(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert capsys.readouterr().err == (
        f"dspt: error: {tmp_path} is not in a dsptkit repository: no organisation.yaml here or "
        "in any parent folder (create one, or pass --repo DIR)\n")


def test_check_finds_the_repository_from_a_subfolder(monkeypatch, capsys):
    monkeypatch.chdir(ROOT / "policies")
    assert main(["check", "--as-of", EXAMPLE_AS_OF]) == 0


def test_status_of_a_broken_repository_warns_and_fails(repo):
    repo.write("evidence/2026/bad.md", b"no front matter")
    run = repo.dspt("status")
    assert run.code == 1
    assert "1 error(s) in the repository; run 'dspt check'" in run.err


def test_the_installed_command_runs_without_importing_mkdocs_or_git():
    # The check runs before every commit: none of the portal's or adopt's libraries, not
    # argcomplete (only when a shell asks) and not importlib.metadata (only for --version).
    code = (
        "import sys\n"
        "from dsptkit.main import main\n"
        f"rc = main(['check', '--repo', {str(ROOT)!r}, '--as-of', '{EXAMPLE_AS_OF}'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'git', 'material', "
        "'markdown', 'jsonschema', 'nh3', 'jinja2', 'markupsafe', 'docx', 'argcomplete') "
        "or m == 'importlib.metadata')\n"
        "print('HEAVY', heavy)\n"
        "raise SystemExit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "HEAVY []"


def test_help_names_every_command():
    done = subprocess.run([sys.executable, "-m", "dsptkit", "--help"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0
    for command in ("check", "status", "rules"):
        assert command in done.stdout
