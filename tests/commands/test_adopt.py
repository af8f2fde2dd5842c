"""dspt adopt: an organisation's own documents in, with only what was read with confidence
written, where each came from recorded, and the rest in adoption-report.md.

How well the metadata is read across house styles is measured on the corpus
(tests/adopt/test_corpus.py); these are the command's promises."""

from __future__ import annotations

import hashlib
from datetime import date

import yaml

from dsptkit.repository import load_repository

POLICY = """\
# Backup and Recovery Policy

**Document owner:** IT Manager
**Version:** v2.3 (DSPT Compliant)
**Approved by:** SIRO
**Date approved:** 3rd March 2025
**Next review date:** 3 March 2027

Backups are taken nightly and tested each quarter (DSPT 7.3.4). See the
[incident procedure](incident.md).
"""

INCIDENT = """\
# Incident Procedure

**Owner:** SIRO
**Version:** 1.0

Report every incident to the IG lead.
"""


def _front(path) -> dict:
    text = path.read_text()
    return yaml.safe_load(text.split("---\n")[1])


def test_adopt_a_folder_of_policies(repo, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "Backup Policy.md").write_text(POLICY)
    (folder / "incident.md").write_text(INCIDENT)
    run = repo.dspt("adopt", str(folder), "--repo", str(repo.root))
    assert run.code == 0, run.out + run.err
    backup = _front(repo.root / "policies/backup-and-recovery-policy.md")
    assert backup["version"] == "2.3"
    assert backup["status"] == "approved"
    assert backup["owner"] == "it_lead"
    adopted = {p.id: p for p in load_repository(repo.root).policies}["backup-and-recovery-policy"]
    assert (adopted.approved_by, adopted.approved_on) == ("siro", date(2025, 3, 3))
    assert backup["next_review"].isoformat() == "2027-03-03"
    assert backup["claims"] == []  # 7.3.4 is not in the tiny test catalogue: reported instead
    assert backup["adopted_from"] == {
        "path": str(folder / "Backup Policy.md"),
        "sha256": hashlib.sha256(POLICY.encode()).hexdigest()}
    body = (repo.root / "policies/backup-and-recovery-policy.md").read_text()
    assert "[incident procedure](incident-procedure.md)" in body  # the link follows the move
    assert (folder / "Backup Policy.md").read_text() == POLICY  # the original is untouched
    report = (repo.root / "adoption-report.md").read_text()
    assert "Backup Policy.md" in report and "owner: it_lead ← line 3" in report
    assert "cites dspt:7.3.4 (line 9), which is not in the catalogue: no claim written" in report
    assert repo.dspt("check").code == 0


def test_a_dry_run_writes_nothing(repo, tmp_path):
    source = tmp_path / "incident.md"
    source.write_text(INCIDENT)
    before = repo.snapshot()
    run = repo.dspt("adopt", str(source), "--dry-run", "--repo", str(repo.root))
    assert run.code == 0
    assert run.lines[0] == f"{source} -> policies/incident-procedure.md"
    assert run.lines[-1].startswith("dry run: 1 adopted (1 policies")
    assert repo.snapshot() == before


def test_adopting_the_same_file_again_says_where_it_went(repo, tmp_path):
    source = tmp_path / "incident.md"
    source.write_text(INCIDENT)
    assert repo.dspt("adopt", str(source), "--repo", str(repo.root)).code == 0
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert f"{source}: already adopted as policies/incident-procedure.md" in run.lines
    copy = tmp_path / "copy-of-incident.md"
    copy.write_text(INCIDENT)  # the same bytes under another name
    run = repo.dspt("adopt", str(copy), "--repo", str(repo.root))
    assert f"{copy}: already adopted as policies/incident-procedure.md" in run.lines
    assert len(list((repo.root / "policies").glob("incident-procedure*.md"))) == 1


