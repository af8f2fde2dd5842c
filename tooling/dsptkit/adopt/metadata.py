"""Reading the facts people write at the top (or bottom) of their documents.

Real policy folders say "Last reviewed: 3rd March 2025", "**Next review:** March 2026",
"| Document Owner | IG Lead |", "> Owner: CTO", "Version 2.0 | Owner: CTO | Review: March
2026", "Approved by the Board on 12 May 2025", in a dozen spellings and as front matter.
``read`` finds them and returns a ``Reading``: every value with the text it was read from and
its line, and whether it was read with confidence. Nothing is guessed:

- a value that cannot be mapped (an owner that is neither a known role title nor a person, a
  date that is not a date, a "Draft" where a version should be) is a ``Field`` with
  ``confident=False`` or a note, never a default;
- ``{{ placeholders }}`` are substituted from ``variables``; any left make the value unread
  (they are listed in ``placeholders``) — ``{{ siro_name }} (DPO)`` is never the SIRO;
- two different values stated for one field (front matter, labelled lines, tables, a version
  history's newest row) are reported and neither is written (``confident=False``); an exact
  date and the same month agree. Fallbacks (an author as owner, a chair as the one who did
  it, a heading's date, a log's latest entry) only fill a gap, and are noted when they
  differ from what is stated (see ``_choose``);
- minutes: the minute taker made the record (``by``); the chair only when none is named;
- a "review date" after ``today`` is the next review, on or before it the last review.

Line numbers are lines of the original file: body line + ``source.front_lines`` (front
matter values have line 0).

References (``Reading.references``) are explicit citations only, so that no claim is made
that the document does not make:

- ``DSPT 4.2.4``, ``(DSPT 4.2.4)``, ``Evidence 7.3.5``, ``evidence item 8.2.1``, ``Item
  8.2.1``, ``Requirement 8.2.1``, ``DSPT ref: 8.2.1``, and the x.y.z that follow such a
  prefix in a list ("Evidence 7.3.4, 7.3.5 and 7.3.6");
- a bare x.y.z only in a table column headed DSPT / Evidence / Item / Ref / Requirement, or
  in a sentence that names the DSPT (or Toolkit / NDG) itself;
- ``DSPT Standard 4``, ``NDG Standard 4``, ``Data Security Standard 4`` ->
  ``dspt-standard:4``.

An x.y.z is never read when it is preceded by version / v / section / clause / paragraph /
page / appendix / step / §, is part of a longer dotted number (IP addresses, 1.2.3.4), is a
date, or is out of the DSPT's range (standards 1-10, assertions 1-9, items 1-20).
"Assertion 1.1" is not an item and is not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

from dsptkit.adopt.model import Field, PartialDate, Reading, Reference, Source

# -- role titles -----------------------------------------------------------------------------

# built-in role titles (normalised: lower case, words only); the organisation's aliases
# (organisation.yaml role_aliases, given as ``aliases``) extend and override them
DEFAULT_ALIASES = {
    "siro": "siro", "senior information risk owner": "siro",
    "senior information risk officer": "siro",
    "caldicott guardian": "caldicott_guardian", "caldicott": "caldicott_guardian",
    "dpo": "dpo", "data protection officer": "dpo", "data protection lead": "dpo",
    "ig lead": "ig_lead", "information governance lead": "ig_lead",
    "ig manager": "ig_lead", "information governance manager": "ig_lead",
    "data security and protection lead": "ig_lead", "dsp lead": "ig_lead",
    "dspt lead": "ig_lead", "ig officer": "ig_lead", "information governance officer": "ig_lead",
    "it lead": "it_lead", "it manager": "it_lead", "head of it": "it_lead",
    "it director": "it_lead", "director of it": "it_lead",
}

_HONORIFICS = re.compile(r"^(?:dr|mr|mrs|ms|miss|mx|prof|professor|sir|dame|rev)\.?\s+", re.I)
_ARTICLES = re.compile(r"^(?:the|our|a|an)\s+", re.I)

# -- labels ----------------------------------------------------------------------------------

# label kinds: title, version, version_date, owner, author, approved_by, approved_on,
# approved, review (after today: next, else last), last_reviewed, next_review, reviewed_by,
# effective, collected, by, status
_LABEL_LIST = {
    "title": "title|document title|policy title|document name|policy name|procedure title",
    "version": "version|versions|document version|policy version|version number|version no|"
               "current version|ver|issue|issue number|issue no|revision|rev|revision number|"
               "document revision|version issue",
    "version_date": "version / date|version date|version and date|version & date|"
                    "version / issue date|issue / date",
    "owner": "owner|owners|owner s|document owner|document owners|policy owner|policy owners|"
             "procedure owner|plan owner|policy lead|procedure lead|document lead|lead|"
             "responsible officer|responsible owner|responsible person|responsible lead|"
             "accountable officer|accountable owner|owned by|lead officer|responsibility|"
             "responsible|log owner|register owner|record owner|checklist owner",
    "author": "author|authors|author s|document author|policy author|prepared by|written by|"
              "compiled by|drafted by",
    "approved_by": "approved by|approver|approvers|approving body|approval body|approving "
                   "committee|approval by|authorised by|authorized by|signed off by|"
                   "ratified by|agreed by|endorsed by|approval authority",
    "approved_on": "date approved|approval date|approved on|date of approval|approved date|"
                   "ratified on|date ratified|ratification date|date of ratification|"
                   "sign off date|sign-off date|signed off on|date signed off|date agreed|"
                   "agreed on|approval",
    "approved": "approved|ratified|signed off",
    "review": "review date|date of review|review|policy review date|document review date|review dates|"
              "scheduled review|reviews",
    "last_reviewed": "last reviewed|last review|last review date|"
                     "date of last review|last policy review|reviewed|reviewed on|"
                     "date reviewed|last reviewed on|last reviewed date|most recent review|"
                     "previous review|latest review|date last reviewed|review completed",
    "next_review": "next review|next review date|next review due|review due|review due date|"
                   "due for review|date of next review|next policy review|review by|"
                   "to be reviewed by|next review by|next scheduled review|review before|"
                   "next due|due for renewal|renewal date|next renewal|date for review|"
                   "date for next review|next review on",
    "reviewed_by": "reviewed by|review by whom|last reviewed by",
    "effective": "effective date|effective from|date effective|in force from|implementation "
                 "date|commencement date|date of effect|effective|date of implementation|"
                 "applies from|valid from|live from|go live date",
    "collected": "date|dates|date of test|test date|meeting date|date of meeting|completed|"
                 "date completed|completed on|completion date|carried out on|date carried out|"
                 "audit date|date of audit|date of exercise|exercise date|drill date|"
                 "date of drill|date of check|check date|date checked|date of inspection|"
                 "inspection date|report date|date of report|issued|date issued|issue date|"
                 "date of issue|issued on|certificate date|date of certificate|certified on|"
                 "date of certification|certification date|date of assessment|"
                 "assessment date|conducted on|held on|session date|training date|"
                 "date of training|date of session|record date|date tested|tested on|"
                 "date of walkthrough|walkthrough date|date of simulation|simulation date|"
                 "date of restore|restore date|date of restore test|date performed|"
                 "performed on|date undertaken|undertaken on|date run|run on|date of review meeting|checked|checked on|"
                 "tested|audited|inspected|carried out|conducted|held|"
                 "date and time|meeting held|when|date of visit|visit date|date of incident",
    "by": "carried out by|tested by|conducted by|completed by|performed by|audited by|"
          "auditor|assessor|tester|undertaken by|checked by|facilitator|facilitated by|"
          "led by|presenter|trainer|delivered by|assessed by|inspected by|recorded by|"
          "run by|"
          "exercise lead|test lead|lead tester|lead auditor|certified by|issued by|"
          "reported by|reviewer|signed by",
    "status": "status|document status|policy status|approval status",
    "other": "last updated|updated|date updated|last modified|modified|expires|expiry|"
             "expiry date|expires on|valid until|valid to|next meeting|date of next meeting|"
             "report issued|date of next test|next test|next test due|next audit|"
             "renewal due|certificate number|certificate no",
    "recorder": "minute taker|minutes taken by|minutes by|minuted by|minutes recorded by|"
                "recorded by|secretary|clerk|note taker|notes taken by|notes by|minute-taker|"
                "maintained by|kept by|log keeper|register keeper|updated by",
    "chair": "chair|chaired by|meeting chair|chairperson|chairman|chairwoman|chair person",
}
LABELS: dict[str, str] = {label: kind for kind, labels in _LABEL_LIST.items()
                          for label in labels.split("|")}
# "Test carried out by", "Scan date", "Date of restore test": a record's own word and a label
_RECORD_NOUNS = ("test|tests|audit|scan|drill|exercise|restore|restore test|backup|backup test|"
                 "check|spot check|inspection|meeting|board meeting|review meeting|session|"
                 "training|training session|report|walkthrough|simulation|assessment|visit|"
                 "survey|review|penetration test|pen test|tabletop|tabletop exercise|"
                 "fire drill|evacuation|test run|dr test|failover test|failover").split("|")
for _noun in _RECORD_NOUNS:
    for _by in ("carried out by", "conducted by", "performed by", "undertaken by",
                "completed by", "led by", "run by", "lead", "facilitator"):
        LABELS.setdefault(f"{_noun} {_by}", "by")
    LABELS.setdefault(f"{_noun} date", "collected")
    LABELS.setdefault(f"date of {_noun}", "collected")
    LABELS.setdefault(f"{_noun} completed", "collected")
    LABELS.setdefault(f"{_noun} carried out", "collected")
    LABELS.setdefault(f"{_noun} held", "collected")
_ATTENDANCE = {"present", "attendees", "attendance", "in attendance", "members present",
               "attending", "participants", "those present"}
_PEOPLE_KINDS = {"owner", "author", "approved_by", "reviewed_by", "by", "recorder", "chair"}
FALLBACK = 3  # rank of values that only fill a gap: an author as owner, a chair as by...
_DATE_KINDS = {"approved_on", "review", "last_reviewed", "next_review", "effective", "collected"}
# labels that can be written without a colon, before a value that parses: "Version 2.0",
# "Last reviewed 3 March 2025", "Approved March 2025"
_BARE = re.compile(r"^(?P<label>" + "|".join(sorted(
    (re.escape(k) for k, v in LABELS.items() if v in _DATE_KINDS | {"version", "approved"}
     and k not in ("date", "dates", "when", "reviews", "issue", "approval", "rev", "issued on")),
    key=len, reverse=True)) + r")\b\.?\s*[-–—]?\s*(?P<value>\S.*)$", re.I)

# -- dates -----------------------------------------------------------------------------------

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
        r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = re.compile(
    r"(?<![\d.])(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?![\d])"
    r"|(?<![\d.])(?P<nd>\d{1,2})[/.-](?P<nm>\d{1,2})[/.-](?P<ny>\d{4}|\d{2})(?![\d.])"
    rf"|\b(?P<td>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+(?P<tm>{_MON})\.?,?[\s-]+"
    r"(?P<ty>\d{4}|\d{2})(?![\d:])"
    rf"|\b(?P<um>{_MON})\.?\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<uy>\d{{4}})\b"
    rf"|\b(?P<mm>{_MON})\.?,?\s+(?P<my>\d{{4}})\b"
    r"|\b(?P<q>Q[1-4])\s*(?P<qy>\d{4})\b",
    re.I)
_YEAR_ONLY = re.compile(r"\s*(?:(?:19|20)\d\d)\s*")


@dataclass(frozen=True)
class DateRead:
    value: PartialDate | None
    problem: str | None  # why it is not a date, when it is not
    text: str  # the part of the value read


def parse_date(text: str) -> DateRead:
    """The first date written in ``text``, as precisely as written. UK order for numbers
    (03/04/2025 is 3 April); a quarter, an impossible date or no date is a problem."""
    m = _DATE.search(text)
    if m is None:
        if _YEAR_ONLY.fullmatch(text):
            return DateRead(PartialDate(int(text.strip())), None, text.strip())
        return DateRead(None, f"'{text.strip()}' is not a date", "")
    g = m.groupdict()
    found = m.group(0)
    if g["q"]:
        return DateRead(None, f"'{found}' is a quarter, not a date", found)
    if g["iy"]:
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["ny"]:
        y, mo, d = _year(g["ny"]), int(g["nm"]), int(g["nd"])
    elif g["ty"]:
        y, mo, d = _year(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"])
    elif g["uy"]:
        y, mo, d = int(g["uy"]), MONTHS[g["um"].lower()], int(g["ud"])
    else:
        y, mo = int(g["my"]), MONTHS[g["mm"].lower()]
        if not 1900 <= y <= 2199:
            return DateRead(None, f"'{found}' is not a date", found)
        return DateRead(PartialDate(y, mo), None, found)
    if not 1900 <= y <= 2199:
        return DateRead(None, f"'{found}' is not a date", found)
    try:
        date(y, mo, d)
    except ValueError:
        return DateRead(None, f"'{found}' is not a real date (UK order: day/month/year)", found)
    return DateRead(PartialDate(y, mo, d), None, found)


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _latest(value: PartialDate) -> date:
    if value.exact:
        return value.earliest()
    if value.month:
        nxt = date(value.year + (value.month == 12), value.month % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(value.year, 12, 31)


# -- versions --------------------------------------------------------------------------------

_VERSION = re.compile(r"^(?:(?:version|ver|issue|revision|rev|draft|final|approved|current|"
                      r"release)\b\.?\s*(?:no\.?|number)?\s*[:#]?\s*)*v?\.?\s*"
                      r"(?P<v>\d{1,3}(?:\.\d{1,3}){0,3}[a-z]?)(?![\d/-]|\.\d)", re.I)


def parse_version(text: str) -> tuple[str | None, str | None]:
    """(version, problem): '2.0 (DSPT Compliant)' -> '2.0'; 'v3' -> '3'; 'Draft' -> problem."""
    value = text.strip().strip("*_`\"'").strip()
    if parse_date(value).value is not None and _DATE.match(value):
        return None, f"'{value}' is a date, not a version"
    m = _VERSION.match(value)
    if m:
        return m["v"], None
    return None, f"'{value}' is not a version number"


# -- placeholders ----------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][\w.\-]*)\s*\}\}|\{\{[^{}]*\}\}")
_UNFILLED = re.compile(r"^(?:tbc|tbd|t\.b\.c\.?|to be confirmed|to be decided|n/?a|none|-+|–|—|"
                       r"\?+|\[[^\]]*\]|<[^>]*>|x+|\.{2,}|_+|insert.*|\(insert.*|enter .*)$", re.I)

# -- text helpers ----------------------------------------------------------------------------

_LEAD = re.compile(r"^\s*(?:>\s*)*(?:[-*+•]\s+|\d{1,2}[.)]\s+)?(?:\[[ xX]\]\s*)?")
_EMPH = re.compile(r"\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)|`")
_LABEL_LINE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z0-9 /()'&.,\-]{0,60}?)\s*:\s*(?P<value>.*)$")


def _clean(text: str) -> str:
    return " ".join(_EMPH.sub("", text).split())


def _norm_label(label: str) -> str:
    label = label.lower().replace("(s)", "s").replace("’", "'")
    label = re.sub(r"[^a-z0-9/&' -]", " ", label)
    label = label.replace("'", " ")
    label = " ".join(label.split())
    if label not in LABELS:  # "Last full review", "Next annual review date", "Document owner(s)"
        shorter = " ".join(w for w in label.split() if w not in _FILLER)
        if shorter in LABELS:
            return shorter
    return label


_FILLER = {"full", "formal", "annual", "policy", "document", "scheduled", "planned", "current",
           "latest", "the", "of", "this", "sop", "procedure", "plan", "register", "log"}


def _norm_words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower().replace("_", " ")).split())


# -- collecting candidates -------------------------------------------------------------------

@dataclass
class _Cand:
    kind: str  # a label kind
    value: object  # str, list of str (people), PartialDate, date
    raw: str
    line: int
    rank: int  # 0 front matter, 1 labelled, 2 a record keeper, 3 a fallback (see _choose)


@dataclass
class _Table:
    header: list[str] | None
    rows: list[list[str]]
    lines: list[int]  # file line of each row
    header_line: int


class _Reader:
    def __init__(self, source: Source, roles: dict[str, str], aliases: dict[str, str],
                 people: dict[str, str], variables: dict[str, str], today: date) -> None:
        self.source = source
        self.roles = roles
        self.aliases = dict(DEFAULT_ALIASES)
        for title, role in aliases.items():
            self.aliases[_norm_words(_HONORIFICS.sub("", title))] = role
        for role in roles:
            self.aliases.setdefault(_norm_words(role), role)
        self.people: dict[str, str] = {}
        for name, pid in people.items():
            self.people[_norm_words(_HONORIFICS.sub("", name))] = pid
            self.people.setdefault(_norm_words(pid), pid)
        self.variables = {k.strip(): v for k, v in variables.items()}
        self.today = today
        self.offset = source.front_lines
        self.cands: list[_Cand] = []
        self.notes: list[str] = []
        self.placeholders: list[tuple[str, int]] = []
        self._seen_placeholders: set[tuple[str, int]] = set()

    # placeholders: substitute, or list and refuse the value
    def substitute(self, text: str, line: int) -> tuple[str, bool]:
        """(text with known placeholders filled, True when some are left)."""
        left = False

        def fill(m: re.Match) -> str:
            nonlocal left
            name = m.group(1)
            if name and name in self.variables:
                return self.variables[name]
            left = True
            key = (name or m.group(0), line)
            if key not in self._seen_placeholders:
                self._seen_placeholders.add(key)
                self.placeholders.append(key)
            return m.group(0)

        if "{{" not in text:
            return text, False
        return _PLACEHOLDER.sub(fill, text), left

    def add(self, kind: str, value_text: str, raw: str, line: int, rank: int,
            label: str = "") -> None:
        """A label of ``kind`` was written with ``value_text``: read it into candidates."""
        value_text, left = self.substitute(value_text, line)
        value_text = _clean(value_text).strip(" |.;,")
        shown = label or kind.replace("_", " ")
        if left:
            self.notes.append(f"{shown}: {value_text!r} (line {line}) has a placeholder left "
                              "unfilled; not read (give --var or fill it in)")
            return
        if not value_text or _UNFILLED.match(value_text):
            if value_text:
                self.notes.append(f"{shown}: {value_text!r} (line {line}) is not filled in")
            return
        if kind == "title":
            self.cands.append(_Cand("title", value_text[:200], raw, line, rank))
        elif kind == "version":
            version, problem = parse_version(value_text)
            if version is None:
                self.notes.append(f"{shown}: {problem} (line {line})")
                if re.search(r"\bdraft\b", value_text, re.I):
                    self.notes.append(f"the document calls itself a draft (line {line})")
                return
            self.cands.append(_Cand("version", version, raw, line, rank))
        elif kind == "version_date":
            parts = re.split(r"\s*[/|,;]\s*|\s+[-–—]\s+|\s+dated\s+", value_text, maxsplit=1)
            self.add("version", parts[0], raw, line, rank, label)
            if len(parts) > 1:
                self.add("version_date_only", parts[1], raw, line, rank, label)
        elif kind == "version_date_only":
            got = parse_date(value_text)
            if got.value is not None:
                self.notes.append(f"version date {got.value} (line {line}): not taken as an "
                                  "approval or review date")
        elif kind in _DATE_KINDS or kind == "approved":
            self._date(kind, value_text, raw, line, rank, shown)
        elif kind in _PEOPLE_KINDS:
            # "X on 3 March 2025" after "Reviewed by" / "Approved by"
            m = re.match(r"(?P<who>.+?)\s*(?:,\s*|\s+)(?:on|dated|date:?)\s+(?P<when>.+)$",
                         value_text, re.I)
            if m and parse_date(m["when"]).value is not None:
                value_text = m["who"]
                dated = {"approved_by": "approved_on", "reviewed_by": "last_reviewed"}.get(kind)
                if dated:
                    self._date(dated, m["when"], raw, line, rank, shown)
                elif kind == "by":
                    self._date("collected", m["when"], raw, line, rank, shown)
            self.cands.append(_Cand(kind, value_text, raw, line, rank))
        elif kind == "other":
            self.notes.append(f"{shown}: {value_text!r} (line {line}) — not a fact adopt writes")
        elif kind == "status":
            self.notes.append(f"status written as {value_text!r} (line {line})")

    def _date(self, kind: str, value_text: str, raw: str, line: int, rank: int,
              shown: str) -> None:
        if kind == "approved":  # "Approved: 12 May 2025 by the Board" / "Approved: Board, May 2025"
            got = parse_date(value_text)
            rest = value_text.replace(got.text, " ") if got.text else value_text
            rest = re.sub(r"\b(?:by|on|at|dated|the|meeting|of)\b|[,;()\-–—]", " ", rest, flags=re.I)
            rest = " ".join(rest.split())
            if rest and not re.fullmatch(r"(?:yes|y|approved|true)", rest, re.I):
                self.cands.append(_Cand("approved_by", rest, raw, line, rank))
            if got.value is None and got.text == "":
                if not rest:
                    self.notes.append(f"{shown}: {value_text!r} (line {line}) has no date")
                return
            kind = "approved_on"
        got = parse_date(value_text)
        if got.value is None:
            self.notes.append(f"{shown}: {got.problem} (line {line})")
            return
        if len(value_text) > 60 and value_text.find(got.text) > 25:
            self.notes.append(f"{shown}: {value_text[:60]!r}... (line {line}) reads as prose "
                              "with a date in it; not read")
            return
        self.cands.append(_Cand(kind, got.value, raw, line, rank))

    # -- front matter
    def front(self, front: dict) -> None:
        for key, value in front.items():
            label = _norm_label(str(key).replace("_", " ").replace("-", " "))
            if label == "approved" and isinstance(value, dict):
                for sub, kind in (("by", "approved_by"), ("on", "approved_on"),
                                  ("date", "approved_on")):
                    if sub in value:
                        self.add(kind, _front_text(value[sub]), f"approved.{sub}: {value[sub]}",
                                 0, 0, f"approved.{sub}")
                continue
            kind = LABELS.get(label)
            if label in ("collected", "by", "next review", "last reviewed"):
                kind = {"collected": "collected", "by": "by", "next review": "next_review",
                        "last reviewed": "last_reviewed"}[label]
            if label in ("type", "category", "kind", "document type", "doc type", "tags"):
                continue
            if kind is None or value is None:
                continue
            text = _front_text(value)
            self.add(kind, text, f"{key}: {text}", 0, 0, str(key))

    # -- body
    def body(self, text: str) -> None:
        lines = text.splitlines()
        i = 0
        while i < len(lines):
            line = lines[i]
            stripped = line.strip().lstrip(">").strip()
            if stripped.startswith("|"):
                j = i
                block = []
                while j < len(lines) and lines[j].strip().lstrip(">").strip().startswith("|"):
                    block.append((j, lines[j].strip().lstrip(">").strip()))
                    j += 1
                self.table(block)
                i = j
                continue
            self.line(line, i + 1 + self.offset)
            i += 1

    def line(self, line: str, number: int) -> None:
        stripped = line.strip()
        if not stripped:
            return
        if stripped.startswith("#"):
            self.heading(stripped, number)
            return
        body = _LEAD.sub("", line).strip()
        if not body:
            return
        # "Approved by the Board on 12 May 2025", "Reviewed by Tom Hughes on 3 March 2025"
        for m in _BY_ON.finditer(_clean(body)):
            verb = m["verb"].lower()
            kind_by, kind_on = _BY_ON_KINDS.get(verb.split()[0], ("by", "collected"))
            raw = _clean(body)
            self.add(kind_on, m["when"], raw, number, 1, verb)
            if kind_by:
                self.add(kind_by, m["who"], raw, number, 1, f"{verb} by")
        segments = [s for s in _SEPARATOR.split(body) if s.strip()]
        if ":" in body:
            segments = [piece for s in segments for piece in _split_labels(s)]
        for segment in segments:
            self.segment(segment, number, len(segments) > 1 or len(body) <= 90)

    def segment(self, segment: str, number: int, short: bool) -> None:
        clean = _clean(segment)
        raw = clean
        m = _LABEL_LINE.match(clean)
        if m:
            label = _norm_label(m["label"])
            kind = LABELS.get(label)
            if kind is None and label in _ATTENDANCE:
                self.chair(m["value"], raw, number)
                return
            if kind is not None:
                value = m["value"]
                if kind in _PEOPLE_KINDS and len(value) > 100:
                    return  # prose after a word and a colon, not a name
                if kind == "title":
                    return  # titles come from headings; a "Title:" line is only a fallback
                self.add(kind, value, raw, number, 1, m["label"].strip())
                return
            if not short:
                return
        if not short:
            return
        m = _BARE.match(clean)
        if m:
            label = _norm_label(m["label"])
            kind = LABELS[label]
            value = m["value"]
            if kind == "version":
                version, _problem = parse_version(value)
                if version is not None:
                    self.add("version", value, raw, number, 1, m["label"])
            elif kind == "approved":
                if parse_date(value).value is not None and not value.lower().startswith("by"):
                    self.add("approved_on", value, raw, number, 1, m["label"])
            elif parse_date(value).value is not None and _DATE.match(value.strip()):
                self.add(kind, value, raw, number, 1, m["label"])
            return
        m = re.match(r"^v(\d{1,3}(?:\.\d{1,3}){0,3})\b(?![/-])", clean, re.I)
        if m and len(clean) <= 40:
            self.add("version", m[1], raw, number, 1, "version")

    def chair(self, value: str, raw: str, number: int) -> None:
        """'Present: Farah Lindqvist (CEO, chair), Martin Oyelaran (CTO)': the chair."""
        depth, start, parts = 0, 0, []
        for k, ch in enumerate(value):
            depth += ch == "("
            depth -= ch == ")"
            if ch in ",;" and depth == 0:
                parts.append(value[start:k])
                start = k + 1
        parts.append(value[start:])
        for part in parts:
            m = re.search(r"\(([^()]*)\)", part)
            if m and re.search(r"\bchair(?:man|woman|person)?\b|\bin the chair\b", m[1], re.I):
                who = re.sub(r"\([^()]*\)", "", part).strip()
                if who:
                    self.cands.append(_Cand("chair", who, raw, number, FALLBACK))
                return

    def heading(self, stripped: str, number: int) -> None:
        level = len(stripped) - len(stripped.lstrip("#"))
        text = stripped.lstrip("#").strip()
        text, left = self.substitute(text, number)
        if level == 1 and text:
            self.cands.append(_Cand("heading", _clean(text)[:200], stripped, number, FALLBACK))
        if left:
            return
        got = parse_date(text)
        if got.value is not None and (got.value.exact or got.value.month) and level <= 2:
            self.cands.append(_Cand("collected", got.value, stripped, number, FALLBACK))

    # -- tables
    def table(self, block: list[tuple[int, str]]) -> None:
        rows: list[list[str]] = []
        lines: list[int] = []
        header: list[str] | None = None
        header_line = 0
        for index, (i, text) in enumerate(block):
            cells = _cells(text)
            if all(re.fullmatch(r":?-{2,}:?|", c.strip()) for c in cells) and cells:
                if index == 1 and rows:
                    header, header_line = rows.pop(), lines.pop()
                continue
            rows.append(cells)
            lines.append(i + 1 + self.offset)
        if not rows and header is None:
            return
        table = _Table(header, rows, lines, header_line)
        self.key_value(table) or self.header_table(table)
        self.log(table)

    def key_value(self, table: _Table) -> bool:
        """Rows of label | value (pairs side by side too); the header row may be one."""
        all_rows = ([(table.header, table.header_line)] if table.header else []) + \
            list(zip(table.rows, table.lines, strict=True))
        pairs = []
        for cells, line in all_rows:
            for k in range(0, len(cells) - 1, 2):
                label = _norm_label(_clean(cells[k]).rstrip(":"))
                if label in LABELS and _norm_label(_clean(cells[k + 1])) not in LABELS:
                    pairs.append((LABELS[label], cells[k], cells[k + 1], line))
        data_labels = sum(1 for cells in table.rows
                          if cells and _norm_label(_clean(cells[0]).rstrip(":")) in LABELS)
        if not pairs or (table.header and data_labels == 0):
            return False
        for kind, label, value, line in pairs:
            raw = f"| {_clean(label)} | {_clean(value)} |"
            if kind == "title":
                self.cands.append(_Cand("title", _clean(value)[:200], raw, line, 1))
            else:
                self.add(kind, value, raw, line, 1, _clean(label))
        return True

    def header_table(self, table: _Table) -> bool:
        """| Version | Date | Author | with one row, or a version/review history (newest row)."""
        if not table.header or not table.rows:
            return False
        kinds = [LABELS.get(_norm_label(_clean(h))) for h in table.header]
        known = [k for k in kinds if k]
        if len(known) < 2 or len(known) * 2 < len(kinds):
            return False
        rows = [(r, ln) for r, ln in zip(table.rows, table.lines, strict=True)
                if any(c.strip() for c in r)]
        if not rows:
            return False
        rank = 1
        many = len(rows) > 1
        if many:
            if not {"version", "review", "last_reviewed"} & set(kinds):
                return False  # a log or a register, not a document's history
            row, line = self.newest(table, kinds, rows)
            if row is None:
                return False
            what = "the newest row of a history table"
        else:
            row, line = rows[0]
            what = ""
        for k, kind in enumerate(kinds):
            if kind is None or k >= len(row):
                continue
            if kind == "collected" and len(rows) > 1 and "version" in kinds:
                kind = "version_date_only"  # the date of a version in its history
            raw = f"| {_clean(table.header[k])} | {_clean(row[k])} |" + (f" ({what})" if what else "")
            # a history's newest version is a statement of the version; its other columns
            # (author, date) only fill gaps
            self.add(kind, row[k], raw, line, rank if kind == "version" or not many else FALLBACK,
                     _clean(table.header[k]))
        return True

    def newest(self, table: _Table, kinds: list, rows: list) -> tuple[list[str] | None, int]:
        if "version" in kinds:
            k = kinds.index("version")
            parsed = [(parse_version(r[k])[0] if k < len(r) else None, r, ln) for r, ln in rows]
            if all(v for v, _, _ in parsed):
                best = max(parsed, key=lambda p: tuple(int(x) for x in re.findall(r"\d+", p[0])))
                return best[1], best[2]
            return rows[-1]
        date_cols = [k for k, kind in enumerate(kinds) if kind in _DATE_KINDS]
        if date_cols:
            k = date_cols[0]
            dated = [(parse_date(r[k]).value, r, ln) for r, ln in rows if k < len(r)]
            dated = [d for d in dated if d[0] is not None]
            if dated:
                best = max(dated, key=lambda d: (d[0].earliest(), d[2]))
                return best[1], best[2]
        return None, 0

    def log(self, table: _Table) -> None:
        """A table of dated entries: its latest entry date is when the record was last
        added to."""
        if not table.header or len(table.rows) < 2:
            return
        heads = [_norm_label(_clean(h)) for h in table.header]
        if any(LABELS.get(h) == "version" for h in heads):
            return
        col = next((k for k, h in enumerate(heads)
                    if h in ("date", "dates", "when", "date and time", "date time", "logged",
                             "date logged", "date of entry", "entry date", "test date",
                             "date of test", "date tested", "date checked", "check date",
                             "date reported", "date raised", "date of incident",
                             "incident date", "date of review", "review date",
                             "date completed", "completed", "meeting date", "date of meeting",
                             "date of restore", "restore date", "date of backup", "backup date")),
                   None)
        if col is None:
            return
        best = None
        for row, line in zip(table.rows, table.lines, strict=True):
            if col >= len(row):
                continue
            got = parse_date(_clean(row[col]))
            if got.value is None or not got.value.exact or got.value.earliest() > self.today:
                continue
            if best is None or got.value.earliest() >= best[0].earliest():
                best = (got.value, line, row)
        if best is not None:
            raw = f"| {_clean(table.header[col])} | {_clean(best[2][col])} | (latest of " \
                  f"{len(table.rows)} entries)"
            self.cands.append(_Cand("log", best[0], raw, best[1], FALLBACK))


_SEPARATOR = re.compile(r"\s*(?:\||\s·\s|\s•\s|\t|\s{3,})\s*")
# a second label on the same line: "**Owner:** X. **Last reviewed:** Y", "Owner: X. Version: 2"
_NEXT_LABEL = re.compile(r"(?:(?<=\S)\s+(?=\*\*[A-Za-z][^*:]{0,40}(?::\*\*|\*\*:))|"
                         r"(?<=[.;,])\s+(?=(?:\*\*)?[A-Z][A-Za-z ()/'-]{0,40}(?:\*\*)?:\s))")


def _split_labels(text: str) -> list[str]:
    """Split at each later known label ("... **Last reviewed:** ..."); unknown ones stay."""
    pieces = [text]
    for m in reversed(list(_NEXT_LABEL.finditer(text))):
        head = text[m.end():]
        label = _LABEL_LINE.match(_clean(head))
        if label and _norm_label(label["label"]) in LABELS:
            pieces[0:1] = [text[:m.start()], head]
            text = text[:m.start()]
    return [p for p in pieces if p.strip()]


def _front_text(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ", ".join(_front_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{_front_text(v)}" for v in value.values())
    return str(value)


def _cells(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", text)]


_BY_ON = re.compile(
    r"\b(?P<verb>approved|ratified|reviewed|signed off|agreed|adopted|endorsed|tested|"
    r"carried out|conducted|completed|audited|performed|checked)\s+by\s+(?P<who>[^.;:|()]{2,80}?)"
    r",?\s+(?:on|dated|at (?:its|their|the) meeting (?:on|of)|at the meeting on)\s+"
    r"(?P<when>(?:\w+day,?\s+)?" + _DATE.pattern.replace("(?P<", "(?P<w_") + ")", re.I)
_BY_ON_KINDS = {"approved": ("approved_by", "approved_on"), "ratified": ("approved_by", "approved_on"),
                "signed": ("approved_by", "approved_on"), "agreed": ("approved_by", "approved_on"),
                "adopted": ("approved_by", "approved_on"), "endorsed": ("approved_by", "approved_on"),
                "reviewed": ("reviewed_by", "last_reviewed")}

# -- people ----------------------------------------------------------------------------------


@dataclass
class _Who:
    value: str | None  # role or person id
    confident: bool
    note: str | None
    shown: str  # the name as written, cleaned


def _split_people(text: str) -> list[str]:
    parts = []
    for part in re.split(r"\s*(?:,|;|/|&|\+|\band\b|\bwith\b|\bfor\b)\s*", text):
        part = part.strip(" .-–—")
        if part:
            parts.append(part)
    return parts


class _People:
    def __init__(self, reader: _Reader) -> None:
        self.r = reader

    def one(self, text: str) -> tuple[str | None, str | None, str | None]:
        """(role, person, role-not-held) for one name or title as written."""
        words = _norm_words(_ARTICLES.sub("", _HONORIFICS.sub("", text.strip())))
        words = re.sub(r"^(?:organisation s|organisation|practice s|company s) ", "", words)
        if not words:
            return None, None, None
        person = self.r.people.get(words)
        role = self.r.aliases.get(words)
        if role is None and person is None:
            # "the Practice's IG Lead", "IG Lead for the practice"
            stripped = re.sub(r"\b(?:acting|interim|deputy|our|the|practice|organisation)\b",
                              " ", words)
            stripped = " ".join(stripped.split())
            role = self.r.aliases.get(stripped)
        if role is not None and role not in self.r.roles:
            return None, person, role
        return role, person, None

    def map(self, text: str) -> _Who:
        shown = text.strip()
        inner = re.findall(r"\(([^()]*)\)", text)
        outer = re.sub(r"\([^()]*\)", " ", text).strip()
        found: list[str] = []  # ids in order
        missing_roles: list[str] = []
        role = person = None
        for cand in [text, outer, *inner]:
            r_, p_, _u = self.one(cand)
            role = role or r_
            person = person or p_
        if role or person:
            if role and person and self.r.roles.get(role) not in (None, person):
                return _Who(person, True, f"{shown!r}: {role} is held by "
                            f"{self.r.roles.get(role)}, not {person}; read as {person}", shown)
            return _Who(role or person, True, None, shown)
        # several: "CTO, DPO"; "Jane Smith, Practice Manager"
        for part in _split_people(outer or text):
            role, person, unheld = self.one(part)
            if role or person:
                value = role or person
                if value not in found:
                    found.append(value)  # type: ignore[arg-type]
            elif unheld:
                missing_roles.append(unheld)
        if len(found) == 1:
            return _Who(found[0], True, None, shown)
        if len(found) > 1:
            return _Who(found[0], True, f"{shown!r} names several; read the first "
                        f"({found[0]}); also {', '.join(found[1:])}", shown)
        _role, _person, unheld = self.one(outer or text)
        unheld = unheld or (missing_roles[0] if missing_roles else None)
        if unheld:
            return _Who(unheld, False, f"{shown!r} is the {unheld} role, which "
                        "organisation.yaml does not list", shown)
        hint = ""
        m = re.fullmatch(r"([a-z])(?: [a-z])? ([a-z][a-z'-]+)", _norm_words(outer or text))
        if m:  # "K. Ormerod": say who it may be, never decide it
            like = sorted({pid for name, pid in self.r.people.items()
                           if name.split() and name.split()[0].startswith(m[1])
                           and name.split()[-1] == m[2]})
            if len(like) == 1:
                hint = f"; perhaps {like[0]}"
        return _Who(shown, False, f"{shown!r} is not a known role title or person (add it "
                    "to role_aliases in organisation.yaml or to the people register)" + hint,
                    shown)


# -- references ------------------------------------------------------------------------------

_XYZ = r"(?<![\w.])(\d{1,2})\.(\d{1,2})\.(\d{1,2})(?![\w]|\.\d)"
_PREFIX = re.compile(
    r"\b(?:dspt|data security and protection toolkit|toolkit|evidence(?:\s+items?)?|items?|"
    r"requirements?|dspt\s+(?:ref(?:erence)?s?|items?|evidence(?:\s+items?)?))"
    r"\s*(?:ref(?:erence)?s?|no\.?|number|id)?\s*[:#]?\s*" + _XYZ, re.I)
_FOLLOW = re.compile(r"\s*(?:,|;|/|&|and|or|\bplus\b)\s*(?:\b(?:evidence|items?)\s*)?" + _XYZ, re.I)
_BARE_XYZ = re.compile(_XYZ)
_NOT_BEFORE = re.compile(r"(?:version|ver|v|section|sections|clause|clauses|para|paragraph|"
                         r"paragraphs|page|pages|appendix|annex|step|steps|chapter|part|rule|"
                         r"figure|table|release|build|ip|address|§|rev|revision|issue|no)\.?\s*"
                         r"[:#]?\s*$", re.I)
_STANDARD = re.compile(r"\b(?:dspt|ndg|national data guardian(?:'s)?|data security(?: and "
                       r"protection)?)\s+(?:data security\s+)?standards?\s*(?:no\.?\s*)?"
                       r"(\d{1,2})\b(?![.\d])", re.I)
_CONTEXT = re.compile(r"\b(?:dspt|toolkit|ndg)\b", re.I)
_REF_COLUMN = re.compile(r"^(?:dspt|evidence|item|ref|reference|requirement|dspt ref|dspt item|"
                         r"dspt reference|evidence item|dspt evidence|evidence ref|toolkit ref|"
                         r"dspt requirement|dspt evidence item)s?(?: ids?| no| numbers?)?$")


def _in_range(a: str, b: str, c: str) -> bool:
    return 1 <= int(a) <= 10 and 1 <= int(b) <= 9 and 1 <= int(c) <= 20


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end]: from the last full stop before it that ends a
    sentence to the next."""
    left = 0
    for m in re.finditer(r"[.!?](?=\s+[A-Z(\"'*])", text[:start]):
        left = m.end()
    m = re.search(r"[.!?](?=\s|$)", text[end:])
    right = end + m.end() if m else len(text)
    return " ".join(_clean(text[left:right]).split()).strip(" -|>")


