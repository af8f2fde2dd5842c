"""Finding patient identifiers in text before they reach git history.

A random 10-digit string passes the NHS number's Modulus 11 check about one time in
eleven, so the checksum alone would flag phone and invoice numbers. A candidate is
reported only when it passes the check and either lies in the ranges issued to real
patients in England, Wales and the Isle of Man (400–499, 600–799 million) or stands near
words that say it is a patient identifier. The 999 range is reserved for tests and is
never reported, so fixtures and training material can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Digits first, then the look-behind (twice as fast as leading with it). Letters count as
# part of a word on both sides, so a run of digits inside a sha256 or an ID is never a match.
_CANDIDATE = re.compile(r"(\d{3})(?<![\w/.-]\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w/-]|\.\d)")
# A cheap first pass: with every digit made "0", plain substring searches find the few
# texts that hold ten digits in one of the three forms at all.
_ZEROS = str.maketrans("123456789", "000000000")
_SHAPES = ("0000000000", "000 000 0000", "000-000-0000")
_CONTEXT = re.compile(r"\b(nhs|patient|chi|h&c|health and care|hospital)\b", re.IGNORECASE)
_CONTEXT_WINDOW = 40
_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


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


def nhs_checksum_ok(digits: str) -> bool:
    """True when a 10-digit string passes the NHS number Modulus 11 check."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def find_nhs_numbers(text: str) -> Iterator[Match]:
    """Yield every likely NHS (or CHI, H&C) number in ``text`` with its line and column."""
    zeroed = text.translate(_ZEROS)
    if not any(shape in zeroed for shape in _SHAPES):
        return
    for found in _CANDIDATE.finditer(text):
        digits = found.group(1) + found.group(3) + found.group(4)
        if digits[0] == "9" or not nhs_checksum_ok(digits):
            continue
        start = found.start()
        before = text[max(0, start - _CONTEXT_WINDOW):start]
        if _CONTEXT.search(before):
            reason = "next to a word that marks a patient identifier"
        elif digits[0] in "467":
            reason = "in the range issued to patients in England and Wales"
        else:
            continue
        line = text.count("\n", 0, start) + 1
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        yield Match(line, col, digits, reason)
