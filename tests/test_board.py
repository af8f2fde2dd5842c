"""`dspt report board`: the quarterly board report, for a tiny repository with two quarters
of real git history (commits at fixed dates in Q3 and Q4 2026), read as the board reads it:
the Markdown, the internal portal page, and the PDF printed by the real Chromium.

The story: GV-1's evidence of 1 June runs 90 days, so at the end of Q3 (30 September) the
ICO registration item is not met; new evidence on 5 October makes it met again. In Q4 an
incident is recorded with its lessons and an action that is now overdue, a waiver expires
in February 2027 and a planned claim's target of 31 October has passed.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from conftest import chromium_path
from dsptkit import pipeline
from dsptkit.errors import UsageError
from dsptkit.main import main
from dsptkit.report import board
from dsptkit.report.board import Quarter
from portal_helpers import rendered_pages

AS_OF = "2026-11-15"
HOSTILE = "<img src=x onerror=alert(1)>"


def evidence(ident: str, collected: str, supports: str = "GV-1", title: str = "ICO register checked"
             ) -> str:
    return f"""\
        ---
        id: {ident}
        title: '{title}'
        collected: {collected}
        by: bob
        supports: [{supports}]
        outcome: pass
        ---
        Checked.
        """


PLANNED = """\
          - id: GV-2
            says: Our asset register is reviewed every year.
            meets: [dspt:1.1.2]
            evidence_every: 1y
            status: planned
            target: 2026-10-31
            owner: bob
"""

INCIDENTS = """\
    incidents:
      - id: INC-1
        date: 2026-10-12
        summary: A reminder went to the wrong number.
        reported_to: [the practice]
        lessons: Numbers taken by phone are read back to the caller.
        closed: 2026-10-20
        actions:
          - {action: Brief the front desk on reading numbers back, owner: bob, due: 2026-11-01}
          - {action: Add a read-back prompt to the booking script, owner: alice, due: 2026-10-15, done: 2026-10-14}
      - id: NM-1
        date: 2026-10-25
        near_miss: true
        summary: A laptop was nearly left on a train.
    """

WAIVER = """\
    waivers:
      - rule: IN101
        subject: NM-1
        reason: 'Lessons are agreed at the January meeting | not before'
        approved_by: siro
        expires: 2027-02-15
    """


def add_planned_claim(repo) -> None:  # type: ignore[no-untyped-def]
    path = repo.root / "policies/governance.md"
    planned = "".join(line[8:] + "\n" for line in PLANNED.splitlines())
    path.write_text(path.read_text().replace("---\n# Governance", planned + "---\n# Governance"))


@pytest.fixture
def history(git_repo):  # type: ignore[no-untyped-def]
    """Start (1 June, Q2); the plan and a training record (15 August, Q3); the evidence,
    the incident and the waiver (10 October, Q4)."""
    add_planned_claim(git_repo)
    git_repo.write("evidence/registers/training.yaml", """\
        training:
          - {person: alice, course: Data Security Awareness, completed: 2026-02-01}
          - {person: bob, course: Data Security Awareness, completed: 2026-02-03}
          - {person: alice, course: Phishing refresher, completed: 2026-08-14}
        """)
    git_repo.commit("Plan the asset register review", date="2026-08-15")
    git_repo.write("evidence/2026/ico-october.md", evidence("EV-2", "2026-10-05"))
    git_repo.write("evidence/registers/incidents.yaml", INCIDENTS)
    org = (git_repo.root / "organisation.yaml").read_text()
    git_repo.write("organisation.yaml", org + "waivers:\n" + "\n".join(
        line[4:] for line in WAIVER.splitlines()[1:]) + "\n")
    git_repo.commit("October: ICO evidence, an incident and a near miss", date="2026-10-10")
    return git_repo


def dspt(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def report_of(root: Path, *args: str, as_of: str = AS_OF) -> str:
    code, out, err = dspt("report", "board", "--repo", str(root), "--as-of", as_of, *args)
    assert code == 0, err
    return out


def section(text: str, heading: str) -> str:
    """One ``## `` section of the Markdown, up to the next."""
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 3)
    return text[start:end if end != -1 else None]


# -- the position then and now ------------------------------------------------------------------

