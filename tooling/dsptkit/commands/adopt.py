"""``dspt adopt PATH...``: bring existing documents in, with front matter read from their prose."""

from __future__ import annotations

import argparse
import re
from datetime import date
from pathlib import Path

from dsptkit.commands._shared import repository_root
from dsptkit.commands.new import _next_id
from dsptkit.errors import FatalError, UsageError
from dsptkit.frontmatter import Document, read_text
from dsptkit.prose import Found, parse_date, read_document, role_for
from dsptkit.repository import load
from dsptkit.writing import Plan, slugify, yaml_string


def run(args: argparse.Namespace) -> int:
    root = Path(repository_root(args))
    repo, report = load(root)
    roles = repo.organisation.roles if repo.organisation else {}
    people = {p.name.lower(): p.id for p in repo.people.values()}
    plan = Plan(root)
    reports: list[str] = []
    failed = 0
    taken = {p.id for p in repo.policies}
    next_numbers: dict[int, int] = {}
    for name in args.paths:
        source = Path(name)
        if not source.is_file():
            reports.append(f"{name}: not a file; skipped")
            failed += 1
            continue
        doc = Document(name)
        text = read_text(source.read_bytes(), doc)
        if text is None:
            reports.append(f"{name}: {doc.problems[0].message}; skipped")
            failed += 1
            continue
        if text.startswith("---\n"):
            reports.append(f"{name}: already has front matter; copy it in as it is; skipped")
            failed += 1
            continue
        found = read_document(text, source.stem.replace("-", " ").replace("_", " "))
        owner = _owner(found, roles, people)
        if args.kind == "policy":
            ident = slugify(found.title, 50)
            if ident in taken:
                reports.append(f"{name}: a policy with id {ident} already exists (adopted "
                               "before?); skipped")
                failed += 1
                continue
            taken.add(ident)
            target = Path("policies") / f"{ident}.md"
            front = _policy_front(ident, found, owner)
        else:
            collected, exact = parse_date(str(found.fields.get("date", "")))
            if collected is None:
                reports.append(f"{name}: no date of collection found ('Date: 3 March 2025'); "
                               "skipped: evidence must be dated")
                failed += 1
                continue
            if not exact:
                found.notes.append(f"collection date is approximate ({collected.isoformat()}, "
                                   "from a month only)")
            year = collected.year
            number = next_numbers.get(year) or int(_next_id(repo, report.broken_ids, year).rsplit("-", 1)[1])
            next_numbers[year] = number + 1
            ident = f"EV-{year}-{number:03d}"
            target = Path("evidence") / str(collected.year) / \
                f"{collected.isoformat()}-{slugify(found.title, 50)}.md"
            front = _evidence_front(ident, found, owner, collected)
        body = text if text.endswith("\n") else text + "\n"
        plan.add(target, "---\n" + "\n".join(front) + "\n---\n" + body)
        reports.append(f"{name} -> {target.as_posix()}")
        reports.extend(f"  could not work out: {note}" for note in found.notes)
    try:
        written = plan.write()
    except FatalError as exc:
        raise UsageError(str(exc)) from None
    print("\n".join(reports))
    print(f"adopted {len(written)} document{'s' if len(written) != 1 else ''} as drafts"
          + (f"; {failed} skipped" if failed else "")
          + ". Review each, add its claims, then run 'dspt check'.")
    return 1 if failed else 0


def _owner(found: Found, roles: dict[str, str], people: dict[str, str]) -> str:
    written = str(found.fields.get("owner", "")).strip()
    if written:
        role = role_for(written)
        if role and (role in roles or not roles):
            return role
        if written.lower() in people:
            return people[written.lower()]
        found.notes.append(f"owner '{written}' is not a known person or role")
    else:
        found.notes.append("no owner stated")
    fallback = "ig_lead" if "ig_lead" in roles or not roles else next(iter(roles))
    found.notes.append(f"owner set to {fallback}: change it if that is wrong")
    return fallback


def _date_field(found: Found, key: str, label: str) -> str | None:
    raw = found.fields.get(key)
    if raw is None:
        return None
    value, exact = parse_date(str(raw))
    if value is None:
        found.notes.append(f"{label} '{raw}' is not a date I can read")
        return None
    if not exact:
        found.notes.append(f"{label} '{raw}' gives only a month; read as {value.isoformat()}")
    return value.isoformat()


def _policy_front(ident: str, found: Found, owner: str) -> list[str]:
    version = str(found.fields.get("version", "")).strip().lstrip("vV")
    if not re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", version):
        if version:
            found.notes.append(f"version '{version}' is not a version number")
        else:
            found.notes.append("no version stated; set to 0.1")
        version = "0.1"
    front = [f"id: {ident}", f"title: {yaml_string(found.title)}", f'version: "{version}"',
             "status: draft", f"owner: {owner}"]
    approved_on = _date_field(found, "approved_on", "approval date")
    reviewed = _date_field(found, "last_reviewed", "last review date")
    by_text = str(found.fields.get("approved_by", "")).strip()
    approved_by = role_for(by_text) if by_text else None
    if by_text and not approved_by:
        found.notes.append(f"approver '{by_text}' is not a known role")
    on = approved_on or reviewed
    if approved_by and on and not approved_on:
        found.notes.append(f"approval date taken from the last review date ({on})")
    if approved_by and on:
        front.append(f"approved: {{by: {approved_by}, on: {on}}}")
    elif on:
        front.append(f"# last approved or reviewed on {on}; add 'approved: {{by: ..., on: {on}}}'")
    next_review = _date_field(found, "next_review", "next review date")
    if next_review:
        front.append(f"next_review: {next_review}")
    else:
        front.append("review_every: 1y")
        found.notes.append("no next review date; review_every set to 1y")
    front.append("claims: []  # add the claims this policy makes: see docs/format.md")
    found.notes.append("claims: none can be read from prose; add them")
    return front


def _evidence_front(ident: str, found: Found, owner: str, collected: date) -> list[str]:
    found.notes.append("outcome unknown: set to partial; change to pass once checked")
    found.notes.append("supports no claim yet: add the claim IDs it proves")
    return [f"id: {ident}", f"title: {yaml_string(found.title)}",
            f"collected: {collected.isoformat()}", f"by: {owner}", "supports: []",
            "outcome: partial"]
