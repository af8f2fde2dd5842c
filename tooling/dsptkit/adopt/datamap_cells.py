"""Cells of the data map registers as ``dspt adopt`` reads them: the information asset
register, the record of processing activities and the data flows.

A cell is written to a typed field only when all of it can be read: every data category a
word of the fixed list (CATEGORIES), every country one dsptkit knows, every system, supplier
or information asset a name the registers hold (the repository's, or one this adopt run
writes). Otherwise the cell is kept as written under the entry's ``extra`` and the report
says which part could not be read, so nothing is dropped and nothing is guessed: a field
left unwritten is "not recorded", which the check and ``dspt scope`` say plainly, where a
half-read one would state a wrong fact (an asset "held in the UK" that is also held in
Ireland). Text fields (purpose, lawful basis, retention, transfers...) are kept as written;
lists of free text (controls, recipients, data subjects) are split on ``;``, ``<br>`` and
line breaks (recipients and data subjects on commas too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dsptkit.datamap import CATEGORIES, conditions, is_uk, key, lawful_bases, no_transfers


@dataclass
class Names:
    """What the data map's references may name, by ``datamap.key``: systems (the asset
    register), suppliers, information assets and the data flows register's outside parties."""

    systems: set[str] = field(default_factory=set)
    suppliers: set[str] = field(default_factory=set)
    information_assets: set[str] = field(default_factory=set)
    parties: set[str] = field(default_factory=set)

    def add(self, register: str, names: list[str]) -> None:
        """Names an adopted register brings (assets, suppliers, information_assets)."""
        table = {"assets": self.systems, "suppliers": self.suppliers,
                 "information_assets": self.information_assets}.get(register)
        if table is not None:
            table.update(key(n) for n in names)


@dataclass(frozen=True)
class Read:
    """A cell as a field's value. ``value`` None: the cell is kept under extra as written."""

    target: str  # the field written (a yes under 'Patient data' writes data_categories)
    value: object | None
    problem: str | None = None  # for the report; a note when a value was written


# (register, field) read here; the rest by tables._value
FIELDS = {
    ("information_assets", "data_categories"), ("information_assets", "patient_data"),
    ("information_assets", "systems"), ("information_assets", "suppliers"),
    ("information_assets", "hosted_in"), ("information_assets", "controls"),
    ("processing", "lawful_basis"), ("processing", "special_category_condition"),
    ("processing", "data_subjects"), ("processing", "recipients"),
    ("processing", "information_assets"), ("processing", "transfers"),
    ("data_flows", "data_categories"), ("data_flows", "patient_data"),
    ("data_flows", "information_assets"), ("suppliers", "country"),
}
MAP_KINDS = {"information_assets", "processing", "data_flows"}
# fields of the data map where 'TBC', 'None' or 'Unknown' records nothing (kept under extra):
# written as a value they would hide what the check reports missing
NOTHING = {"owner", "retention", "transfer_safeguard", "volume"}

# how the report names a pseudo-field's mapping
SHOWN = {"patient_data": "data_categories (yes: patient)"}

_NONE = re.compile(r"^(?:none|no|nil|n/?a|not applicable|nothing|tbc|tbd|unknown|not known|"
                   r"none recorded|none known|\?+|-+)\.?$")
_YES = {"yes", "y", "true", "✓", "✔", "✅", "x", "[x]"}
_NO = {"no", "n", "false", "✗", "✘", "❌", "[ ]", "none"}

_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "patient": ("patient", "patients", "patient data", "patient records", "patient record",
                "patient information", "patient identifiable", "patient identifiable data",
                "patient details", "service user", "service users", "service user data",
                "service user records", "resident", "residents", "resident data"),
    "special_category": ("special category", "special categories", "special category data",
                         "special category personal data", "special", "health", "health data",
                         "health information", "health records", "medical", "medical data",
                         "medical information", "medical records", "clinical", "clinical data",
                         "clinical information", "clinical records", "sensitive",
                         "sensitive data", "sensitive personal data", "article 9", "art 9",
                         "racial or ethnic origin", "ethnic origin", "ethnicity", "religion",
                         "religious beliefs", "religious or philosophical beliefs",
                         "political opinions", "trade union membership", "genetic",
                         "genetic data", "biometric", "biometric data", "sex life",
                         "sexual orientation"),
    "criminal_offence": ("criminal offence", "criminal offences", "criminal offence data",
                         "criminal conviction", "criminal convictions", "convictions",
                         "criminal record", "criminal records", "criminal", "dbs",
                         "dbs check", "dbs checks"),
    "staff": ("staff", "staff data", "staff records", "staff details", "employee",
              "employees", "employee data", "employee records", "hr", "hr data",
              "hr records", "workforce", "personnel", "personnel records", "volunteers",
              "contractors"),
    "business_contacts": ("business contact", "business contacts", "business contact details",
                          "customer contacts", "supplier contacts", "b2b contacts",
                          "professional contacts", "contacts"),
    "financial": ("financial", "financial data", "financial information", "finance",
                  "finance data", "bank details", "bank account details", "payment details",
                  "card details", "payment card data", "payments"),
    "other": ("other",),
}
_CATEGORY_BY_WORD = {w: cat for cat, words in _CATEGORY_WORDS.items() for w in words}

