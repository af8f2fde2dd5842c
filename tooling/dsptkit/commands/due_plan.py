"""``dspt due --plan`` (the next 12 months, where work piles up, policy reviews to bring
forward) and ``dspt due --apply POLICY=DATE ...`` (bring them forward).

The plan is :mod:`dsptkit.plan`'s, from the one pipeline's schedule. ``--apply`` edits only
the ``next_review:`` line of each policy it names (adding one when there is none), keeping
every other byte; it shows the diff first, checks the repository with the edits laid over it
(no new errors), and writes all the files or none. See docs/plan.md.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dsptkit import pipeline
from dsptkit import plan as planning
from dsptkit.commands._shared import check_run, repository_root, write
from dsptkit.engine import CheckRun
from dsptkit.errors import RepositoryError, UsageError
from dsptkit.frontmatter import parse_markdown
from dsptkit.model import Policy, Severity, one_line
from dsptkit.report import FORMAT_VERSION
from dsptkit.writing import Overlay, replace_atomically

PAIR = re.compile(r"(?P<id>[^=\s]+)=(?P<date>\d{4}-\d{2}-\d{2})")
_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*\r?")
_VALUE_LINE = re.compile(
    r"(?P<head>next_review[ \t]*:[ \t]*)(?P<value>\"[^\"\n]*\"|'[^'\n]*'|[^\s#\"'][^\s#]*)"
    r"(?P<tail>(?:[ \t]+#[^\r]*)?[ \t]*\r?)")
_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|\r?$)")
BOM = b"\xef\xbb\xbf"


def run(args: argparse.Namespace) -> int:
    if args.plan and args.apply:
        raise UsageError("use --plan to see the proposed moves, or --apply to make them; not both")
    if args.apply:
        if args.format != "text":
            raise UsageError("--apply shows its diff as text; leave out --format")
        return apply(args)
    if args.yes or args.dry_run:
        raise UsageError("--yes and --dry-run go with --apply")
    if args.format not in ("text", "json"):
        raise UsageError(f"--plan is shown as text or json, not {args.format}")
    return show_plan(args)


# -- the plan ------------------------------------------------------------------------------------

def show_plan(args: argparse.Namespace) -> int:
    from dsptkit.commands.due import resolve_owner

    result = check_run(args)
    pipeline.refuse_errors(result, "the plan is")
    schedule = result.position.schedule
    owner = resolve_owner(args.owner, result.repo, schedule) if args.owner is not None else None
    year = planning.plan(schedule, owner.matched if owner else None, result.repo.organisation)
    command = planning.command(year.moves, args.as_of and schedule.as_of, args.repo)
    data = plan_data(year, command, owner.given if owner else None)
    write(json.dumps(data, indent=2, ensure_ascii=False) + "\n" if args.format == "json"
          else plan_text(data))
    return 0


def plan_data(year: planning.YearPlan, command: str | None, owner: str | None) -> dict[str, Any]:
    """The plan as one JSON-ready object (its shape is in docs/plan.md); the text is drawn
    from it, so both say the same."""
    return {
        "format_version": FORMAT_VERSION,
        "as_of": year.as_of.isoformat(),
        "owner": owner,
        "months": [{"month": m.label, "name": m.name, "start": m.start.isoformat(),
                    "end": m.end.isoformat(), "items": m.load, "by_kind": m.by_kind,
                    "pile_up": m.pile_up, "after_moves": m.after} for m in year.months],
        "total": year.total,
        "average": round(year.average, 2),
        "target": year.target,
        "pile_up_rule": {"factor": planning.PILE_UP_FACTOR,
                         "at_least": planning.PILE_UP_AT_LEAST,
                         "threshold": round(year.threshold, 2)},
        "overdue": {"items": len(year.overdue), "by_kind": planning.kinds(year.overdue)},
        "undated": {"items": len(year.undated), "by_kind": planning.kinds(year.undated)},
        "later": len(year.later),
        "margin_days": planning.MARGIN.days,
        "earliest": year.earliest.isoformat(),
        "moves": [{"policy": move.policy, "from": move.current.isoformat(),
                   "to": move.to.isoformat(), "days_earlier": (move.current - move.to).days,
                   "owner": move.item.owner, "path": move.item.loc.path,
                   "line": move.item.loc.line, "why": move.why} for move in year.moves],
        "fixed": planning.FIXED,
        "command": command,
    }


def plan_text(data: dict[str, Any]) -> str:
    s = one_line
    months = data["months"]
    first, last = months[0], months[-1]
    who = f" for {s(data['owner'])}" if data["owner"] else ""
    out = [f"The year{who} from {data['as_of']}: {first['name']} to {last['name']}", ""]
    overdue = data["overdue"]
    if overdue["items"]:
        out += [f"Already overdue: {overdue['items']} ({_kinds(overdue['by_kind'])}); do these "
                "first ('dspt due' lists them).", ""]
    moved = any(m["after_moves"] != m["items"] for m in months)
    width = max(len(m["name"]) for m in months)
    head = f"  {'Month':<{width}}  Items" + ("  After" if moved else "") + "  What"
    out.append(head)
    for m in months:
        after = f"  {m['after_moves']:>5}" if moved else ""
        mark = "  <- piles up" if m["pile_up"] else ""
        what = _kinds(m["by_kind"]) or "-"
        out.append(f"  {m['name']:<{width}}  {m['items']:>5}{after}  {what}{mark}")
    out.append("")
    rule = data["pile_up_rule"]
    out.append(f"{data['total']} items in the 12 months, {data['average']:.1f} a month on "
               f"average. A month piles up when it holds at least {rule['at_least']} items and "
               f"more than {rule['factor']} times the average (more than {rule['threshold']:.1f} "
               "here).")
    extra = []
    if data["undated"]["items"]:
        extra.append(f"{data['undated']['items']} with no date")
    if data["later"]:
        extra.append(f"{data['later']} falling due after {last['name']}")
    if extra:
        out.append(f"Not in the table: {', '.join(extra)}.")
    out.append("")
    piles = [m for m in months if m["pile_up"]]
    if piles:
        out.append("Where work piles up:")
        out += [f"  {m['name']}: {m['items']} items ({_kinds(m['by_kind'])})" for m in piles]
    else:
        out.append("No month piles up.")
    out.append("")
    if data["moves"]:
        out.append(f"Proposed: bring these policy reviews forward, to spread the year to about "
                   f"{data['target']} items a month (never later, never sooner than "
                   f"{data['earliest']}, {data['margin_days']} days ahead):")
        width = max(len(s(m["policy"])) for m in data["moves"])
        for move in data["moves"]:
            out.append(f"  {s(move['policy']):<{width}}  {move['from']} -> {move['to']}  "
                       f"({move['days_earlier']} days earlier)")
            out.append(f"  {'':<{width}}  {s(move['why'])}")
    elif not piles:
        out.append("Nothing to move.")
    elif not any("policy review" in m["by_kind"] for m in piles):
        out.append("No policy review falls due in the months that pile up, so none is moved.")
    else:
        out.append(f"No policy review can move: no earlier month from {data['earliest']} holds "
                   f"fewer than {data['target']} items.")
    out += ["", _wrap(data["fixed"])]
    if data["command"]:
        out += ["", "To apply (shows the change first):", f"  {s(data['command'])}"]
    return "\n".join(out) + "\n"


def _kinds(counts: dict[str, int]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in counts.items())


def _wrap(text: str, width: int = 92) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


# -- applying ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Edit:
    policy: Policy
    path: Path  # the policy file on disk
    rel: str  # repository-relative path
    before: bytes
    after: bytes
    current: date  # the review date now
    to: date
    line: int  # the next_review line in the new file


def parse_pairs(given: list[str]) -> list[tuple[str, date]]:
    """``POLICY=YYYY-MM-DD`` arguments; a bad one is a usage error (nothing is read yet)."""
    pairs: list[tuple[str, date]] = []
    seen: set[str] = set()
    for text in given:
        found = PAIR.fullmatch(text)
        if found is None:
            raise UsageError(f"--apply '{one_line(text)}': write POLICY=YYYY-MM-DD, e.g. "
                             "access-control=2027-02-15")
        try:
            when = date.fromisoformat(found["date"])
        except ValueError:
            raise UsageError(f"--apply '{one_line(text)}': {found['date']} is not a date") \
                from None
        if found["id"] in seen:
            raise UsageError(f"--apply names policy '{one_line(found['id'])}' twice")
        seen.add(found["id"])
        pairs.append((found["id"], when))
    return pairs


def apply(args: argparse.Namespace) -> int:
    pairs = parse_pairs(args.apply)
    root = Path(repository_root(args))
    result = pipeline.run(root, args.as_of, history=False)
    as_of = result.as_of
    edits = [planned_edit(root, result, policy_id, when) for policy_id, when in pairs]
    problems = [edit for edit in edits if isinstance(edit, str)]
    if problems:
        raise RepositoryError("\n".join(problems) + "\nnothing was changed")
    ready = [edit for edit in edits if isinstance(edit, Edit)]
    for edit in ready:
        write(show_diff(edit))
    validate(root, as_of, ready)
    if args.dry_run:
        print("dry run: nothing was changed")
        return 0
    if not args.yes:
        if not _interactive():
            raise RepositoryError("not at a terminal, so not asked: nothing was changed; add "
                                  "--yes to apply")
        print("Apply? [y/N] ", end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            print("nothing was changed")
            return 1
    write_all(ready)
    for edit in ready:
        print(f"{one_line(edit.rel)}:{edit.line}: moved the review of {one_line(edit.policy.id)} "
              f"from {edit.current.isoformat()} to {edit.to.isoformat()}")
    print("When a review is done and the policy approved again, set next_review to the next "
          "review date (or remove it: the review then falls due review_every after approval).")
    return 0


def _interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def planned_edit(root: Path, result: CheckRun, policy_id: str, when: date) -> Edit | str:
    """The edit that moves one policy's review, or why it cannot be made (one line)."""
    repo = result.repo
    policies = {p.id: p for p in repo.policies}
    shown = one_line(policy_id)
    policy = policies.get(policy_id)
    if policy is None:
        near = difflib.get_close_matches(policy_id, list(policies), n=1, cutoff=0.6)
        hint = f" (did you mean '{one_line(near[0])}'?)" if near else ""
        return f"{shown}: no policy has this id{hint}"
    where = policy.next_review_loc or \
        (policy.approved_loc if policy.approved_loc.line > 1 else policy.loc)
    if not policy.active:
        return (f"{where}: policy {shown} has status {policy.status.value}, not approved: only an "
                "approved policy has a review date to move")
    state = result.position.policies.get(policy.id)
    current = state.review_due if state else None
    if current is None:
        return (f"{where}: {shown} has no approval date or review date, so its review date is "
                "not known and cannot be brought forward")
    if current <= result.as_of:
        return (f"{where}: {shown} was due for review on {current.isoformat()}, by "
                f"{result.as_of.isoformat()} (the as-of date): review it now; its date cannot "
                "be brought any further forward")
    if when >= current:
        return (f"{where}: {shown} is due for review on {current.isoformat()}; "
                f"{when.isoformat()} is not earlier. A review can only be brought forward, "
                "never put back, so that nothing lapses")
    if when < result.as_of:
        return (f"{where}: {when.isoformat()} is in the past (before the as-of date "
                f"{result.as_of.isoformat()}); choose a date from {result.as_of.isoformat()} "
                f"to {(current - timedelta(days=1)).isoformat()}")
    path = root / policy.loc.path
    if path.is_symlink() or not path.is_file():
        return f"{policy.loc.path}: not a regular file; set next_review: {when} by hand"
    try:
        before = path.read_bytes()
    except OSError as exc:
        return f"{policy.loc.path}: cannot be read: {exc.strerror}"
    edited = set_next_review(policy.loc.path, before, when)
    if isinstance(edited, str):
        return edited
    after, line = edited
    return Edit(policy, path, policy.loc.path, before, after, current, when, line)


