"""dspt check --format sarif: valid SARIF 2.1.0 (the OASIS schema, with format checking) that
GitHub code scanning reads as intended: encoded URIs, rule help links, stable fingerprints."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import FormatChecker
from jsonschema.validators import validator_for

import dsptkit
from conftest import ROOT
from dsptkit.main import main
from dsptkit.model import Loc, Severity
from dsptkit.report.sarif import fingerprints, uri
from dsptkit.rules import REGISTRY, Result

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
HOSTILE_NAME = "policies/remote working #2 é.md"
HOSTILE_POLICY = """\
    ---
    id: remote-working
    title: Remote working
    version: "1.0"
    status: approved
    owner: siro
    approved: {by: siro, on: 2026-01-10}
    claims:
      - id: RW-1
        says: Laptops are encrypted.
        meets: [dspt:1.1.1]
    ---
    # Remote working
    """


def validate_sarif(data: dict) -> list[str]:
    cls = validator_for(SARIF_SCHEMA)
    validator = cls(SARIF_SCHEMA, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(data)]


def sarif(capsys, *argv: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(["check", "--format", "sarif", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_the_example_is_valid_sarif_2_1_0(capsys):
    code, data = sarif(capsys, "--repo", str(ROOT), "--as-of", "2026-11-22")
    assert code == 0
    assert validate_sarif(data) == []
    run = data["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["informationUri"] == dsptkit.PROJECT_URL == "https://github.com/dsptkit/dsptkit"
    assert driver["version"] == dsptkit.__version__
    for rule in driver["rules"]:
        assert rule["helpUri"] == f"{dsptkit.DOCS_URL}rules.md#{rule['id'].lower()}"
        assert rule["help"]["markdown"].endswith(f"({rule['helpUri']})")
    cl102 = next(r for r in driver["rules"] if r["id"] == "CL102")
    assert cl102["helpUri"] == "https://github.com/dsptkit/dsptkit/blob/main/docs/rules.md#cl102"
    assert run["originalUriBaseIds"]["SRCROOT"]["description"]["text"].startswith("the repository")
    assert [r["ruleId"] for r in run["results"]] == ["OW101", "DM102", "CL102", "PO101", "CA101",
                                                     "CA102"]
    assert run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"].startswith(
        "check.history is false")


def test_the_schema_check_can_fail():
    """The validation above is real: a space in a URI, a missing version or a bad level fail."""
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{
        "message": {"text": "m"}, "level": "warning",
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a%20b.md"}}}]}]}]}
    assert validate_sarif(good) == []
    spaced = copy.deepcopy(good)
    spaced["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"][
        "uri"] = "a b.md"
    assert any("uri" in e for e in validate_sarif(spaced))
    level = copy.deepcopy(good)
    level["runs"][0]["results"][0]["level"] = "finding"
    assert validate_sarif(level)
    del good["version"]
    assert validate_sarif(good)


def test_uris_are_relative_and_percent_encoded(repo, capsys):
    repo.write(HOSTILE_NAME, HOSTILE_POLICY)
    code, data = sarif(capsys, "--repo", str(repo.root), "--as-of", "2026-07-01")
    assert code == 0
    assert validate_sarif(data) == []
    [result] = [r for r in data["runs"][0]["results"] if r["ruleId"] == "CL101"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "policies/remote%20working%20%232%20%C3%A9.md", "uriBaseId": "SRCROOT"}
    assert location["region"] == {"startLine": 9, "startColumn": 5}


@pytest.mark.parametrize("path,encoded", [
    ("policies/a b.md", "policies/a%20b.md"),
    ("evidence/2026/#1.md", "evidence/2026/%231.md"),
    ("evidence/café/ü.md", "evidence/caf%C3%A9/%C3%BC.md"),
    ("policies/100%.md", "policies/100%25.md"),
    ("a:b/c?d.md", "a%3Ab/c%3Fd.md"),  # never read as a scheme or a query
    ("policies/plain-name_1.0~x.md", "policies/plain-name_1.0~x.md"),
    ("evidence/\udcff.md", "evidence/%FF.md"),  # an undecodable byte in a file name, kept
])
def test_uri_encoding(path, encoded):
    assert uri(path) == encoded


def _fingerprint(capsys, root, as_of: str, code: str) -> tuple[str, str]:
    _, data = sarif(capsys, "--repo", str(root), "--as-of", as_of)
    [result] = [r for r in data["runs"][0]["results"] if r["ruleId"] == code]
    return result["message"]["text"], result["partialFingerprints"]["dsptkit/v1"]


def test_fingerprints_hold_across_days_while_the_message_changes(repo, capsys):
    # training lapses over time: the message's date, counts and percentage change daily
    before = _fingerprint(capsys, repo.root, "2027-02-02", "RG101")
    after = _fingerprint(capsys, repo.root, "2027-02-20", "RG101")
    assert before[0].startswith("1 of 2 current people (50%) completed training since 2026-02-02")
    assert after[0].startswith("0 of 2 current people (0%) completed training since 2026-02-20")
    assert before[1] == after[1]
    assert len(before[1]) == 64 and int(before[1], 16) >= 0


def test_fingerprints_come_from_rule_file_and_subject_only():
    def result(code="CL102", path="policies/a.md", line=10, message="m", subject="AC-1"):
        return Result(code, REGISTRY[code].severity, Loc(path, line, 5), message, subject)

    [base] = fingerprints([result()])
    assert fingerprints([result(line=99, message="expired 400 days ago")]) == [base]
    assert fingerprints([result(subject="AC-2")]) != [base]
    assert fingerprints([result(path="policies/b.md")]) != [base]
    assert fingerprints([result(code="CL103")]) != [base]
    # the same rule, file and subject twice (two NHS numbers in one file): two alerts
    first, second = fingerprints([result("PD001", subject=None, line=3),
                                  result("PD001", subject=None, line=8)])
    assert first != second
    assert fingerprints([result("PD001", subject=None, line=4)]) == [first]
    assert REGISTRY["PD001"].severity is Severity.ERROR