# countries and regions (besides the UK's own names, which datamap.is_uk knows) a hosting
# place may name; anything else under a country column is kept as written
_COUNTRIES = {
    "eu", "eea", "european union", "european economic area", "europe", "ireland",
    "republic of ireland", "usa", "us", "u.s.", "u.s.a.", "united states",
    "united states of america", "america", "canada", "india", "germany", "france",
    "netherlands", "the netherlands", "holland", "belgium", "luxembourg", "spain", "portugal",
    "italy", "sweden", "denmark", "finland", "norway", "iceland", "liechtenstein", "poland",
    "austria", "switzerland", "czech republic", "czechia", "estonia", "latvia", "lithuania",
    "greece", "cyprus", "malta", "hungary", "romania", "bulgaria", "croatia", "slovakia",
    "slovenia", "australia", "new zealand", "japan", "singapore", "south korea",
    "republic of korea", "israel", "south africa", "philippines", "ukraine", "isle of man",
    "jersey", "guernsey", "channel islands", "gibraltar", "brazil", "mexico", "china",
    "hong kong", "united arab emirates", "uae", "pakistan", "sri lanka", "bangladesh",
    "nigeria", "kenya", "egypt", "turkey", "argentina", "uruguay", "faroe islands",
}

# outside parties a flow's end may name, recognised by the name alone
_PUBLIC = {"patient", "patients", "the public", "public", "members of the public",
           "member of the public", "service user", "service users", "resident", "residents",
           "families", "relatives", "carers", "families and carers", "patients and carers",
           "next of kin", "individuals", "data subjects", "applicants", "job applicants"}
_NHS = re.compile(r"\b(?:nhs|icb|icbs|ccg|ccgs|gp|gps|nhsbsa|ukhsa|pcn|pcns)\b|"
                  r"\bgeneral practices?\b|\bintegrated care boards?\b|"
                  r"\bprimary care networks?\b|\bhospitals?\b")


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("_", " ").lower()
    return " ".join(re.sub(r"[^0-9a-z'./ ]+", " ", text).split()).strip(" .")


def none_like(text: str) -> bool:
    """'None', 'N/A', 'TBC', 'Unknown', '?': a cell that records nothing."""
    value = _norm(text)
    return bool(_NONE.match(value)) or not re.search(r"[0-9a-z]", value)


def split(text: str, separators: str) -> list[str]:
    """``text`` split at ``separators`` (a regex) outside brackets, parts trimmed, empty
    parts dropped: "NHS England (returns, monthly), HMRC" is two parts."""
    depth, depths = 0, []
    for char in text:
        if char in ")]":
            depth = max(depth - 1, 0)
        depths.append(depth)
        if char in "([":
            depth += 1
    parts, at = [], 0
    for match in re.finditer(separators, text):
        if match.end() > match.start() and depths[match.start()] == 0:
            parts.append(text[at:match.start()])
            at = match.end()
    parts.append(text[at:])
    return [p for p in (part.strip().strip(".").strip() for part in parts) if p]


_STRONG = r"\s*[;\n]\s*"
_WEAK = r"\s*(?:[,/&+]|\band\b)\s*"
_LIST = r"\s*[;\n,]\s*"


def read(kind: str, name: str, text: str, heading: str, names: Names) -> Read:
    """The cell ``text`` under ``heading`` as field ``name`` of register ``kind``."""
    if name == "patient_data":
        answer = _bool(text)
        if answer is True:
            return Read("data_categories", ["patient"])
        if answer is False:
            return Read("data_categories", None)  # kept as written: it says what it is not
        return Read("data_categories", None, f"'{text}' under {heading} is not yes or no")
    if name == "data_categories":
        return _categories(text, heading)
    if name in ("systems", "suppliers", "information_assets"):
        table, what = {
            "systems": (names.systems, "a system in the asset register"),
            "suppliers": (names.suppliers, "a supplier in the suppliers register"),
            "information_assets": (names.information_assets,
                                   "an information asset in the information asset register"),
        }[name]
        return _references(name, text, heading, table, what)
    if name == "hosted_in":
        return _countries(text, heading)
    if name == "country":  # a supplier's: one text, as written, when it names countries
        read_ = _countries(text, heading)
        return Read(name, text if read_.value is not None else None, read_.problem)
    if name == "controls":
        if none_like(text):
            return Read(name, None, f"'{text}' under {heading} names no control")
        return Read(name, _unique(split(text, _STRONG)))
    if name in ("recipients", "data_subjects"):
        if none_like(text):
            return Read(name, text)  # 'None' as written: no one
        return Read(name, _unique(split(text, _LIST)))
    if name == "lawful_basis":
        if lawful_bases(text):
            return Read(name, text)
        return Read(name, text, f"lawful basis '{text}' is not one of the six in UK GDPR "
                                "Article 6(1) as dsptkit reads them; written as it is (the "
                                "check reports it, DM104)")
    if name == "special_category_condition":
        answer = _bool(text)
        if answer is not None:  # 'Special category: Yes' says whether, not which condition
            return Read("special_category", answer)
        if conditions(text) or none_like(text):
            return Read(name, text)
        return Read(name, text, f"condition '{text}' is not one of the ten in UK GDPR "
                                "Article 9(2) as dsptkit reads them; written as it is (the "
                                "check reports it if the activity uses special category data)")
    if name == "transfers":
        if no_transfers(text):
            return Read(name, text)
        return Read(name, text, f"transfers kept as text ('{text}'): list each as {{country, "
                                "recipient, safeguard} so the check can see its safeguard "
                                "(DM105)")
    raise ValueError(f"{kind}.{name} is not read here")


