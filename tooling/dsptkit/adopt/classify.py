"""Deciding what a document is: a policy (or procedure, plan, standard), a dated record of
something done (evidence), or a register kept as a Markdown table.

In order, the first that applies decides:

1. front matter ``type:`` / ``category:`` / ``kind:`` / ``document_type:`` naming a kind
   ("policy", "procedure", "evidence", "minutes", "asset register", "risks"...);
2. a register: the document's main content is a Markdown table whose headers are a
   register's (Supplier / Service / Contract...; Risk / Likelihood / Impact...), at least two
   of them, and the table is most of the document (or the title calls it a register, log or
   inventory of that kind). A table of dated entries that is no register's (a backup log, an
   access review) is a record: evidence;
3. the title's last kind word: "Business Continuity Plan" is a policy, "Business Continuity
   Plan Test Report" is evidence, "Board minutes" evidence;
4. the body: a record's date line ("Date of test:", "Meeting date:") or many dated entries
   and past-tense outcomes make evidence; prose that says what must, will or should be done
   makes a policy;
5. otherwise a policy, saying that nothing decided it (``--as`` overrides).
"""

from __future__ import annotations

import re

from dsptkit.adopt.model import Kind, Reading, Source

# register -> header words (normalised); a header matches when it equals one or starts with it
REGISTER_HEADERS: dict[str, tuple[str, ...]] = {
    "assets": ("asset", "asset id", "asset tag", "device", "device type", "hardware", "software",
               "version", "operating system", "os", "os version", "supported until",
               "end of support", "end of life", "serial number", "serial", "model", "make",
               "location", "assigned to", "user", "encrypted", "encryption", "manufacturer",
               "hostname", "device name", "purchase date", "type", "asset type", "firmware"),
    "suppliers": ("supplier", "vendor", "service", "services provided", "contract",
                  "contract end", "contract start", "contract expiry", "certification",
                  "certifications", "article 28", "dpa", "data processing agreement",
                  "dspt status", "cyber essentials", "iso 27001", "processor", "provider",
                  "third party", "data shared", "personal data", "due diligence",
                  "renewal date", "contact"),
    "people": ("name", "role", "job title", "start", "start date", "started", "leaver",
               "left", "leaving date", "end date", "employee", "staff member", "department",
               "email", "team", "line manager", "contract type"),
    "training": ("name", "staff member", "employee", "course", "training", "module",
                 "completed", "date completed", "completion date", "score", "result",
                 "pass mark", "expires", "due", "renewal due", "certificate", "provider"),
    "incidents": ("incident", "incident id", "ref", "reference", "date", "date reported",
                  "date of incident", "summary", "description", "reported to", "reported by",
                  "closed", "date closed", "status", "severity", "category", "actions",
                  "action taken", "ico notified", "reportable", "outcome", "lessons learned",
                  "root cause"),
    "information_assets": ("information asset", "asset name", "asset owner",
                           "information asset owner", "iao", "data held", "format",
                           "location", "personal data", "special category", "data type",
                           "system", "retention", "backup", "access", "risk", "volume",
                           "description", "data categories", "categories of data",
                           "held on", "hosted in", "hosting location", "data location",
                           "country", "hosted by", "security controls", "safeguards",
                           "controls", "no of records", "patient data", "application"),
    "processing": ("processing activity", "activity", "purpose", "purposes", "lawful basis",
                   "legal basis", "article 6", "article 9", "condition", "categories of data",
                   "data categories", "categories of data subjects", "data subjects",
                   "recipients", "retention", "retention period", "transfers",
                   "international transfers", "security measures", "source",
                   "purpose of processing", "categories of individuals",
                   "categories of personal data", "categories of recipients",
                   "article 6 lawful basis", "article 9 basis", "retention schedule",
                   "business function", "names of third countries or international "
                   "organisations", "information assets", "assets used",
                   "special category condition"),
    "data_flows": ("from", "to", "source", "destination", "sender", "recipient", "data",
                   "data items", "method", "transfer method", "how", "via", "frequency",
                   "how often", "patient data", "data flow", "flow", "flow id", "transport",
                   "mechanism", "sent to", "sent from", "information assets"),
    "risks": ("risk", "risk id", "risk description", "description", "likelihood", "impact",
              "owner", "risk owner", "mitigation", "mitigations", "controls", "score",
              "risk score", "rating", "residual risk", "residual score", "target", "status",
              "review date", "treatment", "inherent risk"),
}
# headers that identify a register on their own (the others only add to a score)
REGISTER_KEYS: dict[str, tuple[str, ...]] = {
    "assets": ("asset", "asset id", "asset tag", "device", "hardware", "software",
               "supported until", "end of support", "serial number", "hostname"),
    "suppliers": ("supplier", "vendor", "article 28", "data processing agreement",
                  "dspt status", "third party"),
    "people": ("leaver", "leaving date", "start date", "started", "left", "job title"),
    "training": ("course", "module", "score", "training"),
    "incidents": ("incident", "incident id", "reported to", "ico notified", "date closed"),
    "information_assets": ("information asset", "asset owner", "information asset owner",
                           "iao", "data held"),
    "processing": ("processing activity", "lawful basis", "legal basis", "categories of data",
                   "data subjects", "recipients", "categories of data subjects",
                   "categories of individuals", "purpose of processing",
                   "article 6 lawful basis", "categories of personal data"),
    "data_flows": ("from", "to", "destination", "sender", "transfer method", "data flow",
                   "flow from", "flow to", "sent to", "sent from"),
    "risks": ("risk", "risk id", "likelihood", "risk owner", "mitigation", "risk score",
              "residual risk", "inherent risk"),
}
# words in a title or type naming a register
REGISTER_WORDS: dict[str, tuple[str, ...]] = {
    "information_assets": ("information asset register", "information asset", "information assets",
                           "iar", "data asset register", "data map"),
    "data_flows": ("data flows", "data flow", "data flow map", "data flow register",
                   "data flow mapping", "information flows", "information flow",
                   "flows of data", "flow mapping"),
    "processing": ("record of processing", "records of processing", "ropa", "processing register",
                   "processing activities", "processing"),
    "assets": ("asset register", "hardware register", "software register", "device register",
               "equipment register", "it asset", "asset inventory", "hardware inventory",
               "software inventory", "device inventory", "inventory", "assets"),
    "suppliers": ("supplier register", "suppliers register", "supplier list", "vendor register",
                  "third party register", "processor register", "suppliers", "supplier",
                  "third parties", "vendors"),
    "people": ("staff list", "staff register", "people register", "starters and leavers",
               "joiners and leavers", "people", "staff"),
    "training": ("training register", "training matrix", "training record", "training records",
                 "training log", "training"),
    "incidents": ("incident log", "incident register", "breach log", "breach register",
                  "incidents log", "incidents", "incident"),
    "risks": ("risk register", "risk log", "risks", "risk"),
}

