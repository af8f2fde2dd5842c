"""Finding patient identifiers in text before they reach git history.

A random 10-digit string passes the NHS number's Modulus 11 check about one time in
eleven, so the checksum alone would flag phone and invoice numbers. A candidate that passes
it is weighed by what stands around it:

* a word that marks a patient identifier ("NHS", "patient", "CHI", "H&C", "hospital",
  "DOB" ...) near it, or a table column headed as one, makes it a finding;
* a word naming something else ("invoice", "order", "account", "ISBN", "tel", "PO",
  "sort code" ...) nearer to it than any patient word, or a column headed as such, makes it
  something else ("ref" and "reference" give way to any patient word);
* with nothing either way, it is reported only when it is in the ranges issued to patients
  in England, Wales and the Isle of Man (400–499, 600–799 million) and the file mentions NHS
  numbers or dates of birth somewhere.

The 9xx range is never issued (999 is reserved for tests), so it is never reported and
fixtures and training material can use it. Numbers are found written plain, in 3-3-4 groups
separated by spaces (including non-breaking, narrow and thin ones), hyphens or dots, with a
line break in place of one separator, and in fullwidth digits.

Text is scanned in pieces with an overlap, so a file of any size is read with flat memory
and a number across two pieces is still found; a cheap digit-shape pass skips the regular
expression for the many texts holding no candidate at all.
"""

from __future__ import annotations

import codecs
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass

CHUNK = 1 << 20  # bytes read from a file at a time
LISTED = 100  # matches kept per file; any more are counted, not listed
_OVERLAP = 256  # characters carried from one piece of a stream to the next
_CONTEXT_BEFORE = 40  # characters before a number searched for words (across lines)
_CONTEXT_AFTER = 30  # characters after it, on its own line
_SNIFF = 8192  # a NUL byte this early makes a file binary (as git decides)

_FULLWIDTH = "".join(chr(0xFF10 + i) for i in range(10))
SPACES = " \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
HYPHENS = "-\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"
DOTS = ".\uff0e"


def _chars(chars: str) -> str:
    return "".join(re.escape(c) for c in chars)


_D = f"[0-9{_FULLWIDTH}]"
_SEP = rf"(?:[ \t]{{0,8}}\r?\n[ \t]{{0,8}}|[{_chars(SPACES + HYPHENS + DOTS)}])?"
# Digits first, then the look-behind (twice as fast as leading with it). Letters count as
# part of a word on both sides, so a run of digits inside a sha256 or an ID is never a match.
_CANDIDATE = re.compile(
    rf"({_D}{{3}})(?<![\w/{_chars(HYPHENS + DOTS)}]{_D}{{3}})({_SEP})({_D}{{3}})({_SEP})"
    rf"({_D}{{4}})(?![\w/{_chars(HYPHENS)}]|[{_chars(DOTS)}]{_D})")
# The cheap first pass: digits made "0" and separators dropped, a candidate in any form is
# ten zeros in a row; most texts have none and never meet the regular expression.
_PREFILTER = str.maketrans("123456789" + _FULLWIDTH, "0" * 19, SPACES + HYPHENS + DOTS + "\t\r\n")
_TEN = "0" * 10
_ASCII_DIGITS = str.maketrans(_FULLWIDTH, "0123456789")
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)

# Words are matched on lower-cased, NFKC-folded text; a letter on either side makes another
# word ("hotel" is not "tel"), an underscore or digit does not ("nhs_no", "NHSNumber").
_PATIENT = re.compile(
    r"(?<![a-z])(?:nhs|(?:in|out)?patients?|hospital|chi(?:[\s.-]*(?:no|num|number))?(?![a-z])"
    r"|h\s*(?:&|and)\s*c(?![a-z])|health\s*(?:and|&)\s*care|dob(?![a-z])|d\.o\.b"
    r"|date\s+of\s+birth)")
