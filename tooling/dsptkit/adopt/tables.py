"""Markdown tables, and register rows from them.

``tables(text)`` finds the pipe tables in a document (GitHub's form: a header row, an
alignment row, then rows; outer pipes optional, ``\\|`` for a pipe inside a cell) with the
line each starts on. ``register_rows(kind, table, people)`` maps a table's columns onto a
register's fields by their headings, in the spellings people use ("Supplier", "Vendor",
"Article 28", "End of support"...), and turns each row into an entry the register's schema
accepts. Nothing is guessed and nothing is dropped: a cell that is not what the field needs
(a date written "March 2027" or "TBC", a "maybe" where yes or no is wanted) is kept as
written under the entry's ``extra``, with a problem naming the row; columns that match no
field are kept under ``extra`` too. A row that lacks a field the register requires is not
written, and a problem says which row and why.

The data map's registers (information assets, processing, data flows) read their typed
cells through ``datamap_cells``: data categories from the fixed list, countries, and names
that must be in the registers they reference (``names``), so nothing adopted is a broken
reference; a data flow's ends must each be a system, a supplier or an outside party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dsptkit.adopt import datamap_cells as mapcells
from dsptkit.adopt.metadata import parse_date as metadata_date
from dsptkit.datamap import CATEGORIES
from dsptkit.datamap import key as name_key
from dsptkit.frontmatter import Document
from dsptkit.schema import load_schema, validate


@dataclass
class Table:
    """One Markdown pipe table as written: cells are the text between the pipes, trimmed,
    with ``\\|`` read as a pipe (inline Markdown such as ``**bold**`` is left in)."""

    header: list[str]
    rows: list[list[str]]
    line: int  # 1-based line of the header row in the text given
    heading: str | None = None  # the nearest Markdown heading above the table, if any
    row_lines: list[int] = field(default_factory=list)  # 1-based line of each row


@dataclass
class RegisterRows:
    """A table as register entries, with how its columns were read."""

    rows: list[dict]  # entries ready for the register's YAML list (schema-valid)
    mapped: dict[str, str]  # column heading (as written) -> field
    unmapped: list[str]  # headings kept under each entry's extra
    problems: list[str]  # plain sentences, each naming the row's line where there is one
    parties: list[dict] = field(default_factory=list)  # data_flows: outside parties its flows name


# -- finding tables -------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_DELIMITER_CELL = re.compile(r"^:?-+:?$")
_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")


def tables(text: str) -> list[Table]:
    """Every pipe table in a Markdown text, in order (none inside fenced code)."""
    lines = text.split("\n")
    found: list[Table] = []
    heading: str | None = None
    fence: str | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence) \
                    and not line.strip()[len(opened.group(1)):].strip():
                fence = None
            i += 1
            continue
        if opened:
            fence = opened.group(1)
            i += 1
            continue
        title = _HEADING.match(line)
        if title:
            heading = _plain(title.group(1))
        if i + 1 < len(lines) and "|" in line and _is_delimiter(lines[i + 1]):
            header = split_row(line)
            width = len(split_row(lines[i + 1]))
            if header and width == len(header):
                table = Table(header, [], i + 1, heading)
                i += 2
                while i < len(lines) and lines[i].strip() and "|" in lines[i] and \
                        not _FENCE.match(lines[i]):
                    table.rows.append(split_row(lines[i]))
                    table.row_lines.append(i + 1)
                    i += 1
                found.append(table)
                continue
        i += 1
    return found


def _is_delimiter(line: str) -> bool:
    if "-" not in line:
        return False
    if "|" not in line and not re.fullmatch(r"\s*:?-+:?\s*", line):
        return False
    cells = split_row(line)
    return bool(cells) and all(_DELIMITER_CELL.match(c.replace(" ", "")) for c in cells)


def split_row(line: str) -> list[str]:
    """A table row's cells: split on pipes that are neither escaped nor inside a code span,
    outer pipes optional, each cell trimmed and ``\\|`` read as ``|``."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, current, i, code = [], [], 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if char == "`":
            run = len(text) - len(text[i:].lstrip("`"))
            if code == 0:
                closing = text.find("`" * run, i + run)
                if closing != -1:  # a code span: pipes inside it are text
                    current.append(text[i:closing + run])
                    i = closing + run
                    continue
            current.append(text[i:i + run])
            i += run
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current).strip())
    return cells


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])([*_])(?!\s)(.+?)(?<!\s)\3(?![\w*])")
_BREAK = re.compile(r"\s*<br\s*/?>\s*", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def _plain(cell: str) -> str:
    """A cell's text without inline Markdown: links and images as their text, emphasis and
    code marks removed, ``<br>`` as '; '."""
    text = _BREAK.sub("; ", cell)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _REF_LINK.sub(lambda m: m.group(1), text)
    for _ in range(3):  # nested emphasis: ***x***, **_x_**
        changed = _EMPHASIS.sub(lambda m: m.group(2) if m.group(2) is not None else m.group(4),
                                text)
        if changed == text:
            break
        text = changed
    text = re.sub(r"`+([^`]*)`+", r"\1", text)
    text = _TAG.sub("", text)
    text = text.replace("&nbsp;", " ").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip().strip(";").strip()


# -- reading cells --------------------------------------------------------------------------

_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*,?\s+", re.IGNORECASE)


def parse_date(text: str) -> date | None:
    """An exact date filling the whole cell, in a form people use in the UK, or None:
    2025-03-03, 03/03/2025 (day first), 3 March 2025, 3rd Mar 2025, 3-Mar-2025, 2025/03/03,
    March 3, 2025. A month alone ('March 2025'), 'TBC' or anything else is None. Read by
    the metadata reader's one date parser, so a cell and a label read dates alike."""
    value = _WEEKDAY.sub("", text.strip()).rstrip(".").strip()
    read = metadata_date(value)
    if read.value is None or not read.value.exact or read.text.strip() != value:
        return None
    return read.value.date


_YES = {"yes", "y", "true", "✓", "✔", "✅", "x", "[x]"}
_NO = {"no", "n", "false", "✗", "✘", "❌", "[ ]"}
_EMPTY = {"", "-", "–", "—", "--"}


def parse_bool(text: str) -> bool | None:
    value = text.strip().rstrip(".").lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


# -- the registers ---------------------------------------------------------------------------

# register -> field -> headings that mean it (compared lower-case, punctuation as spaces)
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "assets": {
        "name": ("asset", "asset name", "device", "device name", "name", "system", "system name",
                 "hardware", "equipment", "item", "software", "application", "asset description",
                 "device or software", "hardware or software", "device software"),
        "kind": ("type", "category", "asset type", "kind", "class", "asset category",
                 "device type", "asset class"),
        "version": ("version", "os", "operating system", "os version", "firmware",
                    "software version", "firmware version", "build"),
        "supported_until": ("supported until", "end of support", "eol", "end of life",
                            "support ends", "support end date", "end of support date", "eos",
                            "eol date", "end of life date", "support end", "supported to"),
        "owner": ("owner", "asset owner", "responsible", "responsible person", "iao",
                  "information asset owner", "custodian"),
        "holds_personal_data": ("personal data", "holds personal data", "contains personal data",
                                "pii", "patient data", "personal data held", "personal data y n"),
        "location": ("location", "site", "where", "physical location", "where held", "stored"),
        "priority": ("priority", "criticality", "importance", "critical"),
        "depends_on": ("depends on", "dependencies", "dependency", "relies on"),
    },
    "suppliers": {
        "name": ("supplier", "vendor", "name", "supplier name", "company", "provider",
                 "processor", "organisation", "organization", "third party", "vendor name"),
        "service": ("service", "services", "service provided", "product", "what they do",
                    "description", "purpose", "system", "services provided"),
        "data_processed": ("data", "data processed", "personal data", "data shared",
                           "data types", "data accessed", "information shared",
                           "personal data processed", "data categories"),
        "contract_article_28": ("article 28", "art 28", "dpa", "contract", "data processing agreement",
                                "contract in place", "dpa in place", "article 28 contract",
                                "gdpr contract", "dpa signed", "contract article 28"),
        "certification": ("certification", "certifications", "cyber essentials",
                          "cyber essentials plus", "iso", "iso 27001", "accreditation",
                          "accreditations", "dspt", "dspt status", "certificates", "assurance"),
        "checked": ("last checked", "checked", "reviewed", "last reviewed", "date checked",
                    "last review", "date reviewed", "last assessed", "assessed"),
        "contact": ("contact", "contact details", "email", "contact email", "security contact"),
        "processes_patient_data": ("processes patient data", "patient data",
                                   "patient data y n", "handles patient data",
                                   "access to patient data", "patient data processed"),
        "country": ("country", "hosting country", "country of processing", "data location",
                    "where hosted", "hosted in", "processing location country"),
    },
    "people": {
        "id": ("id", "staff id", "person id", "username", "user id", "user"),
        "name": ("name", "full name", "staff member", "employee", "person", "staff name",
                 "member of staff"),
        "role": ("role", "job title", "position", "title", "job role", "post"),
        "started": ("started", "start date", "joined", "date joined", "start"),
        "left": ("left", "leaving date", "end date", "date left", "leaver date"),
        "email": ("email", "e mail", "email address", "work email"),
    },
    "training": {
        "person": ("name", "person", "staff member", "employee", "staff", "staff name", "who",
                   "member of staff", "trainee"),
        "course": ("course", "training", "module", "course name", "training course",
                   "training module", "course title"),
        "completed": ("completed", "date completed", "completion date", "date", "passed",
                      "completed on", "date passed", "training date"),
        "score": ("score", "result", "mark", "score %", "percentage", "pass mark"),
    },
    "incidents": {
        "id": ("id", "ref", "reference", "incident id", "incident ref", "no", "number",
               "incident number", "incident no"),
        "date": ("date", "date of incident", "occurred", "incident date", "date occurred",
                 "when"),
        "summary": ("summary", "description", "incident", "details", "what happened",
                    "incident description", "incident summary"),
        "reported_to": ("reported to", "notified", "reported", "escalated to", "notified to"),
        "lessons": ("lessons", "lessons learned", "lessons learnt", "learning", "actions",
                    "actions taken", "outcome"),
        "closed": ("closed", "date closed", "resolved", "closed on", "resolution date",
                   "date resolved"),
    },
    "information_assets": {
        "name": ("information asset", "asset", "asset name", "name", "information",
                 "information asset name", "record", "records", "data set", "dataset",
                 "data asset"),
        "description": ("description", "details", "contents", "content", "purpose",
                        "what it holds", "what is held", "asset description"),
        "owner": ("owner", "information asset owner", "iao", "asset owner", "responsible",
                  "information asset owner iao"),
        "format": ("format", "type", "medium", "electronic paper", "asset type"),
        "location": ("location", "stored", "storage", "where held", "held in",
                     "storage location", "where stored", "where kept"),
        "data_categories": ("data categories", "data category", "categories of data",
                            "category of data", "categories of personal data", "types of data",
                            "type of data", "data types", "data type", "kinds of data",
                            "data classification", "classification", "category", "categories"),
        "systems": ("system", "systems", "application", "applications", "held on",
                    "system name", "systems used", "it system", "it systems", "platform",
                    "software", "system application", "held on system"),
        "hosted_in": ("country", "countries", "hosting location", "hosting country",
                      "hosting location country", "hosting country location", "data location",
                      "hosted in", "where hosted", "hosting", "location of data",
                      "country of storage", "storage country", "data residency",
                      "country hosted", "country of hosting"),
        "suppliers": ("supplier", "suppliers", "processor", "processors", "hosted by",
                      "data processor", "supplier processor", "third party supplier",
                      "provider", "vendor"),
        "volume": ("volume", "no of records", "number of records", "approx volume",
                   "approximate volume", "approx no of records", "record count",
                   "number of data subjects", "no of data subjects", "quantity", "size",
                   "how many"),
        "controls": ("security controls", "controls", "safeguards", "protection",
                     "security measures", "security", "protective measures",
                     "controls in place", "how protected", "technical controls",
                     "key controls", "protective controls"),
        "transfer_safeguard": ("transfer safeguard", "transfer safeguards", "transfer mechanism",
                               "safeguard for transfer", "international transfer safeguard"),
        "holds_personal_data": ("personal data", "contains personal data", "holds personal data",
                                "pii", "personal data y n"),
        "patient_data": ("patient data", "patient data y n", "contains patient data",
                         "holds patient data", "patient identifiable data",
                         "patient identifiable", "patient information"),
        "special_category": ("special category", "special category data", "sensitive",
                             "sensitive data", "health data"),
        "retention": ("retention", "retention period", "retained for", "how long kept",
                      "retention schedule", "retention rule"),
        "reviewed": ("last reviewed", "reviewed", "date reviewed", "last review"),
    },
    "processing": {
        "activity": ("activity", "processing activity", "process", "processing", "name",
                     "business process", "activity name", "processing operation",
                     "name of processing activity"),
        "purpose": ("purpose", "purposes", "purpose of processing", "why",
                    "purpose of the processing", "purposes of processing",
                    "purposes of the processing"),
        "lawful_basis": ("lawful basis", "legal basis", "article 6", "art 6",
                         "lawful basis article 6", "article 6 basis", "basis",
                         "article 6 lawful basis", "lawful basis for processing",
                         "legal basis for processing", "article 6 condition"),
        "special_category_condition": ("article 9", "art 9", "special category condition",
                                       "article 9 condition", "condition for special category",
                                       "special category", "article 9 basis",
                                       "article 9 2 condition", "special category basis",
                                       "condition for processing special category data",
                                       "article 9 condition for processing"),
        "special_category": ("special category data", "special category data y n",
                             "special category y n", "uses special category data",
                             "includes special category data"),
        "data_subjects": ("data subjects", "subjects", "whose data", "individuals",
                          "categories of data subjects", "data subject",
                          "categories of individuals", "categories of data subject",
                          "data subject categories"),
        "data_categories": ("data categories", "categories of data", "personal data", "data",
                            "data items", "categories of personal data", "data held",
                            "personal data categories", "types of personal data"),
        "information_assets": ("information assets", "information asset", "assets used",
                               "information assets used", "assets"),
        "recipients": ("recipients", "shared with", "disclosed to", "third parties",
                       "recipient", "disclosures", "categories of recipients",
                       "recipients of personal data"),
        "retention": ("retention", "retention period", "how long kept", "retention schedule",
                      "retention rule"),
        "transfers": ("transfers", "international transfers", "transfers outside uk",
                      "overseas transfers", "transfer outside uk", "third countries",
                      "transfers to third countries",
                      "names of third countries or international organisations"),
        "security": ("security", "security measures", "safeguards", "technical measures",
                     "technical and organisational measures",
                     "technical and organisational security measures",
                     "general description of technical and organisational security measures"),
        "owner": ("owner", "responsible", "process owner"),
        "reviewed": ("last reviewed", "reviewed", "date reviewed", "last review"),
    },
    "data_flows": {
        "from": ("from", "source", "sender", "flow from", "data from", "sent from", "origin",
                 "source system", "sent by"),
        "to": ("to", "destination", "recipient", "flow to", "data to", "sent to", "receiver",
               "destination system", "received by"),
        "data": ("data", "data items", "data sent", "data shared", "what data", "information",
                 "information shared", "data description", "data flowing", "content",
                 "what is sent"),
        "data_categories": ("data categories", "data category", "categories of data",
                            "type of data", "data type", "types of data"),
        "patient_data": ("patient data", "patient data y n", "contains patient data",
                         "patient identifiable data", "patient identifiable",
                         "patient information"),
        "information_assets": ("information assets", "information asset", "assets", "asset"),
        "via": ("method", "transfer method", "how", "via", "transport", "mechanism",
                "how sent", "channel", "means of transfer", "method of transfer",
                "transfer mechanism", "how it travels"),
        "frequency": ("frequency", "how often", "when", "schedule"),
    },
    "risks": {
        "id": ("id", "ref", "reference", "risk id", "risk ref", "no", "number", "risk no"),
        "risk": ("risk", "description", "risk description", "title", "hazard", "threat",
                 "risk title", "issue"),
        "likelihood": ("likelihood", "probability", "l"),
        "impact": ("impact", "consequence", "severity", "i"),
        "score": ("score", "rating", "risk score", "risk rating", "rag", "level", "risk level",
                  "l x i", "inherent risk", "residual risk"),
        "owner": ("owner", "risk owner", "responsible"),
        "mitigation": ("mitigation", "mitigations", "controls", "existing controls", "action",
                       "actions", "treatment", "mitigating actions", "control measures"),
        "status": ("status", "state"),
        "reviewed": ("last reviewed", "reviewed", "date reviewed", "last review"),
    },
}

