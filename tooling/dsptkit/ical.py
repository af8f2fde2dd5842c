"""What falls due as an iCalendar file (RFC 5545), for Outlook, Google Calendar and others:
``dspt due --format ics`` and the internal portal's ``due.ics``.

One all-day event per dated item of ``position.schedule`` (:mod:`dsptkit.due`); items with
no date (a claim never evidenced, an incident action with no due date) have no day to stand
on and are left out (the calendar's description counts them; ``dspt due`` lists them).
Nothing here works out a date: each event is the item's own.

- Each event's UID comes from the organisation (its ODS code, else its name) and the item's
  ``key`` (kind and subject), never its date, so importing or subscribing again updates an
  event whose date moved rather than adding another.
- DTSTAMP is the as-of date at 00:00 UTC, so the same repository and date give the same
  bytes.
- Owners are attendees (their email from the people register) only when asked
  (``attendees=True``: internal builds); otherwise no person's name, email or id appears
  anywhere in the file, in the descriptions either.
- Text from the repository goes in as iCalendar TEXT values, which the library escapes
  (commas, semicolons, backslashes, line breaks); control characters are escaped first with
  ``one_line``, so no value can end a line or start a component of its own.

Needs the ``calendar`` (or ``portal``) extra: icalendar.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, Event, vCalAddress, vText

from dsptkit.due import DueItem, Schedule, owner_name
from dsptkit.model import Person, Repository, one_line

if TYPE_CHECKING:
    from collections.abc import Iterable

PRODID = "-//dsptkit//dspt due//EN"
UID_DOMAIN = "dsptkit"
WITHHELD = "[name withheld]"
REFRESH = timedelta(days=1)
# an address that can stand in a mailto: URI as it is: anything else is left out
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\Z", re.ASCII)


def calendar(schedule: Schedule, repo: Repository, *, horizon: date | None, attendees: bool,
             owner: str | None = None) -> bytes:
    """The calendar of what falls due: every dated item overdue or due up to ``horizon``
    (every dated item when None), for one owner if given (a person id or role, as
    ``Schedule.within`` takes it)."""
    org = repo.organisation
    chosen = schedule.within(horizon or date.max, owner, org)
    dated = [item for item in chosen if item.when is not None]
    undated = len(chosen) - len(dated)
    who = (org.ods_code or org.name) if org else ""
    name = one_line(org.name) if org else "this organisation"

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    title = f"DSPT: {name} — what falls due"
    cal.add("name", vText(title))
    cal.add("x-wr-calname", vText(title))
    about = (f"What falls due for {name}'s Data Security and Protection Toolkit, as of "
             f"{schedule.as_of.isoformat()}, from its evidence repository (dsptkit)."
             + (f" {undated} item(s) with no date are not shown; 'dspt due' lists them."
                if undated else ""))
    cal.add("description", vText(about))
    cal.add("x-wr-caldesc", vText(about))
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")

    stamp = datetime.combine(schedule.as_of, time(0), tzinfo=UTC)
    scrub = _scrubber(repo.people.values()) if not attendees else None
    seen: dict[str, int] = {}
    for item in dated:
        uid = uid_for(who, item.key)
        seen[uid] = seen.get(uid, 0) + 1
        if seen[uid] > 1:  # two items about the same thing: keep them apart, in a stable order
            uid = uid_for(who, f"{item.key}#{seen[uid]}")
        cal.add_component(_event(item, uid, stamp, repo, scrub))
    return cal.to_ical()


def uid_for(organisation: str, key: str) -> str:
    """A UID that names the organisation and the item, and nothing that changes with a date
    (and no text from the repository as it is)."""
    digest = hashlib.sha256(f"{organisation}\n{key}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def _event(item: DueItem, uid: str, stamp: datetime, repo: Repository, scrub) -> Event:  # type: ignore[no-untyped-def]
    def text(value: str) -> str:
        value = one_line(value)
        return scrub(value) if scrub else value

    when = item.when
    assert when is not None
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", when)
    event.add("dtend", when + timedelta(days=1))
    what = text(item.what)
    summary = f"Overdue: {what}" if item.overdue else what[:1].upper() + what[1:]
    event.add("summary", vText(summary))
    action = text(item.action)
    lines = [action[:1].upper() + action[1:]]
    if item.overdue:
        lines.append(f"Overdue since {when.isoformat()}.")
    if item.waiver is not None:
        lines.append(f"Waived until {item.waiver.expires.isoformat()} "
                     f"({text(item.waiver.rule or '')}).")
    person = repo.people.get(item.person) if item.person else None
    if scrub is None:
        named = owner_name(item, repo.people)
        if named:
            lines.append(f"Owner: {one_line(named)}")
    lines.append(f"Where: {text(item.loc.path)}:{item.loc.line}")
    event.add("description", vText("\n".join(lines)))
    event.add("categories", [item.kind.value])
    event.add("transp", "TRANSPARENT")  # a deadline, not time taken up
    if scrub is None and person is not None and person.email and \
            _EMAIL.match(person.email.strip()):
        attendee = vCalAddress(f"mailto:{person.email.strip()}")
        attendee.params["CN"] = one_line(person.name)
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    return event


def _scrubber(people: Iterable[Person]):  # type: ignore[no-untyped-def]
    """Text with every person's name, email and id (whole words, any case) replaced by
    "[name withheld]": the items' own words name people (training, sign-off), and a calendar
    shared beyond staff must not."""
    words: set[str] = set()
    for person in people:
        for word in (person.name, person.email, person.id):
            if word and word.strip():
                words.add(one_line(word.strip()))
    if not words:
        return lambda value: value
    pattern = re.compile(
        r"(?<![\w@.-])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w@-])", re.IGNORECASE)
    return lambda value: pattern.sub(WITHHELD, value)