_ELSE = re.compile(
    r"(?<![a-z])(?:invoices?|inv(?![a-z])|orders?(?![a-z])|accounts?(?![a-z])|acct|a/c(?![a-z])"
    r"|isbn|issn|ean(?![a-z])|upc(?![a-z])|barcode|tel(?:ephone)?(?![a-z])|phones?(?![a-z])"
    r"|mobiles?(?![a-z])|mob(?![a-z])|fax(?![a-z])|sort\s*codes?|purchase|customer|serial"
    r"|ticket|transaction|tracking|receipt|booking|vat(?![a-z])|compan(?:y|ies)"
    r"|p\.o\.?|po(?![a-z]))")
_REF = re.compile(r"(?<![a-z])ref(?:erence)?s?(?![a-z])")  # gives way to any patient word
# What makes a bare number in the patient ranges worth reporting: the file talks about NHS
# (or CHI, H&C, patient) numbers, or dates of birth, somewhere.
_MENTIONS = re.compile(
    r"(?<![a-z])(?:(?:nhs|chi|h\s*&\s*c|patient)[\s_.-]*(?:no|nos|num|numbers?|#|ids?"
    r"|identifiers?)(?![a-z])|dob(?![a-z])|date\s+of\s+birth)")
_MENTION_HINTS = ("nhs", "chi", "h&c", "h & c", "patient", "dob", "birth")
_LONG_DIGITS = re.compile(r"\d{5}")
_ONE_NUMBER = re.compile(  # a line that is only a number
    rf"(?:[^\S\n]|[\"'0-9{_FULLWIDTH}{_chars(HYPHENS + DOTS)}])*[0-9{_FULLWIDTH}]{{3}}"
    rf"(?:[^\S\n]|[\"'0-9{_FULLWIDTH}{_chars(HYPHENS + DOTS)}])*")
# Lines that end a block of table rows, by the rows' delimiter ("" for a column of numbers).
_NOT_A_ROW = {
    "|": re.compile(r"^(?![^\S\n]*\|).*$", re.MULTILINE),
    "": re.compile(rf"^(?!{_ONE_NUMBER.pattern}$).*$", re.MULTILINE),
    **{d: re.compile(rf"^[^{d}\n]*$", re.MULTILINE) for d in ("\t", ";", ",")},
}

WORD = "next to a word that marks a patient identifier"
COLUMN = "in a column headed as a patient identifier"
RANGE = "in the range issued to patients, in a file that mentions NHS numbers or dates of birth"


@dataclass(frozen=True)
class Match:
    line: int
    col: int
    digits: str
    reason: str

    @property
    def masked(self) -> str:
        """The number with its middle hidden, safe to print in a report."""
        return f"{self.digits[:3]} *** {self.digits[6:]}"


@dataclass(frozen=True)
class Found:
    """What a scan of one file found: the first ``LISTED`` matches in file order, how many
    there were in all, and whether the file was skipped as binary."""

    matches: tuple[Match, ...] = ()
    total: int = 0
    binary: bool = False


_NOTHING = Found()


def nhs_checksum_ok(digits: str) -> bool:
    """True when a 10-digit string passes the NHS number Modulus 11 check."""
    return len(digits) == 10 and digits.isascii() and digits.isdigit() and _checksum_ok(digits)


def _checksum_ok(digits: str) -> bool:
    """The Modulus 11 check of ten ASCII digits (their codes less 48 x the weights' sum)."""
    codes = digits.encode()
    check = 11 - (sum(map(operator.mul, _WEIGHTS, codes)) - 2592) % 11
    return check != 10 and check % 11 == codes[9] - 48


def find_nhs_numbers(text: str) -> Iterator[Match]:
    """Yield every likely NHS (or CHI, H&C) number in ``text`` with its line and column."""
    yield from scan_text(text, limit=None).matches


def scan_text(text: str, limit: int | None = LISTED) -> Found:
    """Scan one whole text (a file already decoded)."""
    if _TEN not in text.translate(_PREFILTER):
        return _NOTHING  # most texts: no ten digits in any form
    finder = _Finder(limit, whole=True)
    finder.feed(text, final=True)
    return finder.finish(text)