def references(text: str, offset: int) -> list[Reference]:
    """Explicit DSPT citations in ``text`` (see the module docstring for the rule)."""
    found: list[Reference] = []
    seen: set[str] = set()

    def add(ref: str, sentence: str, line: int) -> None:
        if ref not in seen:
            seen.add(ref)
            found.append(Reference(ref, sentence, line))

    lines = text.splitlines()
    ref_cols: list[int] = []
    for i, raw in enumerate(lines):
        line_no = i + 1 + offset
        stripped = raw.strip()
        if "." not in raw and "tandard" not in raw and not stripped.startswith("|"):
            ref_cols = []
            continue
        is_row = stripped.startswith("|")
        if is_row:
            cells = _cells(stripped)
            following = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if re.fullmatch(r"\|?\s*:?-{2,}.*", following) and not re.search(r"\d\.\d", stripped):
                ref_cols = [k for k, c in enumerate(cells) if _REF_COLUMN.match(_norm_label(_clean(c)))]
                continue
            if ref_cols:
                for k in ref_cols:
                    if k < len(cells):
                        for m in _BARE_XYZ.finditer(cells[k]):
                            if _in_range(*m.groups()):
                                add(f"dspt:{m[1]}.{m[2]}.{m[3]}", _clean(" ".join(
                                    c for c in cells if c.strip())), line_no)
        else:
            ref_cols = []
        for m in _STANDARD.finditer(raw):
            if 1 <= int(m[1]) <= 10:
                add(f"dspt-standard:{int(m[1])}", _sentence(raw, m.start(), m.end()), line_no)
        taken: set[int] = set()
        for m in _PREFIX.finditer(raw):
            if not _in_range(m[1], m[2], m[3]):
                continue
            sentence = _sentence(raw, m.start(), m.end())
            add(f"dspt:{m[1]}.{m[2]}.{m[3]}", sentence, line_no)
            taken.add(m.start(1))
            pos = m.end()
            while True:
                f = _FOLLOW.match(raw, pos)
                if not f:
                    break
                if _in_range(f[1], f[2], f[3]):
                    add(f"dspt:{f[1]}.{f[2]}.{f[3]}", sentence, line_no)
                taken.add(f.start(1))
                pos = f.end()
        if _CONTEXT.search(raw):
            for m in _BARE_XYZ.finditer(raw):
                if m.start() in taken or not _in_range(*m.groups()):
                    continue
                if _NOT_BEFORE.search(raw[max(0, m.start() - 20):m.start()]):
                    continue
                sentence = _sentence(raw, m.start(), m.end())
                if not _CONTEXT.search(sentence):
                    continue
                add(f"dspt:{m[1]}.{m[2]}.{m[3]}", sentence, line_no)
    return found


