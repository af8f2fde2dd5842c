"""``dspt ack``: record that staff read and acknowledged a policy.

One acknowledgement (``dspt ack PERSON POLICY``) or many from an HR system's CSV export
(``dspt ack --csv FILE``), written to ``evidence/registers/acknowledgements.yaml``. Every
acknowledgement is checked before anything is written (a known person, current on the day;
an approved policy; a real date, not in the future, not before the version was approved);
one bad row and nothing is written, every problem listed as ``FILE:LINE: message``. Those
already recorded (the same person, policy and version) are skipped. New entries are appended
to the register's list, leaving every other byte of the file as it was; the change is shown,
then validated with the same loader and rules as ``dspt check`` on the exact bytes about to be
written, then written atomically. ``--dry-run`` shows the change and writes nothing.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dsptkit.commands._shared import repository_root
from dsptkit.datamap import key
from dsptkit.errors import FatalError, RepositoryError, UsageError
from dsptkit.frontmatter import MAX_FILE_BYTES, parse_yaml_file
from dsptkit.model import Acknowledgement, LoadReport, Person, Policy, PolicyStatus, Repository, one_line
from dsptkit.repository import REGISTER_FILES, load
from dsptkit.staff import same_version
from dsptkit.writing import Plan, replace_atomically, yaml_string

KIND = "acknowledgements"
REGISTER = f"evidence/registers/{REGISTER_FILES[KIND]}.yaml"
HEADER = ("# Staff acknowledgements: who read and accepted which version of which policy, and when.\n"
          "# One entry per person per version; `dspt ack` adds them (docs/acknowledgements.md).\n"
          "acknowledgements:\n")
MAX_CSV_BYTES = 5 * 1024 * 1024  # an HR export of a few thousand rows is a few hundred KB
MAX_PROBLEMS = 100  # listed in full up to this many
HEADER_ROWS = 10  # an export may open with a title or a blank line before its headings
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Ack:
    """One acknowledgement to record, checked."""

    person: str
    policy: str
    version: str  # as the policy writes it when it is the current version
    on: date
    where: str  # "FILE:LINE" for a CSV row, "" for the command line

    @property
    def entry(self) -> dict:
        return {"person": self.person, "policy": self.policy, "version": self.version,
                "on": self.on}


class Refused(RepositoryError):
    """Nothing was written: the input names something that cannot be recorded (exit 1)."""


def run(args: argparse.Namespace) -> int:
    if args.csv is not None and (args.person or args.policy):
        raise UsageError("give PERSON and POLICY, or --csv FILE, not both")
    if args.csv is None and not (args.person and args.policy):
        raise UsageError("give PERSON and POLICY (e.g. dspt ack jo-lee acceptable-use), or "
                         "--csv FILE")
    if args.csv is not None and args.version is not None:
        raise UsageError("--version is for one acknowledgement; a CSV gives versions in a "
                         "Version column (the current version where it has none)")
    root = Path(repository_root(args))
    today = date.today()
    repo, report = load(root)
    rel, raw = _register(root, repo, report)
    if "registers.people" in report.incomplete:
        raise Refused("the people register could not be read ('dspt check' shows why), so no "
                      "one can be looked up; fix it first; nothing was written")
    book = Book(repo, report)
    if args.csv is not None:
        wanted, notes = _from_csv(Path(args.csv), args.csv, book, args.on, today)
    else:
        ack, notes = _from_arguments(args, book, today)
        wanted = [ack]
    new, already = _new(repo, wanted)
    for note, times in notes.items():
        print(f"note: {note}" + (f" ({times} rows)" if times > 1 else ""))
    if not new:
        print(f"nothing to record: {_count(already, 'acknowledgement')} already recorded in "
              f"{rel}")
        return 0
    data = _appended(rel, raw, new)
    _show(rel, raw, data)
    plan = Plan(root)
    plan.add(rel, data)
    try:  # the same loader and rules as dspt check, on the exact bytes: no new errors
        plan.validate()
    except FatalError as exc:
        raise Refused(str(exc)) from None
    skipped = f" ({already} already recorded, skipped)" if already else ""
    if args.dry_run:
        print(f"dry run: would record {_count(len(new), 'acknowledgement')} in {rel}{skipped}; "
              "nothing was written")
        return 0
    _write(plan, rel, raw, data)
    print(f"recorded {_count(len(new), 'acknowledgement')} in {rel}{skipped}")
    return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# -- the register ------------------------------------------------------------------------------

def _register(root: Path, repo: Repository, report: LoadReport) -> tuple[str, bytes | None]:
    """The register's path and bytes (None when it does not exist yet); refused when it is
    there but cannot be read: nothing is appended to a broken file."""
    register = repo.registers.get(KIND)
    if register is None:
        on_disk = [p for p in (REGISTER, REGISTER.removesuffix(".yaml") + ".yml")
                   if (root / p).exists() or (root / p).is_symlink()]
        if "registers.acknowledgements" in report.incomplete or on_disk:
            where = on_disk[0] if on_disk else REGISTER
            raise Refused(f"{where} cannot be read ('dspt check' shows why); fix it before "
                          "recording more; nothing was written")
        return REGISTER, None
    rel = register.loc.path
    path = root / rel
    if path.is_symlink() or not path.is_file():
        raise Refused(f"{rel} is not a regular file (a link?); dspt ack writes only a "
                      "regular file; nothing was written")
    try:
        return rel, path.read_bytes()
    except OSError as exc:
        raise Refused(f"{rel} cannot be read: {exc.strerror}; nothing was written") from None


def _new(repo: Repository, wanted: list[Ack]) -> tuple[list[Ack], int]:
    """Those not yet recorded (nor earlier in ``wanted``), and how many were."""
    have: dict[tuple[str, str], list[str]] = {}
    for entry in repo.entries(KIND):
        if isinstance(entry, Acknowledgement):
            have.setdefault((entry.person, entry.policy), []).append(entry.version)
    new: list[Ack] = []
    already = 0
    for ack in sorted(wanted, key=lambda a: a.on):  # of repeats, the earliest is kept
        versions = have.setdefault((ack.person, ack.policy), [])
        if any(same_version(v, ack.version) for v in versions):
            already += 1
            continue
        versions.append(ack.version)
        new.append(ack)
    order = {id(a): n for n, a in enumerate(wanted)}
    return sorted(new, key=lambda a: order[id(a)]), already


def _line(ack: Ack) -> str:
    return (f"- {{person: {_scalar(ack.person)}, policy: {_scalar(ack.policy)}, "
            f"version: {_quoted(ack.version)}, on: {ack.on.isoformat()}}}")


_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _scalar(text: str) -> str:
    """An id as a YAML scalar inside a flow mapping: plain when YAML reads it back as the same
    text (writing.yaml_string decides), else double-quoted."""
    written = yaml_string(text)
    if _ID.fullmatch(text) and not written.startswith('"'):
        return written
    return _quoted(text)


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar that reads back as exactly ``text``: quotes, backslashes and
    anything unprintable (new lines, tabs, Unicode line separators) escaped."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable() and char not in "\u2028\u2029\x85\ufeff":
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _appended(rel: str, raw: bytes | None, new: list[Ack]) -> bytes:
    """The register's bytes with ``new`` appended to its list: a new file when there is none;
    otherwise the entries inserted after the list's last, every other byte unchanged. Read
    back before it is used: the old entries and every other field must be as they were, and
    the new ones exactly what was meant."""
    if raw is None:
        data = (HEADER + "".join(f"  {_line(a)}\n" for a in new)).encode("utf-8")
        _verify(rel, None, data, new)
        return data
    bom = raw.startswith(_BOM)
    body = raw[len(_BOM):] if bom else raw
    text = body.decode("utf-8")  # the loader read it, so it is UTF-8
    if "\r" in text.replace("\r\n", "") or ("\r\n" in text and "\n" in text.replace("\r\n", "")):
        raise Refused(f"{rel}: its line endings are mixed (or old Mac style); save it with LF or "
                      "CRLF line endings and run again; nothing was written")
    if any(c in text for c in "\x85\u2028\u2029"):
        raise Refused(f"{rel}: it contains Unicode line or paragraph separators; remove them "
                      "and run again; nothing was written")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.replace("\r\n", "\n").split("\n")
    doc = parse_yaml_file(rel, raw)
    value = next((v for k, v in doc.node.value if k.value == KIND), None) if doc.node else None
    if value is None or not hasattr(value, "flow_style"):
        raise Refused(f"{rel}: no '{KIND}:' list found to add to; nothing was written")
    replace: tuple[int, str] | None = None  # a line rewritten: `acknowledgements: []`
    if value.flow_style:
        line = lines[value.start_mark.line]
        opened = line[value.start_mark.column:value.end_mark.column]
        if value.value or value.start_mark.line != value.end_mark.line or \
                not re.fullmatch(r"\[\s*\]", opened):
            raise Refused(f"{rel}:{value.start_mark.line + 1}: the list is written in "
                          "[...] form; write it one entry per line ('  - {person: ...}') and "
                          "run again; nothing was written")
        after = line[value.end_mark.column:]
        kept = line[:value.start_mark.column].rstrip()
        replace = (value.start_mark.line, kept + (" " + after.strip() if after.strip() else ""))
        indent = " " * (_key_column(doc, KIND) + 2)
        last = value.start_mark.line
    else:
        dash = value.start_mark.column  # a block list starts at its first '-'
        indent = " " * dash
        item = value.value[-1]
        end = item.end_mark
        last = end.line if end.column > 0 or end.line == item.start_mark.line else end.line - 1
        while last > item.start_mark.line and _skippable(lines[last], dash):
            last -= 1
    added = "".join(f"{indent}{_line(a)}{newline}" for a in new).encode("utf-8")
    data = _insert(body, newline.encode(), last, added, replace)
    data = (_BOM if bom else b"") + data
    _verify(rel, doc, data, new)
    return data


def _key_column(doc, name: str) -> int:  # type: ignore[no-untyped-def]
    return next(k.start_mark.column for k, _ in doc.node.value if k.value == name)


def _skippable(line: str, dash: int) -> bool:
    """A blank line, or a comment no deeper than the list's dashes: after an entry, not in it."""
    stripped = line.lstrip(" ")
    return not stripped.strip() or (stripped.startswith("#") and len(line) - len(stripped) <= dash)