def test_an_owner_that_cannot_be_read_is_never_defaulted(repo, tmp_path):
    source = tmp_path / "p.md"
    source.write_text("# Clear Desk Policy\n\n**Owner:** Head of Facilities\n\nClear desks.\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 1
    assert "not adopted: no owner could be read and no --owner was given" in run.out
    assert not (repo.root / "policies/clear-desk-policy.md").exists()
    run = repo.dspt("adopt", str(source), "--owner", "ig_lead", "--repo", str(repo.root))
    assert run.code == 0
    assert _front(repo.root / "policies/clear-desk-policy.md")["owner"] == "ig_lead"
    report = (repo.root / "adoption-report-2.md").read_text()
    assert "'Head of Facilities'" in report and "--owner" in report


def test_a_record_needs_an_exact_date(repo, tmp_path):
    dated = tmp_path / "restore.md"
    dated.write_text("# Restore test report\n\n**Date of test:** 14/04/2025\n"
                     "**Tested by:** Bob Brown\n\nResult: pass. Restored the database.\n")
    vague = tmp_path / "drill.md"
    vague.write_text("# Fire drill log\n\n**Date:** March 2025\n**Carried out by:** Bob Brown\n")
    run = repo.dspt("adopt", "--as", "evidence", str(dated), str(vague), "--repo",
                    str(repo.root))
    assert run.code == 0
    assert f"{dated} -> evidence/2025/2025-04-14-restore-test-report.md" in run.lines
    assert any(line.startswith(f"{vague}: not adopted: a record needs the exact date")
               for line in run.lines)
    front = _front(repo.root / "evidence/2025/2025-04-14-restore-test-report.md")
    assert (front["by"], front["outcome"], front["collected"].isoformat()) == \
        ("bob", "pass", "2025-04-14")


def test_markdown_with_front_matter_keeps_its_known_fields(repo, tmp_path):
    source = tmp_path / "acceptable-use.md"
    source.write_text("---\ntitle: Acceptable Use Policy\nversion: 3.1\nowner: SIRO\n"
                      "tags: [it, staff]\n---\n# Acceptable use\n\nUse work devices for work.\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.out
    front = _front(repo.root / "policies/acceptable-use-policy.md")
    assert (front["title"], front["version"], front["owner"]) == \
        ("Acceptable Use Policy", "3.1", "siro")


def test_a_register_table_becomes_the_register(repo, tmp_path):
    source = tmp_path / "suppliers.md"
    source.write_text("# Supplier register\n\n| Supplier | Service | Article 28 | Notes |\n"
                      "| --- | --- | --- | --- |\n| Acme Hosting | Hosting | Yes | UK only |\n"
                      "| Printwise | Printing | No | |\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.out
    data = yaml.safe_load((repo.root / "evidence/registers/suppliers.yaml").read_text())
    assert [s["name"] for s in data["suppliers"]] == ["Acme Hosting", "Printwise"]
    assert data["suppliers"][0]["extra"] == {"Notes": "UK only"}
    assert data["sources"][0]["path"] == str(source)
    assert repo.dspt("check").code == 0


def test_files_that_cannot_be_adopted_are_skipped_with_a_reason(repo, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "latin.md").write_bytes("# Politique\n\nR\xe9sum\xe9\n".encode("latin-1"))
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    run = repo.dspt("adopt", str(folder), "--repo", str(repo.root))
    assert run.code == 1  # nothing could be adopted
    assert any(line.startswith(f"{folder / 'latin.md'}: not adopted: file is not UTF-8")
               for line in run.lines)
    assert any(line.startswith(f"{folder / 'logo.png'}: not adopted:") for line in run.lines)


def test_a_path_that_does_not_exist_is_a_usage_error(repo, tmp_path):
    before = repo.snapshot()
    run = repo.dspt("adopt", str(tmp_path / "nowhere"), "--repo", str(repo.root))
    assert run.code == 2
    assert "does not exist; nothing was adopted" in run.err
    assert repo.snapshot() == before


def test_placeholders_are_filled_or_reported_never_read_as_roles(repo, tmp_path):
    source = tmp_path / "dp.md"
    source.write_text("# Data Protection Policy\n\n**Owner:** {{ dpo_name }} (DPO)\n"
                      "**Version:** 1.0\n\nContact {{ dpo_email }} with questions.\n")
    run = repo.dspt("adopt", str(source), "--owner", "siro", "--repo", str(repo.root))
    assert run.code == 0, run.out
    front = _front(repo.root / "policies/data-protection-policy.md")
    assert front["owner"] == "siro"  # from --owner: the placeholder is not a role
    report = (repo.root / "adoption-report.md").read_text()
    assert "dpo_email" in report and "Placeholders left" in report


def test_replace_starters_replaces_an_untouched_starter_of_the_same_name(repo, tmp_path):
    repo.write("policies/incident-procedure.md", "---\nid: incident-procedure\ntitle: Incident\n"
               "version: \"1.0\"\nstatus: draft\nstarter: true\nowner: siro\nclaims: []\n---\n")
    source = tmp_path / "incident.md"
    source.write_text(INCIDENT)
    run = repo.dspt("adopt", str(source), "--replace-starters", "--repo", str(repo.root))
    assert run.code == 0, run.out
    front = _front(repo.root / "policies/incident-procedure.md")
    assert "starter" not in front and front["adopted_from"]["path"] == str(source)
    assert repo.dspt("check").code == 0


def test_explicit_references_become_draft_claims(repo, tmp_path):
    source = tmp_path / "ico.md"
    source.write_text("# ICO Registration Procedure\n\n**Owner:** SIRO\n**Version:** 1.0\n\n"
                      "We renew our ICO registration every year before it lapses (DSPT 1.1.1).\n"
                      "Our firewall is at 10.1.1.1 and this is section 1.1.2 of the manual.\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.out
    front = _front(repo.root / "policies/ico-registration-procedure.md")
    assert front["status"] == "draft"  # no approval stated
    assert [c["meets"] for c in front["claims"]] == [["dspt:1.1.1"]]
    assert front["claims"][0]["says"].startswith("We renew our ICO registration every year")


def test_a_records_images_become_its_attachments_and_front_matter_is_never_lost(repo, tmp_path):
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "board.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    source = tmp_path / "drill.md"
    source.write_text("---\naudience: all staff\ntags: [drill]\n---\n# Fire drill record\n\n"
                      "**Date:** 14/04/2025\n**Carried out by:** Bob Brown\n\nResult: pass.\n\n"
                      "![the board](img/board.png)\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 0, run.out
    written = repo.root / "evidence/2025/2025-04-14-fire-drill-record.md"
    text = written.read_text()
    assert "![the board](2025-04-14-fire-drill-record-board.png)" in text
    assert (repo.root / "evidence/2025/2025-04-14-fire-drill-record-board.png").read_bytes() == \
        b"\x89PNG\r\n\x1a\nfake"
    assert "#   audience: all staff\n#   tags: [drill]\n" in text  # kept, as comments
    assert hashlib.sha256(b"\x89PNG\r\n\x1a\nfake").hexdigest() in text
    assert repo.dspt("check").code == 0


def test_a_register_with_no_row_that_can_be_written_is_not_adopted(repo, tmp_path):
    source = tmp_path / "assets.md"
    source.write_text("# Asset Register\n\n| Asset | Serial |\n| --- | --- |\n| Laptop | X1 |\n")
    run = repo.dspt("adopt", str(source), "--as", "assets", "--repo", str(repo.root))
    assert run.code == 1
    assert "not adopted: no row of the table could be written" in run.out
    assert not (repo.root / "evidence/registers/assets.yaml").exists()


def test_a_file_changed_since_it_was_adopted_is_not_adopted_twice(repo, tmp_path):
    source = tmp_path / "incident.md"
    source.write_text(INCIDENT)
    assert repo.dspt("adopt", str(source), "--repo", str(repo.root)).code == 0
    source.write_text(INCIDENT + "\nA new paragraph.\n")
    run = repo.dspt("adopt", str(source), "--repo", str(repo.root))
    assert run.code == 1
    assert ("policies/incident-procedure.md was adopted from this path, and the file has "
            "changed since") in run.out


def test_known_placeholders_are_filled_in_the_text(repo, tmp_path):
    source = tmp_path / "dp.md"
    source.write_text("# Data Protection Policy\n\n**Owner:** SIRO\n**Version:** 1.0\n\n"
                      "Our SIRO is {{ siro_name }}; ask {{ helpdesk }}.\n")
    run = repo.dspt("adopt", str(source), "--var", "helpdesk=the service desk", "--repo",
                    str(repo.root))
    assert run.code == 0, run.out
    text = (repo.root / "policies/data-protection-policy.md").read_text()
    assert "Our SIRO is Alice Adams; ask the service desk." in text


def test_the_repositorys_own_files_are_not_adopted_again(repo, tmp_path):
    run = repo.dspt("adopt", str(repo.root / "policies"), "--repo", str(repo.root))
    assert run.code == 1
    assert "not adopted: part of this repository already (policies/governance.md)" in run.out