# fields that name a person or role: mapped through the people register when a name matches
_OWNERS = {"owner"}
_DATES = {"supported_until", "checked", "started", "left", "completed", "date", "closed",
          "reviewed"}
_BOOLS = {"holds_personal_data", "contract_article_28", "special_category",
          "processes_patient_data"}
_LISTS = {"depends_on", "reported_to"}
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# certification columns named after the certificate: a 'Yes' there means that certificate
_CERTIFICATES = {"cyber essentials": "Cyber Essentials", "cyber essentials plus":
                 "Cyber Essentials Plus", "iso 27001": "ISO 27001", "dspt": "DSPT"}


def _key(heading: str) -> str:
    return re.sub(r"[^0-9a-z%]+", " ", _plain(heading).lower()).strip()


def map_headers(kind: str, header: list[str]) -> dict[int, str]:
    """Column index -> field for the columns whose heading means a field of the register
    (each field taken by the first column that means it)."""
    synonyms = SYNONYMS[kind]
    keys = [_key(h) for h in header]
    taken: dict[int, str] = {}
    # three passes, strictest first: the whole heading, the heading without a bracketed
    # part ('Personal data (Y/N)'), then a heading that starts with a synonym of 2+ words
    bare = [_key(re.sub(r"\([^)]*\)", " ", _plain(h))) for h in header]
    for attempt in ("exact", "bare", "prefix"):
        for index, key in enumerate(keys):
            if index in taken:
                continue
            for name, words in synonyms.items():
                if name in taken.values():
                    continue
                if attempt == "exact" and key in words or attempt == "bare" and bare[index] in words \
                        or attempt == "prefix" and any(
                            " " in w and (key.startswith(w + " ") or bare[index].startswith(w + " "))
                            for w in words):
                    taken[index] = name
                    break
    return taken


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "row"