def _insert(body: bytes, newline: bytes, after: int, added: bytes,
            replace: tuple[int, str] | None) -> bytes:
    """``body`` with ``added`` inserted after its line ``after`` (0-based), and line
    ``replace[0]`` rewritten as ``replace[1]`` when given."""
    starts = [0] + [m.end() for m in re.finditer(b"\n", body)]
    if after + 1 < len(starts):
        cut = starts[after + 1]
        head, tail = body[:cut], body[cut:]
    else:  # the last line, with no new line at its end
        head, tail = body + newline, b""
    if replace is not None:
        number, text = replace
        start = starts[number]
        end = body.index(b"\n", start) + 1 if number + 1 < len(starts) else len(body)
        line_end = newline if body[start:end].endswith(b"\n") else b""
        head = head[:start] + text.encode("utf-8") + line_end + head[end:]
    return head + added + tail


def _verify(rel: str, old, data: bytes, new: list[Ack]) -> None:  # type: ignore[no-untyped-def]
    """The new bytes read back as the old data with exactly ``new`` added at the end."""
    doc = parse_yaml_file(rel, data, limit=max(len(data), MAX_FILE_BYTES))  # size: the check's
    before = old.data if old is not None else {KIND: []}
    want = dict(before, **{KIND: [*before[KIND], *(a.entry for a in new)]})
    if doc.problems or doc.data != want:
        raise Refused(f"{rel}: the new entries could not be added without changing what the "
                      "file says (it is laid out in a way dspt ack does not follow); add them by "
                      "hand: " + "; ".join(_line(a) for a in new[:3]) +
                      (" ..." if len(new) > 3 else "") + "; nothing was written")


