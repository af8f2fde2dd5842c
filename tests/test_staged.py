"""``dspt check --staged``: the files as the next commit would hold them (git's index), not the
working folder. Untracked files and unstaged edits are left out; history is still HEAD's."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from dsptkit import pipeline
from dsptkit.errors import RepositoryError, UsageError
from dsptkit.git import IndexTree
from dsptkit.main import main

BROKEN = "---\nid: EV-9\ntitle: Never closed\n"  # front matter opened and never closed: FM011
CERT = b"%PDF-1.4 certificate of insurance\n"


def evidence(ident: str = "EV-2", extra: str = "") -> str:
    return (f"---\nid: {ident}\ntitle: Cyber insurance\ncollected: 2026-06-20\nby: bob\n"
            f"supports: [GV-1]\noutcome: pass\n{extra}---\nChecked.\n")


def with_cert(digest: str) -> str:
    return evidence(extra=f"files:\n  - path: cert.pdf\n    sha256: {digest}\n")


def staged(repo, *argv: str):  # type: ignore[no-untyped-def]
    return repo.dspt("check", "--staged", *argv)


def test_an_untracked_broken_draft_does_not_refuse_an_unrelated_commit(git_repo):
    git_repo.write("evidence/2026/draft.md", BROKEN)  # never git-added
    git_repo.write("README.md", "# Our evidence\n")
    git_repo.git("add", "README.md")

    plain = git_repo.dspt("check")
    assert plain.code == 1 and "FM011" in plain.codes, plain.out
    run = staged(git_repo)
    assert run.code == 0, run.out + run.err
    assert "draft.md" not in run.out
    brief = staged(git_repo, "--brief")
    assert brief.code == 0 and brief.lines[0].startswith("no errors"), brief.out


def test_evidence_whose_attachment_is_not_staged_loses_it(git_repo):
    digest = git_repo.attach("evidence/2026/cert.pdf", CERT)  # on disk, never git-added
    git_repo.write("evidence/2026/insurance.md", with_cert(digest))
    git_repo.git("add", "evidence/2026/insurance.md")

    assert git_repo.dspt("check").code == 0  # the working folder has the PDF
    run = staged(git_repo)
    assert run.code == 1
    assert ("evidence/2026/insurance.md:9:5: AT001 attachment 'cert.pdf' of EV-2 does not "
            "exist (looked for evidence/2026/cert.pdf)") in run.lines, run.out
    brief = staged(git_repo, "--brief")
    assert brief.code == 1 and brief.lines[0].startswith("evidence/2026/insurance.md:9:5: AT001 ")

    git_repo.git("add", "evidence/2026/cert.pdf")  # staged too: the commit holds it
    assert staged(git_repo).code == 0


def test_the_staged_content_is_checked_not_the_working_copy(git_repo):
    # a broken version staged, fixed only in the working folder: refused
    git_repo.write("evidence/2026/backup.md", BROKEN)
    git_repo.git("add", "evidence/2026/backup.md")
    git_repo.write("evidence/2026/backup.md", evidence())
    assert git_repo.dspt("check").code == 0
    run = staged(git_repo)
    assert run.code == 1
    assert any(line.startswith("evidence/2026/backup.md:1:1: FM011 ") for line in run.lines), run.out

    # a good version staged, broken only in the working folder: passes
    git_repo.git("add", "evidence/2026/backup.md")
    git_repo.write("evidence/2026/backup.md", BROKEN)
    assert git_repo.dspt("check").code == 1
    assert staged(git_repo).code == 0

    # an attachment is hashed as staged: the recorded sha256 is the staged bytes'
    git_repo.write("evidence/2026/backup.md", with_cert(git_repo.attach("evidence/2026/cert.pdf",
                                                                       CERT)))
    git_repo.git("add", "evidence/2026")
    git_repo.write("evidence/2026/cert.pdf", b"edited after staging\n")
    assert "AT002" in git_repo.dspt("check").codes
    assert "AT002" not in staged(git_repo).codes


def test_a_merge_conflict_stops_the_check(git_repo):
    git_repo.git("checkout", "-q", "-b", "other")
    git_repo.write("evidence/2026/ico.md", evidence("EV-1"))
    git_repo.commit("Theirs")
    git_repo.git("checkout", "-q", "main")
    git_repo.write("evidence/2026/ico.md", evidence("EV-1").replace("Checked.", "Ours."))
    git_repo.commit("Ours")
    with pytest.raises(subprocess.CalledProcessError):  # git exits 1 on a conflict
        git_repo.git("merge", "-q", "other")

    run = staged(git_repo)
    assert run.code == 1 and run.out == ""
    assert run.err == ("dspt: error: resolve the merge conflict in evidence/2026/ico.md first "
                       "(edit, then 'git add'): the commit cannot be checked until then\n")
    with pytest.raises(RepositoryError):
        IndexTree(git_repo.root)


def test_outside_a_git_repository_is_a_usage_error(repo, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.root.parent))
    run = staged(repo)
    assert run.code == 2 and run.out == ""
    assert run.err.startswith("dspt: error: --staged needs a git repository: "), run.err
    assert repo.dspt("check").code == 0  # without --staged, the files as they are


def test_a_repository_with_nothing_staged_yet(repo, git_env, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(repo.root.parent))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", git_env["GIT_CONFIG_GLOBAL"])
    subprocess.run(["git", "init", "-q"], cwd=repo.root, check=True)
    run = staged(repo)
    assert run.code == 2 and "nothing in" in run.err and "'git add' the files first" in run.err
    subprocess.run(["git", "add", "-A"], cwd=repo.root, check=True)  # no commit yet: still an index
    run = staged(repo)
    assert run.code == 0, run.out + run.err
    assert "no commits yet" in run.out  # HEAD has no history: the HI rules say they did not run


def test_every_format_and_the_same_results_as_the_working_folder_when_all_is_staged(git_repo):
    git_repo.write("evidence/2026/insurance.md", with_cert("ab" * 32))  # AT001 in both
    git_repo.git("add", "-A")
    for fmt in ("text", "json", "sarif", "github"):
        plain, run = git_repo.dspt("check", "--format", fmt), staged(git_repo, "--format", fmt)
        assert (run.code, run.out) == (plain.code, plain.out), fmt
    data = json.loads(staged(git_repo, "--format", "json").out)
    assert any(r["code"] == "AT001" and r["path"] == "evidence/2026/insurance.md"
               for r in data["results"])
    refused = staged(git_repo, "--brief", "--format", "json")
    assert refused.code == 2 and "--brief is a text output" in refused.err


def test_history_is_heads_and_policy_edits_count_only_when_staged(git_repo):
    policy = git_repo.root / "policies/governance.md"
    text = policy.read_text()
    git_repo.write("policies/governance.md", text.replace("# Governance", "# Governance\n\nNew."))
    assert "HI004" in git_repo.dspt("check").codes  # the working folder: an uncommitted edit
    assert "HI004" not in staged(git_repo).codes  # not staged: not in the commit
    git_repo.git("add", "policies/governance.md")
    run = staged(git_repo)
    assert "HI004" in run.codes
    assert any("changed (uncommitted edits)" in line for line in run.lines), run.out

    # evidence committed before its collection date (HI002) is found from HEAD's history
    git_repo.write("evidence/2026/early.md", evidence("EV-3"))
    git_repo.commit("Evidence from the future", date="2026-06-05")
    assert "HI002" in staged(git_repo).codes


def test_symlinks_and_intent_to_add_entries_are_not_in_the_commit(git_repo):
    git_repo.write("evidence/2026/later.md", BROKEN)
    git_repo.git("add", "-N", "evidence/2026/later.md")  # only says it will be added
    os.symlink("ico.md", git_repo.root / "evidence/2026/link.md")
    git_repo.git("add", "evidence/2026/link.md")
    git_repo.write("evidence/.gitkeep", "")  # a real empty file, staged: it is in the commit
    git_repo.git("add", "-f", "evidence/.gitkeep")
    tree = IndexTree(git_repo.root)
    paths = tree.paths()
    assert "evidence/2026/later.md" not in paths and "evidence/2026/link.md" not in paths
    assert "evidence/.gitkeep" in paths and tree.read("evidence/.gitkeep") == b""
    assert tree.read("evidence/2026/ico.md") == (git_repo.root / "evidence/2026/ico.md").read_bytes()
    assert tree.read("no/such/file") is None
    run = staged(git_repo)
    assert "later.md" not in run.out and "link.md" not in run.out


def test_a_dsptkit_repository_in_a_subfolder_of_the_git_repository(git_repo):
    (git_repo.root / "inner").mkdir()
    for name in ("organisation.yaml", "standards", "evidence", "policies"):
        os.rename(git_repo.root / name, git_repo.root / "inner" / name)
    git_repo.write("inner/evidence/2026/draft.md", BROKEN)
    git_repo.git("add", "-A", "inner")
    git_repo.git("rm", "-q", "--cached", "inner/evidence/2026/draft.md")
    assert main(["check", "--staged", "--repo", str(git_repo.root / "inner"), "--as-of",
                 "2026-07-01"]) == 0
    result = pipeline.run(git_repo.root / "inner", "2026-07-01", staged=True)
    assert not any(r.loc.path.endswith("draft.md") for r in result.results)
    assert pipeline.run(git_repo.root / "inner", "2026-07-01").errors


def test_not_a_repository_from_the_pipeline(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(UsageError, match="--staged needs a git repository"):
        IndexTree(tmp_path)