def test_the_position_now_and_as_recorded_at_the_end_of_last_quarter(history):
    sha = history.git("rev-parse", "--short=8", "HEAD~1").strip()
    text = report_of(history.root)
    assert text.startswith("# Board report: Q4 2026 (October to December 2026)\n")
    assert "2026-10-01 to 2026-11-15 (the quarter so far)" in text
    position = section(text, "Position now and last quarter")
    assert "| | End of Q3 2026 (2026-09-30) | Now (2026-11-15) |" in position
    assert "| Mandatory items met | 0 of 1 | 1 of 1 |" in position
    assert f"Last quarter: as recorded in git: commit {sha} of 2026-08-15." in position
    assert "Now: the files as they are." in position
    assert "- dspt:1.1.1 ICO registration: not met → met" in position  # the item that became met
    assert "Since last quarter (git): 1 evidence file added" in position
    assert "Next deadline 2027-06-30 (227 days left)" in position
    assert "cannot be shown from git" not in text


def test_what_was_done_in_the_quarter_comes_from_the_files_dates(history):
    done = section(report_of(history.root), "What was done in Q4 2026")
    assert "- Evidence collected: 1\n  - 2026-10-05 EV-2 ICO register checked (pass, Bob Brown)" \
        in done
    assert "- Incidents and near misses closed: 1\n  - 2026-10-20 INC-1 (incident)" in done
    assert ("- Incident actions done: 1\n  - 2026-10-14 INC-1: Add a read-back prompt to the "
            "booking script, Alice Adams") in done
    assert "- Training completed: none" in done  # August's refresher was last quarter


def test_incidents_with_lessons_and_an_overdue_action(history):
    incidents = section(report_of(history.root), "Incidents and near misses in Q4 2026")
    assert "1 incident and 1 near miss." in incidents
    assert "- **INC-1** (incident, 2026-10-12, closed 2026-10-20): A reminder went to the wrong " \
           "number." in incidents
    assert "  - Lessons: Numbers taken by phone are read back to the caller." in incidents
    assert "  - Action (overdue, due 2026-11-01, Bob Brown): Brief the front desk on reading " \
           "numbers back" in incidents
    assert "- **NM-1** (near miss, 2026-10-25, open): A laptop was nearly left on a train." \
        in incidents
    assert "  - Lessons: no lessons recorded" in incidents


def test_decisions_waiver_expiring_next_quarter_a_slipping_plan_an_overdue_action(history):
    decisions = section(report_of(history.root), "Decisions for the board")
    assert "Waivers expiring by 2027-03-31: renew, or fix what they cover?" in decisions
    # the reason's pipe is escaped: it stays in its cell
    assert ("| IN101 for NM-1 | 2027-02-15 | Alice Adams | Lessons are agreed at the January "
            "meeting \\| not before |") in decisions
    assert ("- GV-2 (past its target, target 2026-10-31, Bob Brown): Our asset register is "
            "reviewed every year.") in decisions
    assert "Incident actions overdue:" in decisions
    assert "- 2026-11-01 action from incident INC-1: Brief the front desk on reading numbers " \
           "back, Bob Brown (overdue)" in decisions


def test_due_next_quarter_and_training(history):
    text = report_of(history.root)
    due = section(text, "Due in Q1 2027")
    assert "## Due in Q1 2027 (January to March 2027)" in due
    assert "- Due in Q1 2027: 9 (3 data map approval, 3 register review, 1 evidence, 1 training, " \
           "1 waiver)" in due
    assert "  - 2027-01-03 evidence for claim GV-1 expires, Alice Adams" in due  # soonest first
    assert "  - and 4 more ('dspt due' lists them all)" in due  # five at most
    assert ("- Overdue now: 2\n  - 2026-10-31 planned claim GV-2 is due to be in place, Bob Brown "
            "(overdue)\n") in due
    training = section(text, "Training and policy sign-off")
    # alice trained in August, bob not since February: 2 of 2 are in date in the 12 months
    assert "- Data security training: 2 of 2 current staff (100%) trained in the last 12 months;" \
           " meets the DSPT's 95% bar. Last quarter: 100%." in training
    assert "Policy sign-off" not in training  # no policy asks for it


