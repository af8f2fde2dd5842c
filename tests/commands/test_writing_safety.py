"""Writing commands never leave a repository the check rejects: each validates the exact
bytes it is about to write with the same loader and rules, refuses with the check's own
message, and writes nothing."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("args", "message"), [
    (["--title", "   ", "--owner", "siro"], "SC001 'title' must not be empty"),
    (["--title", "Fine", "--owner", "nobody"], "RF004 policy p1 is owned by 'nobody'"),
    (["--title", "Bell\a", "--owner", "siro"], "FM012 front matter is not valid YAML"),
])
def test_new_policy_refuses_what_the_check_would_reject(repo, args, message):
    before = repo.snapshot()
    run = repo.dspt("new", "policy", "--id", "p1", *args, "--repo", str(repo.root))
    assert run.code == 2
    assert "what would be written does not pass the check, so nothing was written" in run.err
    assert "policies/p1.md:" in run.err and message in run.err
    assert repo.snapshot() == before


def test_awkward_but_valid_values_are_written_so_they_load(repo):
    run = repo.dspt("new", "policy", "--id", "p2", "--title", 'Access: who, "what" [and] #how',
                    "--owner", "siro", "--repo", str(repo.root))
    assert run.code == 0, run.err
    assert repo.dspt("check").code == 0


def test_a_markdown_attachment_is_refused_not_copied_in(repo, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("Some notes.\n")
    before = repo.snapshot()
    run = repo.dspt("new", "evidence", "--claim", "GV-1", "--file", str(notes), "--collected",
                    "2026-06-20", "--repo", str(repo.root))
    assert run.code == 2
    assert "FM010 no front matter" in run.err
    assert repo.snapshot() == before


def test_nothing_half_written_and_no_temporary_files_left(repo, tmp_path):
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    run = repo.dspt("new", "evidence", "--claim", "GV-1", "--file", str(shot), "--collected",
                    "2026-06-20", "--repo", str(repo.root))
    assert run.code == 0, run.err
    assert not [p for p in repo.root.rglob("*") if ".dspt-" in p.name]
    assert repo.dspt("check").code == 0