def set_next_review(rel: str, raw: bytes, when: date) -> tuple[bytes, int] | str:
    """``raw`` with the front matter's ``next_review:`` set to ``when`` (its value replaced,
    or a line added after ``review_every:``, else after ``approved:``), every other byte as
    it was; and the line it is on. Proven by reading the result back: the front matter must
    hold what it held, with only next_review changed. A string says why it cannot be done."""
    by_hand = f"set 'next_review: {when.isoformat()}' by hand"
    old = parse_markdown(rel, raw)
    if old.data is None or old.problems:
        return f"{rel}:1:1: the front matter cannot be read cleanly; {by_hand}"
    bom = raw.startswith(BOM)
    text = raw[len(BOM):].decode("utf-8") if bom else raw.decode("utf-8")
    if "\r" in text.replace("\r\n", ""):
        return (f"{rel}:1:1: the file has old Mac line endings (a CR alone); save it with LF "
                f"or CRLF line endings, or {by_hand}")
    lines = text.split("\n")  # each keeps a CR of its CRLF
    fence = next((n for n in range(1, len(lines)) if _FENCE.fullmatch(lines[n])), None)
    if fence is None:
        return f"{rel}:1:1: the front matter is not closed; {by_hand}"
    new_value = when.isoformat()
    if "next_review" in old.data:
        index = old.loc("next_review").line - 1
        found = _VALUE_LINE.fullmatch(lines[index]) if 0 < index < fence else None
        if found is None:
            return f"{rel}:{index + 1}:1: next_review is not written on one line; {by_hand}"
        lines[index] = found["head"] + new_value + found["tail"]
    else:
        keys = {}
        for n in range(1, fence):
            key = _KEY.match(lines[n])
            if key and key["key"] not in keys:
                keys[key["key"]] = n
        anchor = keys.get("review_every", keys.get("approved"))
        if anchor is None:
            return f"{rel}:1:1: neither review_every nor approved is written; {by_hand}"
        index = anchor
        for n in range(anchor + 1, fence):  # past what the key's value holds on later lines
            if lines[n][:1] in (" ", "\t") and lines[n].strip():
                index = n
            elif lines[n].strip():
                break
        ending = "\r" if lines[index].endswith("\r") else ""
        index += 1
        lines.insert(index, f"next_review: {new_value}{ending}")
    after = (BOM if bom else b"") + "\n".join(lines).encode("utf-8")
    new = parse_markdown(rel, after)
    expected = dict(old.data, next_review=when)
    if new.problems or new.data != expected or new.body != old.body:
        return f"{rel}:{index + 1}:1: next_review could not be set safely here; {by_hand}"
    return after, index + 1


