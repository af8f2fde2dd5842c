"""Planning an adoption: what each document is, what is read from it, where it goes and what
is written there. Nothing here writes; ``commands/adopt.py`` validates and writes the plan.

A value goes into front matter only when it was read with confidence; everything else is
in the report. Nothing is defaulted silently: an owner or a collector the documents do not
name comes only from ``--owner``, given by the person adopting, and is reported as such.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from dsptkit.adopt.metadata import DEFAULT_ALIASES
from dsptkit.adopt.model import Field, Kind, PartialDate, Reading, Source
from dsptkit.model import Repository, one_line
from dsptkit.repository import REGISTER_FILES as LOADER_FILES
from dsptkit.writing import slugify, yaml_string

# each register's file under evidence/registers/, as the loader reads them
REGISTER_FILES = {kind: f"{name}.yaml" for kind, name in LOADER_FILES.items()}
KINDS = ("policy", "evidence", *REGISTER_FILES)
UNVERSIONED = "unversioned"
@dataclass
class Adopted:
    """One source document and what becomes of it."""

    source: Source
    reading: Reading | None = None
    kind: Kind | None = None
    target: str | None = None  # repository-relative path written (None: not adopted)
    front: dict = field(default_factory=dict)  # the front matter written, for the report
    written_from: dict[str, str] = field(default_factory=dict)  # field -> where it came from
    reported: list[str] = field(default_factory=list)  # read but not written, and why
    skipped: str | None = None  # why it was not adopted
    already: str | None = None  # where an earlier adopt run put it
    claims: list[dict] = field(default_factory=list)
    suggestions: list[tuple[str, float]] = field(default_factory=list)  # (item ref, score)
    unresolved: list[str] = field(default_factory=list)  # links that lead nowhere
    rows: int = 0  # register rows written
    content: str = ""  # the bytes to write, as text
    replaces: str | None = None  # a starter policy it replaces


@dataclass
class Options:
    kind: str | None = None  # --as
    owner: str | None = None  # --owner: for documents that name no owner / no one who did it
    variables: dict[str, str] = field(default_factory=dict)
    replace_starters: bool = False
    today: date = field(default_factory=date.today)


def aliases_for(repo: Repository) -> dict[str, str]:
    org = repo.organisation
    merged = dict(DEFAULT_ALIASES)  # the built-in titles; organisation.yaml's extend them
    if org is not None:
        merged |= {title.strip().lower(): role for title, role in org.role_aliases.items()}
    return merged


def variables_for(repo: Repository, given: dict[str, str]) -> dict[str, str]:
    """Placeholders the repository can fill: the organisation's name and each role holder's
    name (``siro_name``); ``--var`` wins."""
    found: dict[str, str] = {}
    org = repo.organisation
    if org is not None:
        for key in ("organisation_name", "organization_name", "org_name", "company_name",
                    "practice_name"):
            found[key] = org.name
        for role, person in org.roles.items():
            if person in repo.people:
                found[f"{role}_name"] = repo.people[person].name
    return found | given


def plan(root: Path, sources: list[Source], repo: Repository, options: Options) -> list[Adopted]:
    """Decide, for every source, what it is and what would be written."""
    from dsptkit.adopt import classify, metadata, tables

    org = repo.organisation
    roles = dict(org.roles) if org else {}
    aliases = aliases_for(repo)
    people = {p.name.strip().lower(): p.id for p in repo.people.values()}
    variables = variables_for(repo, options.variables)
    origins = _origins(root, repo)
    taken_ids = {p.id for p in repo.policies} | {e.id for e in repo.evidence}
    taken_claims = {c.id for c in repo.claims}
    taken_paths: set[str] = set()
    numbers: dict[int, int] = {}
    starters = {p.id: p for p in repo.policies if p.starter and not p.active}
    names = _names(repo)
    deferred: list[Adopted] = []  # the data map's registers: after the registers they name
    done: list[Adopted] = []
    seen_sha: dict[str, str] = {}
    for source in sources:
        item = Adopted(source)
        done.append(item)
        if source.skipped:
            item.skipped = source.skipped
            continue
        earlier = origins.get(source.sha256)
        if earlier:
            item.already = earlier
            continue
        if _norm(source.path) in origins:
            item.skipped = (f"{origins[_norm(source.path)]} was adopted from this path, and the "
                            "file has changed since: not adopted again (to replace it, remove "
                            "that file first)")
            continue
        if source.sha256 in seen_sha:
            item.already = f"the same file as {seen_sha[source.sha256]} in this run"
            continue
        seen_sha[source.sha256] = source.path
        reading = metadata.read(source, roles=roles, aliases=aliases, people=people,
                                variables=variables, today=options.today)
        item.reading = reading
        kind = classify.classify(source, reading)
        if options.kind:
            kind = Kind(options.kind if options.kind in ("policy", "evidence") else "register",
                        None if options.kind in ("policy", "evidence") else options.kind,
                        f"--as {options.kind}")
        item.kind = kind
        if kind.kind == "policy":
            _policy(item, repo, options, taken_ids, taken_claims, taken_paths, starters)
        elif kind.kind == "evidence":
            _evidence(item, repo, options, taken_ids, taken_paths, numbers)
        elif kind.register in MAP_ORDER:
            deferred.append(item)
        else:
            _register(item, root, repo, people, aliases, tables, taken_paths, names, options.today)
        item.suggestions = suggest(source.text, repo)
    # information assets name systems and suppliers; activities and flows name information
    # assets: each is read once the registers it names are known, this run's included
    for item in sorted(deferred, key=lambda i: MAP_ORDER.index(i.kind.register)):  # type: ignore[union-attr]
        _register(item, root, repo, people, aliases, tables, taken_paths, names, options.today)
    return done


MAP_ORDER = ("information_assets", "processing", "data_flows")


def _names(repo: Repository):  # type: ignore[no-untyped-def]
    """What the data map's references may name, from the repository's registers."""
    from dsptkit.adopt.datamap_cells import Names
    from dsptkit.datamap import key

    names = Names()
    for register, table in (("assets", names.systems), ("suppliers", names.suppliers),
                            ("information_assets", names.information_assets)):
        table.update(key(getattr(e, "name", "")) for e in repo.entries(register))
    flows = repo.registers.get("data_flows")
    names.parties.update(key(p.name) for p in (flows.parties if flows else ()))
    return names


# -- policies --------------------------------------------------------------------------------

def _policy(item: Adopted, repo: Repository, options: Options, taken_ids: set[str],
            taken_claims: set[str], taken_paths: set[str], starters: dict) -> None:
    reading = item.reading
    assert reading is not None
    fields = {k: f for k, f in reading.fields.items() if f.confident}
    title = _title(item)
    ident = slugify(title, 50) or "adopted-policy"
    replaces = starters.get(ident) if options.replace_starters else None
    base, n = ident, 2
    while (ident in taken_ids and not replaces) or f"policies/{ident}.md" in taken_paths:
        ident, n = f"{base}-{n}", n + 1
    taken_ids.add(ident)
    target = replaces.loc.path if replaces else f"policies/{ident}.md"
    taken_paths.add(target)
    item.target = target
    item.replaces = target if replaces else None
    version = fields.get("version")
    front: dict = {"id": ident, "title": title}
    if version is not None:
        front["version"] = str(version.value)
        item.written_from["version"] = _where(version)
    else:
        front["version"] = UNVERSIONED
        item.reported.append(f"no version stated: written as '{UNVERSIONED}'")
    owner = _person(item, fields.get("owner"), "owner", repo, options)
    if owner is None:
        item.target = None
        item.skipped = ("no owner could be read and no --owner was given: give --owner ROLE "
                        "to adopt documents that name none (the report lists it)")
        return
    approver, approved_on = fields.get("approved_by"), fields.get("approved_on")
    on = _exact(approved_on)
    by = _role_or_person(approver, repo) if approver else None
    if by and on:
        front["status"] = "approved"
        front["owner"] = owner
        front["approved"] = {"by": by, "on": on}
        item.written_from["approved"] = f"{_where(approver)}; {_where(approved_on)}"
    else:
        front["status"] = "draft"
        front["owner"] = owner
        if approver or approved_on:
            what = [f"{f.name} {f.raw!r} (line {f.line})" for f in (approver, approved_on) if f]
            item.reported.append("approval not written (it needs who and an exact date): " +
                                 "; ".join(what))
    for name in ("approved_on", "next_review"):
        f = reading.fields.get(name)
        if f is not None and isinstance(f.value, PartialDate) and not f.value.exact:
            item.reported.append(f"{name.replace('_', ' ')}: {f.raw!r} (line {f.line}) gives "
                                 f"only {f.value}: not written as a day")
    nxt = _exact(fields.get("next_review"))
    if nxt:
        front["next_review"] = nxt
        item.written_from["next_review"] = _where(fields["next_review"])
    for name in ("last_reviewed", "effective"):
        if name in reading.fields:
            f = reading.fields[name]
            item.reported.append(f"{name.replace('_', ' ')}: {f.raw!r} (line {f.line}) — not a "
                                 "front-matter field; kept in the text")
    claims = _claims(item, ident, repo, taken_claims)
    front["claims"] = claims
    item.claims = claims
    item.front = front
    item.front["adopted_from"] = {"path": item.source.path, "sha256": item.source.sha256}


def _claims(item: Adopted, ident: str, repo: Repository, taken: set[str]) -> list[dict]:
    """Claims from the items the document cites explicitly; standards cited whole are only
    suggestions."""
    reading = item.reading
    assert reading is not None
    prefix = "".join(part[0] for part in ident.split("-") if part)[:4].upper() or "AD"
    claims: list[dict] = []
    seen: set[str] = set()
    for ref in reading.references:
        if not ref.ref.startswith("dspt:") or ref.ref in seen:
            if ref.ref.startswith("dspt-standard:"):
                item.reported.append(f"cites DSPT standard {ref.ref.split(':', 1)[1]} (line "
                                     f"{ref.line}): see the suggested items")
            continue
        seen.add(ref.ref)
        if ref.ref not in repo.items:
            item.reported.append(f"cites {ref.ref} (line {ref.line}), which is not in the "
                                 "catalogue: no claim written")
            continue
        n = 1
        while f"{prefix}-{n}" in taken:
            n += 1
        claim_id = f"{prefix}-{n}"
        taken.add(claim_id)
        says = " ".join(ref.sentence.split())[:300]
        if len(re.sub(r"[^A-Za-z]", "", says)) < 20:  # only the citation: the sentence wrapped
            says = f"{repo.items[ref.ref].title} (the document cites {ref.ref.split(':')[1]} at " \
                   f"line {ref.line})"
        claims.append({"id": claim_id, "says": says, "meets": [ref.ref]})
    return claims


# -- evidence --------------------------------------------------------------------------------

def _evidence(item: Adopted, repo: Repository, options: Options, taken_ids: set[str],
              taken_paths: set[str], numbers: dict[int, int]) -> None:
    reading = item.reading
    assert reading is not None
    fields = {k: f for k, f in reading.fields.items() if f.confident}
    collected = _exact(fields.get("collected"))
    if collected is None:
        raw = reading.fields.get("collected")
        item.skipped = ("a record needs the exact date it was made, and none was read" +
                        (f" ('{raw.raw}' gives only {raw.value})" if raw else "") +
                        "; write the day it was made on a line of its own (Date: 18 June "
                        "2026) and adopt it again, or give --as policy if it is not a record")
        return
    day = date.fromisoformat(collected)
    by = _person(item, fields.get("by") or fields.get("owner"), "by", repo, options)
    if by is None:
        item.skipped = ("no one is named as having done it and no --owner was given: give "
                        "--owner ROLE to record who")
        return
    title = _title(item)
    year = day.year
    if year not in numbers:
        used = [int(m[1]) for e in taken_ids if (m := re.fullmatch(rf"EV-{year}-(\d+)", e))]
        numbers[year] = max(used, default=0) + 1
    ident = f"EV-{year}-{numbers[year]:03d}"
    numbers[year] += 1
    taken_ids.add(ident)
    slug = slugify(title, 50) or "record"
    target, n = f"evidence/{year}/{collected}-{slug}.md", 2
    while target in taken_paths:
        target, n = f"evidence/{year}/{collected}-{slug}-{n}.md", n + 1
    taken_paths.add(target)
    item.target = target
    supports = sorted({c.id for ref in reading.references for c in repo.claims
                       if ref.ref in c.meets})
    outcome = _outcome(item.source.text)
    if outcome == "partial":
        item.reported.append("outcome not stated: written as partial (it counts for nothing) "
                             "until someone checks it")
    item.written_from["collected"] = _where(fields["collected"])
    item.front = {"id": ident, "title": title, "collected": collected, "by": by,
                  "supports": supports, "outcome": outcome,
                  "adopted_from": {"path": item.source.path, "sha256": item.source.sha256}}


_PASS = re.compile(r"\b(?:result|outcome|status)\b\W{0,5}\**\s*(?:pass(?:ed)?|successful|"
                   r"satisfactory|complete(?:d)?)\b", re.I)
_FAIL = re.compile(r"\b(?:result|outcome|status)\b\W{0,5}\**\s*(?:fail(?:ed)?|unsuccessful)\b",
                   re.I)


def _outcome(text: str) -> str:
    if _FAIL.search(text):
        return "fail"
    if _PASS.search(text):
        return "pass"
    return "partial"


# -- registers -------------------------------------------------------------------------------

def _register(item: Adopted, root: Path, repo: Repository, people: dict[str, str],
              aliases: dict[str, str], tables, taken_paths: set[str], names,  # type: ignore[no-untyped-def]
              today: date) -> None:
    assert item.kind is not None
    kind = item.kind.register or ""
    if kind not in REGISTER_FILES:
        item.skipped = f"'{kind}' is not a register dsptkit keeps"
        return
    found = tables.tables(item.source.text)
    if not found:
        item.skipped = "no table found to read the register from"
        return
    table = max(found, key=lambda t: len(t.rows))
    org = repo.organisation
    roles = {title: role for title, role in aliases.items() if org and role in org.roles}
    result = tables.register_rows(kind, table, people, roles=roles, names=names)
    target = f"evidence/registers/{REGISTER_FILES[kind]}"
    if target in taken_paths:
        item.skipped = f"another document in this run is already adopted as {target}"
        return
    existing = repo.registers.get(kind)
    if existing is not None and existing.entries:
        item.skipped = (f"{target} already has {len(existing.entries)} entries: not merged "
                        "(merge the rows by hand; nothing is overwritten)")
        return
    if not result.rows:
        item.skipped = ("no row of the table could be written" +
                        (f": {'; '.join(result.problems[:3])}" if result.problems else "") +
                        "; fix the table (or give --as for another register) and adopt it again")
        return
    taken_paths.add(target)
    item.target = target
    if (root / target).exists():
        item.replaces = target  # an empty register (dspt init writes them): replaced whole
    item.rows = len(result.rows)
    item.reported.extend(result.problems)
    if result.unmapped:
        item.reported.append("columns kept under extra: " + ", ".join(result.unmapped))
    item.front = {"sources": [{"path": item.source.path, "sha256": item.source.sha256}]}
    if kind in MAP_ORDER:
        _approval(item, repo, today)
    if kind == "data_flows":
        kept = [{"name": p.name, "kind": p.kind, **({"description": p.description}
                                                   if p.description else {})}
                for p in (existing.parties if existing else ())]
        if kept or result.parties:
            item.front["parties"] = kept + result.parties
        if result.parties:
            item.reported.append(
                "outside parties added under parties:, each kind read from its name alone "
                "(check each): " + ", ".join(f"{p['name']} ({p['kind']})"
                                             for p in result.parties))
    item.front[kind] = result.rows
    names.add(kind, [str(row.get("name", "")) for row in result.rows])
    item.written_from["rows"] = f"table at line {table.line}: " + ", ".join(
        f"{h} → {f}" for h, f in result.mapped.items())


def _approval(item: Adopted, repo: Repository, today: date) -> None:
    """A data map register's owner, review and management approval (DSPT 1.1.2), when the
    document states them: a role or person, and exact days, as for a policy."""
    reading = item.reading
    if reading is None:
        return
    fields = reading.fields
    owner = _role_or_person(fields.get("owner"), repo)
    if owner:
        item.front["owner"] = owner
        item.written_from["owner"] = _where(fields["owner"])
    approver, approved_on = fields.get("approved_by"), fields.get("approved_on")
    by = _role_or_person(approver, repo) if approver else None
    on = _exact(approved_on)
    if by and on and date.fromisoformat(on) <= today:
        item.front["approved"] = {"by": by, "on": date.fromisoformat(on)}
        item.written_from["approved"] = f"{_where(approver)}; {_where(approved_on)}"
    elif approver or approved_on:
        what = [f"{f.name} {f.raw!r} (line {f.line})" for f in (approver, approved_on) if f]
        item.reported.append("approval not written (it needs who, as a role or person, and an "
                             "exact day): " + "; ".join(what))
    reviewed = fields.get("last_reviewed")
    day = _exact(reviewed)
    if reviewed is None or not day or date.fromisoformat(day) > today:
        return
    if _LAST_REVIEW.search(reviewed.raw):
        item.front["reviewed"] = date.fromisoformat(day)
        item.written_from["reviewed"] = _where(reviewed)
    else:  # 'Review date: <past>': the last review, or a next review now overdue
        item.reported.append(f"review date {day} ({_where(reviewed)}) has passed: it may be the "
                             "last review or an overdue next one, so it is not written as the "
                             "register's reviewed date")


_LAST_REVIEW = re.compile(r"\b(?:last|latest|previous|most recent|reviewed|completed)\b", re.I)


# -- shared ----------------------------------------------------------------------------------

def _title(item: Adopted) -> str:
    reading = item.reading
    if reading and reading.title and reading.title.value:
        title = "".join(ch for ch in str(reading.title.value) if ch.isprintable()).strip()
        if title:
            item.written_from.setdefault("title", _where(reading.title))
            return title[:200]
    stem = Path(item.source.path).stem.replace("-", " ").replace("_", " ").strip()
    item.written_from.setdefault("title", "the file name")
    return stem[:1].upper() + stem[1:] if stem else "Adopted document"


def _person(item: Adopted, found: Field | None, name: str, repo: Repository,
            options: Options) -> str | None:
    if found is not None:
        value = _role_or_person(found, repo)
        if value:
            item.written_from[name] = _where(found)
            return value
    raw = (item.reading.fields.get(name) if item.reading else None)
    if raw is not None and not raw.confident:
        item.reported.append(f"{name}: {raw.raw!r} (line {raw.line}) is not a known role or "
                             "person (add it to role_aliases in organisation.yaml or to the "
                             "people register)")
    if options.owner:
        item.written_from[name] = f"--owner {options.owner} (none could be read from the document)"
        item.reported.append(f"{name}: none could be read; written as {options.owner} from "
                             "--owner: check it")
        return options.owner
    return None


def _role_or_person(found: Field | None, repo: Repository) -> str | None:
    if found is None or not found.confident:
        return None
    value = str(found.value)
    org = repo.organisation
    if (org and value in org.roles) or value in repo.people:
        return value
    return None


def _exact(found: Field | None) -> str | None:
    if found is None or not found.confident:
        return None
    value = found.value
    if isinstance(value, PartialDate) and value.exact:
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return None


def _where(found: Field) -> str:
    return f"line {found.line}: {found.raw.strip()}" if found.line else found.raw.strip()


def _norm(path: str) -> str:
    return posixpath.normpath(path.replace("\\", "/"))


def _origins(root: Path, repo: Repository) -> dict[str, str]:
    """Where earlier adopt runs put each source: by sha256 and by path as given."""
    found: dict[str, str] = {}
    for doc in (*repo.policies, *repo.evidence):
        path = getattr(doc, "adopted_from", None)
        if path:
            found[_norm(path)] = doc.loc.path
            sha = getattr(doc, "adopted_sha256", None)
            if sha:
                found[sha] = doc.loc.path
    registers = root / "evidence" / "registers"
    for name in REGISTER_FILES.values():
        path = registers / name
        try:
            data = yaml.safe_load(path.read_text("utf-8")) if path.is_file() else None
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        for src in (data or {}).get("sources", []) if isinstance(data, dict) else []:
            if isinstance(src, dict):
                for key in ("path", "sha256"):
                    if src.get(key):
                        found[_norm(str(src[key])) if key == "path" else str(src[key])] = \
                            f"evidence/registers/{name}"
    return found


# -- topic suggestions -----------------------------------------------------------------------

_WORD = re.compile(r"[a-z]{4,}")
_STOP = set("that this with from have will must should their which when where there these "
            "those into your ours them they been were what each every data policy staff "
            "organisation information security ensure".split())


def suggest(text: str, repo: Repository, limit: int = 3) -> list[tuple[str, float]]:
    """DSPT items whose own words (title and guidance) the document shares most, scored 0–1.
    Only suggestions: never written as claims."""
    words = {w for w in _WORD.findall(text.lower()) if w not in _STOP}
    if not words:
        return []
    scored = []
    for ref, item in repo.items.items():
        if item.framework != "dspt":
            continue
        own = {w for w in _WORD.findall(f"{item.title} {item.guidance or ''}".lower())
               if w not in _STOP}
        if len(own) < 2:
            continue
        score = len(own & words) / len(own)
        if score >= 0.5:
            scored.append((ref, round(score, 2)))
    scored.sort(key=lambda s: (-s[1], s[0]))
    return scored[:limit]


# -- rendering -------------------------------------------------------------------------------

def render(item: Adopted) -> str:
    """The file adopt writes for one document."""
    assert item.kind is not None
    if item.kind.kind == "register":
        header = (f"# {item.kind.register} register, adopted by dspt adopt from "
                  f"{item.source.path}\n")
        return header + yaml.safe_dump(item.front, sort_keys=False, allow_unicode=True,
                                       width=100)
    lines = ["---"]
    for key, value in item.front.items():
        lines.extend(_yaml_lines(key, value))
    if item.source.front:  # nothing is lost: the original front matter, kept as comments
        lines.append("# the original front matter, as it was (only the fields above are read):")
        dumped = yaml.safe_dump(item.source.front, sort_keys=False, allow_unicode=True,
                                default_flow_style=None, width=100)
        lines.extend(f"#   {one_line(line)}" for line in dumped.splitlines())
    lines.append("---")
    body = item.content if item.content else item.source.text
    return "\n".join(lines) + "\n" + (body if body.endswith("\n") else body + "\n")


def _yaml_lines(key: str, value: object) -> list[str]:
    if key == "claims" and isinstance(value, list):
        if not value:
            return ["claims: []  # add the claims this policy makes: see docs/format.md"]
        out = ["claims:"]
        for claim in value:
            out.append(f"  - id: {claim['id']}")
            out.append(f"    says: {yaml_string(claim['says'])}")
            out.append(f"    meets: [{', '.join(claim['meets'])}]")
        return out
    if isinstance(value, dict):
        inner = ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
        return [f"{key}: {{{inner}}}"]
    if key == "files" and isinstance(value, list):
        return ["files:", *(f"  - {{path: {_scalar(f['path'])}, sha256: {_scalar(f['sha256'])}}}"
                            for f in value)]
    if isinstance(value, list):
        return [f"{key}: [{', '.join(_scalar(v) for v in value)}]"]
    if key == "version":
        return [f"version: {yaml_string(str(value))}" if not re.fullmatch(r"[0-9.]+", str(value))
                else f'version: "{value}"']
    return [f"{key}: {_scalar(value)}"]


def _scalar(value: object) -> str:
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value
        return yaml_string(value)
    return str(value)