def _show(rel: str, raw: bytes | None, data: bytes) -> None:
    """The change, as a unified diff."""
    def lines(blob: bytes | None) -> list[str]:
        if blob is None:
            return []
        text = blob.removeprefix(_BOM).decode("utf-8").replace("\r\n", "\n")
        return [one_line(line) for line in text.removesuffix("\n").split("\n")]

    old = "/dev/null" if raw is None else f"a/{one_line(rel)}"
    for line in difflib.unified_diff(lines(raw), lines(data), old, f"b/{one_line(rel)}",
                                     lineterm="", n=1):
        print(line)


def _write(plan: Plan, rel: str, raw: bytes | None, data: bytes) -> None:
    """Written atomically: a new register is created (never over a file that appeared
    meanwhile); an existing one is replaced whole, unless it changed since it was read."""
    path = plan.root / rel
    if raw is None:
        plan.write(validate=False)
        return
    try:
        if path.read_bytes() != raw:
            raise Refused(f"{rel} changed while dspt ack ran; run it again; nothing was written")
        replace_atomically(path, data)
    except OSError as exc:
        raise Refused(f"{rel} cannot be written: {exc.strerror}; nothing was written") from None


# -- people and policies ---------------------------------------------------------------------

def _fold(text: str) -> str:
    return key(text)


