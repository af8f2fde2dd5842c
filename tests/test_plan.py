"""`dspt due --plan` and `dspt due --apply`: the year laid out month by month, where work piles
up, policy reviews brought forward (never later, never sooner than the margin), and the
command that makes those moves editing only the dates it names, diff first, all or nothing.
A move of next_review alone is not a change to the approved policy (HI004)."""

from __future__ import annotations

import calendar
import json
import os
import pty
import random
import select
import subprocess
import sys
from datetime import date, timedelta

import pytest

from conftest import ROOT, TinyRepo, terminal_env
from dsptkit import pipeline
from dsptkit.commands.due_plan import Edit, set_next_review, validate
from dsptkit.due import DueItem, Kind, Schedule
from dsptkit.errors import RepositoryError
from dsptkit.git import _diff_files
from dsptkit.main import main
from dsptkit.model import Loc
from dsptkit.plan import MARGIN, MONTHS, piles_up, plan, target

AS_OF = "2026-07-01"

POLICY = """\
---
id: {id}
title: {title}
version: "1.0"
status: approved
approved: {{by: siro, on: {approved}}}  # approved at the {id} board
owner: {owner}
review_every: 1y
claims: []
---
# {title}

Words of the policy.
"""


def policy(pid: str, approved: str = "2026-03-10", owner: str = "bob") -> str:
    return POLICY.format(id=pid, title=pid.replace("-", " ").capitalize(), approved=approved,
                         owner=owner)


def due(repo: TinyRepo, *argv: str):  # type: ignore[no-untyped-def]
    return repo.dspt("due", "--repo", str(repo.root), *argv)


def review_due(root, pid: str, as_of: str = AS_OF) -> date | None:  # type: ignore[no-untyped-def]
    return pipeline.run(root, as_of, history=False).position.policies[pid].review_due


# -- the plan, pure: many generated schedules ------------------------------------------------------

KINDS = list(Kind)


def item(when: date | None, kind: Kind, subject: str, as_of: date, **kw) -> DueItem:  # type: ignore[no-untyped-def]
    overdue = when is None or when < as_of
    return DueItem(when, kind, subject, f"{kind.value} {subject}", "do it", "bob", "bob",
                   Loc(f"policies/{subject}.md", 7, 1), overdue,
                   policy=subject if kind is Kind.POLICY_REVIEW else None, **kw)


def random_schedule(rng: random.Random) -> Schedule:
    as_of = date(2026, 1, 1) + timedelta(days=rng.randrange(0, 900))
    items = []
    hot = [as_of + timedelta(days=rng.randrange(0, 380)) for _ in range(rng.randrange(1, 4))]
    for n in range(rng.randrange(0, 60)):
        kind = Kind.POLICY_REVIEW if rng.random() < 0.4 else rng.choice(KINDS)
        roll = rng.random()
        if roll < 0.05:
            when = None
        elif roll < 0.5:  # crowd some dates together so that months pile up
            when = rng.choice(hot) + timedelta(days=rng.randrange(-10, 10))
        else:
            when = as_of + timedelta(days=rng.randrange(-60, 420))
        items.append(item(when, kind, f"s{n}", as_of))
    return Schedule(as_of, tuple(items), (), True)


def test_the_plan_never_moves_a_date_later_nor_anything_but_a_policy_review():
    rng = random.Random(14)
    moved = 0
    for _ in range(600):
        schedule = random_schedule(rng)
        year = plan(schedule)
        as_of = schedule.as_of
        assert len(year.months) == MONTHS
        assert year.months[0].start == as_of.replace(day=1)
        loads = {m.label: m.load for m in year.months}
        assert sum(m.after for m in year.months) == year.total  # moves keep every item
        assert len({move.policy for move in year.moves}) == len(year.moves)
        for move in year.moves:
            moved += 1
            assert move.item.kind is Kind.POLICY_REVIEW and not move.item.overdue
            assert move.to < move.current  # never later, never the same
            assert move.to >= as_of + MARGIN >= as_of  # the margin, so never in the past
            source = f"{move.current.year}-{move.current.month:02d}"
            assert piles_up(loads[source], year.average)  # only out of a month that piles up
            last_day = calendar.monthrange(move.to.year, move.to.month)[1]
            assert move.to.day == min(move.current.day, last_day) or \
                move.to == as_of + MARGIN  # the same day of the month, clamped; or the margin
        for month in year.months:
            assert month.after <= max(month.load, year.target)  # never pushed over the target
            assert all(i.when is not None and month.start <= i.when <= month.end
                       and not i.overdue for i in month.items)
        assert all(i.overdue for i in year.overdue)
    assert moved > 200  # the property was exercised, not vacuously true