def show_diff(edit: Edit) -> str:
    """The change as a unified diff (a/ and b/ paths), each line made inert with one_line."""
    def lines(data: bytes) -> list[str]:
        text = data[len(BOM):] if data.startswith(BOM) else data
        return text.decode("utf-8").replace("\r\n", "\n").split("\n")

    diff = difflib.unified_diff(lines(edit.before), lines(edit.after), f"a/{edit.rel}",
                                f"b/{edit.rel}", lineterm="")
    return "".join(one_line(line) + "\n" for line in diff)


def validate(root: Path, as_of: date, edits: list[Edit]) -> None:
    """Refuse (nothing written) when the repository with the edits laid over it has errors
    it does not have now, or does not read the new review dates: the same loader and rules
    as ``dspt check``, run on the exact bytes about to be written."""
    def check(planned: dict[str, bytes]) -> CheckRun:
        return pipeline.run(root, as_of, tree=Overlay(root, planned))

    def errors(found: CheckRun) -> list:
        return [r for r in found.results if r.severity is Severity.ERROR]

    before = {(r.code, r.loc.path, r.message) for r in errors(check({}))}
    after = check({edit.rel: edit.after for edit in edits})
    new = [r for r in errors(after) if (r.code, r.loc.path, r.message) not in before]
    wrong = [edit for edit in edits
             if (state := after.position.policies.get(edit.policy.id)) is None
             or state.review_due != edit.to]
    if new or wrong:
        lines = [f"  {r.loc}: {r.code} {one_line(r.message)}" for r in new[:10]]
        lines += [f"  {one_line(e.rel)}: the review date would not read as {e.to.isoformat()}"
                  for e in wrong]
        raise RepositoryError("the change does not pass the check, so nothing was changed:\n"
                              + "\n".join(lines))


def write_all(edits: list[Edit]) -> None:
    """Write every file, or none: a file changed since it was read stops the write, and a
    failure part-way puts back the ones already written."""
    written: list[Edit] = []
    try:
        for edit in edits:
            if edit.path.read_bytes() != edit.before:
                raise RepositoryError(f"{one_line(edit.rel)} changed while the diff was shown; "
                                      "run the command again")
            mode = edit.path.stat().st_mode
            replace_atomically(edit.path, edit.after)
            written.append(edit)
            os.chmod(edit.path, mode & 0o7777)
    except (OSError, RepositoryError) as exc:
        for done in reversed(written):
            try:
                replace_atomically(done.path, done.before)
            except OSError:
                pass
        if isinstance(exc, RepositoryError):
            raise RepositoryError(f"{exc}; nothing was changed") from None
        where = one_line(str(exc.filename or "a file"))
        raise UsageError(f"cannot write {where}: {exc.strerror}; nothing was changed") from None
