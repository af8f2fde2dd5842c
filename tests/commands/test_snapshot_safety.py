"""dspt snapshot: a name git would refuse is refused before anything is written, and a
failure after the commit undoes it all."""

from __future__ import annotations

import pytest


def _everything(repo) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """Every file, .git included, to prove nothing changed."""
    return {str(p.relative_to(repo.root)): p.read_bytes()
            for p in sorted(repo.root.rglob("*")) if p.is_file() and "index" not in p.name}


@pytest.mark.parametrize("name", ["a..b", "x.lock", "x.", "a@{b", "a b", "x~1", "a/b"])
def test_names_git_refuses_are_refused_first(git_repo, name):
    before = _everything(git_repo)
    run = git_repo.dspt("snapshot", name, "--repo", str(git_repo.root))
    assert run.code == 2
    assert f"'{name}' cannot name a snapshot" in run.err
    assert "Traceback" not in run.err
    assert _everything(git_repo) == before


def test_a_failure_at_the_tag_undoes_the_commit(git_repo):
    git_repo.git("tag", "dspt/s1/older")  # git cannot then create the tag dspt/s1
    head = git_repo.git("rev-parse", "HEAD")
    run = git_repo.dspt("snapshot", "s1", "--as-of", "2026-07-01", "--repo", str(git_repo.root))
    assert run.code == 1
    assert "git tag failed" in run.err
    assert "the snapshot was undone: nothing was committed, tagged or left behind" in run.err
    assert git_repo.git("rev-parse", "HEAD") == head
    assert git_repo.git("status", "--porcelain") == ""
    assert not (git_repo.root / "snapshots").exists()
    assert git_repo.git("tag", "-l").split() == ["dspt/s1/older"]