def register_rows(kind: str, table: Table, people: dict[str, str], *,
                  roles: dict[str, str] | None = None,
                  names: mapcells.Names | None = None) -> RegisterRows:
    """A table's rows as entries of register ``kind`` (people, training, assets, suppliers,
    incidents, information_assets, processing, risks, data_flows); ``people`` maps lower-case
    names to person ids (from the people register) so owners and trainees written as names
    become ids; ``roles`` maps lower-case role titles to role ids ({"siro": "siro", "it
    manager": "it_lead"}) so owners written as a title become the role. ``names`` are the
    systems, suppliers, information assets and parties the data map's references may name
    (none when not given): a reference to anything else is kept under extra, never written
    where the check would find it broken."""
    if kind not in SYNONYMS:
        raise ValueError(f"unknown register {kind!r}")
    names = names if names is not None else mapcells.Names()
    schema = load_schema(f"register-{kind.replace('_', '-')}")
    entry_schema = schema["properties"][kind]["items"]
    order = [k for k in entry_schema["properties"] if k != "extra"]
    required = entry_schema.get("required", [])
    columns = map_headers(kind, table.header)
    headings = _unique_headings(table.header)
    mapped = {headings[i]: mapcells.SHOWN.get(name, name) for i, name in sorted(columns.items())}
    unmapped = [headings[i] for i in range(len(table.header)) if i not in columns]
    problems: list[str] = []
    stand_in = {name: other for name, other in _STANDS_IN.get(kind, {}).items()
                if name not in columns.values() and other in columns.values()}
    for name, other in stand_in.items():
        heading = next(headings[i] for i, n in columns.items() if n == other)
        mapped[heading] += f" and {name}"
        problems.append(f"table at line {table.line}: no column for '{name}': each row's "
                        f"{heading} names it (as the ICO's template has it); rename any "
                        "you like")
    for name in required:
        if name not in columns.values() and name not in stand_in:
            problems.append(f"table at line {table.line}: no column for '{name}' (the "
                            f"{kind} register needs it: {_hint(kind, name)}); its rows cannot "
                            "be written")
    parties: dict[str, dict] = {}
    named: dict[str, int] = {}  # name key -> line of the row written with it
    ids = set(people.values())
    rows: list[dict] = []
    seen_ids: set[str] = set()
    for number, cells in enumerate(table.rows):
        line = table.row_lines[number] if number < len(table.row_lines) else table.line + 2 + number
        where = f"row at line {line}"
        if not any(_plain(c) for c in cells):
            continue
        entry: dict = {}
        extra: dict[str, str] = {}
        for index, cell in enumerate(cells):
            text = _plain(cell)
            heading = headings[index] if index < len(headings) else f"column {index + 1}"
            if index >= len(table.header):
                if text:
                    extra[heading] = text
                    problems.append(f"{where}: more cells than headings; '{text}' kept under "
                                    f"extra as '{heading}'")
                continue
            name = columns.get(index)
            if name is None:
                if text and text not in _EMPTY:
                    extra[heading] = text
                continue
            if text in _EMPTY:
                continue
            if kind in mapcells.MAP_KINDS and name in mapcells.NOTHING and mapcells.none_like(text):
                extra[heading] = text  # 'TBC' is no owner or retention rule: not recorded
                problems.append(f"{where}: '{text}' under {heading} records no "
                                f"{name.replace('_', ' ')}; kept under extra as '{heading}'")
                continue
            if (kind, name) in mapcells.FIELDS:
                read = mapcells.read(kind, name, cell_text(cell), heading, names)
                name, value, problem = read.target, read.value, read.problem
                if value is not None and name in entry:
                    value, problem = _merge(entry[name], value, heading, name)
            else:
                value, problem = _value(kind, name, text, heading, people, ids, roles or {})
            if value is None:
                extra[heading] = text
                if problem:
                    problems.append(f"{where}: {problem}; kept under extra as '{heading}'")
                continue
            if problem:
                problems.append(f"{where}: {problem}")
            entry[name] = value
        for name, other in stand_in.items():
            if other in entry:
                entry[name] = entry[other]
        _fill_ids(kind, entry, seen_ids, people, where, problems)
        missing = [name for name in required if name not in entry]
        if missing:
            if all(name in columns.values() or name in stand_in for name in missing):
                problems.append(f"{where}: no {', '.join(missing)}; the row is not written")
            continue
        if kind == "data_flows":
            ends = _flow_ends(entry, names, parties, where,
                              {n: headings[i] for i, n in columns.items()})
            if ends:
                problems.append(ends)
                continue
        row = {name: entry[name] for name in order if name in entry}
        if extra:
            row["extra"] = extra
        doc = Document("row", data={kind: [row]})
        if not validate(doc, f"register-{kind.replace('_', '-')}"):
            problems.append(f"{where}: not written: " +
                            "; ".join(p.message for p in doc.problems))
            continue
        if kind in ("information_assets", "suppliers"):  # the data map names them
            k = name_key(str(row["name"]))
            if k in named:
                problems.append(f"{where}: '{row['name']}' is already the name of the row at "
                                f"line {named[k]} (the data map tells them apart by name, "
                                "DM001); the row is not written")
                continue
            named[k] = line
        rows.append(row)
    return RegisterRows(rows, mapped, unmapped, problems, list(parties.values()))


