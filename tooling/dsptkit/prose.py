"""Reading the metadata people write as prose in existing documents.

Real policy folders say "Last reviewed: 3rd March 2025", "Next review date: March 2026",
"Document owner: IG Lead" in a dozen spellings. This module finds those lines and turns
them into dates, versions and owners, and says plainly what it could not read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}

_LABELS = {
    "last_reviewed": r"(?:date\s+of\s+)?last\s+review(?:ed)?(?:\s+date)?|reviewed(?:\s+on)?|review\s+date",
    "next_review": r"next\s+review(?:\s+date)?|review\s+due(?:\s+date)?|due\s+for\s+review|"
                   r"date\s+of\s+next\s+review",
    "owner": r"(?:document|policy|information)?\s*owner|author|responsible(?:\s+person)?",
    "version": r"version(?:\s+number)?|document\s+version|v(?:er)?\.?",
    "approved_by": r"approved\s+by|approver",
    "approved_on": r"(?:date\s+)?approved(?:\s+on|\s+date)?|approval\s+date|date\s+of\s+approval",
    "date": r"date(?:\s+collected)?|collected(?:\s+on)?|carried\s+out(?:\s+on)?",
}
# "**Owner:** IG lead", "| Owner | IG lead |", "Owner - IG lead"
_LINE = re.compile(r"^[\s>*_|-]*(?P<label>[A-Za-z][A-Za-z .]{1,40}?)[\s*_]*(?:[:|]|\s-\s)[\s*_|]*"
                   r"(?P<value>[^|]+?)[\s*_|]*$")

ROLE_WORDS = {
    "siro": ("siro", "senior information risk owner"),
    "caldicott_guardian": ("caldicott guardian", "caldicott"),
    "ig_lead": ("ig lead", "information governance lead", "ig manager",
                "information governance manager", "data security and protection lead"),
    "dpo": ("dpo", "data protection officer"),
    "it_lead": ("it lead", "it manager", "head of it", "it director"),
}


@dataclass
class Found:
    title: str
    fields: dict[str, object] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # where each field was read
    notes: list[str] = field(default_factory=list)  # what could not be worked out


def parse_date(text: str) -> tuple[date | None, bool]:
    """A date from prose: (date, exact). 'March 2026' gives (1 March 2026, False)."""
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip().rstrip(".").lower())
    text = text.replace(",", " ")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3])), True
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", text)
        if m:  # UK order: day first
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, int(m[2]), int(m[1])), True
        m = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\s+(\d{4})", text)
        if m and m[2] in MONTHS:
            return date(int(m[3]), MONTHS[m[2]], int(m[1])), True
        m = re.fullmatch(r"([a-z]+)\s+(\d{1,2})\s+(\d{4})", text)
        if m and m[1] in MONTHS:
            return date(int(m[3]), MONTHS[m[1]], int(m[2])), True
        m = re.fullmatch(r"([a-z]+)\s+(\d{4})", text)
        if m and m[1] in MONTHS:
            return date(int(m[2]), MONTHS[m[1]], 1), False
    except ValueError:
        return None, False
    return None, False


def role_for(text: str) -> str | None:
    words = " ".join(re.sub(r"[^a-z ]", " ", text.lower()).split())
    for role, names in ROLE_WORDS.items():
        if any(re.search(rf"\b{re.escape(name)}\b", words) for name in names):
            return role
    return None


def read_document(text: str, fallback_title: str) -> Found:
    """Find the title and prose metadata in a Markdown document."""
    title = fallback_title
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            title = stripped.lstrip("#").strip() or title
            break
        if stripped:
            title = stripped[:100]
            break
    found = Found(title=title)
    for number, line in enumerate(text.splitlines()[:80], start=1):
        m = _LINE.match(line)
        if not m:
            continue
        label = " ".join(m["label"].lower().split())
        value = m["value"].strip()
        for key, pattern in _LABELS.items():
            if key not in found.fields and re.fullmatch(pattern, label):
                found.fields[key] = value
                found.lines[key] = number
                break
    return found
