"""What `dspt adopt` finds in a document, as data shared by its parts.

``sources.py`` reads inputs (Markdown with or without front matter, plain text, Word
.docx) into ``Source``; ``metadata.py`` reads the facts people write into ``Reading``;
``classify.py`` decides the ``Kind``; ``tables.py`` turns Markdown tables into register
rows; ``links.py`` rewrites links; the command (``commands/adopt.py``) plans, validates and
writes, and ``report.py`` writes adoption-report.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# the facts a document can state, by the name front matter gives them
FIELDS = ("title", "version", "owner", "approved_by", "approved_on", "last_reviewed",
          "next_review", "effective", "collected", "by")


@dataclass(frozen=True)
class PartialDate:
    """A date as precisely as it was written: 'March 2025' keeps only the month."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def exact(self) -> bool:
        return self.month is not None and self.day is not None

    @property
    def date(self) -> date | None:
        """The date itself, only when the day is known."""
        return date(self.year, self.month, self.day) if self.exact else None  # type: ignore[arg-type]

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def __str__(self) -> str:
        if self.exact:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


@dataclass(frozen=True)
class Field:
    """One fact read from a document, with where and how it was written."""

    name: str  # one of FIELDS
    value: object  # str (title, version), PartialDate (dates), str role or person id (people)
    raw: str  # the text as written, e.g. "Review Date: 4 January 2027"
    line: int  # 1-based line in the source text (0: the file name or front matter as a whole)
    confident: bool = True  # False: read, but only reported, never written


@dataclass
class Source:
    """One input document as read from disk."""

    path: str  # as given on the command line (or found under a folder given)
    sha256: str  # of the original bytes
    fmt: str  # "markdown" | "text" | "docx"
    text: str = ""  # the document as Markdown text (front matter removed), when readable
    front: dict | None = None  # its YAML front matter, when it had one
    front_lines: int = 0  # lines the front matter took (body line numbers start after it)
    skipped: str | None = None  # why it cannot be adopted (binary, too large, not UTF-8...)
    images: list[str] = field(default_factory=list)  # docx: images extracted, by name


@dataclass
class Reference:
    """A DSPT item a document cites explicitly: '(Evidence 8.2.1)', 'DSPT Standard 4'."""

    ref: str  # "dspt:8.2.1", or "dspt-standard:4" for a whole standard
    sentence: str  # the sentence that cites it (for the claim's says:)
    line: int


@dataclass
class Reading:
    """What the metadata reader found in one document."""

    title: Field | None
    fields: dict[str, Field] = field(default_factory=dict)  # confident and not, by name
    missing: list[str] = field(default_factory=list)  # fields looked for and not found
    placeholders: list[tuple[str, int]] = field(default_factory=list)  # (name, line) left
    references: list[Reference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # anything else worth reporting


@dataclass(frozen=True)
class Kind:
    """What a document is, and why that was decided."""

    kind: str  # "policy" | "evidence" | "register"
    register: str | None  # for registers: people, training, assets, suppliers, incidents
    why: str  # e.g. "a table with Supplier and Service columns"
