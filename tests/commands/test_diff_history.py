"""dspt diff and dspt history on a tiny git repository with commits at fixed dates."""

from __future__ import annotations

import json

from rules.test_rule_cases import evidence


def test_diff_of_a_branch_that_breaks_a_claim_adds_evidence_and_bumps_a_policy(git_repo):
    git_repo.git("checkout", "-q", "-b", "change")
    text = (git_repo.root / "policies/governance.md").read_text()
    git_repo.write("policies/governance.md", text.replace('version: "1.0"', 'version: "1.1"')
                   .replace("on: 2026-01-10", "on: 2026-06-20")
                   .replace("meets: [dspt:1.1.1]", "meets: [dspt:1.1.2]"))
    git_repo.write("evidence/2026/e2.md", evidence(id="EV-2", collected="2026-06-15"))
    git_repo.commit("Move GV-1 to the asset register; add evidence", date="2026-06-20")
    before = git_repo.snapshot()
    run = git_repo.dspt("diff", "main", "change", "--as-of", "2026-07-01", "--repo",
                        str(git_repo.root))
    assert run.code == 0, run.err
    assert run.lines[:2] == ["Compliance change main → change",
                             "Position: Standards Met → Standards Not Met"]
    assert "  dspt:1.1.1 ICO registration: met → not met" in run.lines
    assert "  dspt:1.1.2 Asset register: not applicable → met" in run.lines
    assert "  GV-1: meets" in run.lines
    assert "  EV-2: Evidence" in run.lines
    assert "  governance: version 1.0 → 1.1; approval → siro on 2026-06-20" in run.lines
    assert any("CO101" in line for line in run.lines)
    markdown = git_repo.dspt("diff", "main", "change", "--format", "markdown", "--as-of",
                             "2026-07-01", "--repo", str(git_repo.root))
    assert markdown.lines[0] == "### DSPT compliance: `main` → `change`"
    assert "**Position: Standards Met → Standards Not Met**" in markdown.lines
    data = json.loads(git_repo.dspt("diff", "main", "change", "--format", "json", "--as-of",
                                    "2026-07-01", "--repo", str(git_repo.root)).out)
    assert data["overall"] == ["Standards Met", "Standards Not Met"]
    assert data["format_version"] == 1  # schemas/output/diff.schema.json
    assert git_repo.snapshot() == before  # read from git objects: nothing checked out
    assert git_repo.git("rev-parse", "--abbrev-ref", "HEAD").strip() == "change"


def test_the_pull_request_comment_shows_text_from_the_repository_as_written(git_repo):
    # a claim's words reach a GitHub comment: no mention, no remote image, no closed <details>
    git_repo.git("checkout", "-q", "-b", "change")
    text = (git_repo.root / "policies/governance.md").read_text()
    hostile = "@octocat <img src=https://evil.example/t.png> **boss** </details> [x](y)"
    git_repo.write("policies/governance.md", text.replace(
        "  - id: GV-1\n", f"  - id: GV-2\n    says: '{hostile}'\n    meets: [dspt:1.1.1]\n  - id: GV-1\n"))
    git_repo.commit("Reword GV-1", date="2026-06-20")
    run = git_repo.dspt("diff", "main", "change", "--format", "markdown", "--as-of",
                        "2026-07-01", "--repo", str(git_repo.root))
    assert run.code == 0, run.err
    row = next(line for line in run.lines if "octocat" in line)
    assert row == ("- GV-2: @<!-- -->octocat &lt;img src=https://evil.example/t.png&gt; "
                   "\\*\\*boss\\*\\* &lt;/details&gt; \\[x\\]\\(y\\)"), row
    assert run.out.count("</details>") == run.out.count("<details open>")


def test_diff_against_uncommitted_work_and_bad_revisions(git_repo):
    git_repo.write("evidence/2026/e2.md", evidence(id="EV-2"))
    run = git_repo.dspt("diff", "HEAD", "WORKTREE", "--repo", str(git_repo.root))
    assert "  EV-2: Evidence" in run.lines
    bad = git_repo.dspt("diff", "no-such-branch", "--repo", str(git_repo.root))
    assert bad.code == 2
    assert "'no-such-branch' is not a commit in this repository" in bad.err