# -- choosing --------------------------------------------------------------------------------

def _same(a: object, b: object) -> bool:
    return str(a).lower() == str(b).lower()


def _agree(a: Field, b: Field) -> bool:
    """The same value, or the same month written once with its day and once without."""
    if str(a.value).lower() == str(b.value).lower() or a.raw == b.raw:
        return True
    if isinstance(a.value, PartialDate) and isinstance(b.value, PartialDate):
        x, y = sorted((a.value, b.value), key=lambda v: (v.day is None, v.month is None))
        return x.year == y.year and (y.month is None or x.month == y.month)
    return False


def _choose(name: str, cands: list[tuple[Field, int]], notes: list[str]) -> Field | None:
    """The best of several readings of one field. Confident before not, exact dates before
    months, then front matter (0) and labelled lines (1), then a record keeper (2), then
    fallbacks (3: an author as owner, a chair as the one who did it, a heading's date, a
    log's latest entry); the first written wins among equals. Two stated values that
    disagree (front matter and labels count as one level) are not read with confidence:
    both are reported. Fallbacks never contradict a stated value; they are noted."""
    if not cands:
        return None

    def level(rank: int) -> int:
        return 1 if rank <= 1 else rank

    def key(item: tuple[Field, int]) -> tuple:
        fld, rank = item
        precise = 0
        if isinstance(fld.value, PartialDate):
            precise = 0 if fld.value.exact else (1 if fld.value.month else 2)
        return (not fld.confident, level(rank), precise, rank, fld.line if fld.line else -1)

    ordered = sorted(cands, key=key)
    best, best_rank = ordered[0]

    def where(f: Field) -> str:
        return f"line {f.line}" if f.line else "front matter"

    clash = [f for f, rank in ordered[1:] if f.confident and best.confident and
             level(rank) == level(best_rank) and not _agree(f, best)]
    others = [f for f, _rank in ordered[1:] if not _agree(f, best) and f not in clash]
    if clash:
        shown = "; ".join(f"{f.value} ({where(f)}: {f.raw.strip()[:80]!r})" for f in clash)
        notes.append(f"{name.replace('_', ' ')}: the document says {best.value} "
                     f"({where(best)}: {best.raw.strip()[:80]!r}) and also {shown}; they "
                     "disagree, so neither is written")
        best = Field(best.name, best.value, best.raw, best.line, False)
    if others:
        shown = "; ".join(f"{f.value}{'' if f.confident else ' (not read with confidence)'} "
                          f"({where(f)}: {f.raw.strip()[:80]!r})" for f in others)
        notes.append(f"{name.replace('_', ' ')}: kept {best.value} ({where(best)}); also "
                     f"written: {shown}")
    return best


