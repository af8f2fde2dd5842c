"""dspt new evidence|policy: dated, valid files; attachments copied and hashed; never overwrites."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest


def test_new_evidence_with_an_attachment(repo, tmp_path):
    shot = tmp_path / "Screen Shot.PNG"
    shot.write_bytes(b"\x89PNG fake")
    run = repo.dspt("new", "evidence", "--claim", "GV-1", "--file", str(shot), "--title",
                    "ICO register check", "--collected", "2026-06-20", "--repo", str(repo.root))
    assert run.code == 0, run.err
    assert run.lines == ["wrote evidence/2026/2026-06-20-ico-register-check.md",
                         "wrote evidence/2026/2026-06-20-ico-register-check-screen-shot.png"]
    text = (repo.root / "evidence/2026/2026-06-20-ico-register-check.md").read_text()
    digest = hashlib.sha256(b"\x89PNG fake").hexdigest()
    assert text.startswith(
        "---\nid: EV-2026-001\ntitle: ICO register check\ncollected: 2026-06-20\nby: siro\n"
        "supports: [GV-1]\noutcome: pass\nfiles:\n"
        f"  - path: 2026-06-20-ico-register-check-screen-shot.png\n    sha256: {digest}\n---\n")
    assert repo.dspt("check").code == 0


def test_new_evidence_numbers_follow_the_year(repo):
    repo.write("evidence/2026/old.md", "---\nid: EV-2026-007\ntitle: t\ncollected: 2026-06-02\n"
                                       "by: bob\nsupports: [GV-1]\noutcome: pass\n---\n")
    repo.dspt("new", "evidence", "--claim", "GV-1", "--collected", "2026-06-21", "--repo",
              str(repo.root))
    written = next((repo.root / "evidence/2026").glob("2026-06-21-*.md"))
    assert "id: EV-2026-008" in written.read_text()


@pytest.mark.parametrize("argv,message", [
    (["--claim", "GV-9"], "dspt: error: no policy makes claim GV-9 (known claims: GV-1)"),
    (["--claim", "GV-1", "--file", "missing.png"], "dspt: error: attachment missing.png does "
                                                   "not exist"),
    (["--claim", "GV-1", "--collected", "2099-01-01"], "dspt: error: --collected 2099-01-01 is "
                                                       "in the future"),
    (["--claim", "GV-1", "--collected", "next week"], "dspt: error: --collected 'next week' is "
                                                      "not a date; write YYYY-MM-DD"),
])
def test_new_evidence_refuses_bad_input_and_writes_nothing(repo, argv, message):
    before = repo.snapshot()
    run = repo.dspt("new", "evidence", *argv, "--repo", str(repo.root))
    assert run.code == 2
    assert run.err.splitlines()[0] == message
    assert repo.snapshot() == before


def test_new_evidence_refuses_a_folder_as_attachment(repo, tmp_path):
    before = repo.snapshot()
    run = repo.dspt("new", "evidence", "--claim", "GV-1", "--file", str(tmp_path), "--repo",
                    str(repo.root))
    assert run.code == 2
    assert "is not a file (a folder cannot be attached; give its files)" in run.err
    assert repo.snapshot() == before


def test_new_evidence_never_overwrites(repo):
    args = ("new", "evidence", "--claim", "GV-1", "--title", "Same", "--repo", str(repo.root))
    assert repo.dspt(*args).code == 0
    before = repo.snapshot()
    run = repo.dspt(*args)
    assert run.code == 2
    today = date.today().isoformat()
    assert f"refusing to overwrite {repo.root}/evidence/{today[:4]}/{today}-same.md" in run.err
    assert repo.snapshot() == before


def test_new_policy(repo):
    run = repo.dspt("new", "policy", "--id", "remote-working", "--title", "Remote working",
                    "--owner", "it_lead", "--repo", str(repo.root))
    assert run.lines == ["wrote policies/remote-working.md"]
    assert repo.dspt("check").code == 0
    again = repo.dspt("new", "policy", "--id", "remote-working", "--title", "Other", "--owner",
                      "it_lead", "--repo", str(repo.root))
    assert again.code == 2
    assert "a policy with id remote-working already exists" in again.err
    bad = repo.dspt("new", "policy", "--id", "Remote Working", "--title", "x", "--owner", "x",
                    "--repo", str(repo.root))
    assert bad.code == 2
    assert "should be lower-case letters, digits and hyphens" in bad.err
