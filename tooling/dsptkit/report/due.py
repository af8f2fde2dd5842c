"""``dspt due``: what falls due, as text for people, JSON and CSV for other tools.

The items are ``position.schedule``'s (:mod:`dsptkit.due`), chosen by ``Schedule.within``;
nothing here works out a date, an owner or whether something is overdue. The JSON
(:func:`due_data`, schemas/output/due.schema.json) is built first and the text and CSV are
drawn from it, so all three say the same. Text from the repository is made inert with
``one_line`` before it is laid out; CSV cells a spreadsheet would read as a formula start
with a quote.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from dsptkit.due import DueItem, owner_name
from dsptkit.durations import Duration
from dsptkit.engine import CheckRun
from dsptkit.model import Person, Severity, one_line
from dsptkit.report import FORMAT_VERSION
from dsptkit.report.text import RESET, paint
from dsptkit.submission import _csv_cell

BOLD = "\033[1m"
COLUMNS = ("when", "overdue", "days", "kind", "subject", "key", "what", "action", "owner",
           "owner_name", "person", "path", "line", "policy", "evidence", "waived_until",
           "waiver_rule")
# the columns holding text from the repository, neutralised for spreadsheets in the CSV
TEXT_COLUMNS = frozenset(("subject", "key", "what", "action", "owner", "owner_name", "person",
                          "path", "policy", "evidence", "waiver_rule"))


@dataclass(frozen=True)
class Owner:
    """``--owner`` as given, and what it was matched to (passed to ``due.owns``)."""

    given: str
    matched: str  # a person id, a role, or an owner as items write it
    name: str | None  # the person's name, when it is a person (or a role someone holds)


# -- the data (the JSON) -------------------------------------------------------------------------

def due_data(run: CheckRun, items: tuple[DueItem, ...], within: Duration, horizon: date,
             owner: Owner | None) -> dict[str, Any]:
    """What falls due, as one JSON-ready object (schemas/output/due.schema.json)."""
    schedule = run.position.schedule
    org = run.repo.organisation
    people = run.repo.people
    return {
        "format_version": FORMAT_VERSION,
        "as_of": schedule.as_of.isoformat(),
        "within": str(within),
        "horizon": horizon.isoformat(),
        "owner": None if owner is None else {
            "given": owner.given, "matched": owner.matched, "name": owner.name},
        "organisation": None if org is None else {"name": org.name, "ods_code": org.ods_code},
        "items": [item_data(item, schedule.as_of, people) for item in items],
        "notes": list(schedule.notes),
        "deadline_known": schedule.deadline_known,
    }


def item_data(item: DueItem, as_of: date, people: dict[str, Person]) -> dict[str, Any]:
    waiver = item.waiver
    return {
        "when": item.when.isoformat() if item.when else None,
        "overdue": item.overdue,
        "days": item.days(as_of),
        "kind": item.kind.value,
        "subject": item.subject,
        "key": item.key,
        "what": item.what,
        "action": item.action,
        "owner": item.owner,
        "owner_name": owner_name(item, people),
        "person": item.person,
        "path": item.loc.path,
        "line": item.loc.line,
        "policy": item.policy,
        "evidence": item.evidence,
        "waived_until": waiver.expires.isoformat() if waiver else None,
        "waiver_rule": waiver.rule if waiver else None,
    }


def format_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def format_csv(data: dict[str, Any]) -> str:
    """One row per item, the JSON's item keys as columns; true/false, and empty for null."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in data["items"]:
        writer.writerow([_cell(column, item[column]) for column in COLUMNS])
    return out.getvalue()


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if column in TEXT_COLUMNS:
        return _csv_cell(str(value))
    return str(value)


# -- the text ------------------------------------------------------------------------------------

def _s(text: str) -> str:
    return one_line(text)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def status_words(item: dict[str, Any]) -> str:
    """How an item stands: "OVERDUE since 2026-10-01 (52 days)", "OVERDUE, never done",
    "in 23 days", "due today", "no date set"."""
    days = item["days"]
    if item["overdue"]:
        if item["when"] is None:
            words = "OVERDUE, never done"
        else:
            late = -days
            words = f"OVERDUE since {item['when']} (" + (
                "today" if late <= 0 else _plural(late, "day")) + ")"
        return words
    if days is None:
        return "no date set"
    if days == 0:
        return "due today"
    return f"in {_plural(days, 'day')}"


def format_text(data: dict[str, Any], colour: bool = False) -> str:
    items = data["items"]
    overdue = [i for i in items if i["overdue"]]
    dated = [i for i in items if not i["overdue"] and i["when"] is not None]
    undated = [i for i in items if not i["overdue"] and i["when"] is None]
    org = data["organisation"]
    owner = data["owner"]
    head = f"{_s(org['name']) if org else 'This repository'}: what falls due as of " \
           f"{data['as_of']}, within {_s(data['within'])} (to {data['horizon']})"
    if owner:
        head += f", owned by {_owner_words(owner)}"
    lines = [f"{BOLD}{head}{RESET}" if colour else head]
    if not items:
        whose = f" that {_owner_words(owner)} owns" if owner else ""
        lines.append(f"Nothing{whose} falls due by {data['horizon']}, and nothing is overdue.")
    else:
        counts = [f"{len(overdue)} overdue"] if overdue else []
        counts.append(f"{len(dated)} due by {data['horizon']}")
        if undated:
            counts.append(f"{len(undated)} with no date")
        lines.append(", ".join(counts) + ".")
    for title, group in ((f"Overdue ({len(overdue)})", overdue),
                         (f"Due by {data['horizon']} ({len(dated)})", dated),
                         (f"No date set ({len(undated)})", undated)):
        if not group:
            continue
        lines += ["", f"{BOLD}{title}{RESET}" if colour else title]
        width = max(len(status_words(item)) for item in group)
        for item in group:
            lines += _item_lines(item, colour, width)
    if data["notes"]:
        lines += ["", "What could not be dated:"]
        lines += [f"  note: {_s(note)}" for note in data["notes"]]
    return "\n".join(lines) + "\n"


def _owner_words(owner: dict[str, Any]) -> str:
    if owner["name"] and owner["name"] != owner["matched"]:
        return f"{_s(owner['name'])} ({_s(owner['matched'])})"
    return _s(owner["matched"])


def _item_lines(item: dict[str, Any], colour: bool, width: int) -> list[str]:
    """Two lines: the date, how it stands (padded to ``width``), kind, what and owner; then
    where to act and what to do, as ``path:line: action`` (as dspt check points at files)."""
    when = item["when"] or "—"
    status = status_words(item)
    pad = " " * (width - len(status))
    if colour and item["overdue"]:
        status = paint(status, Severity.FINDING if item["waived_until"] else Severity.ERROR, True)
    who = f" — {_s(item['owner_name'])}" if item["owner_name"] else " — no owner recorded"
    waived = ""
    if item["waived_until"]:  # a risk accepted: still overdue, but not a gap until then
        waived = f" (waived until {item['waived_until']}, {_s(item['waiver_rule'] or '')})"
        if colour:
            waived = paint(waived, Severity.WARNING, True)
    first = f"  {when:<10}  {status}{pad}  {item['kind']}: {_s(item['what'])}{who}{waived}"
    second = f"      {_s(item['path'])}:{item['line']}: {_s(item['action'])}"
    return [first, second]
