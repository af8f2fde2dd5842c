"""adoption-report.md: per document, the kind chosen and why, each field read with the line
it came from, what was not found or not written, placeholders left, links that lead nowhere,
and the DSPT items its words suggest. Written at the repository root by each adopt run."""

from __future__ import annotations

from datetime import date

from dsptkit.adopt.plan import Adopted
from dsptkit.model import one_line

LOOKED_FOR = {"policy": ("title", "version", "owner", "approved_by", "approved_on",
                         "next_review"),
              "evidence": ("title", "collected", "by")}


def summary(items: list[Adopted]) -> dict[str, int]:
    counts = {"adopted": 0, "policies": 0, "evidence": 0, "registers": 0, "skipped": 0,
              "already": 0, "claims": 0, "placeholders": 0, "unresolved links": 0}
    for item in items:
        if item.already:
            counts["already"] += 1
        elif item.target is None:
            counts["skipped"] += 1
        else:
            counts["adopted"] += 1
            kind = item.kind.kind if item.kind else ""
            counts["policies" if kind == "policy" else "evidence" if kind == "evidence"
                   else "registers"] += 1
        counts["claims"] += len(item.claims)
        counts["placeholders"] += len(item.reading.placeholders) if item.reading else 0
        counts["unresolved links"] += len(item.unresolved)
    return counts


def markdown(items: list[Adopted], today: date, dry_run: bool) -> str:
    counts = summary(items)
    out = [f"# Adoption report ({today.isoformat()}{', dry run: nothing written' if dry_run else ''})",
           "",
           f"{counts['adopted']} adopted ({counts['policies']} policies, {counts['evidence']} "
           f"records as evidence, {counts['registers']} registers), {counts['skipped']} not "
           f"adopted, {counts['already']} adopted before; {counts['claims']} draft claims from "
           f"explicit references; {counts['placeholders']} placeholders left; "
           f"{counts['unresolved links']} links that lead nowhere.",
           "",
           "Every value in front matter below was read from the document at the line given. "
           "Nothing was guessed: what could not be read with confidence is listed under "
           "*Not written* and is left for you. Policies are drafts unless the document says "
           "who approved them and on which exact day.", ""]
    for item in items:
        out.append(f"## {_md(item.source.path)}")
        out.append("")
        if item.already:
            out += [f"Already adopted: {_md(item.already)}. Not written again.", ""]
            continue
        if item.kind:
            kind = item.kind.kind + (f" ({item.kind.register})" if item.kind.register else "")
            out.append(f"- **Kind**: {kind}: {_md(item.kind.why)}")
        if item.target:
            out.append(f"- **Written to**: `{_md(item.target)}`" +
                       ((" (replacing the empty register)" if item.kind and item.kind.kind == "register"
                         else " (replacing the untouched starter policy)")
                        if item.replaces else ""))
        else:
            out.append(f"- **Not adopted**: {_md(item.skipped or 'no reason recorded')}")
        for name, where in item.written_from.items():
            value = _shown(item.front.get(name, item.rows if name == "rows" else ""))
            shown = f"{value} " if value not in ("", None) else ""
            out.append(f"- {name}: {_md(str(shown))}← {_md(where)}")
        kind = item.kind.kind if item.kind else ""
        if item.reading and kind in LOOKED_FOR:
            missing = [f for f in LOOKED_FOR[kind] if f not in item.reading.fields
                       and f not in item.written_from]
            if missing:
                out.append(f"- **Not found**: {', '.join(missing)}")
        if item.reported or (item.reading and item.reading.notes):
            out.append("- **Not written** (read, but not with confidence, or no place for it):")
            notes = [*item.reported, *(item.reading.notes if item.reading else [])]
            out.extend(f"  - {_md(note)}" for note in notes)
        if item.claims:
            out.append("- **Draft claims** (from explicit references; check each says what you "
                       "do):")
            out.extend(f"  - {c['id']} meets {', '.join(c['meets'])}: {_md(c['says'])}"
                       for c in item.claims)
        if item.reading and item.reading.placeholders:
            out.append("- **Placeholders left** (give --var NAME=VALUE, or fill them in): " +
                       ", ".join(f"`{{{{ {_md(n)} }}}}` (line {line})"
                                 for n, line in item.reading.placeholders))
        if item.unresolved:
            out.append("- **Links that lead nowhere**: " +
                       ", ".join(f"`{_md(u)}`" for u in item.unresolved))
        if item.suggestions:
            out.append("- **Suggested DSPT items** (by the catalogue's own words; not written): "
                       + ", ".join(f"{ref} ({score:.0%})" for ref, score in item.suggestions))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _shown(value: object) -> object:
    """A written value as the report shows it: {by: siro, on: 2026-10-05}, not a repr."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, date):
        return value.isoformat()
    return value


def _md(text: str) -> str:
    return one_line(str(text)).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