def test_the_pile_up_rule_and_the_target():
    assert target(0) == 1 and target(12) == 1 and target(13) == 2 and target(82) == 7
    assert not piles_up(2, 0.5)  # fewer than 3 items never piles up
    assert piles_up(3, 1.0) and not piles_up(3, 2.0) and piles_up(4, 2.5) is True
    assert not piles_up(15, 10.0)  # exactly 1.5 times is not more than


def test_a_crowded_month_is_spread_to_the_nearest_earlier_months_with_room():
    as_of = date(2026, 7, 1)
    items = [item(date(2027, 3, 10), Kind.POLICY_REVIEW, f"p{n}", as_of) for n in range(3)]
    items += [item(date(2027, 3, 31), Kind.EVIDENCE, f"e{n}", as_of) for n in range(3)]
    items += [item(date(2027, 2, 28), Kind.TRAINING, "t", as_of),
              item(date(2026, 6, 1), Kind.EVIDENCE, "late", as_of)]
    year = plan(Schedule(as_of, tuple(items), (), True))
    march = next(m for m in year.months if m.label == "2027-03")
    assert march.load == 6 and march.pile_up and march.after == 3
    assert year.target == 1 and [m.label for m in year.pile_ups] == ["2027-03"]
    # latest first, each to the nearest earlier month under the target (February is at it)
    assert [(m.policy, m.current, m.to) for m in year.moves] == [
        ("p0", date(2027, 3, 10), date(2026, 11, 10)),
        ("p1", date(2027, 3, 10), date(2026, 12, 10)),
        ("p2", date(2027, 3, 10), date(2027, 1, 10)),
    ]
    assert [i.subject for i in year.overdue] == ["late"]
    assert "March 2027 holds 6 items, over 1; January 2027 holds 0" in year.moves[2].why


def test_the_margin_and_the_end_of_a_short_month():
    as_of = date(2026, 12, 20)  # margin: nothing before 2027-01-03
    items = [item(date(2027, 3, 31), Kind.POLICY_REVIEW, f"p{n}", as_of) for n in range(4)]
    year = plan(Schedule(as_of, tuple(items), (), True))
    assert sorted(m.to for m in year.moves) == [date(2027, 1, 31), date(2027, 2, 28)]
    items = [item(date(2027, 1, 2), Kind.POLICY_REVIEW, f"p{n}", as_of) for n in range(4)]
    year = plan(Schedule(as_of, tuple(items), (), True))
    assert year.moves == ()  # December is before the margin: nothing can move
    as_of = date(2026, 12, 1)  # margin: 2026-12-15, inside December
    items = [item(date(2027, 1, 3), Kind.POLICY_REVIEW, f"p{n}", as_of) for n in range(4)]
    year = plan(Schedule(as_of, tuple(items), (), True))
    assert [m.to for m in year.moves] == [date(2026, 12, 15)]  # the 3rd is too soon: the margin


def test_owner_filters_the_view_and_moves_only_their_policies():
    as_of = date(2026, 7, 1)
    mine = [item(date(2027, 3, 10), Kind.POLICY_REVIEW, f"mine{n}", as_of) for n in range(4)]
    theirs = [DueItem(date(2027, 3, 10), Kind.POLICY_REVIEW, f"theirs{n}", "w", "a", "alice",
                      "alice", Loc("x", 1, 1), False, policy=f"theirs{n}") for n in range(4)]
    year = plan(Schedule(as_of, tuple(mine + theirs), (), True), owner="bob")
    assert year.total == 4 and {m.policy for m in year.moves} <= {i.subject for i in mine}


# -- the plan on the worked example ----------------------------------------------------------------