def test_history_by_month_and_by_commit(git_repo):
    git_repo.write("evidence/2026/e2.md", evidence(id="EV-2", collected="2026-08-01"))
    git_repo.commit("August evidence", date="2026-08-02")
    run = git_repo.dspt("history", "--as-of", "2026-09-30", "--limit", "5", "--repo",
                        str(git_repo.root))
    assert [line.split()[0] for line in run.lines[1:]] == ["2026-06", "2026-07", "2026-08",
                                                            "2026-09"]
    assert run.lines[1].split()[2:4] == ["1/1", "0"]  # June: met
    assert run.lines[2].split()[2:4] == ["1/1", "0"]  # July: GV-1's 90 days still run
    assert run.lines[4].endswith("Standards Met")  # EV-2 of August keeps it met
    csv_out = git_repo.dspt("history", "--by", "commit", "--format", "csv", "--repo",
                            str(git_repo.root))
    assert csv_out.lines[0] == "when,commit,overall,mandatory_met,mandatory,findings,errors"
    assert [line.split(",")[0] for line in csv_out.lines[1:]] == ["2026-06-01", "2026-08-02"]
    data = json.loads(git_repo.dspt("history", "--by", "commit", "--format", "json", "--repo",
                                    str(git_repo.root)).out)
    assert (data["format_version"], data["by"]) == (1, "commit")
    assert [row["when"] for row in data["rows"]] == ["2026-06-01", "2026-08-02"]


def test_history_outside_git_says_why(repo):
    run = repo.dspt("history", "--repo", str(repo.root))
    assert run.code == 2
    assert "no position over time: this folder is not a git repository" in run.err


def test_snapshot_records_tags_verifies_and_never_overwrites(git_repo):
    run = git_repo.dspt("snapshot", "2026-27", "--as-of", "2026-07-01", "--repo",
                        str(git_repo.root))
    assert run.code == 0, run.err
    assert run.lines[0].startswith("snapshot 2026-27 (as of 2026-07-01): Standards Met: all 1 "
                                   "mandatory items are met. 9 files in the manifest; record "
                                   "snapshots/2026-27.json committed as ")
    record = json.loads((git_repo.root / "snapshots/2026-27.json").read_text())
    assert record["overall"] == "Standards Met"
    assert [m["path"] for m in record["manifest"]] == [
        "evidence/2026/ico.md", "evidence/registers/data-flows.yaml",
        "evidence/registers/information-assets.yaml", "evidence/registers/people.yaml",
        "evidence/registers/processing.yaml", "evidence/registers/training.yaml",
        "organisation.yaml", "policies/governance.md",
        "standards/dspt/catalogue.yaml"]
    assert git_repo.git("tag", "-l").split() == ["dspt/2026-27"]
    again = git_repo.dspt("snapshot", "2026-27", "--repo", str(git_repo.root))
    assert again.code == 2 and "a snapshot is never overwritten" in again.err
    verify = git_repo.dspt("snapshot", "2026-27", "--verify", "--repo", str(git_repo.root))
    assert verify.code == 0
    assert verify.lines[0].startswith("snapshot 2026-27 verified: 9 files match the manifest")
    git_repo.write("evidence/2026/ico.md", evidence(id="EV-1", collected="2026-06-01") + "x\n")
    git_repo.commit("Edit evidence after submission", date="2026-07-05")
    verify = git_repo.dspt("snapshot", "2026-27", "--verify", "--repo", str(git_repo.root))
    assert verify.code == 0  # the tag still holds what was submitted
    assert "Since then, 1 of them changed in the working tree: evidence/2026/ico.md" in verify.out
    message = git_repo.git("tag", "-l", "--format=%(contents)", "dspt/2026-27")
    git_repo.git("tag", "-f", "-a", "dspt/2026-27", "-m", message)  # moved onto the edit
    moved = git_repo.dspt("snapshot", "2026-27", "--verify", "--repo", str(git_repo.root))
    assert moved.code == 1
    assert moved.lines == ["FAILED: evidence/2026/ico.md: content differs from the manifest"]


def test_snapshot_refuses_errors_and_uncommitted_work(git_repo):
    git_repo.write("evidence/2026/bad.md", "no front matter\n")
    run = git_repo.dspt("snapshot", "s1", "--repo", str(git_repo.root))
    assert run.code == 2 and "commit these first" in run.err
    git_repo.commit("Broken file", date="2026-06-05")
    run = git_repo.dspt("snapshot", "s1", "--repo", str(git_repo.root))
    assert run.code == 1 and "error(s); a snapshot is refused" in run.err
    assert not (git_repo.root / "snapshots").exists()
    assert git_repo.git("tag", "-l") == ""
