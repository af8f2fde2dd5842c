"""Names as the data map's diagram shows them: on one line with control characters written
out, and fitted to a box by an estimate of their width, since nothing measures text when the
site is built. The estimate is generous, made for DejaVu Sans (the widest of the fonts the
portal's font stack falls back to) so that a label it says fits does fit; the diagram clips
each label to its box as well."""

from __future__ import annotations

import unicodedata

from dsptkit.model import one_line

ELLIPSIS = "…"
_NARROW = set("iljtfrI.,:;'!|()[]{} `\"")
_WIDE = set("mwMW@%&")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """A generous estimate of how wide ``text`` is in the portal's sans-serif font, in
    pixels: wide enough that an estimate never falls short of the real width by much (the
    label is clipped to its box as well)."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            em += 1.05
        elif unicodedata.combining(ch):
            continue
        elif ch in _NARROW:
            em += 0.34
        elif ch in _WIDE:
            em += 0.95
        elif ch.isupper():
            em += 0.72
        elif ch.isdigit():
            em += 0.6
        elif ch == " ":
            em += 0.3
        else:
            em += 0.6
    return em * size * (1.16 if bold else 1.04)


def fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """``text`` as it fits in ``width``: whole, or shortened with an ellipsis."""
    if text_width(text, size, bold) <= width:
        return text
    cut = len(text)
    while cut > 0 and text_width(text[:cut].rstrip() + ELLIPSIS, size, bold) > width:
        cut -= 1
    return text[:cut].rstrip() + ELLIPSIS


def wrap(text: str, width: float, size: float, bold: bool = False, most: int = 2
         ) -> tuple[str, ...]:
    """``text`` on at most ``most`` lines of ``width``, broken between words (a word too long
    for a line is broken where it must be); what does not fit ends with an ellipsis."""
    lines: list[str] = []
    rest = text
    while rest and len(lines) < most - 1:
        if text_width(rest, size, bold) <= width:
            break
        words = rest.split(" ")
        line = words[0]
        taken = 1
        while taken < len(words) and text_width(f"{line} {words[taken]}", size, bold) <= width:
            line = f"{line} {words[taken]}"
            taken += 1
        if text_width(line, size, bold) > width:  # one long word: as much of it as fits
            cut = len(line)
            while cut > 1 and text_width(line[:cut], size, bold) > width:
                cut -= 1
            lines.append(line[:cut])
            rest = rest[cut:].lstrip()
        else:
            lines.append(line)
            rest = " ".join(words[taken:])
    if rest:
        lines.append(fit(rest, width, size, bold))
    return tuple(lines)


def visible(text: str) -> str:
    """A name as the diagram shows it: one line, control characters and the bidirectional
    controls written out (``\\u202e``), so a name cannot turn the label around."""
    return one_line(" ".join(text.split()) if text.strip() else text)