def scan_bytes(data: bytes | memoryview, limit: int | None = LISTED) -> Found:
    """Scan a file's bytes held in memory, decoding them a piece at a time."""
    scan = ByteScan(limit)
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        scan.feed(view[start:start + CHUNK])
    return scan.close()


class ByteScan:
    """Scan a file fed as chunks of bytes. A file of up to ``CHUNK`` bytes is decoded and
    scanned whole; a larger one a chunk at a time, holding no more than a chunk and an
    overlap whatever its size.

    The encoding is decided from the first bytes: a UTF-8, UTF-16 or UTF-32 byte-order mark
    says it; without one, a NUL byte in the first 8 KiB makes the file binary (git's own
    test) and it is skipped; anything else is read as UTF-8, any byte that is not UTF-8 (a
    Windows-1252 export, say) standing in as a replacement character, so its digits are
    still seen.
    """

    def __init__(self, limit: int | None = LISTED) -> None:
        self.limit = limit
        self._head: list[bytes | memoryview] | None = []
        self._size = 0
        self._decoder: codecs.IncrementalDecoder | None = None
        self._finder: _Finder | None = None
        self.binary = False

    def feed(self, chunk: bytes | memoryview) -> None:
        if self.binary:
            return
        if self._head is not None:
            if self._size + len(chunk) <= CHUNK:
                self._head.append(chunk)
                self._size += len(chunk)
                return
            head, self._head = b"".join(self._head), None
            encoding = self._encoding(head)
            if encoding is None:
                return
            self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
            self._finder = _Finder(self.limit, whole=False)
            self._finder.feed(self._decoder.decode(head))
        assert self._decoder is not None and self._finder is not None
        text = self._decoder.decode(chunk)
        if text:
            self._finder.feed(text)

    def close(self) -> Found:
        if self.binary:
            return Found(binary=True)
        if self._head is not None:  # no larger than one chunk: decoded and scanned whole
            head, self._head = b"".join(self._head), None
            encoding = self._encoding(head)
            if encoding is None:
                return Found(binary=True)
            return scan_text(head.decode(encoding, "replace"), self.limit)
        assert self._decoder is not None and self._finder is not None
        self._finder.feed(self._decoder.decode(b"", final=True), final=True)
        return self._finder.finish()

    def _encoding(self, head: bytes) -> str | None:
        if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
            return "utf-32"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if b"\x00" in head[:_SNIFF]:
            self.binary = True
            return None
        return "utf-8"


