"""``dspt catalogue diff OLD NEW``: what a new edition of a catalogue changes.

Both files are read by the repository's own catalogue reader (``read_catalogue``), so a
file this command accepts is one ``dspt check`` accepts, item for item.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from typing import Any

from dsptkit.commands._shared import write
from dsptkit.errors import RepositoryError
from dsptkit.frontmatter import MAX_FILE_BYTES
from dsptkit.model import CatalogueItem, Framework, one_line
from dsptkit.report import FORMAT_VERSION
from dsptkit.repository import read_catalogue
from dsptkit.status import ref_order

NOT_ASKED = "(not asked)"
NOT_STATED = "(not stated)"
# what each published count counts, in the order shown
COUNTS = (("met", "mandatory for Standards Met"),
          ("approaching", "mandatory for Approaching Standards"),
          ("items", "items in all"))


def run(args: argparse.Namespace) -> int:
    # argparse requires an action; diff is the only one
    old, new = _read(args.old), _read(args.new)
    difference = compare(old, new, args.category)
    write(format_json(difference) if args.format == "json" else format_text(difference))
    return 0


# -- reading ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Edition:
    """One catalogue file as the repository reads it."""

    path: str
    framework: Framework
    items: dict[str, CatalogueItem]


def _read(path: str) -> Edition:
    framework, items, problems = read_catalogue(path, _bytes(path))
    # errors and warnings alike, as dspt check shows them, in the file's order
    for problem in sorted(problems, key=lambda p: (p.loc.line, p.loc.col)):
        print(f"{problem.loc}: {problem.code} {one_line(problem.message)}", file=sys.stderr)
    if framework is None:
        raise RepositoryError(f"{one_line(path)} is not a valid catalogue (see above); "
                              "nothing compared")
    return Edition(path, framework, items)


def _bytes(path: str) -> bytes:
    """The file's bytes, never more than the YAML size limit read. A pipe named on the command
    line (``<(git show v8:standards/dspt/catalogue.yaml)``) is read as a file."""
    name = one_line(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise RepositoryError(f"{name}: is a folder; give the catalogue file, e.g. "
                              f"{name.rstrip('/')}/catalogue.yaml") from None
    except OSError as exc:
        raise RepositoryError(f"{name}: cannot be read: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise RepositoryError(f"{name}: file is over the {MAX_FILE_BYTES:,}-byte limit for "
                              "YAML; is it a catalogue?")
    return raw


# -- comparing -------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _category_key(category: str) -> tuple:
    return (0, int(category), "") if category.isdigit() else (1, 0, category)


def _published(framework: Framework, category: str | None) -> dict[str, dict[str, Any]]:
    return {key: {count: getattr(framework.published[key], count) for count, _ in COUNTS}
            for key in sorted(framework.published, key=_category_key)
            if category is None or key == category}


def _edition(edition: Edition, category: str | None) -> dict[str, Any]:
    framework = edition.framework
    cycle = framework.cycle
    return {
        "path": edition.path,
        "framework": framework.id,
        "title": framework.title,
        "edition": framework.edition,
        "opens": _plain(cycle.opens) if cycle is not None else None,
        "deadline": _plain(cycle.deadline) if cycle is not None else None,
        "published": _published(framework, category),
        "positions": _positions(framework, category),
        "items": len(edition.items),
    }


def _positions(framework: Framework, category: str | None) -> dict[str, dict[str, str]]:
    """What each level needs, per category, in words (the source left out)."""
    found: dict[str, dict[str, str]] = {}
    for key in sorted(framework.positions, key=_category_key):
        if category is not None and key != category:
            continue
        found[key] = {level: ", ".join(part for part in (
            f"items: {rule.items}" if rule.items else "", f"plan: {rule.plan}" if rule.plan else "",
            "publishable once" if rule.once else "",
            f"certificate: {rule.certificate}" if rule.certificate else "",
            f"unknown: {rule.unknown}" if rule.unknown else "") if part) or "stated"
            for level, rule in framework.positions[key].items()}
    return found


def _levels(item: CatalogueItem, category: str | None) -> dict[str, str | None]:
    if category is not None:
        level = item.levels.get(category)
        return {category: level.value if level is not None else None}
    return {key: item.levels[key].value for key in sorted(item.levels, key=_category_key)}


def _cadence(item: CatalogueItem) -> str | None:
    return str(item.evidence_every) if item.evidence_every is not None else None


def _same_cadence(old: CatalogueItem, new: CatalogueItem) -> bool:
    a, b = old.evidence_every, new.evidence_every
    if a is None or b is None:
        return a is b
    return (a.months, a.days) == (b.months, b.days)  # 1y and 12m are the same cadence


def _allows_na(item: CatalogueItem) -> bool:
    return item.not_applicable is not None


def _summary(item: CatalogueItem, category: str | None) -> dict[str, Any]:
    return {"ref": item.ref, "title": item.title, "levels": _levels(item, category),
            "evidence_every": _cadence(item), "answer": item.answer,
            "not_applicable": _allows_na(item)}


def _change(old: Any, new: Any) -> dict[str, Any]:
    return {"old": old, "new": new}


def compare(old: Edition, new: Edition, category: str | None = None) -> dict[str, Any]:
    """The difference between two editions as plain data (the JSON output)."""
    refs_old, refs_new = set(old.items), set(new.items)
    added = [_summary(new.items[ref], category) for ref in sorted(refs_new - refs_old,
                                                                   key=ref_order)]
    removed = [_summary(old.items[ref], category) for ref in sorted(refs_old - refs_new,
                                                                     key=ref_order)]
    level_changed, cadence_changed, reread = [], [], []
    for ref in sorted(refs_old & refs_new, key=ref_order):
        a, b = old.items[ref], new.items[ref]
        keys = [category] if category is not None else sorted(set(a.levels) | set(b.levels),
                                                              key=_category_key)
        levels = {}
        for key in keys:
            was, now = a.levels.get(key), b.levels.get(key)
            if was != now:
                levels[key] = _change(was.value if was is not None else None,
                                      now.value if now is not None else None)
        if levels:
            level_changed.append({"ref": ref, "title": b.title, "levels": levels})
        if not _same_cadence(a, b):
            cadence_changed.append({"ref": ref, "title": b.title,
                                    "evidence_every": _change(_cadence(a), _cadence(b))})
        changes = {}
        if a.title != b.title:
            changes["title"] = _change(a.title, b.title)
        if a.answer != b.answer:
            changes["answer"] = _change(a.answer, b.answer)
        if _allows_na(a) != _allows_na(b):
            changes["not_applicable"] = _change(_allows_na(a), _allows_na(b))
        if a.exempt_by != b.exempt_by:
            changes["exempt_by"] = _change(list(a.exempt_by), list(b.exempt_by))
        if changes:
            reread.append({"ref": ref, "title": b.title, "changes": changes})
    return {"old": _edition(old, category), "new": _edition(new, category),
            "added": added, "removed": removed, "level_changed": level_changed,
            "cadence_changed": cadence_changed, "reread": reread}


# -- output ----------------------------------------------------------------------------------

def format_json(difference: dict[str, Any]) -> str:
    return json.dumps({"format_version": FORMAT_VERSION} | difference, indent=2,
                      ensure_ascii=False) + "\n"


def _shown(value: Any, missing: str = NOT_STATED) -> str:
    return one_line(str(value)) if value is not None else missing


def _arrow(old: Any, new: Any, missing: str = NOT_STATED) -> str:
    if old == new:
        return f"{_shown(new, missing)} (unchanged)"
    return f"{_shown(old, missing)} → {_shown(new, missing)}"


def _level_list(levels: dict[str, str | None]) -> str:
    if not levels:
        return "no category sees it"
    return ", ".join(f"{key}: {value or NOT_ASKED}" for key, value in levels.items())


def _published_lines(old: dict, new: dict) -> list[str]:
    lines = []
    for key in sorted(set(old) | set(new), key=_category_key):
        was, now = old.get(key, {}), new.get(key, {})
        parts = [f"{label} {_shown(was.get(count), 'unknown')} → "
                 f"{_shown(now.get(count), 'unknown')}"
                 for count, label in COUNTS if was.get(count) != now.get(count)]
        if parts:
            lines.append(f"  category {key}: " + "; ".join(parts))
    return lines


def _position_lines(old: dict, new: dict) -> list[str]:
    lines = []
    for key in sorted(set(old) | set(new), key=_category_key):
        was, now = old.get(key, {}), new.get(key, {})
        for level in ("met", "approaching", "exceeded"):
            if was.get(level) != now.get(level):
                lines.append(f"  category {key} {level}: {_shown(was.get(level), 'unknown')} → "
                             f"{_shown(now.get(level), 'unknown')}")
    return lines


def _next_steps(d: dict[str, Any]) -> str:
    if not any(d[key] for key in ("added", "removed", "level_changed", "cadence_changed",
                                  "reread")) and d["old"]["positions"] == d["new"]["positions"]:
        return ("Next: nothing to re-read or re-claim: the items, levels, cadences and answers "
                "are the same; run dspt check as usual.")
    steps = []
    if d["reread"] or d["added"]:
        steps.append("re-read the items listed against the official edition")
    if d["removed"]:
        steps.append("update claims that meet removed items (dspt check reports them as RF002)")
    if d["added"] or d["level_changed"]:
        steps.append("claim items that became mandatory (CO101)")
    if d["cadence_changed"]:
        steps.append("check evidence against the new cadences (CL105)")
    if d["old"]["positions"] != d["new"]["positions"]:
        steps.append("read what each level now needs (dspt status states the level)")
    steps.append("then run dspt check and dspt status")
    text = "; ".join(steps)
    return f"Next: {text[0].upper()}{text[1:]}."


def format_text(d: dict[str, Any]) -> str:
    old, new = d["old"], d["new"]
    lines = [f"Catalogue change {one_line(old['path'])} → {one_line(new['path'])}"]
    if old["framework"] != new["framework"]:
        lines.append(f"Framework: {old['framework']} → {new['framework']} (different "
                     "frameworks: every item shows as added or removed)")
    lines.append(f"Edition: {_arrow(old['edition'], new['edition'])}")
    if old["deadline"] is not None or new["deadline"] is not None:
        lines.append(f"Deadline: {_arrow(old['deadline'], new['deadline'])}")
    published = _published_lines(old["published"], new["published"])
    if published:
        lines += ["Published counts:", *published]
    positions = _position_lines(old["positions"], new["positions"])
    if positions:
        lines += ["What each level needs:", *positions]
    lines.append(f"Items: {_arrow(old['items'], new['items'])}")

    sections = [
        ("Items added", [f"{one_line(r['ref'])} {one_line(r['title'])} — "
                         f"{_level_list(r['levels'])}" for r in d["added"]]),
        ("Items removed", [f"{one_line(r['ref'])} {one_line(r['title'])} — was "
                           f"{_level_list(r['levels'])}" for r in d["removed"]]),
        ("Levels changed", [f"{one_line(r['ref'])} {one_line(r['title'])} — " + "; ".join(
            f"{key}: {_shown(c['old'], NOT_ASKED)} → {_shown(c['new'], NOT_ASKED)}"
            for key, c in r["levels"].items()) for r in d["level_changed"]]),
        ("Cadence changed (evidence_every)", [
            f"{one_line(r['ref'])} {one_line(r['title'])} — "
            f"{_shown(r['evidence_every']['old'], 'none')} → "
            f"{_shown(r['evidence_every']['new'], 'none')}" for r in d["cadence_changed"]]),
    ]
    if not any(rows for _, rows in sections) and not d["reread"]:
        lines += ["", "No differences in items, levels, cadences, titles or answers."]
    for title, rows in sections:
        if rows:
            lines += ["", f"{title} ({len(rows)}):"] + [f"  {row}" for row in rows]
    if d["reread"]:
        lines += ["", f"Re-read: same ID, but what is asked may have changed ({len(d['reread'])}):"]
        for row in d["reread"]:
            lines.append(f"  {one_line(row['ref'])} {one_line(row['title'])}")
            changes = row["changes"]
            if "title" in changes:
                lines.append(f"      title was: {one_line(changes['title']['old'])}")
            if "exempt_by" in changes:
                lines.append(f"      exempt with: {', '.join(changes['exempt_by']['old']) or 'none'}"
                             f" → {', '.join(changes['exempt_by']['new']) or 'none'}")
            if "answer" in changes:
                lines.append(f"      answer: {_shown(changes['answer']['old'])} → "
                             f"{_shown(changes['answer']['new'])}")
            if "not_applicable" in changes:
                allowed = changes["not_applicable"]["new"]
                lines.append("      not applicable: " + ("not allowed → allowed" if allowed
                                                         else "allowed → not allowed"))
    lines += ["", _next_steps(d)]
    return "\n".join(lines) + "\n"