class Book:
    """Looks people and policies up as people write them."""

    def __init__(self, repo: Repository, report: LoadReport) -> None:
        self.people = repo.people
        self.policies = repo.policies
        self.policies_incomplete = "policies" in report.incomplete

    # people: an id, a name ("Jo Lee", "Lee, Jo") or an email, case and spacing aside
    def people_matching(self, text: str) -> list[Person]:
        written = text.strip()
        if written in self.people:
            return [self.people[written]]
        wanted = _fold(written)
        if not wanted:
            return []
        swapped = _fold(" ".join(reversed(written.split(",", 1)))) if written.count(",") == 1 \
            else None
        return [p for p in self.people.values()
                if wanted in (_fold(p.id), _fold(p.name), _fold(p.email or "\x00"))
                or (swapped and _fold(p.name) == swapped)]

    def person_hint(self, text: str) -> str:
        names = {}
        for person in self.people.values():
            for written in (person.id, person.name, person.email):
                if written:
                    names[_fold(written)] = person
        close = difflib.get_close_matches(_fold(text), list(names), n=1, cutoff=0.7)
        if not close:
            return ""
        person = names[close[0]]
        return f" (did you mean {one_line(person.id)}, {one_line(person.name)}?)"

    # policies: an id or a title, case aside, with or without a last word "policy"
    def policies_matching(self, text: str) -> list[Policy]:
        written = text.strip()
        exact = [p for p in self.policies if p.id == written]
        if exact:
            return exact[:1]
        wanted = _bare_title(written)
        if not wanted:
            return []
        found = [p for p in self.policies if wanted in (_fold(p.id), _bare_title(p.title))]
        return list({p.id: p for p in found}.values())

    def policy_hint(self, text: str) -> str:
        names = {}
        for policy in self.policies:
            names[_fold(policy.id)] = policy
            names[_bare_title(policy.title)] = policy
        close = difflib.get_close_matches(_bare_title(text), list(names), n=1, cutoff=0.7)
        if not close:
            return ""
        policy = names[close[0]]
        return f" (did you mean {one_line(policy.id)}, {one_line(policy.title)}?)"


def _bare_title(text: str) -> str:
    folded = _fold(text)
    return folded.removesuffix(" policy").strip() if folded != "policy" else folded


