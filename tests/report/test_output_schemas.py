"""Every JSON output has a format_version and a published JSON Schema (draft 2020-12) that
its real output, from the real commands, passes with format checking; every key the output
has is described in the schema; docs/outputs.md lists them all."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from conftest import ROOT
from dsptkit import SCHEMA_BASE_URL
from dsptkit.main import main
from rules.builders import evidence

SCHEMAS = ROOT / "tooling" / "dsptkit" / "schemas" / "output"
OUTPUTS = ("check", "status", "rules", "diff", "history", "catalogue-diff", "submission",
           "snapshot", "scope", "due")
AS_OF = "2026-11-22"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))


def _closed(node):  # type: ignore[no-untyped-def]
    """The schema with every described object closed: a key the schema does not describe
    fails, so the schemas cannot fall behind the outputs."""
    if isinstance(node, dict):
        node = {key: _closed(value) for key, value in node.items()}
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_closed(value) for value in node]
    return node


def problems(name: str, data, strict: bool = True) -> list[str]:  # type: ignore[no-untyped-def]
    spec = _closed(schema(name)) if strict else schema(name)
    validator = Draft202012Validator(spec, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in validator.iter_errors(data)]


def assert_valid(name: str, data) -> None:  # type: ignore[no-untyped-def]
    assert data["format_version"] == 1
    assert next(iter(data)) == "format_version"  # first, where a reader looks for it
    found = problems(name, data)
    assert found == [], f"{name} output does not match {name}.schema.json:\n" + "\n".join(found[:20])


def run_json(capsys, *argv: str):  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr().out
    assert code in (0, 1), out
    return json.loads(out)


# -- the schemas themselves ---------------------------------------------------------------------

def test_every_output_has_a_schema_and_no_schema_is_left_over():
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(f"{n}.schema.json" for n in OUTPUTS)


@pytest.mark.parametrize("name", OUTPUTS)
def test_schema_is_2020_12_with_its_published_id(name):
    spec = schema(name)
    Draft202012Validator.check_schema(spec)
    assert spec["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert spec["$id"] == f"{SCHEMA_BASE_URL}output/{name}.schema.json"
    # the $id is the file's own published path: the base is the package's schemas folder
    assert SCHEMA_BASE_URL.endswith("/main/tooling/dsptkit/schemas/")
    assert spec["properties"]["format_version"]["const"] == 1
    assert "format_version" in spec["required"]


def _undescribed(node, where: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    missing = []
    if isinstance(node, dict):
        for key, sub in node.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{where}/{key}")
        for i, sub in enumerate(node.get("prefixItems", [])):
            if "description" not in sub:
                missing.append(f"{where}/{i}")
        for key, value in node.items():
            missing += _undescribed(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            missing += _undescribed(value, f"{where}/{i}")
    return missing


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_property_is_described(name):
    assert _undescribed(schema(name)) == []
    assert schema(name)["description"]


def test_docs_list_every_output_and_its_schema():
    text = (ROOT / "docs" / "outputs.md").read_text("utf-8")
    for name in OUTPUTS:
        link = f"../tooling/dsptkit/schemas/output/{name}.schema.json"
        assert f"]({link})" in text, f"docs/outputs.md does not link {link}"
        assert (ROOT / "docs" / link).resolve().is_file()
    assert "format_version" in text


# -- real outputs -------------------------------------------------------------------------------

def test_check_json(capsys, repo):
    data = run_json(capsys, "check", "--format", "json", "--repo", str(ROOT), "--as-of", AS_OF)
    assert data["waived"] and data["results"]
    assert_valid("check", data)
    # a broken repository: errors, skipped rules, a result with no subject
    repo.write("policies/broken.md", "no front matter\n")
    repo.write("evidence/2026/x y.md", "---\nid: [unclosed\n---\n")
    data = run_json(capsys, "check", "--format", "json", "--repo", str(repo.root))
    assert data["summary"]["errors"] == 2 and data["skipped_rules"]
    assert_valid("check", data)


def test_a_wrong_output_fails_its_schema(capsys):
    """The validation can fail: a planted wrong value, a missing key, an undescribed key or
    the wrong format_version are each caught."""
    good = run_json(capsys, "check", "--format", "json", "--repo", str(ROOT), "--as-of", AS_OF)
    assert problems("check", good) == []
    for path, value in ((("results", 0, "severity"), "fatal"), (("as_of",), "22/11/2026"),
                        (("results", 0, "line"), 0), (("format_version",), 2),
                        (("summary", "errors"), "0")):
        bad = copy.deepcopy(good)
        target = bad
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert problems("check", bad), f"{path} = {value!r} passed"
    missing = copy.deepcopy(good)
    del missing["results"][0]["subject"]
    assert problems("check", missing)
    extra = copy.deepcopy(good)
    extra["results"][0]["undocumented"] = True
    assert problems("check", extra)  # the test's strict reading: every key described
    assert problems("check", extra, strict=False) == []  # the published schema: additive is fine


def test_status_json(capsys, repo):
    for argv in (("--repo", str(ROOT), "--as-of", AS_OF), ("--repo", str(ROOT), "--as-of", "2027-05-15"),
                 ("--repo", str(repo.root), "--as-of", "2026-07-01")):
        assert_valid("status", run_json(capsys, "status", "--format", "json", *argv))
    repo.write("organisation.yaml", "name: [broken\n")  # nothing can be known
    data = run_json(capsys, "status", "--format", "json", "--repo", str(repo.root))
    assert data["organisation"] is None
    assert_valid("status", data)


def test_rules_json(capsys):
    data = run_json(capsys, "rules", "--format", "json")
    assert len(data["rules"]) > 50
    assert_valid("rules", data)
    one = run_json(capsys, "rules", "CL102", "--format", "json")
    assert [r["code"] for r in one["rules"]] == ["CL102"]
    assert one["rules"][0]["help_uri"].endswith("/docs/rules.md#cl102")
    assert_valid("rules", one)


def test_diff_and_history_json(capsys, git_repo):
    git_repo.git("checkout", "-q", "-b", "change")
    text = (git_repo.root / "policies/governance.md").read_text()
    git_repo.write("policies/governance.md", text.replace('version: "1.0"', 'version: "1.1"')
                   .replace("on: 2026-01-10", "on: 2026-06-20")
                   .replace("meets: [dspt:1.1.1]", "meets: [dspt:1.1.2]"))
    git_repo.write("evidence/2026/e2.md", evidence(id="EV-2", collected="2026-06-15"))
    git_repo.write("policies/broken.md", "no front matter\n")
    git_repo.commit("Change", date="2026-06-20")
    where = ("--repo", str(git_repo.root), "--as-of", "2026-07-01")
    data = run_json(capsys, "diff", "main", "change", "--format", "json", *where)
    assert data["items"] and data["new_results"] and data["new_errors"] == 1
    assert_valid("diff", data)
    assert_valid("diff", run_json(capsys, "diff", "HEAD", "WORKTREE", "--format", "json", *where))
    for by in ("month", "commit"):
        data = run_json(capsys, "history", "--by", by, "--format", "json", *where)
        assert data["rows"]
        assert_valid("history", data)


def test_catalogue_diff_json(capsys, repo):
    example = str(ROOT / "standards" / "dspt" / "catalogue.yaml")
    tiny = str(repo.root / "standards" / "dspt" / "catalogue.yaml")
    text = Path(example).read_text("utf-8")
    changed = repo.write("new.yaml", text.replace("evidence_every: 1y", "evidence_every: 6m", 1)
                         .replace("answer: yes-no", "answer: text", 1))
    for argv in ((example, tiny), (tiny, example), (example, str(changed)),
                 (example, str(changed), "--category", "3")):
        data = run_json(capsys, "catalogue", "diff", *argv, "--format", "json")
        assert_valid("catalogue-diff", data)
    assert data["cadence_changed"] and data["reread"]


def test_submission_json(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["export", str(out), "--repo", str(ROOT), "--as-of", AS_OF]) == 0
    capsys.readouterr()
    data = json.loads((out / "submission.json").read_text("utf-8"))
    assert data["action_plan"] and any(i["documents"] for i in data["items"])
    assert_valid("submission", data)
    golden = json.loads((ROOT / "tests" / "golden" / "export" / "submission.json").read_text())
    assert_valid("submission", golden)


def test_snapshot_record(git_repo):
    run = git_repo.dspt("snapshot", "2026-27", "--as-of", "2026-07-01", "--repo",
                        str(git_repo.root))
    assert run.code == 0, run.err
    record = json.loads((git_repo.root / "snapshots" / "2026-27.json").read_text("utf-8"))
    assert {"evidence", "policy", "input"} <= {key for m in record["manifest"] for key in m}
    assert_valid("snapshot", record)


def test_sarif_and_github_are_not_json_outputs_of_ours():
    """SARIF follows its own standard (tests/report/test_sarif.py); the rest are listed."""
    text = (ROOT / "docs" / "outputs.md").read_text("utf-8")
    assert re.search(r"SARIF 2\.1\.0", text) and "--format github" in text