class _Finder:
    """Decides candidates in a text fed as pieces; positions count across the pieces.

    Each piece is scanned together with the end of the one before (``_OVERLAP``
    characters): its first half gives the look-behind and the words before a number, its
    second half holds what the last piece left undecided, because a number or the words
    after it may run on into the next piece.
    """

    def __init__(self, limit: int | None, whole: bool) -> None:
        self.limit = limit
        self.whole = whole  # one text given whole: mentions are looked for only if needed
        self.found: list[Match] = []
        self.total = 0
        self.deferred: list[Match] = []  # in the ranges, no words: reported if the file mentions
        self.deferred_total = 0
        self.mentions = False
        self.first_line: str | None = None
        self.blocks: dict[str, tuple[int, int, str]] = {}  # delimiter -> (start, seen to, header)
        self.carry = ""
        self.undecided = 0
        self.base = 0  # where carry[0] stands in the whole text
        self.line = 1  # its line
        self.col = 0  # and its column, from 0

    def feed(self, text: str, final: bool = False) -> None:
        buf = self.carry + text if self.carry else text
        lo = len(self.carry) - self.undecided
        hi = len(buf) if final else max(lo, len(buf) - _OVERLAP)
        if self.first_line is None:
            end = buf.find("\n", 0, 4096)
            if end >= 0 or final or len(buf) >= 4096:
                self.first_line = buf[:end if end >= 0 else 4096]
        if not self.whole and not self.mentions:
            self.mentions = _mentions(buf)
        if hi > lo and _TEN in buf.translate(_PREFILTER):
            self._scan(buf, lo, hi)
        if final:
            return
        keep = max(0, hi - _OVERLAP)
        newlines = buf.count("\n", 0, keep)
        if newlines:
            self.line += newlines
            self.col = keep - (buf.rfind("\n", 0, keep) + 1)
        else:
            self.col += keep
        self.base += keep
        self.carry = buf[keep:]
        self.undecided = len(buf) - hi

    def finish(self, whole: str | None = None) -> Found:
        if self.deferred_total and not self.mentions and whole is not None:
            self.mentions = _mentions(whole)
        found, total = self.found, self.total
        if self.deferred_total and self.mentions:
            found = sorted(found + self.deferred, key=lambda m: (m.line, m.col))
            total += self.deferred_total
        if self.limit is not None:
            found = found[:self.limit]
        return Found(tuple(found), total)

    def _keep(self, into: list[Match], match: Match) -> None:
        if self.limit is None or len(into) < self.limit:
            into.append(match)

    def _scan(self, buf: str, lo: int, hi: int) -> None:
        at, line = 0, self.line
        for found in _CANDIDATE.finditer(buf, lo):
            start = found.start()
            if start >= hi:
                break
            first, sep, middle, sep2, last = found.groups()
            if sep != sep2 or "\n" in sep:  # one form, or a line break for one separator
                if not sep or not sep2 or ("\n" in sep) == ("\n" in sep2):
                    continue
                sep = sep2 if "\n" in sep else sep
            digits = first + middle + last
            if not digits.isascii():
                digits = digits.translate(_ASCII_DIGITS)
            if digits[0] == "9" or not _checksum_ok(digits):
                continue
            end = found.end()
            if sep and "\n" not in sep and (
                    (start >= 2 and buf[start - 2].isdigit() and buf[start - 1] == sep)
                    or (buf[end:end + 1] == sep and buf[end + 1:end + 2].isdigit())):
                continue  # a group of a longer number: "020 401 023 2137"
            reason = self._judge(buf, start, end, digits)
            if reason is None:
                continue
            line += buf.count("\n", at, start)
            at = start
            newline = buf.rfind("\n", 0, start)
            col = start - newline if newline >= 0 else self.col + start + 1
            match = Match(line, col, digits, reason)
            if reason is RANGE:
                self.deferred_total += 1
                self._keep(self.deferred, match)
            else:
                self.total += 1
                self._keep(self.found, match)

    def _judge(self, buf: str, start: int, end: int, digits: str) -> str | None:
        """Why the number at buf[start:end] is a patient identifier, or None."""
        ls = buf.rfind("\n", 0, start) + 1
        le = buf.find("\n", end)
        if le < 0:
            le = len(buf)
        table = self._table(buf, start, end, ls, le)
        if table is not None:
            heading, lo, hi = table
            before, after = buf[lo:start], buf[end:hi]
        else:
            heading = None
            before = buf[max(0, start - _CONTEXT_BEFORE):start]
            after = buf[end:min(le, end + _CONTEXT_AFTER)]
        before, after = _fold(before), _fold(after)
        patient = _nearest(_PATIENT, before, after)
        other = _nearest(_ELSE, before, after)
        if patient is not None and (other is None or patient <= other):
            return WORD
        if heading == "patient" and other is None:
            return COLUMN
        if other is not None or _nearest(_REF, before, after) is not None:
            return None
        if heading is None and digits[0] in "467":
            return RANGE
        return None

    def _table(self, buf: str, start: int, end: int, ls: int, le: int
               ) -> tuple[str | None, int, int] | None:
        """For a number in a table row (Markdown, delimited, or a column of bare numbers
        under a heading): its column's heading ("patient", "other" or None) and where its
        cell starts and ends."""
        line = buf[ls:le].rstrip("\r")
        if line.lstrip().startswith("|"):
            delimiter = "|"
        else:
            delimiter = next((d for d in ("\t", ";", ",") if d in line), "")
            if not delimiter and not _ONE_NUMBER.fullmatch(line):
                return None
        header = self._header(buf, ls, delimiter)
        if header is None or len(header) > 2000 or _LONG_DIGITS.search(header) \
                or not any(c.isalpha() for c in header):
            return None
        if not delimiter:
            return _heading(header), ls, max(le, end)
        offset = start - ls
        try:
            if delimiter == "|":
                headings, cells = header.split("|"), line.split("|")
                column = line.count("|", 0, offset)
            else:
                headings, cells = _fields(header, delimiter), _fields(line, delimiter)
                column = max(0, len(_fields(line[:offset], delimiter)) - 1)
        except Exception:  # csv.Error: a field over the csv module's size limit
            return None
        if len(headings) != len(cells) or column >= len(headings):
            return None
        lo = ls + line.rfind(delimiter, 0, offset) + 1
        hi = line.find(delimiter, end - ls) if end <= le else -1
        return _heading(headings[column]), lo, ls + hi if hi >= 0 else max(le, end)

    def _header(self, buf: str, ls: int, delimiter: str) -> str | None:
        """The heading of the block of rows holding the line at ``ls``: the block's first
        line for a table with delimiters (None when the row is that line), the line before
        the block for a column of bare numbers. The block found is remembered, so a long
        table is searched once, and across the pieces of a stream, which keep only an
        overlap: where the block runs back past it, the heading remembered, else the file's
        first line, stands."""
        memo = self.blocks.get(delimiter)
        known = memo[1] - self.base if memo is not None else -1  # a row known in the block
        lo = known if 0 <= known <= ls else 0
        if lo == 0 and self.base:  # the piece starts inside a line: skip that part
            lo = buf.find("\n", 0, ls) + 1
        breaker = None  # the last line before the row that is not a row of its block
        if ls - 1 >= lo:
            for found in _NOT_A_ROW[delimiter].finditer(buf, lo, ls - 1):
                breaker = found
        if breaker is not None:
            at = breaker.end() + 1
            end = buf.find("\n", at)
            start = self.base + at
            header = buf[at:end if end >= 0 else len(buf)] if delimiter else breaker.group()
        elif memo is not None and (lo == known or self.base):
            start, header = memo[0], memo[2]
        elif self.base == 0:
            end = buf.find("\n")
            start, header = 0, buf[:end if end >= 0 else len(buf)] if delimiter else ""
        else:
            start, header = 0, self.first_line or ""
        header = header.rstrip("\r")
        self.blocks[delimiter] = (start, self.base + ls, header)
        if delimiter and (start == self.base + ls or delimiter not in header):
            return None
        return header or None


