"""dspt adopt: existing documents come in as drafts with front matter read from their prose."""

from __future__ import annotations

from datetime import date

import pytest

from dsptkit.prose import parse_date, role_for

POLICY = """\
# Backup and Recovery Policy

**Document owner:** IT Manager
**Version:** v2.3
**Approved by:** SIRO
**Last reviewed:** 3rd March 2025
**Next review date:** March 2026

Backups are taken nightly.
"""


@pytest.mark.parametrize("text,expected,exact", [
    ("3 March 2025", date(2025, 3, 3), True),
    ("3rd March 2025", date(2025, 3, 3), True),
    ("March 3, 2025", date(2025, 3, 3), True),
    ("03/04/2025", date(2025, 4, 3), True),  # day first, as in the UK
    ("3.4.25", date(2025, 4, 3), True),
    ("2025-03-03", date(2025, 3, 3), True),
    ("Sept 2026", date(2026, 9, 1), False),
    ("31/02/2025", None, False),
    ("next spring", None, False),
])
def test_prose_dates(text, expected, exact):
    assert parse_date(text) == (expected, exact)


@pytest.mark.parametrize("text,role", [
    ("IT Manager", "it_lead"), ("Senior Information Risk Owner", "siro"),
    ("Data Protection Officer (DPO)", "dpo"), ("the IG Lead", "ig_lead"), ("Bob", None),
])
def test_roles_from_prose(text, role):
    assert role_for(text) == role


def test_adopt_a_policy(repo, tmp_path):
    source = tmp_path / "Backup-Policy.md"
    source.write_text(POLICY)
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.err
    assert run.lines == [
        f"{source} -> policies/backup-and-recovery-policy.md",
        "  could not work out: approval date taken from the last review date (2025-03-03)",
        "  could not work out: next review date 'March 2026' gives only a month; read as "
        "2026-03-01",
        "  could not work out: claims: none can be read from prose; add them",
        "adopted 1 document as drafts. Review each, add its claims, then run 'dspt check'.",
    ]
    written = (repo.root / "policies/backup-and-recovery-policy.md").read_text()
    assert written == (
        "---\nid: backup-and-recovery-policy\ntitle: Backup and Recovery Policy\n"
        'version: "2.3"\nstatus: draft\nowner: it_lead\napproved: {by: siro, on: 2025-03-03}\n'
        "next_review: 2026-03-01\n"
        "claims: []  # add the claims this policy makes: see docs/format.md\n---\n" + POLICY)
    assert source.read_text() == POLICY  # the original is untouched


def test_adopted_documents_load_cleanly(repo, tmp_path):
    source = tmp_path / "p.md"
    source.write_text(POLICY)
    repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert repo.dspt("check").code == 0


def test_adopt_evidence_needs_a_date(repo, tmp_path):
    dated = tmp_path / "restore.md"
    dated.write_text("# Restore test\n\n| Date | 14/04/2025 |\n| Owner | Bob Brown |\n")
    undated = tmp_path / "undated.md"
    undated.write_text("# Something\n\nNo date here.\n")
    run = repo.dspt("adopt", "--as", "evidence", str(dated), str(undated), "--repo",
                    str(repo.root))
    assert run.code == 1
    assert f"{dated} -> evidence/2025/2025-04-14-restore-test.md" in run.lines
    assert (f"{undated}: no date of collection found ('Date: 3 March 2025'); skipped: evidence "
            "must be dated") in run.lines
    text = (repo.root / "evidence/2025/2025-04-14-restore-test.md").read_text()
    assert text.startswith("---\nid: EV-2025-001\ntitle: Restore test\ncollected: 2025-04-14\n"
                           "by: bob\nsupports: []\noutcome: partial\n---\n")


def test_adopt_refuses_documents_with_front_matter_and_repeats(repo, tmp_path):
    has_front = tmp_path / "done.md"
    has_front.write_text("---\nid: x\n---\n")
    source = tmp_path / "p.md"
    source.write_text(POLICY)
    assert repo.dspt("adopt", str(source), "--repo", str(repo.root)).code == 0
    before = repo.snapshot()
    run = repo.dspt("adopt", str(has_front), str(source), "--repo", str(repo.root))
    assert run.code == 1
    assert f"{has_front}: already has front matter; copy it in as it is; skipped" in run.lines
    assert (f"{source}: a policy with id backup-and-recovery-policy already exists (adopted "
            "before?); skipped") in run.lines
    assert repo.snapshot() == before


def test_adopt_a_file_that_is_not_utf8(repo, tmp_path):
    source = tmp_path / "latin.md"
    source.write_bytes("# Politique\n\nR\xe9sum\xe9\n".encode("latin-1"))
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 1
    assert run.lines[0].startswith(f"{source}: file is not UTF-8")
