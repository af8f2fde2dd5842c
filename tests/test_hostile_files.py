"""Files that would hang, crash or slip past the check: each reported at its path, exit 1,
no traceback, nothing changed."""

from __future__ import annotations

import os

import pytest


def _evidence_with(path_yaml: str) -> str:
    return ("---\nid: EV-2\ntitle: Attached\ncollected: 2026-06-02\nby: bob\nsupports: [GV-1]\n"
            f"outcome: pass\nfiles:\n  - path: {path_yaml}\n    sha256: {'a' * 64}\n---\nBody.\n")


def _assert_reported(repo, expected: str) -> None:
    before = repo.snapshot()
    run = repo.dspt("check")
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert any(expected in line for line in run.lines), run.out
    assert repo.snapshot() == before


def test_a_fifo_among_the_policies_is_reported_not_opened(repo):
    os.mkfifo(repo.root / "policies" / "pipe.md")
    _assert_reported(repo, "policies/pipe.md:1:1: FM001 is not a regular file (a FIFO, device "
                           "or socket), so it is not read; remove it")


def test_an_attachment_that_is_a_fifo_is_reported_not_opened(repo):
    os.mkfifo(repo.root / "evidence" / "2026" / "pipe.csv")
    repo.write("evidence/2026/e2.md", _evidence_with("pipe.csv"))
    _assert_reported(repo, "AT001 attachment 'pipe.csv' of EV-2 is not a regular file")


def test_an_attachment_in_a_symlink_loop_cannot_be_read(repo):
    os.symlink("loop.csv", repo.root / "evidence" / "2026" / "loop.csv")
    repo.write("evidence/2026/e2.md", _evidence_with("loop.csv"))
    _assert_reported(repo, "AT001 attachment 'loop.csv' of EV-2 cannot be read: Too many levels "
                           "of symbolic links")


def test_a_nul_byte_in_an_attachment_path(repo):
    repo.write("evidence/2026/e2.md", _evidence_with('"a\\0b.csv"'))
    _assert_reported(repo, "AT001 attachment 'a\\x00b.csv' of EV-2 cannot be read: its path "
                           "contains a NUL character")


def test_an_id_ending_in_a_newline_is_not_an_id(repo):
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("id: governance", 'id: "governance\\n"'))
    _assert_reported(repo, "policies/governance.md:2:")


def test_durations_and_dates_that_would_overflow_the_calendar(repo):
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("evidence_every: 90d",
                                                      "evidence_every: 100000000000000000000d"))
    _assert_reported(repo, "policies/governance.md:12:5: SC001 'claims[0].evidence_every' is "
                           "'100000000000000000000d', longer than 100 years")
    repo.write("policies/governance.md", text.replace("on: 2026-01-10}", "on: 2026-01-10}\n"
                                                      "review_every: 99999y"))
    _assert_reported(repo, "SC001 'review_every' is '99999y', longer than 100 years")


def test_a_review_period_from_the_last_day_of_the_calendar_does_not_crash(repo):
    text = (repo.root / "policies/governance.md").read_text()
    repo.write("policies/governance.md", text.replace("on: 2026-01-10}", "on: 9999-12-31}\n"
                                                      "review_every: 3y"))
    run = repo.dspt("check")
    assert "internal error" not in run.err and run.code == 1
    assert "DT101" in run.out or "DT001" in run.out or "future" in run.out, run.out


def test_category_1_is_out_of_scope_and_says_why(repo):
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text.replace("category: 3", "category: 1"))
    _assert_reported(repo, "organisation.yaml:3:1: SC001 'category' is 1: category 1 is the "
                           "CAF-aligned DSPT for the largest organisations, which dsptkit does "
                           "not cover; use 2, 3 or 4")


def test_a_date_and_time_where_a_date_is_required(repo):
    text = (repo.root / "evidence/2026/ico.md").read_text()
    repo.write("evidence/2026/ico.md", text.replace("collected: 2026-06-01",
                                                    "collected: 2026-06-01T10:30:00"))
    _assert_reported(repo, "evidence/2026/ico.md:4:1: SC001 'collected' must be a date written "
                           "YYYY-MM-DD, not a date and time (2026-06-01T10:30:00); write the "
                           "date alone")


def test_yaml_nested_too_deeply_is_reported_not_a_crash(repo):
    repo.write("policies/deep.md", "---\nid: deep\nextra: " + "[" * 20000 + "]" * 20000 +
               "\n---\n")
    _assert_reported(repo, "policies/deep.md:")


def test_a_file_name_with_a_newline_stays_on_one_output_line(repo):
    repo.write("policies/bad\nname.md", "no front matter\n")
    run = repo.dspt("check")
    assert run.code == 1
    assert "policies/bad\\x0aname.md:1:1: FM010" in run.out
    assert all(line.split(":")[0].startswith(("policies", "evidence", "standards",
                                              "organisation")) or line.startswith(("note", "1 "))
               for line in run.lines), run.lines


@pytest.mark.parametrize("name", ["évidence.md", "with space.md", "new\nline.md"])
def test_history_rules_see_files_whatever_their_names(git_repo, name):
    git_repo.write(f"evidence/2026/{name}", "---\nid: EV-2\ntitle: Old\ncollected: 2026-01-02\n"
                                            "by: bob\nsupports: [GV-1]\noutcome: pass\n---\n")
    git_repo.commit("Old evidence, committed late", date="2026-06-10")
    run = git_repo.dspt("check", "--as-of", "2026-07-01")
    assert any("HI001 evidence EV-2 says collected 2026-01-02" in line for line in run.lines), \
        run.out


def test_a_fifo_is_reported_once_whatever_its_name(repo):
    os.mkfifo(repo.root / "policies" / "pipe.md")
    os.mkfifo(repo.root / "evidence" / "2026" / "pipe.csv")
    run = repo.dspt("check")
    assert run.code == 1
    assert [line.split(": ")[0] for line in run.lines if "pipe" in line] == \
        ["evidence/2026/pipe.csv:1:1", "policies/pipe.md:1:1"]
    assert all("FM001" in line for line in run.lines if "pipe" in line)