def _person(book: Book, cells: list[tuple[str, str]]) -> tuple[Person | None, str | None]:
    """The one person the cells name ((heading, text) pairs: a name, an email and an HR
    number, say, of which those that name someone must agree), or why there is none."""
    resolved: list[tuple[str, str, Person]] = []
    ambiguous: list[tuple[str, str, list[Person]]] = []
    for heading, text in cells:
        matches = book.people_matching(text)
        if len(matches) == 1:
            resolved.append((heading, text, matches[0]))
        elif matches:
            ambiguous.append((heading, text, matches))
    if len({p.id for _, _, p in resolved}) > 1:
        named = "; ".join(f"'{one_line(t)}'{_under(h)} is {one_line(p.id)}"
                          for h, t, p in resolved)
        return None, f"the row names more than one person: {named}"
    if resolved:
        person = resolved[0][2]
        if all(any(p.id == person.id for p in matches) for _, _, matches in ambiguous):
            return person, None
    if ambiguous:
        heading, text, matches = ambiguous[0]
        listed = ", ".join(f"{one_line(p.id)} ({one_line(p.name)}"
                           + (f", {one_line(p.email)}" if p.email else "") + ")"
                           for p in matches[:8])
        return None, (f"'{one_line(text)}'{_under(heading)} matches {len(matches)} people: "
                      f"{listed}; give their id")
    shown = " or ".join(f"'{one_line(t)}'{_under(h)}" for h, t in cells)
    if not book.people:
        return None, f"there is no people register to find {shown} in"
    hint = next((h for h in (book.person_hint(t) for _, t in cells) if h), "")
    return None, f"no one in the people register is {shown}{hint}"


def _policy(book: Book, text: str, heading: str = "") -> tuple[Policy | None, str | None]:
    matches = book.policies_matching(text)
    if len(matches) == 1:
        return matches[0], None
    if matches:
        listed = ", ".join(f"{one_line(p.id)} ({one_line(p.title)})" for p in matches[:8])
        return None, (f"'{one_line(text)}'{_under(heading)} is the title of {len(matches)} "
                      f"policies: {listed}; give its id")
    unread = " (a policy file could not be read: 'dspt check' shows which)" \
        if book.policies_incomplete else ""
    return None, (f"no policy has the id or title '{one_line(text)}'{_under(heading)}"
                  f"{book.policy_hint(text)}{unread}")


def _under(heading: str) -> str:
    return f" under '{one_line(heading)}'" if heading else ""


_VERSIONISH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,39}")


def _checked(person: Person, policy: Policy, version: str | None, on: date, today: date,
             where: str, notes: Counter[str]) -> tuple[Ack | None, str | None]:
    """The acknowledgement, or why it cannot be recorded. The version is the policy's own
    spelling when it is the current one ("v1.2" for "1.2")."""
    if on > today:
        return None, f"{on.isoformat()} is in the future (today is {today.isoformat()})"
    if policy.status is not PolicyStatus.APPROVED:
        return None, (f"policy {one_line(policy.id)} is {policy.status.value}, not approved: "
                      "only an approved version is acknowledged")
    if person.left is not None and person.left < on:
        return None, (f"{one_line(person.id)} left on {person.left.isoformat()}, before "
                      f"{on.isoformat()}")
    current = version is None or not version.strip() or same_version(version, policy.version)
    if current:
        written = policy.version
        if policy.approved_on is not None and on < policy.approved_on:
            notes[f"acknowledgement of {one_line(policy.id)} {one_line(policy.version)} dated "
                  f"before its approval on {policy.approved_on.isoformat()}: recorded, as the "
                  "version may have been approved before and re-approved at a review; if it "
                  "was a draft then, check the date"] += 1
    else:
        assert version is not None
        written = version.strip()
        if not _VERSIONISH.fullmatch(written):
            return None, f"'{one_line(written)}' is not a version (such as 1.2 or v2.0)"
        notes[f"version {one_line(written)} is not the current version of "
              f"{one_line(policy.id)} ({one_line(policy.version)}): recorded, but it does not "
              "count as acknowledging the current one"] += 1
    if not policy.acknowledge:
        notes[f"policy {one_line(policy.id)} does not ask for acknowledgement (no "
              "'acknowledge: true'): recorded anyway"] += 1
    return Ack(person.id, policy.id, written, on, where), None


