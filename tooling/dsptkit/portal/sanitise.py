"""People's own Markdown (policy and evidence bodies), rendered safely, once.

The text goes through the ``markdown`` package, then nh3 (an allow-list HTML sanitiser)
keeps what documents need (tables, details, images, links) and drops everything that could
run: raw HTML in a policy or evidence file cannot run script in the portal. Templates get a
:class:`Document`, which renders when it is shown and is marked safe only after cleaning.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

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

Rewrite = Callable[[str], "str | None"]


def render(text: str, rewrite: Rewrite | None = None) -> str:
    """Markdown to clean HTML. ``rewrite`` may map relative links (e.g. to attachments);
    without it relative links are dropped, since they point into the repository."""
    html = _MARKDOWN.reset().convert(text)

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("href", "src") and _relative(value):
            return rewrite(value) if rewrite is not None else None
        return value

    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     attribute_filter=attribute_filter, link_rel="noopener noreferrer")


def _relative(value: str) -> bool:
    return not (value.startswith(("#", "/")) or ":" in value.split("/", 1)[0])


def attachment_rewriter(names: dict[str, str]) -> Rewrite:
    """Map links to an evidence file's own attachments onto where the portal publishes them;
    drop other relative links, which would point into the repository, not the site."""

    def rewrite(value: str) -> str | None:
        clean = posixpath.normpath(value.split("#", 1)[0])
        return names.get(clean)

    return rewrite


def body(text: str) -> str:
    """A policy's or evidence file's Markdown (as the loader found it after the front matter)
    without a first ``# Title`` line: the page has the document's title already."""
    stripped = text.lstrip("\n")
    if stripped.startswith("# "):
        return stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return text


class Document:
    """A person's Markdown, rendered and sanitised when a template shows it (``{{ doc }}``),
    at most once. Until then it is only text, so building 10,000 pages' data costs nothing."""

    __slots__ = ("text", "rewrite", "_html")

    def __init__(self, text: str, rewrite: Rewrite | None = None) -> None:
        self.text = text
        self.rewrite = rewrite
        self._html: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    def __html__(self) -> str:
        if self._html is None:
            self._html = render(self.text, self.rewrite)
        return self._html

    def __str__(self) -> str:
        return self.__html__()
