"""Rendering people's Markdown safely: raw HTML in a policy or evidence file cannot run
script in the portal. The Markdown is rendered, then cleaned with nh3 (an allow-list
HTML sanitiser), keeping what documents need: tables, details, images, links."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from html import escape

import markdown
import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"}, "details": {"open"}, "abbr": {"title"},
}
SCHEMES = {"http", "https", "mailto"}
# one converter, reset between documents: building a new one costs more than converting
_MARKDOWN = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"],
                              output_format="html")


# Text with none of Markdown's or HTML's special characters, and no line that starts a
# list, quote, code block or underline heading, is only headings and paragraphs. Most
# evidence records are just that, so they skip the Markdown parser and the sanitiser: every
# character is escaped, so nothing in them can be markup.
_SPECIAL = re.compile(r"[*_\[\]<>`|\\!&~=]|^\s*(?:[-+]\s|\d+[.)]\s|\s{4}|\t)", re.MULTILINE)
_ATX = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


def _plain(text: str) -> str | None:
    if _SPECIAL.search(text):
        return None
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.split("\n")
        heading = _ATX.match(lines[0])
        if heading and len(lines) == 1:
            level = len(heading.group(1))
            out.append(f"<h{level}>{escape(heading.group(2), quote=False)}</h{level}>")
        elif any(line.lstrip().startswith("#") for line in lines):
            return None
        else:
            out.append("<p>" + escape("\n".join(line.strip() for line in lines),
                                      quote=False) + "</p>")
    return "\n".join(out)


def render(text: str, rewrite: Callable[[str], str | None] | None = None) -> str:
    """Markdown to clean HTML. ``rewrite`` may map relative links (e.g. to attachments)."""
    plain = _plain(text)
    if plain is not None:
        return plain
    html = _MARKDOWN.reset().convert(text)

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src") and rewrite is not None and _relative(value):
            return rewrite(value)
        return value

    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     attribute_filter=attribute_filter, link_rel="noopener noreferrer")


def _relative(value: str) -> bool:
    return not (value.startswith(("#", "/")) or ":" in value.split("/", 1)[0])


def attachment_rewriter(names: dict[str, str]) -> Callable[[str], str | None]:
    """Map links to an evidence file's own attachments onto where the portal publishes them;
    drop other relative links, which would point into the repository, not the site."""

    def rewrite(value: str) -> str | None:
        clean = posixpath.normpath(value.split("#", 1)[0])
        return names.get(clean)

    return rewrite
