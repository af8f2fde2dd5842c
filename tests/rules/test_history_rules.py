"""The git-history rules, on tiny repositories with commits at fixed dates and authors."""

from __future__ import annotations

import subprocess

from dsptkit import git as history
from rules.test_rule_cases import evidence


def codes(run):  # type: ignore[no-untyped-def]
    return {line.split(": ")[1].split()[0] for line in run.lines if ": HI0" in line}


def test_evidence_committed_long_after_collection_is_questioned(git_repo):
    git_repo.write("evidence/2026/late.md", evidence(id="EV-L", collected="2026-06-05"))
    git_repo.commit("Late evidence", date="2026-08-20")
    run = git_repo.dspt("check", "--as-of", "2026-08-25")
    line = next(x for x in run.lines if "HI001" in x)
    assert line.startswith("evidence/2026/late.md:4:1: HI001 evidence EV-L says collected "
                           "2026-06-05 but first entered the repository 76 days later, on "
                           "2026-08-20 (commit ")
    git_repo.write("evidence/2026/prompt.md", evidence(id="EV-P", collected="2026-08-10"))
    git_repo.commit("Prompt evidence", date="2026-08-20")
    assert [x for x in git_repo.dspt("check", "--as-of", "2026-08-25").lines
            if "EV-P" in x and "HI001" in x] == []


def test_evidence_committed_before_its_collected_date_is_an_error(git_repo):
    git_repo.write("evidence/2026/early.md", evidence(id="EV-E", collected="2026-06-20"))
    git_repo.commit("Early", date="2026-06-10")
    run = git_repo.dspt("check", "--as-of", "2026-06-25")
    assert "HI002" in codes(run)
    assert run.code == 1


def test_an_attachment_changed_after_it_was_committed_is_an_error(git_repo):
    digest = git_repo.attach("evidence/2026/log.txt", b"restore ok\n")
    git_repo.write("evidence/2026/att.md", evidence(
        extra=f"files:\n  - path: log.txt\n    sha256: {digest}"))
    git_repo.commit("Restore log", date="2026-06-15")
    assert "HI003" not in codes(git_repo.dspt("check"))
    git_repo.write("evidence/2026/log.txt", b"restore ok (tidied)\n")
    git_repo.write("evidence/2026/att.md", evidence(extra="files:\n  - path: log.txt\n"
                   f"    sha256: {git_repo.attach('evidence/2026/log.txt', b'restore ok (tidied)' + bytes([10]))}"))
    git_repo.commit("Tidy the log", date="2026-06-20", author="Mallory", email="m@example.org")
    run = git_repo.dspt("check")
    line = next(x for x in run.lines if "HI003" in x)
    assert "was changed in commit" in line and "by Mallory ('Tidy the log')" in line
    assert run.code == 1


def test_a_policy_changed_without_a_new_approval(git_repo):
    assert "HI004" not in codes(git_repo.dspt("check"))
    text = (git_repo.root / "policies/governance.md").read_text()
    git_repo.write("policies/governance.md", text + "\nA new paragraph nobody approved.\n")
    run = git_repo.dspt("check")
    assert next(x for x in run.lines if "HI004" in x).endswith(
        "HI004 policy governance changed (uncommitted edits) after its approval, without a new "
        "version and approval date")
    git_repo.commit("Edit without approval", date="2026-06-10")
    assert "commit " in next(x for x in git_repo.dspt("check").lines if "HI004" in x)
    approved = (git_repo.root / "policies/governance.md").read_text().replace(
        'version: "1.0"', 'version: "1.1"').replace("on: 2026-01-10", "on: 2026-06-12")
    git_repo.write("policies/governance.md", approved)
    git_repo.commit("Approve 1.1", date="2026-06-12")
    assert "HI004" not in codes(git_repo.dspt("check"))


def test_self_approval_where_duties_are_separated(git_repo):
    people = (git_repo.root / "evidence/registers/people.yaml").read_text()
    git_repo.write("evidence/registers/people.yaml",
                   people.replace("{id: alice, name: Alice Adams}",
                                  "{id: alice, name: Alice Adams, email: alice@example.org}"))
    text = (git_repo.root / "policies/governance.md").read_text()
    git_repo.write("policies/governance.md", text.replace('version: "1.0"', 'version: "1.1"')
                   .replace("on: 2026-01-10", "on: 2026-06-12"))
    git_repo.commit("Alice edits and approves", date="2026-06-12", author="Alice Adams",
                    email="alice@example.org")
    assert "HI005" not in codes(git_repo.dspt("check"))  # not asked for
    org = (git_repo.root / "organisation.yaml").read_text()
    git_repo.write("organisation.yaml", org + "check:\n  separation_of_duties: true\n")
    run = git_repo.dspt("check")
    assert "policy governance was approved by alice, who also made its last change" in run.out


def test_history_cases_are_stated_plainly(tmp_path, repo, git_env):
    assert "this folder is not a git repository, so no history is known: the history rules " \
           "(HI) were not run" in repo.dspt("check").out
    subprocess.run(["git", "init", "-q"], cwd=repo.root, env=git_env, check=True)
    assert "the git repository has no commits yet" in repo.dspt("check").out


def test_a_shallow_clone_is_detected_and_explained(git_repo, tmp_path, git_env):
    git_repo.write("evidence/2026/e2.md", evidence())
    git_repo.commit("Second", date="2026-06-15")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{git_repo.root}", str(clone)],
                   env=git_env, check=True)
    found = history.read_history(clone)
    assert found.available and found.shallow
    git_repo.root = clone
    run = git_repo.dspt("check")
    assert "organisation.yaml:1:1: HI010 this is a shallow clone" in run.out


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
        git_repo.dspt("check")
        return history.GIT_CALLS - before

    few = calls_for_check()
    for n in range(40):
        git_repo.write(f"evidence/2026/many-{n}.md", evidence(id=f"EV-M{n}"))
    git_repo.commit("Many", date="2026-06-20")
    assert calls_for_check() == few <= 4


def test_new_evidence_not_yet_committed_is_normal(git_repo):
    git_repo.write("evidence/2026/new.md", evidence(id="EV-N", collected="2026-01-02"))
    run = git_repo.dspt("check", "--as-of", "2026-06-10")
    assert [line for line in run.lines if "EV-N" in line and ": HI0" in line] == []


def test_the_backdating_allowance_is_configurable(git_repo):
    git_repo.write("evidence/2026/late.md", evidence(id="EV-L", collected="2026-06-05"))
    git_repo.commit("Late evidence", date="2026-06-25")
    assert "HI001" not in codes(git_repo.dspt("check", "--as-of", "2026-06-26"))
    org = (git_repo.root / "organisation.yaml").read_text()
    git_repo.write("organisation.yaml", org + "check:\n  backdating_days: 7\n")
    assert "HI001" in codes(git_repo.dspt("check", "--as-of", "2026-06-26"))
