"""``dspt due``: what falls due within a window, from the one pipeline's schedule
(:mod:`dsptkit.due`); ``--plan`` and ``--apply`` are in :mod:`dsptkit.commands.due_plan`.

Nothing here works a date out: the items, their dates, owners and what to do are
``position.schedule``'s; this command only chooses which (``Schedule.within`` for the window
and ``--owner``) and hands them to :mod:`dsptkit.report.due` or :mod:`dsptkit.ical`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from dsptkit import pipeline
from dsptkit.commands._shared import check_run, write
from dsptkit.durations import Duration, is_duration, is_zero_duration, parse_duration
from dsptkit.errors import UsageError
from dsptkit.model import Repository, one_line
from dsptkit.report.due import Owner

if TYPE_CHECKING:
    from dsptkit.due import Schedule

KNOWN_SHOWN = 8  # how many known ids and roles an unknown --owner's message lists


def run(args: argparse.Namespace) -> int:
    if (args.yes or args.dry_run) and not args.apply:
        raise UsageError("--yes and --dry-run go with --apply POLICY=DATE (they say whether to "
                         "write the moved review dates); nothing else writes")
    if args.plan or args.apply:
        from dsptkit.commands import due_plan

        return due_plan.run(args)
    within = parse_within(args.within)
    if args.format == "ics":
        needs_calendar()
    result = check_run(args)
    pipeline.refuse_errors(result, "the listing is")
    repo, schedule = result.repo, result.position.schedule
    horizon = within.after(schedule.as_of)
    owner = resolve_owner(args.owner, repo, schedule) if args.owner is not None else None
    matched = owner.matched if owner else None
    if args.format == "ics":
        from dsptkit.ical import calendar

        data = calendar(schedule, repo, horizon=horizon, attendees=args.attendees,
                        owner=matched)
        _write_bytes(data)
        return 0
    from dsptkit.report.due import due_data, format_csv, format_json, format_text
    from dsptkit.report.text import colour_wanted

    items = schedule.within(horizon, matched, repo.organisation)
    data = due_data(result, items, within, horizon, owner)
    if args.format == "json":
        write(format_json(data))
    elif args.format == "csv":
        write(format_csv(data))
    else:
        write(format_text(data, colour=colour_wanted(sys.stdout)))
    return 0


def parse_within(text: str) -> Duration:
    """``--within``: a duration as front matter writes one (60d, 8w, 3m, 1y, P60D)."""
    found = parse_duration(text)
    if found is not None:
        return found
    shown = one_line(text)
    if is_zero_duration(text):
        raise UsageError(f"--within '{shown}' is no time at all; give a window such as 60d")
    if is_duration(text):
        raise UsageError(f"--within '{shown}' is longer than 100 years")
    raise UsageError(f"--within '{shown}' is not a duration; write a whole number and a unit, "
                     "e.g. 60d, 8w, 3m or 1y (or ISO 8601, P60D)")


def needs_calendar() -> None:
    """Stop (exit 2) with the install command when the calendar extra is missing."""
    try:
        import icalendar  # noqa: F401
    except ImportError:
        from dsptkit.install import extra_install_command

        raise UsageError("dspt due --format ics needs the calendar extra: "
                         f"{extra_install_command('calendar')} (not installed: icalendar)") \
            from None


def resolve_owner(given: str, repo: Repository, schedule: Schedule) -> Owner:
    """``--owner``: a person id, a role (or one of its aliases), a person's name or email
    (any case), or an owner exactly as an item writes it; what ``due.owns`` is given."""
    org = repo.organisation
    people = repo.people
    wanted = given.strip().casefold()
    if not wanted:
        raise UsageError("--owner is empty; give a person id, a role, or a person's name or email")
    roles = dict(org.roles) if org else {}
    aliases = {a.casefold(): r for a, r in (org.role_aliases if org else {}).items() if r in roles}

    def person(pid: str) -> Owner:
        return Owner(given, pid, people[pid].name if pid in people else None)

    for pid in people:
        if pid.casefold() == wanted:
            return person(pid)
    for role, holder in roles.items():
        if role.casefold() == wanted:
            return Owner(given, role, people[holder].name if holder in people else None)
    if wanted in aliases:
        role = aliases[wanted]
        return Owner(given, role, people[roles[role]].name if roles[role] in people else None)
    by_name = sorted(pid for pid, p in people.items()
                     if p.name.strip().casefold() == wanted
                     or (p.email and p.email.strip().casefold() == wanted))
    if len(by_name) == 1:
        return person(by_name[0])
    if len(by_name) > 1:
        raise UsageError(f"--owner '{one_line(given)}' names more than one person "
                         f"({', '.join(by_name)}); give the person's id")
    written = sorted({item.owner for item in schedule.items
                      if item.owner and item.owner.strip().casefold() == wanted})
    if written:
        return Owner(given, written[0], None)
    known = sorted(people)[:KNOWN_SHOWN] + sorted(roles)[:KNOWN_SHOWN]
    more = len(people) + len(roles) - len(known)
    listed = ", ".join(one_line(k) for k in known) + (f" and {more} more" if more > 0 else "")
    raise UsageError(f"--owner '{one_line(given)}' is no person or role this repository knows "
                     f"(neither an id, role, name nor email in the people register or "
                     f"organisation.yaml); known: {listed or 'no one'}")


def _write_bytes(data: bytes) -> None:
    """The calendar's bytes as they are (CRLF line ends), to stdout."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (an embedding program's): its text, unchanged
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    buffer.write(data)
    buffer.flush()
