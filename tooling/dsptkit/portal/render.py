"""Turning the page builders' own Markdown into HTML, fast.

Page builders write a small, fixed subset of Markdown (headings, paragraphs with
emphasis and code, and HTML blocks they made themselves). Rendering that through
Python-Markdown cost more than everything else in a 10,000-page build, because it re-parses
every HTML block. This renderer handles exactly that subset and passes HTML blocks through
untouched. People's own Markdown never comes here: it is rendered and sanitised in
``sanitise.py``.
"""

from __future__ import annotations

import re
from typing import Any

BLOCK_OPEN, BLOCK_CLOSE = "<!--dspt:html-->", "<!--/dspt:html-->"
_HEADING = re.compile(r"^(#{1,6}) (.+)$")
_TAGS = re.compile(r"<[^>]+>")
_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"<em>\1</em>"),
]


def slug(text: str, seen: dict[str, int]) -> str:
    base = re.sub(r"[^\w\- ]", "", _TAGS.sub("", text).lower()).strip().replace(" ", "-") \
        or "section"
    count = seen.get(base, 0)
    seen[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def inline(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def to_html(markdown: str) -> tuple[str, list[dict[str, Any]]]:
    """HTML and table-of-contents tokens (as MkDocs' ``get_toc`` takes them)."""
    out: list[str] = []
    toc: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(f"<p>{inline(' '.join(paragraph))}</p>")
            paragraph.clear()

    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == BLOCK_OPEN:
            flush()
            end = lines.index(BLOCK_CLOSE, i + 1)
            out.append("\n".join(lines[i + 1:end]))
            i = end + 1
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            level, text = len(heading.group(1)), inline(heading.group(2).strip())
            ident = slug(text, seen)
            out.append(f'<h{level} id="{ident}">{text}</h{level}>')
            token = {"level": level, "id": ident, "name": text, "children": []}
            while stack and stack[-1]["level"] >= level:
                stack.pop()
            (stack[-1]["children"] if stack else toc).append(token)
            stack.append(token)
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.strip())
        i += 1
    flush()
    return "\n".join(out), toc