# a field with no column of its own, named by another column's cell: the ICO's record of
# processing template has a row per purpose and no activity column
_STANDS_IN = {"processing": {"activity": "purpose"}}


def cell_text(cell: str) -> str:
    """A cell's plain text with its line breaks (``<br>``, as Word cells come) kept as
    new lines, for the cells read as lists."""
    return "\n".join(p for p in (_plain(part) for part in _BREAK.split(cell)) if p)


def _merge(have: object, value: object, heading: str, name: str) -> tuple[object | None, str | None]:
    """Two columns writing one field: lists are joined; anything else must agree."""
    if isinstance(have, list) and isinstance(value, list):
        joined = list(dict.fromkeys([*have, *value]))
        if name == "data_categories":
            joined = [c for c in CATEGORIES if c in joined]
        return joined, None
    if have == value:
        return value, None
    return None, f"'{value}' under {heading} disagrees with {name} '{have}' from an earlier column"


def _flow_ends(entry: dict, names: mapcells.Names, parties: dict[str, dict], where: str,
               headings: dict[str, str]) -> str | None:
    """None when both ends of a flow name a system, a supplier or an outside party (those
    recognised by their name alone are added to ``parties``); else why the row is not
    written."""
    found: list[tuple[str, str, str]] = []
    for field_name in ("from", "to"):
        name, label = str(entry[field_name]), headings.get(field_name, field_name)
        k = name_key(name)
        kinds = [what for what, table in (("a system", names.systems),
                                          ("a supplier", names.suppliers),
                                          ("a party", names.parties)) if k in table]
        if len(kinds) > 1:
            return (f"{where}: '{name}' ({label}) names {' and '.join(kinds)}; the row is not "
                    "written (rename one so each name means one thing, then add the row)")
        if kinds or k in parties:
            continue
        kind = mapcells.party_kind(name)
        if kind is None:
            return (f"{where}: '{name}' ({label}) is not a system in the asset register, a "
                    "supplier in the suppliers register or an outside party adopt can tell "
                    "from its name (an NHS body, patients or the public, customers); the row is "
                    "not written (add it, then add the row by hand)")
        found.append((k, name, kind))
    for k, name, kind in found:
        parties.setdefault(k, {"name": name, "kind": kind})
    return None


