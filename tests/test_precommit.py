"""The real pre-commit, driving the project's own hook configuration in a temporary git repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True,
                          check=False)


@pytest.fixture
def hooked_repo(repo, git_env):
    """The tiny repository as a git repo with the project's pre-commit hook installed."""
    if not PRE_COMMIT.exists():
        pytest.fail(f"pre-commit is not installed beside {sys.executable}; run 'make install'")
    root = repo.root
    shutil.copy(ROOT / ".pre-commit-config.yaml", root)
    (root / "tooling").mkdir()
    shutil.copy(ROOT / "tooling" / "pre-commit-dspt", root / "tooling")
    env = dict(git_env)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    assert git(root, env, "init", "-q", "-b", "main").returncode == 0
    installed = subprocess.run([str(PRE_COMMIT), "install"], cwd=root, env=env,
                               capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stderr
    assert git(root, env, "add", "-A").returncode == 0
    first = git(root, env, "commit", "-q", "-m", "Clean repository")
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, env


def test_a_commit_with_broken_evidence_is_refused_with_the_message(hooked_repo):
    repo, env = hooked_repo
    repo.write("evidence/2026/backup.md", "---\nid: EV-2\ntitle: Restore test\n"
                                          "collected: 2026-13-45\nby: bob\nsupports: [GV-1]\n"
                                          "outcome: pass\n---\n")
    git(repo.root, env, "add", "-A")
    done = git(repo.root, env, "commit", "-m", "Add restore test")
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "dspt check (policies, evidence, patient data)" in output and "Failed" in output
    assert ("evidence/2026/backup.md:4:1: SC001 'collected' is '2026-13-45', which is not a real "
            "date") in output
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 1


def test_a_good_commit_goes_through(hooked_repo):
    repo, env = hooked_repo
    repo.write("evidence/2026/backup.md", "---\nid: EV-2\ntitle: Restore test\n"
                                          "collected: 2026-06-20\nby: bob\nsupports: [GV-1]\n"
                                          "outcome: pass\n---\n")
    git(repo.root, env, "add", "-A")
    done = git(repo.root, env, "commit", "-m", "Add restore test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 2


def test_the_hook_definition_for_other_repositories_is_valid():
    done = subprocess.run([str(PRE_COMMIT), "validate-manifest", ".pre-commit-hooks.yaml"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    done = subprocess.run([str(PRE_COMMIT), "validate-config", ".pre-commit-config.yaml"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
