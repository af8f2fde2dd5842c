"""The CI workflow `dspt init` gives an organisation: valid, and every command it runs works."""

from __future__ import annotations

import re
import shlex

import yaml

from conftest import ROOT
from dsptkit.main import build_parser

WORKFLOW = ROOT / "tooling/dsptkit/templates/repo/github/workflows/dspt.yml"


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def commands() -> list[str]:
    runs = [step["run"] for job in workflow()["jobs"].values() for step in job["steps"]
            if "run" in step]
    found = []
    for run in runs:
        for part in re.split(r"\|\||&&|>", run):
            part = part.strip()
            if part.startswith(("dspt ", "mkdocs ")):
                found.append(part)
    return found


def test_the_workflow_runs_on_pull_requests_main_and_a_daily_schedule():
    on = workflow()[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert on["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]
    steps = workflow()["jobs"]["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif")
               for step in steps)


def test_every_command_in_the_workflow_exists():
    parser = build_parser()
    names = commands()
    assert {"dspt check --format sarif", "dspt check", "mkdocs build --strict"} <= set(names)
    for command in names:
        if command.startswith("dspt "):
            argv = shlex.split(command.replace("${{ github.base_ref }}", "main"))[1:]
            parser.parse_args(argv)  # exits 2 on an unknown command or option


def test_the_workflow_commands_work_on_the_example(capsys, tmp_path):
    from dsptkit.main import main

    assert main(["check", "--format", "sarif", "--repo", str(ROOT)]) in (0, 1)
    assert '"version": "2.1.0"' in capsys.readouterr().out
    assert main(["check", "--repo", str(ROOT)]) == 0
    capsys.readouterr()
    assert main(["diff", "HEAD", "HEAD", "--format", "markdown", "--repo", str(ROOT)]) == 0
    assert capsys.readouterr().out.startswith("### DSPT compliance: `HEAD` → `HEAD`")


def test_init_installs_the_workflow(tmp_path, capsys):
    from dsptkit.main import main

    assert main(["init", str(tmp_path / "org"), "--name", "N", "--category", "3",
                 "--no-git"]) == 0
    assert (tmp_path / "org/.github/workflows/dspt.yml").read_bytes() == WORKFLOW.read_bytes()


def test_the_workflow_publishes_only_the_public_portal():
    """The portal job builds with DSPT_PORTAL_PUBLIC set, so the dspt plugin refuses an
    internal build (restricted evidence, staff records) even if mkdocs.yml asks for one."""
    assert "DSPT_PORTAL_INTERNAL" not in WORKFLOW.read_text()
    steps = workflow()["jobs"]["portal"]["steps"]
    builds = [step for step in steps if step.get("run", "").startswith("mkdocs build")]
    assert len(builds) == 1 and builds[0]["env"] == {"DSPT_PORTAL_PUBLIC": "1"}