def _unique_headings(header: list[str]) -> list[str]:
    result: list[str] = []
    for index, heading in enumerate(header):
        text = _plain(heading) or f"column {index + 1}"
        name, n = text, 2
        while name in result:
            name, n = f"{text} ({n})", n + 1
        result.append(name)
    return result


def _hint(kind: str, name: str) -> str:
    words = SYNONYMS[kind][name][:3]
    return "a column headed " + " or ".join(f"'{w.capitalize()}'" for w in words)


def _value(kind: str, name: str, text: str, heading: str, people: dict[str, str],
           ids: set[str], roles: dict[str, str]) -> tuple[object | None, str | None]:
    """A cell as the field's value, or (None, why) when it cannot be one; the second item
    may also be a note about a value that was taken."""
    if name in _DATES:
        found = parse_date(text)
        if found is None:
            return None, f"'{text}' under {heading} is not an exact date"
        return found, None
    if name in _BOOLS:
        answer = parse_bool(text)
        if answer is None:
            return None, f"'{text}' under {heading} is not yes or no"
        return answer, None
    if name == "certification":
        certificate = _CERTIFICATES.get(_key(heading))
        if certificate is not None:
            answer = parse_bool(text)
            if answer is True:
                return certificate, None
            if answer is False:
                return None, None  # 'no' under a certificate's column: kept under extra as written
        return text, None
    if name in _LISTS:
        parts = [p.strip() for p in re.split(r"[;,\n]|\s+and\s+", text) if p.strip()]
        return (parts or None), (None if parts else f"'{text}' under {heading} lists nothing")
    if name == "priority":
        value = text.lower()
        if value in ("high", "medium", "low"):
            return value, None
        return None, f"'{text}' under {heading} is not high, medium or low"
    if name == "score" and kind == "training":
        number = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)\s*%?", text)
        if number and 0 <= float(number.group(1)) <= 100:
            value = float(number.group(1))
            return (int(value) if value.is_integer() else value), None
        return None, f"'{text}' under {heading} is not a percentage"
    if name == "person":  # training: the person's id
        person = people.get(text.lower())
        if person is not None:
            return person, None
        if text in ids:
            return text, None
        return None, f"'{text}' under {heading} is not in the people register"
    if name in _OWNERS:
        person = people.get(text.lower()) or roles.get(text.lower())
        if person is not None:
            return person, None
        if text in ids or text in roles.values():
            return text, None
        return text, f"owner '{text}' is not in the people register or a role; kept as written"
    if name == "id" and not _ID_PATTERN.match(text):
        if kind == "risks":
            return text, None
        return None, f"'{text}' under {heading} is not an id (letters, digits, '.', '_', '-')"
    return text, None


def _fill_ids(kind: str, entry: dict, seen: set[str], people: dict[str, str], where: str,
              problems: list[str]) -> None:
    """People without an id get one from their name (the register's own id when the name is
    known); incidents without an id get one from their date. Ids are made unique."""
    if kind == "people" and "id" not in entry and "name" in entry:
        entry["id"] = people.get(str(entry["name"]).lower()) or _slug(str(entry["name"]))
    elif kind == "incidents" and "id" not in entry and isinstance(entry.get("date"), date):
        entry["id"] = f"INC-{entry['date'].isoformat()}"
    if kind in ("people", "incidents") and "id" in entry:
        base, n = str(entry["id"]), 2
        while entry["id"] in seen:
            entry["id"] = f"{base}-{n}"
            n += 1
        if entry["id"] != base:
            problems.append(f"{where}: id '{base}' is used by an earlier row; written as "
                            f"'{entry['id']}'")
        seen.add(entry["id"])
