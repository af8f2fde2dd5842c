"""dspt hash: records missing sha256 values, never changes a recorded one."""

from __future__ import annotations

import hashlib

EVIDENCE = """\
---
id: EV-2
title: Restore log
collected: 2026-06-15
by: bob
supports: [GV-1]
outcome: pass
files:
  - path: restore.log
    description: the log
  - path: other.txt
    sha256: {recorded}
---
Body stays exactly as it was.
"""


def test_hash_records_missing_hashes_only(repo):
    repo.write("evidence/2026/restore.log", "restored\n")
    repo.write("evidence/2026/other.txt", "changed later\n")
    recorded = "ab" * 32
    repo.write("evidence/2026/e2.md", EVIDENCE.format(recorded=recorded))
    assert "SC002" in repo.dspt("check").codes
    run = repo.dspt("hash", "--repo", str(repo.root))
    assert run.code == 0
    assert run.lines == ["evidence/2026/e2.md:10: recorded sha256", "recorded 1 hash"]
    text = (repo.root / "evidence/2026/e2.md").read_text()
    digest = hashlib.sha256(b"restored\n").hexdigest()
    assert text == EVIDENCE.format(recorded=recorded).replace(
        "  - path: restore.log\n", f"  - path: restore.log\n    sha256: {digest}\n")
    check = repo.dspt("check")
    assert check.codes == {"AT002"}  # the changed file is still caught, not re-hashed


def test_hash_reports_a_missing_attachment_and_changes_nothing(repo):
    repo.write("evidence/2026/e2.md", EVIDENCE.format(recorded="ab" * 32))
    before = repo.snapshot()
    run = repo.dspt("hash", "--repo", str(repo.root))
    assert run.code == 1
    assert run.lines[0] == ("evidence/2026/e2.md:9:5: attachment 'restore.log' is missing or "
                            "outside the repository; nothing recorded")
    assert repo.snapshot() == before


def test_hash_refuses_mixed_or_old_mac_line_endings_and_changes_nothing(repo):
    repo.write("evidence/2026/restore.log", "restored\n")
    repo.write("evidence/2026/other.txt", "x\n")
    for name, text in (("mixed.md", EVIDENCE.format(recorded="ab" * 32).replace("\n", "\r\n", 3)),
                       ("mac.md", EVIDENCE.format(recorded="ab" * 32).replace("\n", "\r"))):
        path = repo.write(f"evidence/2026/{name}", b"")
        path.write_bytes(text.encode())
        before = repo.snapshot()
        run = repo.dspt("hash", str(path), "--repo", str(repo.root))
        assert "internal error" not in run.err
        assert repo.snapshot() == before
        if name == "mixed.md":
            assert run.code == 1
            assert "line endings are mixed (or old Mac style)" in run.out


def test_hash_is_not_stopped_by_a_leftover_temporary_file(repo):
    repo.write("evidence/2026/restore.log", "restored\n")
    repo.write("evidence/2026/other.txt", "x\n")
    repo.write("evidence/2026/e2.md", EVIDENCE.format(recorded="ab" * 32))
    repo.write("evidence/2026/e2.md.dspt-tmp", "left over from a crash\n")
    run = repo.dspt("hash", str(repo.root / "evidence/2026/e2.md"), "--repo", str(repo.root))
    assert "internal error" not in run.err
    assert "sha256: " + hashlib.sha256(b"restored\n").hexdigest() in \
        (repo.root / "evidence/2026/e2.md").read_text()