def _from_arguments(args: argparse.Namespace, book: Book, today: date) -> tuple[Ack, Counter[str]]:
    person, problem = _person(book, [("", args.person)])
    if person is None:
        raise Refused(f"{problem}; nothing was written")
    policy, problem = _policy(book, args.policy)
    if policy is None:
        raise Refused(f"{problem}; nothing was written")
    if args.version is not None and not args.version.strip():
        raise UsageError("--version is empty; give the version acknowledged, e.g. 1.2")
    notes: Counter[str] = Counter()
    ack, problem = _checked(person, policy, args.version, args.on or today, today, "", notes)
    if ack is None:
        if args.on is None and "in the future" in (problem or ""):
            problem = f"{problem}; give --on"
        raise Refused(f"{problem}; nothing was written")
    return ack, notes


# -- a CSV from an HR system -----------------------------------------------------------------

# field -> headings that mean it (compared folded, punctuation as spaces), the most specific
# first: with both 'Date signed' and 'Date', the date signed is read
HEADINGS = {
    "person": ("person", "person id", "employee", "employee name", "employee id",
               "employee number", "employee no", "staff member", "staff", "staff name",
               "staff id", "staff number", "member of staff", "name", "full name", "user",
               "user name", "username", "user id", "email", "email address", "e mail",
               "work email", "e mail address", "email addr", "emp no", "emp number",
               "emp id", "who"),
    "first": ("first name", "forename", "given name", "first names", "forenames"),
    "last": ("last name", "surname", "family name"),
    "policy": ("policy", "policy name", "policy title", "policy id", "policy document",
               "document", "document name", "document title", "title"),
    "version": ("version", "policy version", "document version", "version number", "ver",
                "revision", "issue", "doc version", "doc ver", "version no", "rev",
                "policy ver", "document ver", "document rev", "doc rev"),
    "date": ("date signed", "signed on", "date acknowledged", "acknowledged on",
             "acknowledgement date", "acknowledgment date", "date of acknowledgement",
             "signed date", "signature date", "date accepted", "accepted on", "date read",
             "read on", "date completed", "completed on", "completion date", "date",
             "acknowledged", "signed", "accepted", "completed", "timestamp"),
}


def _heading_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).replace("\ufeff", "").casefold()
    return re.sub(r"[^0-9a-z]+", " ", folded).strip()


