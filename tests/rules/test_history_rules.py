"""Reading git history for the HI rules: what the run says when there is none, shallow clones,
detached heads, and how often git is asked. Each HI rule's firing and quiet cases are data,
in cases/HI*.yaml."""

from __future__ import annotations

import subprocess

from conftest import AS_OF
from dsptkit import git as history
from dsptkit import pipeline
from rules.builders import evidence


def test_history_cases_are_stated_plainly(repo, git_env):
    run = pipeline.run(repo.root, AS_OF)
    assert run.notes == ("this folder is not a git repository, so no history is known: the "
                         "history rules (HI) were not run",)
    subprocess.run(["git", "init", "-q"], cwd=repo.root, env=git_env, check=True)
    run = pipeline.run(repo.root, AS_OF)
    assert run.notes == ("the git repository has no commits yet, so no history is known: the "
                         "history rules (HI) were not run",)
    assert not [r for r in run.results if r.code.startswith("HI")]


def test_a_shallow_clone_is_detected_and_explained(git_repo, tmp_path, git_env):
    git_repo.write("evidence/2026/e2.md", evidence())
    git_repo.commit("Second", date="2026-06-15")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.root}", str(clone)],
                   env=git_env, check=True)
    found = history.read_history(clone)
    assert found.available and found.shallow and len(found.commits) == 1
    run = pipeline.run(clone, AS_OF)
    [shallow] = [r for r in run.results if r.code == "HI010"]
    assert (shallow.loc.path, shallow.loc.line) == ("organisation.yaml", 1)
    assert shallow.message == found.note


def test_a_detached_head_still_has_history(git_repo):
    git_repo.write("evidence/2026/e2.md", evidence())
    git_repo.commit("Second", date="2026-06-15")
    git_repo.git("checkout", "-q", "--detach", "HEAD~1")
    found = history.read_history(git_repo.root)
    assert found.available and len(found.commits) == 1


def test_git_is_asked_a_fixed_number_of_times_whatever_the_number_of_files(git_repo):
    def calls_for_check() -> int:
        history._cache.clear()
        before = history.GIT_CALLS
        pipeline.run(git_repo.root, AS_OF)
        return history.GIT_CALLS - before

    few = calls_for_check()
    for n in range(40):
        git_repo.write(f"evidence/2026/many-{n}.md", evidence(id=f"EV-M{n}"))
    git_repo.commit("Many", date="2026-06-20")
    assert calls_for_check() == few <= 4
