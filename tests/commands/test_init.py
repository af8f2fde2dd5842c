"""dspt init: a new organisation's repository that passes the check and shows every gap."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from dsptkit.main import main
from dsptkit.model import Level
from dsptkit.repository import load_repository
from test_precommit import pre_commit  # noqa: F401


def dspt(capsys, *argv):
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_scaffolds_a_repository_that_checks_clean_and_shows_every_mandatory_gap(
        tmp_path, capsys):
    target = tmp_path / "acme"
    code, out, err = dspt(capsys, "init", str(target), "--name", "Acme Care: North",
                          "--category", "3", "--ods-code", "8ab12")
    assert code == 0, err
    assert out.startswith(f"Created a dsptkit repository for Acme Care: North in {target}")
    for path in ("organisation.yaml", ".pre-commit-config.yaml", ".gitignore", "README.md",
                 "evidence/registers/people.yaml", "evidence/registers/incidents.yaml",
                 "evidence/registers/information-assets.yaml", "evidence/registers/processing.yaml",
                 "evidence/registers/data-flows.yaml", "evidence/registers/acknowledgements.yaml",
                 "policies/access-control.md", "standards/dspt/catalogue.yaml",
                 "standards/iso27001/catalogue.yaml"):
        assert (target / path).is_file(), path
    assert (target / ".git").is_dir()
    assert (target / "standards/dspt/catalogue.yaml").read_bytes() == \
        (ROOT / "standards/dspt/catalogue.yaml").read_bytes()
    organisation = (target / "organisation.yaml").read_text()
    assert 'name: "Acme Care: North"' in organisation and "ods_code: 8AB12" in organisation

    code, out, _ = dspt(capsys, "check", "--repo", str(target), "--as-of", "2026-11-22",
                        "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["summary"]["errors"] == 0
    repo = load_repository(target)
    mandatory = {ref for ref, item in repo.items.items()
                 if item.level_for("3") in (Level.MET, Level.APPROACHING)}
    reported = {item for r in data["results"] for item in r["items"]}
    assert mandatory <= reported
    # a new organisation's gaps: the untouched starter policies (one finding, naming every
    # item they claim), the profile to fill in, the data map's three starter registers not yet
    # reviewed or approved by management (DSPT 1.1.2), and the shipped catalogue (2025-26, 39
    # of the 45 category 3 items) past its cycle on this date
    assert {r["code"] for r in data["results"]} == {"PO103", "PR101", "DM107", "CA101", "CA102"}
    assert sum(1 for r in data["results"] if r["code"] == "PO103") == 1
    assert {(r["path"], r["subject"]) for r in data["results"] if r["code"] == "DM107"} == {
        ("evidence/registers/information-assets.yaml", "information_assets"),
        ("evidence/registers/processing.yaml", "processing"),
        ("evidence/registers/data-flows.yaml", "data_flows")}
    assert not [r for r in data["results"] if r["code"].startswith("DM") and r["code"] != "DM107"]


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = dspt(capsys, "init", str(tmp_path), "--name", "X", "--category", "3")
    assert code == 2
    assert err == (f"dspt: error: {tmp_path} is a folder that is not empty; dspt init only "
                   "creates a new repository in an empty or new folder (nothing was written)\n")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("argv,message", [
    (["--name", "X", "--category", "5"], "'5' is not a DSPT category; use --category with 2, 3 "
                                         "or 4"),
    (["--name", "X"], "no category given; use --category with 2, 3 or 4"),
    (["--category", "3"], "give the organisation's name with --name"),
    (["--name", "X", "--category", "3", "--ods-code", "no way!"],
     "'NO WAY!' does not look like an ODS code"),
])
def test_init_bad_options_write_nothing(tmp_path, capsys, argv, message):
    target = tmp_path / "new"
    code, _, err = dspt(capsys, "init", str(target), *argv)
    assert code == 2
    assert message in err
    assert not target.exists()


def test_init_without_git(tmp_path, capsys):
    code, _, _ = dspt(capsys, "init", str(tmp_path / "n"), "--name", "N", "--category", "4",
                      "--no-git")
    assert code == 0
    assert not (tmp_path / "n" / ".git").exists()


@pytest.mark.parametrize("tool", ["dsptkit==0.2.0", "dsptkit @ git+https://github.com/acme/dsptkit@" + "a" * 40])
def test_the_scaffolded_pre_commit_config_is_valid_for_every_supported_pre_commit(tmp_path, capsys, tool,
                                                                                  pre_commit):  # noqa: F811
    """Both forms init writes (a local python hook, the project's hook at a commit) validate with
    the oldest supported pre-commit and the current one."""
    version, bin_dir = pre_commit
    dspt(capsys, "init", str(tmp_path / "n"), "--name", "N", "--category", "3", "--no-git", "--tool", tool)
    done = subprocess.run([str(bin_dir / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
                          cwd=tmp_path / "n", capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "language: unsupported" not in (tmp_path / "n/.pre-commit-config.yaml").read_text()


def test_init_starts_on_main_whatever_the_users_default_branch(tmp_path, capsys, git_env, monkeypatch):
    """The workflow deploys from main, so the repository is on main from its first commit,
    even for a user whose git says init.defaultBranch=master."""
    (tmp_path / "gitconfig").write_text("[init]\n\tdefaultBranch = master\n")
    for name, value in git_env.items():
        monkeypatch.setenv(name, value)
    target = tmp_path / "org"
    code, out, _ = dspt(capsys, "init", str(target), "--name", "N", "--category", "3", "--tool", "dsptkit==1.0")
    assert code == 0 and "git repository initialised" in out

    def git(*args):
        return subprocess.run(["git", "-C", str(target), *args], capture_output=True, text=True, check=True,
                              env=git_env).stdout.strip()

    assert git("symbolic-ref", "HEAD") == "refs/heads/main"
    git("add", "-A")
    git("commit", "-q", "--no-verify", "-m", "First")
    assert git("branch", "--format=%(refname:short)") == "main"


def test_init_writes_every_packaged_template_with_its_dot_name(tmp_path, capsys):
    """Files packaged without a leading dot (github/, vscode/, gitignore) land as .github/,
    .vscode/, .gitignore; every template file is written."""
    from dsptkit.commands.init import FOLDERS, RENAMES
    from dsptkit.writing import TEMPLATES

    target = tmp_path / "org"
    dspt(capsys, "init", str(target), "--name", "N", "--category", "3", "--no-git", "--tool", "dsptkit==1.0")
    for source in (TEMPLATES / "repo").rglob("*"):
        if source.is_file():
            parts = source.relative_to(TEMPLATES / "repo").parts
            folders = [FOLDERS.get(parts[0], parts[0]), *parts[1:-1]] if len(parts) > 1 else []
            written = Path(*folders, RENAMES.get(parts[-1], parts[-1]))
            assert (target / written).is_file(), written
    for name in (".github/workflows/dspt.yml", ".github/dependabot.yml", ".vscode/settings.json",
                 ".gitignore", ".pre-commit-config.yaml"):
        assert (target / name).is_file(), name


def test_init_without_starter_policies(tmp_path, capsys):
    target = tmp_path / "bring-your-own"
    code, _, _ = dspt(capsys, "init", str(target), "--name", "Own Docs Ltd", "--category", "3",
                      "--no-starter", "--no-git")
    assert code == 0
    assert not list((target / "policies").glob("*.md"))
    code, out, _ = dspt(capsys, "check", "--repo", str(target), "--as-of", "2026-11-22")
    assert code == 0 and "PO103" not in out and "CO101" in out


def _uncommented(text: str) -> str:
    """A starter register with its commented example entries and approval switched on, as a
    new organisation would first edit it: each example sits just above its empty list."""
    out, entries = [], []
    for line in text.splitlines():
        if line.startswith(("#   - ", "#     ")):
            entries.append(line[1:])
        elif line.startswith(("# reviewed:", "# approved:")):
            out.append(line[2:])
        elif line.endswith(": []") and not line.startswith("#"):
            out += [line[:-3]] + entries if entries else [line]
            entries = []
        else:
            out.append(line)
    assert not entries, "an example entry is not followed by its list"
    return "\n".join(out) + "\n"


def test_the_data_map_starters_show_entries_that_link_up_once_filled_in(tmp_path, capsys):
    """The commented examples in the data map starters are real entries: switched on, they are
    valid, link to each other (a system, a supplier, an information asset, a party) and leave
    no data map gap; the approval lines silence DM107."""
    target = tmp_path / "org"
    dspt(capsys, "init", str(target), "--name", "N", "--category", "3", "--no-git")
    registers = target / "evidence" / "registers"
    for name in ("information-assets", "processing", "data-flows", "suppliers"):
        path = registers / f"{name}.yaml"
        path.write_text(_uncommented(path.read_text()))
    (registers / "assets.yaml").write_text(
        "assets:\n  - {name: Clinical system, kind: software, owner: it_lead}\n")
    code, out, _ = dspt(capsys, "check", "--repo", str(target), "--as-of", "2026-11-22",
                        "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["summary"]["errors"] == 0
    assert [r for r in data["results"] if r["code"].startswith(("DM", "SC", "FM", "RG"))] == []
    repo = load_repository(target)
    assert [a.name for a in repo.entries("information_assets")] == ["Patient records"]
    assert [a.activity for a in repo.entries("processing")] == ["Appointment booking"]
    assert [f.name for f in repo.entries("data_flows")] == ["Patients -> Clinical system"]
    assert [s.sub_processors for s in repo.entries("suppliers")][0][0].name == \
        "Example Data Centres"
