"""The docs stay in step with the code."""

from __future__ import annotations

import json
import re

from conftest import ROOT
from dsptkit.rules import REGISTRY
from dsptkit.schema import schema_names


def test_readme_rule_table_lists_every_rule_as_registered():
    readme = (ROOT / "README.md").read_text()
    rows = re.findall(r"^\| ([A-Z]{2}\d{3}) \| `([^`]+)` \| (\w+) \| (.+) \|$", readme, re.M)
    assert rows == [(r.code, r.name, r.severity.value, r.summary) for r in REGISTRY.all()]


def test_every_rule_has_a_summary_and_an_explanation():
    for rule in REGISTRY.all():
        assert rule.summary.endswith("."), rule.code
        assert len(rule.doc) > 40, f"{rule.code} needs a fuller explanation"


def test_every_yaml_schema_is_mapped_for_editors():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    mapped = {path.split("/")[-1].removesuffix(".schema.json") for path in settings["yaml.schemas"]}
    assert mapped == set(schema_names()) - {"policy", "evidence"}  # front matter: see format.md
    for path in settings["yaml.schemas"]:
        assert (ROOT / path).is_file()


def test_schemas_are_json_schema_2020_12():
    for name in schema_names():
        schema = json.loads((ROOT / "tooling/dsptkit/schemas" / f"{name}.schema.json").read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert schema["type"] == "object"


def test_format_doc_has_a_complete_example_of_every_file_that_passes_the_check(tmp_path, capsys):
    from dsptkit.main import main

    text = (ROOT / "docs" / "format.md").read_text()
    examples = re.findall(r"<!-- example: (\S+) -->\n```(?:yaml|markdown)\n(.*?)```", text, re.S)
    paths = {path for path, _ in examples}
    assert {"organisation.yaml", "standards/dspt/catalogue.yaml", "evidence/registers/people.yaml",
            "evidence/registers/training.yaml", "evidence/registers/assets.yaml",
            "evidence/registers/suppliers.yaml", "evidence/registers/incidents.yaml"} <= paths
    assert any(p.startswith("policies/") for p in paths)
    assert any(p.startswith("evidence/2") for p in paths)
    for path, body in examples:
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body)
    code = main(["check", "--repo", str(tmp_path), "--as-of", "2026-11-01", "--select", "FM,SC,RF"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.startswith("0 errors, 0 findings, 0 warnings")