def read(source: Source, *, roles: dict[str, str], aliases: dict[str, str],
         people: dict[str, str], variables: dict[str, str], today: date) -> Reading:
    """What ``source`` says about itself: title, version, owner, approval, reviews, effective
    date, when it was collected and by whom, DSPT items it cites, placeholders left."""
    r = _Reader(source, roles, aliases, people, variables, today)
    if source.front:
        r.front(source.front)
    text = source.text or ""
    r.body(text)
    who = _People(r)
    by_field: dict[str, list[tuple[Field, int]]] = {}

    def put(name: str, value: object, c: _Cand, confident: bool = True,
            rank: int | None = None) -> None:
        by_field.setdefault(name, []).append((Field(name, value, c.raw, c.line, confident),
                                              c.rank if rank is None else rank))

    title_cands: list[_Cand] = []
    for c in r.cands:
        if c.kind in ("title", "heading"):
            title_cands.append(c)
        elif c.kind == "version":
            put("version", c.value, c)
        elif c.kind in _PEOPLE_KINDS:
            mapped = who.map(str(c.value))
            if mapped.note:
                shown = {"recorder": "by (record keeper)", "chair": "by (chair)",
                         "author": "author", "reviewed_by": "reviewed by"}.get(c.kind, c.kind)
                r.notes.append(f"{shown.replace('_', ' ')}: {mapped.note} (line {c.line})")
            if c.kind == "author":
                put("owner", mapped.value, c, mapped.confident, FALLBACK)
                put("by", mapped.value, c, mapped.confident, FALLBACK)
            elif c.kind in ("reviewed_by", "chair"):
                put("by", mapped.value, c, mapped.confident, FALLBACK)
            elif c.kind == "recorder":  # the minute taker made the record; a tester did the test
                put("by", mapped.value, c, mapped.confident, max(c.rank, 2))
            else:
                put(c.kind, mapped.value, c, mapped.confident)
        elif isinstance(c.value, PartialDate):
            value: PartialDate = c.value
            name = c.kind
            confident = True
            if name == "log":
                name = "collected"
            if name == "review":
                name = "next_review" if value.earliest() > today else "last_reviewed"
                if name == "last_reviewed" and _latest(value) > today:
                    r.notes.append(f"review date {value} (line {c.line}) includes today; "
                                   "read as the last review")
            if name in ("last_reviewed", "approved_on", "collected") and value.earliest() > today:
                r.notes.append(f"{name.replace('_', ' ')} {value} (line {c.line}) is in the "
                               "future; not read with confidence")
                confident = False
            if name == "next_review" and _latest(value) < today:
                r.notes.append(f"next review {value} (line {c.line}) has passed: the "
                               "document is overdue for review")
            put(name, value, c, confident)
    reading = Reading(title=None)
    # the title: front matter, else the first "# " heading, else a "Title:" label, else the file
    front_title = [c for c in title_cands if c.rank == 0]
    headings = [c for c in title_cands if c.kind == "heading"]
    labelled = [c for c in title_cands if c.kind == "title" and c.rank != 0]
    chosen = (front_title or headings or labelled or [None])[0]
    if chosen is not None:
        reading.title = Field("title", chosen.value, chosen.raw, chosen.line)
    else:
        stem = PurePath(source.path).stem.replace("-", " ").replace("_", " ").strip()
        stem = " ".join(stem.split())
        reading.title = Field("title", stem[:1].upper() + stem[1:], PurePath(source.path).name, 0)
    for name, cands in by_field.items():
        best = _choose(name, cands, r.notes)
        if best is not None:
            reading.fields[name] = best
    reading.missing = [n for n in ("version", "owner", "approved_by", "approved_on",
                                   "last_reviewed", "next_review", "effective", "collected", "by")
                       if n not in reading.fields]
    r.placeholders.extend(_body_placeholders(text, r, source.front_lines))
    reading.placeholders = sorted(set(r.placeholders), key=lambda p: (p[1], p[0]))
    reading.references = references(text, source.front_lines)
    reading.notes = list(dict.fromkeys(r.notes))
    return reading


def _body_placeholders(text: str, r: _Reader, offset: int) -> list[tuple[str, int]]:
    """Placeholders anywhere in the text that no variable fills."""
    out = []
    if "{{" not in text:
        return out
    for i, line in enumerate(text.splitlines()):
        for m in _PLACEHOLDER.finditer(line):
            name = m.group(1) or m.group(0)
            if m.group(1) and m.group(1) in r.variables:
                continue
            out.append((name, i + 1 + offset))
    return out