POLICY_WORDS = ("policy", "policies", "procedure", "procedures", "sop", "sops", "plan", "standard",
                "standards", "guidance", "guide", "guideline", "guidelines", "framework",
                "strategy", "charter", "protocol", "statement", "handbook", "code of conduct",
                "code of practice", "terms of reference", "process", "processes", "playbook",
                "runbook", "manual", "rules", "principles", "notice", "arrangements",
                "instructions")
EVIDENCE_WORDS = ("log", "logs", "test", "tests", "tested", "testing", "drill", "exercise",
                  "audit", "audits", "report", "minutes", "meeting", "certificate",
                  "certification", "checklist", "record", "records", "results", "result",
                  "attendance", "spot check", "walkthrough", "tabletop", "review", "reviews",
                  "assessment", "self-assessment", "inspection", "sign-off", "signoff",
                  "confirmation", "evidence", "debrief", "summary", "findings", "outcome",
                  "register of attendance", "scan", "penetration test", "pen test",
                  "restore", "attestation", "declaration", "acknowledgement", "survey")
# words that mean a policy even when they come last ("Data Protection Impact Assessment
# Procedure" ends in a policy word anyway; "Risk Assessment" alone is a record)
FRONT_TYPES = {
    "policy": "policy", "policies": "policy", "procedure": "policy", "process": "policy",
    "plan": "policy", "standard": "policy", "guidance": "policy", "guide": "policy",
    "guideline": "policy", "framework": "policy", "strategy": "policy", "protocol": "policy",
    "handbook": "policy", "sop": "policy", "page": None, "note": None,
    "evidence": "evidence", "record": "evidence", "log": "evidence", "report": "evidence",
    "minutes": "evidence", "meeting": "evidence", "test": "evidence", "audit": "evidence",
    "certificate": "evidence", "checklist": "evidence", "drill": "evidence",
    "exercise": "evidence", "training record": "evidence", "review": "evidence",
    "register": "register", "inventory": "register",
}