def test_a_past_quarter_is_read_from_the_commit_at_its_end(history):
    start = history.git("rev-parse", "--short=8", "HEAD~2").strip()
    august = history.git("rev-parse", "--short=8", "HEAD~1").strip()
    text = report_of(history.root, "--quarter", "2026Q3")
    assert text.startswith("# Board report: Q3 2026 (July to September 2026)\n")
    assert "2026-07-01 to 2026-09-30." in text
    assert "| | End of Q2 2026 (2026-06-30) | End of Q3 2026 (2026-09-30) |" in text
    assert f"Last quarter: as recorded in git: commit {start} of 2026-06-01. Now: as recorded in " \
           f"git: commit {august} of 2026-08-15." in text
    assert "- dspt:1.1.1 ICO registration: met → not met" in text
    assert "EV-2" not in text  # committed in October: not in the files at the end of Q3


# -- without history ----------------------------------------------------------------------------

def test_no_commit_before_the_quarter_says_so_in_plain_words(repo, git_env, tmp_path):
    import subprocess

    env = dict(git_env, GIT_AUTHOR_DATE="2026-10-02T12:00:00+00:00",
               GIT_COMMITTER_DATE="2026-10-02T12:00:00+00:00")
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "Start")):
        subprocess.run(["git", *args], cwd=repo.root, env=env, check=True, capture_output=True)
    text = report_of(repo.root)
    assert ("> no git history before 2026-10-01: the change since last quarter cannot be shown "
            "from git.") in text
    assert "Last quarter: by the dates in today's files, not as recorded." in text
    assert "Since last quarter (git)" not in text  # nothing from git is claimed


def test_a_folder_that_is_not_a_git_repository_says_why(repo):
    text = report_of(repo.root)
    assert "> this folder is not a git repository, so no history is known: the change since " \
           "last quarter cannot be shown from git." in text
    assert "Last quarter: by the dates in today's files, not as recorded." in text


def test_history_turned_off_says_why_and_labels_what_it_shows(history):
    org = history.root / "organisation.yaml"
    org.write_text(org.read_text() + "check: {history: false}\n")
    text = report_of(history.root)
    assert "> check.history is false in organisation.yaml, so git history was not read: the " \
           "change since last quarter cannot be shown from git." in text
    assert "2 items changed status (by the dates in today's files, not as recorded):" in text
    assert "- dspt:1.1.1 ICO registration: not met → met" in text  # EV-2 is dated 5 October
    assert "Since last quarter (git)" not in text
    past = report_of(history.root, "--quarter", "Q3 2026")
    assert "Q3 2026 is shown by the dates in today's files, not as recorded" in past


# -- the quarter --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2026Q4", "2026-Q4", "Q4 2026", "q4-2026", " 2026 q4 "])
def test_quarters_are_read_in_the_usual_ways(text):
    quarter = Quarter.parse(text)
    assert (quarter.label, quarter.start.isoformat(), quarter.end.isoformat()) == \
        ("2026Q4", "2026-10-01", "2026-12-31")
    assert (quarter.previous.label, quarter.next.label) == ("2026Q3", "2027Q1")


@pytest.mark.parametrize("text", ["2026Q5", "Q0 2026", "2026", "last quarter", "26Q4"])
def test_a_bad_quarter_is_a_usage_error(text, history):
    with pytest.raises(UsageError):
        Quarter.parse(text)
    code, out, err = dspt("report", "board", "--quarter", text, "--repo", str(history.root),
                          "--as-of", AS_OF)
    assert code == 2 and out == ""
    assert "is not a quarter; write it as 2026Q4, 2026-Q4 or Q4 2026" in err
    assert "Traceback" not in err


def test_a_quarter_that_has_not_started_is_refused(history):
    code, _, err = dspt("report", "board", "--quarter", "2027Q1", "--repo", str(history.root),
                        "--as-of", AS_OF)
    assert code == 2
    assert err == ("dspt: error: --quarter 2027Q1 starts on 2027-01-01, after the as-of date "
                   "2026-11-15: nothing of it has happened yet (the latest quarter to report on "
                   "is 2026Q4)\n")