def test_the_example_march_pile_up_is_spread(capsys):
    code = main(["due", "--repo", str(ROOT), "--as-of", AS_OF, "--plan", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    march = next(m for m in data["months"] if m["month"] == "2027-03")
    assert march["pile_up"] and march["by_kind"]["policy review"] == 3
    moved = {m["policy"]: m for m in data["moves"]}
    # the three policies approved on 2026-03-10 with a yearly review
    for pid in ("confidentiality", "patching-and-unsupported-systems", "records-retention"):
        assert moved[pid]["from"] == "2027-03-10"
        assert AS_OF < moved[pid]["to"] < "2027-03-10"
    assert march["after_moves"] == march["items"] - 3
    assert data["command"].startswith(f"dspt due --repo {ROOT} --as-of {AS_OF} --apply ")
    assert "confidentiality=" in data["command"]
    assert data["margin_days"] == 14 and data["earliest"] == "2026-07-15"

    code = main(["due", "--repo", str(ROOT), "--as-of", AS_OF, "--plan"])
    text = capsys.readouterr().out
    assert code == 0
    assert text.startswith("The year from 2026-07-01: July 2026 to June 2027\n")
    assert any(line.startswith("  March 2027 ") and line.endswith("<- piles up")
               for line in text.splitlines())
    assert "Only policy reviews can move" in text
    assert "  confidentiality" in text and "2027-03-10 -> " in text
    assert f"  dspt due --repo {ROOT} --as-of {AS_OF} --apply " in text


def test_plan_usage(repo):
    assert due(repo, "--plan", "--format", "csv").code == 2
    assert due(repo, "--plan", "--yes").code == 2
    assert due(repo, "--plan", "--apply", "governance=2026-08-01").code == 2
    run = due(repo, "--plan", "--as-of", AS_OF)
    assert run.code == 0
    assert "Where work piles up:\n  January 2027: 6 items (data map approval 3, register " \
        "review 3)\n\nNo policy review falls due in the months that pile up, so none is " \
        "moved.\n" in run.out
    assert "To apply" not in run.out
    run = due(repo, "--plan", "--as-of", "2027-02-01")
    assert run.code == 0 and "No month piles up.\n\nNothing to move.\n" in run.out


# -- --apply ------------------------------------------------------------------------------------

def crowded(repo: TinyRepo) -> None:
    for pid in ("alpha", "beta", "gamma"):
        repo.write(f"policies/{pid}.md", policy(pid))


def test_apply_edits_only_the_named_dates(repo):
    crowded(repo)
    repo.write("policies/beta.md",
               policy("beta").replace("review_every: 1y\n",
                                      "review_every: 1y\nnext_review: 2027-03-01   # agreed\n")
               .replace("\n", "\r\n").encode("utf-8-sig"))
    before = repo.snapshot()
    run = due(repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-10", "beta=2026-12-01", "--yes")
    assert run.code == 0, run.err
    after = repo.snapshot()
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {"policies/alpha.md", "policies/beta.md"}
    assert after["policies/alpha.md"].decode() == policy("alpha").replace(
        "review_every: 1y\n", "review_every: 1y\nnext_review: 2027-01-10\n")
    # the value replaced; the comment, the CRLF line endings and the BOM kept
    assert after["policies/beta.md"] == policy("beta").replace(
        "review_every: 1y\n", "review_every: 1y\nnext_review: 2026-12-01   # agreed\n").replace(
        "\n", "\r\n").encode("utf-8-sig")
    # the diff of every file comes first, then what was changed
    lines = run.lines
    assert lines[0] == "--- a/policies/alpha.md" and lines[1] == "+++ b/policies/alpha.md"
    assert "+next_review: 2027-01-10" in lines
    assert "-next_review: 2027-03-01   # agreed" in lines
    assert "+next_review: 2026-12-01   # agreed" in lines
    assert lines.index("+next_review: 2026-12-01   # agreed") < lines.index(
        "policies/alpha.md:9: moved the review of alpha from 2027-03-10 to 2027-01-10")
    assert "policies/beta.md:9: moved the review of beta from 2027-03-01 to 2026-12-01" in lines
    # the repository passes the check, and its position reads the new dates
    check = repo.dspt("check")
    assert check.code == 0 and "0 errors" in check.out
    assert review_due(repo.root, "alpha") == date(2027, 1, 10)
    assert review_due(repo.root, "beta") == date(2026, 12, 1)
    late = repo.dspt("check", "--as-of", "2027-01-11")
    assert any("PO101 policy alpha was due for review on 2027-01-10" in line for line in late.lines)
    assert not any("PO101 policy gamma" in line for line in late.lines)


def test_apply_adds_next_review_after_approved_when_there_is_no_review_every(repo):
    repo.write("policies/delta.md", policy("delta").replace("review_every: 1y\n", "").replace(
        "approved: {by: siro, on: 2026-03-10}  # approved at the delta board\n",
        "approved:\n  by: siro\n\n  on: 2026-03-10\n"))
    run = due(repo, "--as-of", AS_OF, "--apply", "delta=2027-01-10", "--yes")
    assert run.code == 0, run.err
    text = (repo.root / "policies/delta.md").read_text()
    assert "approved:\n  by: siro\n\n  on: 2026-03-10\nnext_review: 2027-01-10\nowner: bob\n" \
        in text
    assert review_due(repo.root, "delta") == date(2027, 1, 10)


@pytest.mark.parametrize(("pair", "message"), [
    ("alpha=2027-03-10", "alpha is due for review on 2027-03-10; 2027-03-10 is not earlier. "
                         "A review can only be brought forward, never put back"),
    ("alpha=2027-04-01", "2027-04-01 is not earlier"),
    ("alpha=2026-06-30", "2026-06-30 is in the past (before the as-of date 2026-07-01); choose "
                         "a date from 2026-07-01 to 2027-03-09"),
    ("alhpa=2027-01-01", "alhpa: no policy has this id (did you mean 'alpha'?)"),
    ("notes=2027-01-01", "policies/notes.md:6:1: policy notes has status draft, not approved"),
])
def test_apply_refuses_and_changes_nothing(repo, pair, message):
    crowded(repo)
    repo.write("policies/notes.md", policy("notes").replace("status: approved", "status: draft"))
    before = repo.snapshot()
    run = due(repo, "--as-of", AS_OF, "--apply", "beta=2027-01-01", pair, "--yes")
    assert run.code == 1
    assert message in run.err and run.err.rstrip().endswith("nothing was changed")
    assert run.out == ""  # refused before any diff
    assert repo.snapshot() == before


def test_apply_refuses_an_overdue_review(repo):
    repo.write("policies/old.md", policy("old", approved="2025-05-01"))
    run = due(repo, "--as-of", AS_OF, "--apply", "old=2026-07-02", "--yes")
    assert run.code == 1
    assert "old was due for review on 2026-05-01, by 2026-07-01 (the as-of date): review it " \
        "now" in run.err


@pytest.mark.parametrize("given", ["alpha", "alpha=", "=2027-01-01", "alpha=2027-1-1",
                                   "alpha=2027-02-30", "alpha=tomorrow"])
def test_apply_bad_shapes_are_usage_errors(repo, given):
    crowded(repo)
    before = repo.snapshot()
    run = due(repo, "--as-of", AS_OF, "--apply", given, "--yes")
    assert run.code == 2 and "Traceback" not in run.err
    assert f"--apply '{given}'" in run.err
    assert repo.snapshot() == before
    run = due(repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-01", "alpha=2027-01-02")
    assert run.code == 2 and "names policy 'alpha' twice" in run.err


def test_apply_dry_run_and_not_a_terminal_write_nothing(repo):
    crowded(repo)
    before = repo.snapshot()
    run = due(repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-10", "--dry-run")
    assert run.code == 0
    assert "+next_review: 2027-01-10" in run.lines and run.lines[-1] == \
        "dry run: nothing was changed"
    assert repo.snapshot() == before
    run = due(repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-10")  # stdin is not a terminal
    assert run.code == 1
    assert "+next_review: 2027-01-10" in run.lines  # the diff is still shown
    assert "nothing was changed; add --yes to apply" in run.err
    assert repo.snapshot() == before


def _at_terminal(repo: TinyRepo, answer: str, *argv: str) -> tuple[int, str]:
    """dspt with stdin, stdout and stderr on a pseudo-terminal, answering the question."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "dsptkit", "due", "--repo",
                                str(repo.root), *argv], stdin=slave, stdout=slave, stderr=slave,
                               env=terminal_env(), cwd=repo.root)
    os.close(slave)
    seen, answered = b"", False
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"Apply? [y/N]" in seen:
            os.write(master, answer.encode() + b"\n")
            answered = True
    os.close(master)
    return process.wait(timeout=60), seen.decode().replace("\r\n", "\n")


def test_apply_at_a_terminal_asks_after_the_diff(repo):
    crowded(repo)
    before = repo.snapshot()
    code, seen = _at_terminal(repo, "n", "--as-of", AS_OF, "--apply", "alpha=2027-01-10")
    assert code == 1 and repo.snapshot() == before
    assert seen.index("+next_review: 2027-01-10") < seen.index("Apply? [y/N]")
    assert "nothing was changed" in seen
    code, seen = _at_terminal(repo, "y", "--as-of", AS_OF, "--apply", "alpha=2027-01-10")
    assert code == 0, seen
    assert "moved the review of alpha from 2027-03-10 to 2027-01-10" in seen
    assert review_due(repo.root, "alpha") == date(2027, 1, 10)


def test_apply_writes_all_or_nothing(repo):
    crowded(repo)
    before = repo.snapshot()
    # the second file cannot be written: its temporary name is taken by a folder
    (repo.root / "policies" / f".gamma.md.dspt-{os.getpid()}.tmp").mkdir()
    run = due(repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-10", "gamma=2027-01-11", "--yes")
    assert run.code == 2 and "cannot write" in run.err and "nothing was changed" in run.err
    assert "Traceback" not in run.err
    assert repo.snapshot() == before  # alpha, written first, was put back


def test_apply_refuses_a_policy_file_it_cannot_read_cleanly(repo):
    crowded(repo)
    # a duplicate key (the loader keeps the first and reports it): no edit is proven safe
    repo.write("policies/alpha.md", policy("alpha").replace("owner: bob\n",
                                                            "owner: bob\nowner: bob\n"))
    before = repo.snapshot()
    run = due(repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-10", "--yes")
    assert run.code == 1
    assert "policies/alpha.md:1:1: the front matter cannot be read cleanly; set " \
        "'next_review: 2027-01-10' by hand" in run.err
    assert repo.snapshot() == before


def test_what_would_not_pass_the_check_is_refused_before_writing(repo):
    crowded(repo)
    root = repo.root
    result = pipeline.run(root, AS_OF, history=False)
    alpha = next(p for p in result.repo.policies if p.id == "alpha")
    raw = (root / "policies/alpha.md").read_bytes()

    def edit(after: bytes) -> Edit:
        return Edit(alpha, root / "policies/alpha.md", "policies/alpha.md", raw, after,
                    date(2027, 3, 10), date(2027, 1, 10), 9)

    with pytest.raises(RepositoryError) as broken:
        validate(root, date(2026, 7, 1), [edit(raw.replace(b"status: approved", b"status: ok"))])
    assert "the change does not pass the check, so nothing was changed:\n" \
        "  policies/alpha.md:" in str(broken.value)
    with pytest.raises(RepositoryError) as unmoved:
        validate(root, date(2026, 7, 1), [edit(raw)])
    assert "policies/alpha.md: the review date would not read as 2027-01-10" in str(unmoved.value)
    assert repo.snapshot()["policies/alpha.md"] == raw


def test_set_next_review_refuses_what_it_cannot_edit_safely():
    flow = b"---\n{id: x, title: X, next_review: 2027-01-01}\n---\n"
    assert "by hand" in set_next_review("policies/x.md", flow, date(2026, 12, 1))
    mac = policy("x").replace("\n", "\r").encode()
    assert "by hand" in set_next_review("policies/x.md", mac, date(2026, 12, 1))
    done = set_next_review("policies/x.md", policy("x").encode(), date(2026, 12, 1))
    assert isinstance(done, tuple) and done[1] == 9


def test_apply_every_generated_plan_passes_the_check(tmp_path, capsys):
    """Seeded random policy sets in real repositories: the plan's own command is accepted,
    only next_review lines change, and no review is later than it was."""
    rng = random.Random(2026)
    dates = ["2026-01-15", "2026-02-20", "2026-03-10", "2026-03-10", "2026-03-12", "2026-04-02",
             "2026-06-30"]
    applied = 0
    for n in range(6):
        repo = TinyRepo(tmp_path / f"r{n}", capsys)
        ids = [f"p{k}" for k in range(rng.randrange(3, 9))]
        for pid in ids:
            text = policy(pid, approved=rng.choice(dates), owner=rng.choice(["bob", "siro"]))
            if rng.random() < 0.3:
                text = text.replace("review_every: 1y\n", "review_every: 1y\nnext_review: "
                                    f"2027-0{rng.randrange(1, 7)}-1{rng.randrange(0, 9)}\n")
            if rng.random() < 0.3:
                text = text.replace("\n", "\r\n")
            repo.write(f"policies/{pid}.md", text.encode())
        as_of = (date(2026, 6, 1) + timedelta(days=rng.randrange(0, 120))).isoformat()
        was = {pid: review_due(repo.root, pid, as_of) for pid in ids}
        shown = json.loads(due(repo, "--as-of", as_of, "--plan", "--format", "json").out)
        if not shown["moves"]:
            continue
        before = repo.snapshot()
        args = [f"{m['policy']}={m['to']}" for m in shown["moves"]]
        run = due(repo, "--as-of", as_of, "--apply", *args, "--yes")
        assert run.code == 0, run.err
        applied += 1
        after = repo.snapshot()
        for path, data in after.items():
            gone = [line for line in before[path].split(b"\n") if line not in data.split(b"\n")]
            assert all(line.startswith(b"next_review: ") for line in gone)
        assert repo.dspt("check", "--as-of", as_of).code == 0
        for pid in ids:
            now = review_due(repo.root, pid, as_of)
            assert now is not None and was[pid] is not None and now <= was[pid]
            moved = next((m for m in shown["moves"] if m["policy"] == pid), None)
            assert now == (date.fromisoformat(moved["to"]) if moved else was[pid])
    assert applied >= 3


# -- HI004: moving a review date is not a change to the approved policy ---------------------------

def test_a_committed_review_move_is_not_a_policy_change_but_new_words_are(git_repo):
    git_repo.write("policies/alpha.md", policy("alpha").replace("\n", "\r\n").encode())
    git_repo.commit("Approve alpha", date="2026-06-02")
    assert "HI004" not in git_repo.dspt("check").codes
    run = due(git_repo, "--as-of", AS_OF, "--apply", "alpha=2027-01-10", "--yes")
    assert run.code == 0, run.err
    assert "HI004" not in git_repo.dspt("check").codes  # uncommitted
    git_repo.commit("Bring the alpha review forward", date="2026-06-03")
    assert "HI004" not in git_repo.dspt("check").codes
    run = due(git_repo, "--as-of", AS_OF, "--apply", "alpha=2026-12-01", "--yes")
    assert run.code == 0, run.err
    git_repo.commit("And again", date="2026-06-04")
    assert "HI004" not in git_repo.dspt("check").codes
    text = (git_repo.root / "policies/alpha.md").read_bytes()
    git_repo.write("policies/alpha.md", text.replace(b"Words of the policy.",
                                                     b"Other words of the policy."))
    git_repo.commit("Change the words", date="2026-06-05")
    found = [line for line in git_repo.dspt("check").lines if " HI004 " in line]
    assert len(found) == 1 and "policy alpha changed (commit " in found[0]
    assert "changes)" not in found[0]  # one change since approval: the moves are not counted


def test_new_words_with_a_review_move_in_one_commit_still_count(git_repo):
    git_repo.write("policies/alpha.md", policy("alpha"))
    git_repo.commit("Approve alpha", date="2026-06-02")
    text = (git_repo.root / "policies/alpha.md").read_text()
    git_repo.write("policies/alpha.md", text.replace(
        "review_every: 1y\n", "review_every: 1y\nnext_review: 2027-01-10\n").replace(
        "Words of", "New words of"))
    git_repo.commit("Move and reword", date="2026-06-03")
    assert "HI004" in git_repo.dspt("check").codes


def test_diff_files_reads_added_and_removed_lines_and_never_takes_content_for_a_header():
    diff = ("diff --git a/policies/a.md b/policies/a.md\n--- a/policies/a.md\n"
            "+++ b/policies/a.md\n@@ -9 +9 @@\n-next_review: 2027-03-01\r\n"
            "+next_review: 2027-01-01\r\n@@ -20 +20 @@\n--- a/old\n+++ b/new\n"
            "diff --git a/policies/b.md b/policies/b.md\nnew file mode 100644\n"
            "--- /dev/null\n+++ b/policies/b.md\n@@ -0,0 +1 @@\n+x\n")
    assert list(_diff_files(diff)) == [
        ("policies/a.md", ["next_review: 2027-01-01\r", "++ b/new"],
         ["next_review: 2027-03-01\r", "-- a/old"]),
        ("policies/b.md", ["x"], []),
    ]


def test_the_docs_show_the_plan_of_the_example_as_it_is(capsys, monkeypatch):
    """docs/plan.md's worked example is the real output; when the example changes, run
    `dspt due --plan --as-of 2026-11-22` and paste it in again."""
    doc = (ROOT / "docs" / "plan.md").read_text()
    shown = doc.split("(`dspt due --plan --as-of 2026-11-22`):\n\n```text\n", 1)[1].split("```")[0]
    monkeypatch.chdir(ROOT)
    assert main(["due", "--as-of", "2026-11-22", "--plan"]) == 0
    assert capsys.readouterr().out == shown