def _columns(header: list[str]) -> dict[str, list[int]]:
    """Field -> the columns that give it (several for the person: a name and an email)."""
    keys = [_heading_key(h) for h in header]
    bare = [_heading_key(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", h)) for h in header]
    taken: set[int] = set()
    found: dict[str, list[int]] = {}
    for field in HEADINGS:
        for word in HEADINGS[field]:
            for index in range(len(header)):
                if index not in taken and word in (keys[index], bare[index]):
                    found.setdefault(field, []).append(index)
                    taken.add(index)
                    if field != "person":
                        break
            if field in found and field != "person":
                break
    return found


_TIME = re.compile(r"(?:[T ]|,\s*|\s+at\s+)\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:[.,]\d+)?)?\s*"
                   r"(?:[ap]\.?m\.?)?\s*(?:Z|UTC|GMT|BST|[+-]\d{2}:?\d{2})?$", re.I)
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")


def _read_date(text: str, heading: str) -> tuple[date | None, str | None]:
    """A cell's date in a form an export writes: 2026-06-03, 03/06/2026 (day first), 3 June
    2026, 03-Jun-2026, Wed 3 June 2026, each with or without a time; else why not. Read by
    the adopt tables' date reader, so a cell reads the same in both."""
    from dsptkit.adopt.tables import parse_date

    value = text.strip()
    shown = f"'{one_line(value)}' under '{one_line(heading)}'"
    day = _TIME.sub("", value).strip() or value
    found = parse_date(day)
    if found is not None:
        return found, None
    numeric = _NUMERIC.fullmatch(day)
    if numeric and int(numeric[2]) > 12 >= int(numeric[1]):
        return None, (f"{shown} is not a date in day/month/year order (it reads month first); "
                      "export dates as YYYY-MM-DD, or day first")
    if re.fullmatch(r"\d{5}(?:\.\d+)?", value):
        return None, (f"{shown} is not a date (a spreadsheet's day number? format the column "
                      "as a date before exporting)")
    return None, f"{shown} is not a date; write it as 2026-06-03 or 03/06/2026 (day first)"


def _month_first(text: str) -> bool:
    numeric = _NUMERIC.fullmatch(_TIME.sub("", text.strip()).strip())
    return bool(numeric) and int(numeric[2]) > 12 >= int(numeric[1])


def _ambiguous(text: str) -> bool:
    numeric = _NUMERIC.fullmatch(_TIME.sub("", text.strip()).strip())
    return bool(numeric) and numeric[1] != numeric[2] and int(numeric[1]) <= 12 \
        and int(numeric[2]) <= 12


def _decode(raw: bytes, name: str) -> str:
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise Refused(f"{name}:{line}: the file is binary (a spreadsheet?), not CSV text; save it "
                      "as 'CSV UTF-8' and run again; nothing was written")
    body = raw.removeprefix(_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise Refused(f"{name}:{line}: the file is not UTF-8 (byte 0x{body[exc.start]:02x}, often "
                      "a pound sign or a curly quote saved by Excel as Windows-1252); save it as "
                      "'CSV UTF-8 (Comma delimited)' and run again; nothing was written") from None


def _rows(text: str, name: str) -> list[tuple[int, list[str]]]:
    """(first line, cells) per record; the delimiter is the one that makes the most headings
    known (a comma, a semicolon or a tab)."""
    first = text.splitlines()[:HEADER_ROWS]

    def known(delimiter: str) -> tuple[int, bool]:
        try:
            found = max((len(_columns(cells)) for cells in csv.reader(first, delimiter=delimiter)),
                        default=0)
        except csv.Error:  # a field over the csv module's limit: the full read below names it
            found = 0
        return found, delimiter == ","

    best = max((",", ";", "\t"), key=known)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best, strict=True)
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise Refused(f"{name}:{line}: cannot be read as CSV: {exc}; nothing was written") \
            from None
    return rows


def _from_csv(path: Path, name: str, book: Book, on: date | None,
              today: date) -> tuple[list[Ack], Counter[str]]:
    shown = one_line(name)
    try:
        if not path.is_file():
            raise Refused(f"{shown}: no such file; nothing was written")
        if path.stat().st_size > MAX_CSV_BYTES:
            raise Refused(f"{shown}: {path.stat().st_size:,} bytes, over the {MAX_CSV_BYTES:,}-byte "
                          "limit for an export of acknowledgements; split it; nothing was written")
        raw = path.read_bytes()
    except OSError as exc:
        raise Refused(f"{shown}: cannot be read: {exc.strerror}; nothing was written") from None
    rows = _rows(_decode(raw, shown), shown)
    header_at = next((n for n, (_, cells) in enumerate(rows[:HEADER_ROWS])
                      if {"policy"} <= set(_columns(cells))
                      and ({"person"} <= set(_columns(cells))
                           or {"first", "last"} <= set(_columns(cells)))), None)
    if header_at is None:
        raise Refused(f"{shown}:1: no heading row naming the person (Person, Employee, Name, Staff "
                      "member, Email or Employee ID) and the policy (Policy, Document or Policy "
                      "name) in its first lines; nothing was written")
    header_line, header = rows[header_at]
    columns = _columns(header)
    if "version" not in columns:  # never record the current version for one a row names
        used = {i for indices in columns.values() for i in indices}
        for index, heading in enumerate(header):
            words = _heading_key(heading).split()
            if index not in used and any(w.startswith("version") or w in ("ver", "rev", "revision")
                                            for w in words):
                raise Refused(f"{shown}:{header_line}: the column '{one_line(heading)}' looks "
                              "like the version signed, but its heading is not one dsptkit "
                              "reads; rename it 'Version' (or remove it to record each "
                              "policy's current version); nothing was written")
    if on is not None and "date" in columns:
        raise UsageError(f"--on gives the date for a CSV without a date column; {name} has "
                         f"'{one_line(header[columns['date'][0]])}'")
    body = [(line, cells) for line, cells in rows[header_at + 1:]
            if any(c.strip() for c in cells)]
    print(_describe(shown, header, columns, len(body), on, today))

    def cell(cells: list[str], index: int) -> str:
        return cells[index].strip() if index < len(cells) else ""

    wanted: list[Ack] = []
    problems: list[str] = []
    notes: Counter[str] = Counter()
    month_first = next((line for line, cells in body if "date" in columns
                        and _month_first(cell(cells, columns["date"][0]))), None)
    for line, cells in body:
        where = f"{shown}:{line}"
        said = [(header[i], cell(cells, i)) for i in columns.get("person", ()) if cell(cells, i)]
        if "first" in columns and "last" in columns:
            full = " ".join(filter(None, (cell(cells, columns["first"][0]),
                                          cell(cells, columns["last"][0]))))
            if full:
                said.append((f"{header[columns['first'][0]]} and {header[columns['last'][0]]}",
                             full))
        if not said:
            problems.append(f"{where}: no person given")
            continue
        person, problem = _person(book, said)
        policy_text = cell(cells, columns["policy"][0])
        policy, policy_problem = (None, "no policy given") if not policy_text else \
            _policy(book, policy_text, header[columns["policy"][0]])
        when, date_problem = on or today, None
        if "date" in columns:
            written = cell(cells, columns["date"][0])
            heading = header[columns["date"][0]]
            if not written:
                when, date_problem = None, f"no date under '{one_line(heading)}'"
            elif month_first is not None and _ambiguous(written):
                when, date_problem = None, (f"'{one_line(written)}' under '{one_line(heading)}' "
                                            "could be day/month or month/day: line "
                                            f"{month_first} reads month first; export dates as "
                                            "YYYY-MM-DD")
            else:
                when, date_problem = _read_date(written, heading)
        found = [p for p in (problem, policy_problem, date_problem) if p]
        if found or person is None or policy is None or when is None:
            problems.extend(f"{where}: {p}" for p in found)
            continue
        version = cell(cells, columns["version"][0]) if "version" in columns else None
        ack, problem = _checked(person, policy, version, when, today, where, notes)
        if ack is None:
            problems.append(f"{where}: {problem}")
            continue
        wanted.append(ack)
    if problems:
        listed = "\n".join(problems[:MAX_PROBLEMS])
        more = f"\n... and {len(problems) - MAX_PROBLEMS} more" if len(problems) > MAX_PROBLEMS \
            else ""
        rows_with = len({p.split(": ", 1)[0] for p in problems})
        raise Refused(f"{shown}: {_count(rows_with, 'row')} cannot be recorded, so nothing was "
                      f"written:\n{listed}{more}")
    if not body:
        raise Refused(f"{shown}: no rows under the headings on line {header_line}; nothing was "
                      "written")
    return wanted, notes


def _describe(name: str, header: list[str], columns: dict[str, list[int]], rows: int,
              on: date | None, today: date) -> str:
    def named(indices: Iterable[int]) -> str:
        return ", ".join(f"'{one_line(header[i])}'" for i in indices)

    who = [*columns.get("person", []), *columns.get("first", []), *columns.get("last", [])]
    parts = [f"person from {named(who)}", f"policy from {named(columns['policy'])}"]
    parts.append(f"version from {named(columns['version'])}" if "version" in columns
                 else "version: each policy's current one")
    if "date" in columns:
        parts.append(f"date from {named(columns['date'])}")
    else:
        when = on or today
        parts.append(f"date: {when.isoformat()} for every row"
                     + ("" if on else " (today; --on to choose)"))
    used = {i for indices in columns.values() for i in indices}
    ignored = [i for i in range(len(header)) if i not in used and header[i].strip()]
    if ignored:
        parts.append(f"not read: {named(ignored)}")
    return f"read {name}: {_count(rows, 'row')}; " + "; ".join(parts)