def test_errors_in_the_repository_refuse_the_report(history):
    history.write("evidence/2026/broken.md", "---\nid: [\n---\n")
    code, out, err = dspt("report", "board", "--repo", str(history.root), "--as-of", AS_OF)
    assert code == 1 and out == ""
    assert "error(s); the board report is refused until they are fixed" in err


# -- what comes from the files is inert ---------------------------------------------------------

def test_hostile_text_is_escaped_in_markdown_and_html(history):
    history.write("evidence/2026/hostile.md", evidence("EV-3", "2026-10-06", title=HOSTILE))
    incidents = (history.root / "evidence/registers/incidents.yaml").read_text()
    history.write("evidence/registers/incidents.yaml", incidents.replace(
        "summary: A laptop was nearly left on a train.",
        "summary: '# [click](https://evil.example) **now** | x'"))
    text = report_of(history.root)
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert ("A laptop" not in text and
            "\\# \\[click\\](https://evil.example) \\*\\*now\\*\\* \\| x" in text)
    run = pipeline.run(history.root, AS_OF)
    page = rendered_pages(run, internal=True)["board.md"]
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


# -- the portal page ----------------------------------------------------------------------------

def test_the_board_page_is_in_internal_builds_only(history):
    from dsptkit.portal.pages import board as board_page
    from dsptkit.portal.site import build_site

    run = pipeline.run(history.root, AS_OF)
    internal = {p.path: p for p in build_site(run, None, True).pages}
    assert internal["board.md"].title == "Board report"
    assert "board.md" not in {p.path for p in build_site(run, None, False).pages}
    with pytest.raises(ValueError, match="internal builds only"):
        board_page.page(build_site(run, None, False).view)
    html = rendered_pages(run, internal=True)["board.md"]
    assert "Internal build: do not publish." in html
    assert "<h2 id=\"decisions\">Decisions for the board</h2>" in html
    assert "IN101 for NM-1" in html and "Brief the front desk on reading numbers back" in html
    assert "as recorded in git: commit" in html


# -- writing files ------------------------------------------------------------------------------

def test_output_is_written_once_and_never_overwritten(history, tmp_path):
    out = tmp_path / "board.md"
    code, stdout, err = dspt("report", "board", "--repo", str(history.root), "--as-of", AS_OF,
                             "--output", str(out))
    assert code == 0, err
    assert stdout == f"wrote {out}: the board report for Q4 2026 as of 2026-11-15\n"
    first = out.read_bytes()
    assert first.decode().startswith("# Board report: Q4 2026")
    code, _, err = dspt("report", "board", "--repo", str(history.root), "--as-of", AS_OF,
                        "--output", str(out), "--quarter", "2026Q3")
    assert code == 1
    assert f"{out} exists; dspt report board writes a new file and replaces nothing" in err
    assert out.read_bytes() == first


def test_pdf_needs_an_output_file(history):
    code, _, err = dspt("report", "board", "--repo", str(history.root), "--as-of", AS_OF,
                        "--format", "pdf")
    assert code == 2
    assert "--format pdf writes a file: give it with --output FILE.pdf" in err


def test_the_pdf_is_the_portal_page_printed_by_chromium(history, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    chromium_path()
    out = tmp_path / "board.pdf"
    code, stdout, err = dspt("report", "board", "--repo", str(history.root), "--as-of", AS_OF,
                             "--format", "pdf", "--output", str(out))
    assert code == 0, err
    assert stdout == (f"wrote {out}: the board report for Q4 2026 as of 2026-11-15 (internal: do "
                      "not publish it)\n")
    text = " ".join(" ".join(page.extract_text().split())
                    for page in pypdf.PdfReader(str(out)).pages)
    assert "Test Care Ltd — Board report" in text
    assert "Internal build: do not publish" in text
    now = board.report(pipeline.run(history.root, AS_OF), Quarter.parse("2026Q4")).now.headline
    assert now in text
    assert "Decisions for the board" in text and "IN101 for NM-1" in text
    before = out.read_bytes()
    code, _, err = dspt("report", "board", "--repo", str(history.root), "--as-of", AS_OF,
                        "--format", "pdf", "--output", str(out))
    assert code == 1 and "exists" in err
    assert out.read_bytes() == before