def _bool(text: str) -> bool | None:
    value = " ".join(text.strip().rstrip(".?").lower().split())
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            out.append(item)
    return out


def _category(part: str) -> str | None:
    word = _norm(re.sub(r"^\s*(?:yes|y)\b\s*[-:–,]?\s*", "", part, flags=re.I))
    return _CATEGORY_BY_WORD.get(word)


def _categories(text: str, heading: str) -> Read:
    found: list[str] = []
    unread: list[str] = []
    for part in split(text, _STRONG + "|" + _WEAK):
        inner = re.findall(r"\(([^()]*)\)", part)
        bare = re.sub(r"\([^()]*\)", " ", part).strip()
        for piece in [bare, *inner]:
            if not piece.strip():
                continue
            hit = _category(piece)
            if hit is None:
                subs = split(piece, r"\s+(?:and|or)\s+")
                hits = [_category(s) for s in subs]
                if len(subs) > 1 and all(hits):
                    found.extend(h for h in hits if h)
                    continue
                unread.append(piece.strip())
            else:
                found.append(hit)
    if unread or not found:
        what = ", ".join(f"'{u}'" for u in unread) or f"'{text}'"
        return Read("data_categories", None,
                    f"{what} under {heading} is not a data category dsptkit knows "
                    f"({', '.join(CATEGORIES)})")
    return Read("data_categories", [c for c in CATEGORIES if c in found])


def _references(name: str, text: str, heading: str, table: set[str], what: str) -> Read:
    if none_like(text):
        return Read(name, None, f"'{text}' under {heading} names none")
    if key(text) in table:
        return Read(name, [text])
    found: list[str] = []
    unknown: list[str] = []
    for part in split(text, _STRONG):
        if key(part) in table:
            found.append(part)
            continue
        subs = split(part, _WEAK)
        if len(subs) > 1 and all(key(s) in table for s in subs):
            found.extend(subs)
        else:
            unknown.append(part)
    if unknown:
        names = ", ".join(f"'{u}'" for u in unknown)
        return Read(name, None, f"{names} under {heading} {'is' if len(unknown) == 1 else 'are'}"
                                f" not {what} (add {'it' if len(unknown) == 1 else 'them'} there "
                                f"and list {name.replace('_', ' ')} by hand)")
    return Read(name, _unique(found))


def _countries(text: str, heading: str) -> Read:
    if none_like(text):
        return Read("hosted_in", None, f"'{text}' under {heading} names no country")
    parts = split(text, _STRONG + "|" + _WEAK)
    found: list[str] = []
    unread: list[str] = []
    for part in parts:
        inner = re.findall(r"\(([^()]*)\)", part)
        bare = re.sub(r"\s*\([^()]*\)\s*", " ", part).strip()
        pieces = [p for p in [bare, *inner] if p.strip()]
        for piece in pieces:
            if is_uk(piece) or _norm(piece) in _COUNTRIES:
                found.append(piece.strip())
            else:
                unread.append(piece.strip())
    if unread or not found:
        what = ", ".join(f"'{u}'" for u in unread) or f"'{text}'"
        return Read("hosted_in", None, f"{what} under {heading} is not a country dsptkit "
                                       "knows (write countries, e.g. UK; Ireland)")
    return Read("hosted_in", _unique(found))


def party_kind(name: str) -> str | None:
    """The kind of outside party a flow's end names by its words alone (nhs, public,
    customer), or None when the name does not say."""
    bare = _norm(re.sub(r"\([^()]*\)", " ", name))
    bare = re.sub(r"^(?:the|our|all)\s+", "", bare)
    if re.search(r"\b(?:customers?|clients?)\b", _norm(name)):
        return "customer"
    if bare in _PUBLIC or f"the {bare}" in _PUBLIC:
        return "public"
    if _NHS.search(_norm(name)):
        return "nhs"
    return None