_MODAL = re.compile(r"\b(?:must|shall|will|should|are required to|is required to|may not|"
                    r"must not|never|always|is responsible|are responsible)\b", re.I)
_RECORD = re.compile(r"\b(?:was|were|tested|completed|carried out|attended|restored|found|"
                     r"passed|failed|took|recorded|noted|agreed|resolved|actioned|confirmed|"
                     r"apologies|present|attendees)\b", re.I)
_CHECKED = re.compile(r"^\s*[-*+]\s*\[[xX✓✔]\]|[✓✔☑]")


def _norm(text: str) -> str:
    text = re.sub(r"\*\*|__|`", "", text).lower().replace("’", "'")
    text = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


def _tables(text: str) -> list[tuple[list[str], int, int]]:
    """(headers, data rows, first line) of each Markdown table with a header row."""
    found = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip().startswith("|") and i + 1 < len(lines) and \
                re.fullmatch(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?", lines[i + 1].strip()):
            header = [c.strip() for c in lines[i].strip().strip("|").split("|")]
            j = i + 2
            rows = 0
            while j < len(lines) and lines[j].strip().startswith("|"):
                if lines[j].strip("| \t"):
                    rows += 1
                j += 1
            found.append((header, rows, i + 1))
            i = j
            continue
        i += 1
    return found


# short headers that mean a flow's ends or method only on their own ("Reported to" is no
# flow's destination)
_WHOLE = {"to", "from", "how", "via", "flow"}


def _header_matches(header: str, words: tuple[str, ...]) -> str | None:
    h = _norm(header)
    if not h:
        return None
    for word in words:
        if h == word or word not in _WHOLE and (h.startswith(word + " ") or
                                                h.endswith(" " + word)):
            return word
    return None


def register_score(headers: list[str]) -> tuple[str | None, int, list[str]]:
    """The register whose headers these are most like: (name, matches, headers that matched).
    A register needs one of its key headers and at least two matches."""
    best: tuple[str | None, int, list[str]] = (None, 0, [])
    for name, words in REGISTER_HEADERS.items():
        matched = [h for h in headers if _header_matches(h, words)]
        keys = [h for h in headers if _header_matches(h, REGISTER_KEYS[name])]
        if not keys or len(matched) < 2:
            continue
        score = len(matched) + len(keys)
        if score > best[1]:
            best = (name, score, matched)
    return best


def _words_in(title: str, words: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position of the word's end, word) for each of ``words`` in ``title``."""
    hits = []
    for word in words:
        for m in re.finditer(rf"\b{re.escape(word)}\b", title):
            hits.append((m.end(), word))
    return hits


def _front_kind(front: dict) -> Kind | None:
    for key in ("type", "category", "kind", "document_type", "doc_type", "document type",
                "doctype"):
        value = front.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        text = _norm(value)
        for register, words in REGISTER_WORDS.items():
            if text.replace("_", " ") in (register.replace("_", " "), register) or \
                    any(text == w or text == f"{w} register" for w in words if " " in w or
                        text.endswith("register")):
                return Kind("register", register, f"front matter says {key}: {value}")
        if text in FRONT_TYPES and FRONT_TYPES[text]:
            kind = FRONT_TYPES[text]
            if kind == "register":
                return None  # which register: decided by the table
            return Kind(kind, None, f"front matter says {key}: {value}")
        last = text.split()[-1] if text.split() else ""
        if FRONT_TYPES.get(last):
            if FRONT_TYPES[last] == "register":
                return None
            return Kind(FRONT_TYPES[last], None, f"front matter says {key}: {value}")
    return None


def classify(source: Source, reading: Reading) -> Kind:
    """What ``source`` is, and the words or headers that decided it."""
    front = source.front or {}
    decided = _front_kind(front)
    if decided is not None:
        return decided
    text = source.text or ""
    title_text = str(reading.title.value) if reading.title and reading.title.value else ""
    title = _norm(title_text)
    name = _norm(re.sub(r"\.[A-Za-z0-9]+$", "", source.path.replace("\\", "/").rsplit("/", 1)[-1]))

    lines = [ln for ln in text.splitlines() if ln.strip()]
    table_lines = sum(1 for ln in lines if ln.strip().startswith("|"))
    heading_lines = sum(1 for ln in lines if ln.lstrip().startswith("#"))
    prose_lines = len(lines) - table_lines - heading_lines

    # 2. registers
    tables = _tables(text)
    # each register the title (or file name) names, with the longest word naming it
    named_words: dict[str, str] = {}
    for register, words in REGISTER_WORDS.items():
        for word in sorted(words, key=len, reverse=True):
            if re.search(rf"\b{re.escape(word)}\b", title) or re.search(rf"\b{re.escape(word)}\b", name):
                named_words[register] = word
                break
    title_says_register = bool(re.search(r"\b(?:register|inventory|log|list|matrix|record of|"
                                         r"records of|ropa|tracker|schedule)\b", f"{title} {name}"))
    title_says_policy = _last_word(title) == "policy"
    for headers, rows, line in sorted(tables, key=lambda t: -t[1]):
        register, score, matched = register_score(headers)
        if register is None or rows < 1:
            continue
        main = table_lines >= max(3, prose_lines) or (rows >= 3 and table_lines * 2 >= prose_lines)
        named = register in named_words
        if title_says_policy:
            break
        record_title = _title_kind(title_text)
        record_title = record_title is not None and record_title[0] == "evidence"
        if (main and not named and record_title) or _looks_like_record_table(register, headers):
            continue  # "Laptop Encryption Checklist": a record that has a table
        if main or (named and title_says_register):
            why = (f"a table (line {line}, {rows} row{'s' if rows != 1 else ''}) with "
                   f"{', '.join(matched)} columns")
            if named:
                why += f"; the title says {named_words[register]}"
            return Kind("register", register, why)

    # 3. the title's last kind word
    last = _title_kind(title_text) or _last_kind(name)
    where = "title" if _title_kind(title_text) else "file name"
    policy_facts = [n for n in ("next_review", "approved_on", "approved_by", "version")
                    if n in reading.fields]
    if last is not None:
        kind, word = last
        if kind == "evidence" and word not in _STRONG and policy_facts and \
                "collected" not in reading.fields:
            # "Taking Paper Records Off Site": a weak record word, and a policy's facts
            return Kind("policy", None, f"the {where} says '{word}', but the document gives "
                        f"a policy's {', '.join(n.replace('_', ' ') for n in policy_facts)} "
                        "and no date of a record")
        return Kind(kind, None, f"the {where} says '{word}'")

    # 4. the body
    modal = len(_MODAL.findall(text))
    record = len(_RECORD.findall(text))
    checked = sum(1 for ln in lines if _CHECKED.search(ln))
    dated = reading.fields.get("collected")
    labelled_date = dated is not None and dated.line and not dated.raw.startswith(("#", "|"))
    dated_rows = 0
    for headers, rows, _line in tables:
        if any(_norm(h) in ("date", "when", "date and time") or _norm(h).startswith("date ")
               for h in headers):
            dated_rows = max(dated_rows, rows)
    if checked >= 3 and labelled_date:
        return Kind("evidence", None, f"a completed checklist ({checked} items ticked) dated "
                    f"{dated.value}")  # type: ignore[union-attr]
    if labelled_date and modal <= record + 2:
        return Kind("evidence", None, f"a record dated '{dated.raw}' (line {dated.line}), "  # type: ignore[union-attr]
                    "written as what was done")
    if dated_rows >= 2 and table_lines >= prose_lines:
        return Kind("evidence", None, f"a table of {dated_rows} dated entries (a log)")
    if modal >= 2 and modal > record:
        return Kind("policy", None, f"prose saying what must or should be done "
                    f"({modal} must/will/should)")
    if labelled_date:
        return Kind("evidence", None, f"a record dated '{dated.raw}' (line {dated.line})")  # type: ignore[union-attr]
    return Kind("policy", None, "nothing marks it as a record or a register; read as a policy "
                "(use --as to say otherwise)")


def _last_word(title: str) -> str | None:
    hit = _last_kind(title)
    return "policy" if hit and hit[0] == "policy" else (None if hit is None else hit[0])


_STRONG = {"log", "logs", "test", "tests", "tested", "testing", "drill", "exercise", "audit",
           "audits", "report", "minutes", "certificate", "checklist", "results", "attendance",
           "walkthrough", "tabletop", "debrief", "penetration test", "pen test", "spot check"}


def _title_kind(title_text: str) -> tuple[str, str] | None:
    """As ``_last_kind``, and a title in parts ("Tabletop Exercise: Incident Response Plan",
    "Continuity Plan – Test Report") is a record when any part ends in a record word."""
    parts = [p for p in re.split(r"\s*(?::|\s[-–—|]\s)\s*", title_text) if p.strip()]
    if len(parts) > 1:
        for part in parts:
            hit = _last_kind(_norm(part))
            if hit and hit[0] == "evidence" and hit[1] in _STRONG:
                return hit
    return _last_kind(_norm(title_text))


def _last_kind(title: str) -> tuple[str, str] | None:
    """The kind named by the last kind word in ``title`` (the head noun in English titles)."""
    if not title:
        return None
    hits = [(end, word, "policy") for end, word in _words_in(title, POLICY_WORDS)]
    hits += [(end, word, "evidence") for end, word in _words_in(title, EVIDENCE_WORDS)]
    if not hits:
        return None
    # "Incident Response Plan Test" -> test; "Audit Policy" -> policy; "Review of the Backup
    # Procedure" still ends in procedure, but starts with a record word: "review of"
    end, word, kind = max(hits, key=lambda h: (h[0], len(h[1])))
    first = min(hits, key=lambda h: (h[0] - len(h[1]), -len(h[1])))
    if kind == "policy" and first[2] == "evidence" and \
            re.match(rf"{re.escape(first[1])} (?:of|for|on|against|into)\b", title[first[0] - len(first[1]):]):
        return "evidence", first[1]
    return kind, word


def _looks_like_record_table(register: str, headers: list[str]) -> bool:
    """A table that is a record of one event rather than a register: an attendance list
    (Name / Role / Signed) is people-shaped but records a session."""
    if register == "people" and any(_norm(h) in ("signed", "signature", "attended", "present",
                                                 "apologies") for h in headers):
        return True
    return False
