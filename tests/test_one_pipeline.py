"""Every entry point sees the same position: check, status, diff (both sides), history (each
point), snapshot, portal export and the MkDocs plugin all come from ``pipeline.run``.

The repositories are the worked example and tiny git repositories where history rules fire.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import ROOT
from dsptkit import pipeline
from dsptkit.errors import UsageError
from dsptkit.main import main
from portal_helpers import make_portal_repo, mkdocs_build

AS_OF = "2026-07-01"


def evidence(id: str, collected: str) -> str:
    return (f"---\nid: {id}\ntitle: Evidence\ncollected: {collected}\nby: bob\n"
            "supports: [GV-1]\noutcome: pass\n---\nBody.\n")


def _findings(data: dict) -> list[tuple]:
    return [(r["code"], r["path"], r["line"], r["message"]) for r in data["results"]]


@pytest.fixture
def history_repo(git_repo):
    """A repository whose history trips HI001 (backdated evidence) and HI004 (an approved
    policy edited without a new approval), all committed."""
    git_repo.write("evidence/2026/old.md", evidence(id="EV-2", collected="2026-04-01"))
    git_repo.commit("Evidence from April, committed in June", date="2026-06-10")
    text = (git_repo.root / "policies/governance.md").read_text()
    git_repo.write("policies/governance.md", text.replace("# Governance", "# Governance\n\nNew "
                                                          "words nobody approved."))
    git_repo.commit("Edit the policy", date="2026-06-12")
    return git_repo


def test_check_status_diff_history_snapshot_and_export_agree(history_repo, tmp_path):
    repo = history_repo
    where = ("--repo", str(repo.root))
    check = repo.dspt("check", "--format", "json", "--as-of", AS_OF, *where)
    assert check.code == 0, check.err
    checked = json.loads(check.out)
    codes = {r["code"] for r in checked["results"]}
    assert {"HI001", "HI004"} <= codes

    status = json.loads(repo.dspt("status", "--format", "json", "--as-of", AS_OF, *where).out)

    # in process: the pipeline itself, the same results as the command printed
    result = pipeline.run(repo.root, date(2026, 7, 1))
    assert [(r.code, r.loc.path, r.loc.line, r.message) for r in result.results] == \
        _findings(checked)
    assert result.position.overall.value == status["overall"]

    # diff: the head side of a pull request sees the history rules the check sees
    first = repo.git("rev-list", "--max-parents=0", "HEAD").strip()
    diff = json.loads(repo.dspt("diff", first, "HEAD", "--format", "json", "--as-of", AS_OF,
                                *where).out)
    assert diff["overall"][1] == status["position"]["headline"]
    new_codes = {r[1] for r in diff["new_results"]}  # [severity, code, where, message]
    assert {"HI001", "HI004"} <= new_codes
    same = json.loads(repo.dspt("diff", "HEAD", "WORKTREE", "--format", "json", "--as-of", AS_OF,
                                *where).out)
    assert same["overall"] == [status["position"]["headline"]] * 2
    assert same["new_results"] == [] and same["resolved_results"] == []

    # history: the point at HEAD counts what the check counts on that date
    rows = json.loads(repo.dspt("history", "--by", "commit", "--limit", "1", "--format", "json",
                                *where).out)["rows"]
    on_day = json.loads(repo.dspt("check", "--format", "json", "--as-of", "2026-06-12",
                                  *where).out)
    assert rows[-1]["findings"] == on_day["summary"]["findings"]
    assert rows[-1]["errors"] == on_day["summary"]["errors"]
    day_status = json.loads(repo.dspt("status", "--format", "json", "--as-of", "2026-06-12",
                                      *where).out)
    assert rows[-1]["overall"] == day_status["position"]["headline"]

    # portal export: the same run, so it is written
    export = repo.dspt("portal", "export", str(tmp_path / "out"), "--as-of", AS_OF, *where)
    assert export.code == 0, export.err
    assert (tmp_path / "out" / "pages.json").is_file()

    # snapshot (last: it commits): the record holds the check's findings and the position
    snap = repo.dspt("snapshot", "s1", "--as-of", AS_OF, *where)
    assert snap.code == 0, snap.err
    record = json.loads((repo.root / "snapshots/s1.json").read_text())
    assert record["overall"] == status["overall"]
    assert record["position"] == status["position"]["statement"]
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in record["findings"]] == \
        _findings(checked)
    assert {i["ref"]: i["status"] for i in record["items"]} == \
        {i["ref"]: i["status"] for i in status["items"]}


def test_a_pull_request_editing_an_approved_policy_shows_hi004_in_the_diff(git_repo):
    git_repo.git("checkout", "-q", "-b", "edit")
    text = (git_repo.root / "policies/governance.md").read_text()
    git_repo.write("policies/governance.md", text.replace("# Governance", "# Governance\n\nMore."))
    git_repo.commit("Edit without approval", date="2026-06-12")
    run = git_repo.dspt("diff", "main", "edit", "--as-of", AS_OF, "--repo", str(git_repo.root))
    assert run.code == 0, run.err
    assert "No change to the compliance position" not in run.out
    assert any("HI004" in line for line in run.lines)


def test_every_publishing_command_refuses_what_the_check_rejects(git_repo, tmp_path):
    # evidence committed before the date it says it was collected: HI002, an error
    git_repo.write("evidence/2026/early.md", evidence(id="EV-2", collected="2026-06-20"))
    git_repo.commit("Evidence from the future", date="2026-06-05")
    make_portal_repo(git_repo)
    where = ("--repo", str(git_repo.root))
    check = git_repo.dspt("check", "--as-of", AS_OF, *where)
    assert check.code == 1 and "HI002" in check.out
    export = git_repo.dspt("portal", "export", str(tmp_path / "out"), "--as-of", AS_OF, *where)
    assert export.code == 1
    assert "1 error(s); the export is refused" in export.err
    assert not (tmp_path / "out").exists()
    git_repo.commit("Portal configuration", date="2026-06-21")
    snap = git_repo.dspt("snapshot", "s1", "--as-of", AS_OF, *where)
    assert snap.code == 1 and "a snapshot is refused" in snap.err
    build = mkdocs_build(git_repo.root, tmp_path / "site", as_of=AS_OF)
    assert build.code != 0
    assert "HI002" in build.output
    status = git_repo.dspt("status", "--as-of", AS_OF, *where)
    assert status.code == 1 and "The position above may be wrong" in status.err


def test_the_example_gives_one_position_to_the_cli_and_the_portal(example_site):
    status = json.loads(_cli_json("status", "--as-of", "2026-11-22"))
    index = example_site.pages()["index.html"]
    assert status["position"]["headline"] in index
    assert status["position"]["statement"] in index
    result = pipeline.run(ROOT, date(2026, 11, 22))
    checked = json.loads(_cli_json("check", "--as-of", "2026-11-22"))
    assert [(r.code, r.loc.path, r.loc.line, r.message) for r in result.results] == \
        _findings(checked)


def _cli_json(*args: str) -> str:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "dsptkit", *args, "--format", "json", "--repo",
                           str(ROOT)], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def test_one_reader_of_the_assessment_date(monkeypatch):
    assert pipeline.parse_as_of("2026-07-01") == date(2026, 7, 1)
    assert pipeline.parse_as_of(None) is None
    for bad in ("2026-7-1", "20260701", "2026-02-30", "0001-01-01", "tomorrow"):
        with pytest.raises(UsageError):
            pipeline.parse_as_of(bad)
    monkeypatch.setenv("DSPT_AS_OF", "2027-06-30")
    assert pipeline.assessment_date() == date(2027, 6, 30)
    assert pipeline.assessment_date("2026-01-01") == date(2026, 1, 1)
    monkeypatch.setenv("DSPT_AS_OF", "30/06/2027")
    with pytest.raises(UsageError, match="DSPT_AS_OF '30/06/2027' is not a date"):
        pipeline.assessment_date()


def test_the_cli_reads_dspt_as_of_and_reports_a_bad_one(repo, monkeypatch, capsys):
    def dspt(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--repo", str(repo.root)])
        out, err = capsys.readouterr()
        return code, out, err

    monkeypatch.setenv("DSPT_AS_OF", "2026-09-15")
    code, out, _ = dspt("check", "--format", "json")
    assert json.loads(out)["as_of"] == "2026-09-15"
    monkeypatch.setenv("DSPT_AS_OF", "soon")
    code, _, err = dspt("status")
    assert code == 2
    assert err == "dspt: error: DSPT_AS_OF 'soon' is not a date; write YYYY-MM-DD, e.g. " \
                  "2027-06-30\n"
    with pytest.raises(SystemExit) as stop:
        dspt("status", "--as-of", "2026-13-01")
    assert stop.value.code == 2
    assert "'2026-13-01' is not a date; write YYYY-MM-DD" in capsys.readouterr().err


def test_a_first_approval_is_an_approval_and_a_later_edit_is_not(git_repo):
    draft = ("---\nid: backup\ntitle: Backup policy\nversion: \"1.0\"\nstatus: draft\n"
             "owner: siro\nclaims: []\n---\n# Backup\n\nWe back up nightly.\n")
    git_repo.write("policies/backup.md", draft)
    git_repo.commit("Backup policy drafted", date="2026-06-02")
    git_repo.write("policies/backup.md", draft.replace(
        "status: draft", "status: approved\napproved: {by: siro, on: 2026-06-05}"))
    git_repo.commit("Backup policy approved at the board", date="2026-06-05")
    run = pipeline.run(git_repo.root, date(2026, 7, 1))
    assert [r for r in run.results if r.code == "HI004" and r.subject == "backup"] == []
    text = (git_repo.root / "policies/backup.md").read_text()
    git_repo.write("policies/backup.md", text.replace("nightly", "weekly"))
    git_repo.commit("Back up less often", date="2026-06-10")
    run = pipeline.run(git_repo.root, date(2026, 7, 1))
    assert [r.subject for r in run.results if r.code == "HI004"] == ["backup"]


def test_attachments_from_a_commit_are_hashed_and_scanned_as_on_disk(git_repo):
    data = b"x" * (3 << 20) + b"\nPatient NHS number: 401 023 2137\n"  # past 1 MiB: streamed
    digest = git_repo.attach("evidence/2026/export.csv", data)
    git_repo.write("evidence/2026/e2.md", "---\nid: EV-2\ntitle: Export\ncollected: 2026-06-02\n"
                                          "by: bob\nsupports: [GV-1]\noutcome: pass\nfiles:\n"
                                          f"  - path: export.csv\n    sha256: {digest}\n---\n")
    git_repo.commit("An export", date="2026-06-02")
    on_disk = pipeline.run(git_repo.root, date(2026, 7, 1))
    committed = pipeline.run(git_repo.root, date(2026, 7, 1), revision="HEAD")
    for result in (on_disk, committed):
        attachment = next(e for e in result.repo.evidence if e.id == "EV-2").files[0]
        assert attachment.actual_sha256 == digest
        assert [r.code for r in result.results if r.loc.path == "evidence/2026/export.csv"] == \
            ["PD001"]