def _fields(line: str, delimiter: str) -> list[str]:
    import csv  # only for the few numbers in a delimited table

    return next(csv.reader([line], delimiter=delimiter), [])


def _fold(text: str) -> str:
    """Lower case, fullwidth and other compatibility letters folded (NFKC), "_" as a space."""
    if not text.isascii():
        import unicodedata  # only for the rare number beside non-ASCII text

        text = unicodedata.normalize("NFKC", text)
    return text.lower().replace("_", " ")


def _nearest(words: re.Pattern[str], before: str, after: str) -> int | None:
    """How many characters lie between the number and the nearest of ``words``."""
    best = None
    for found in words.finditer(before):
        best = len(before) - found.end()
    found = words.search(after)
    if found is not None:  # at the same distance, the word before names the number
        distance = found.start() + 1
        if best is None or distance < best:
            best = distance
    return best


def _heading(text: str) -> str | None:
    """"patient" for a column heading that names a patient identifier, "other" for one that
    names something else, None for neither. In "Patient phone" the last word is the noun."""
    text = _fold(text)
    patient = list(_PATIENT.finditer(text))
    other = list(_ELSE.finditer(text))
    if patient and other:
        return "patient" if patient[-1].start() > other[-1].start() else "other"
    if patient:
        return "patient"
    if other or _REF.search(text):
        return "other"
    return None


def _mentions(text: str) -> bool:
    low = text.lower()
    return any(hint in low for hint in _MENTION_HINTS) and \
        _MENTIONS.search(low.replace("_", " ")) is not None
