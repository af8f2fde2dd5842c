"""People's own Markdown (policy and evidence bodies), rendered safely, once.

The text goes through the ``markdown`` package, then nh3 (an allow-list HTML sanitiser)
keeps what documents need (tables, details, images, links) and drops everything that could
run: raw HTML in a policy or evidence file cannot run script in the portal. Nothing in it
makes the browser fetch from another host: a Markdown image from another host becomes a
plain link to it, and any other image keeps a source only when it is one of the record's
own attachments the portal shows as an image (frames, objects and the like are dropped).

Documents written for other tools are read as their authors meant them: a list nested by
two spaces (as GitHub and most editors write it) is nested, where Python-Markdown alone
wants four; and an unfilled ``{{ placeholder }}`` is shown marked, so nobody takes a
template's blank for the organisation's text.
Templates get a :class:`Document`, which renders when it is shown and is marked safe only
after cleaning.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

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
CLASSES = {"mark": {PLACEHOLDER_CLASS := "dspt-placeholder"}}  # the only class allowed through
LINKED = ("http://", "https://")  # images from other hosts that become links


class _ImagesShownOrLinked(Treeprocessor):
    """A Markdown image stays an image only when it is an attachment the portal shows as
    one. ``![alt](https://host/x.png)`` becomes a link to it, so the browser fetches
    nothing; an image of an attachment published to download (an SVG, say) becomes a link
    to the download; anything else becomes its alt text."""

    rewrite: Rewrite | None = None  # the document's own, set for each conversion

    def run(self, root: ElementTree.Element) -> None:
        for element in root.iter("img"):
            src = (element.get("src") or "").strip()
            relative = _relative(src)
            if relative and self.rewrite is not None and self.rewrite(src, True) is not None:
                continue
            alt = element.get("alt") or src.rsplit("/", 1)[-1]
            element.attrib.clear()
            element.text = alt
            if src.lower().startswith(LINKED) or (relative and self.rewrite is not None and
                                                  self.rewrite(src, False) is not None):
                element.tag = "a"
                element.set("href", src)  # a relative one is rewritten with the other links
            else:
                element.tag = "span"


class _Images(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_IMAGES, "dspt_images", 1)


_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")
_RULE = re.compile(r"^ {0,3}([-*_])(?: *\1){2,} *$")
_CODE_FENCE = re.compile(r"^ *(`{3,}|~{3,})")


@dataclass
class _Item:
    marker: int  # the column its marker stands at, as written
    content: int  # the column its text starts at, as written
    out: int  # the column its marker is written at for Python-Markdown


class _NestedLists(Preprocessor):
    """Lists nested the way people write them, by two or three spaces (``- a`` then
    ``  - b``, ``1. a`` then ``   - b``), re-indented by four per level as Python-Markdown
    reads them, with the items' continuation lines and code moved along. A document whose
    nested lists already use four spaces is left exactly as it is.

    No maintained extension does this: mdx_truly_sane_lists (the one that tries) was last
    released in 2022, and with it a list nested by four spaces, the form every existing
    document here uses, stops nesting. See docs/design.md."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[_Item] = []
        fence: str | None = None
        shift = 0
        blank = True
        short = False  # an item nested by fewer than four spaces was seen: the rewrite is needed
        for line in lines:
            if fence is not None:
                out.append(_shifted(line, shift))
                closing = _CODE_FENCE.match(line)
                if closing and closing.group(1)[0] == fence[0] and \
                        len(closing.group(1)) >= len(fence) and not line.strip().strip(fence[0]):
                    fence = None
                continue
            if not line.strip():
                out.append(line)
                blank = True
                continue
            indent = len(line) - len(line.lstrip(" "))
            item = _ITEM.match(line)
            if item and not _RULE.match(line) and (stack or indent <= 3):
                while stack and indent < stack[-1].marker + 2:
                    stack.pop()
                if stack or indent <= 3:
                    if stack:
                        short = short or indent < stack[-1].marker + 4
                    spaces = len(item.group(3))
                    content = indent + len(item.group(2)) + (spaces if 0 < spaces <= 4 else 1)
                    at = stack[-1].out + 4 if stack else 0
                    stack.append(_Item(indent, content, at))
                    out.append(" " * at + line[indent:])
                    blank = False
                    continue
            owner = next((i for i in reversed(stack) if indent >= i.marker + 2), None)
            if owner is None:
                if blank:
                    stack.clear()  # the list has ended
                at = indent  # a lazy continuation, or text after the list: as written
            else:
                del stack[stack.index(owner) + 1:]
                at = owner.out + 4 + max(0, indent - owner.content)
            fenced = _CODE_FENCE.match(line)
            if fenced:
                fence, shift = fenced.group(1), at - indent
            out.append(" " * at + line[indent:])
            blank = False
        return out if short else lines


def _shifted(line: str, shift: int) -> str:
    if shift >= 0:
        return " " * shift + line if line.strip() else line
    return line[min(-shift, len(line) - len(line.lstrip(" "))):]


class _Placeholder(InlineProcessor):
    """``{{ name }}`` left in a document: shown as ``<mark class="dspt-placeholder">``."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[ElementTree.Element, int, int]:  # noqa: N802
        element = ElementTree.Element("mark")
        element.set("class", PLACEHOLDER_CLASS)
        element.text = "{{ " + m.group(1).strip() + " }}"
        return element, m.start(0), m.end(0)


class _Adopted(Extension):
    """Markdown as documents from other tools write it: two-space nested lists, placeholders."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        # after whitespace is normalised (30), before fenced code is taken out (25)
        md.preprocessors.register(_NestedLists(md), "dspt_nested_lists", 27)
        # after code spans and escapes, before emphasis: '{{ siro_name }}' stays whole
        md.inlinePatterns.register(_Placeholder(r"\{\{[ \t]*([\w.-][\w .-]{0,79}?)[ \t]*\}\}", md),
                                   "dspt_placeholder", 85)


# one converter, reset between documents: building a new one costs more than converting
# a relative link or image source in a document -> the published URL, or None to drop it;
# told whether it is an image's source (only images the portal shows may stay images)
Rewrite = Callable[[str, bool], "str | None"]
_IMAGES = _ImagesShownOrLinked()
_MARKDOWN = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", _Images(),
                                          _Adopted()],
                              output_format="html")


def render(text: str, rewrite: Rewrite | None = None) -> str:
    """Markdown to clean HTML. ``rewrite`` may map relative links (e.g. to attachments);
    without it relative links are dropped, since they point into the repository. An
    image's source that is not rewritten is dropped, so no image loads from another host."""
    _IMAGES.rewrite = rewrite
    try:
        html = _MARKDOWN.reset().convert(text)
    finally:
        _IMAGES.rewrite = None

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        image = tag == "img" and attribute == "src"
        if attribute in ("href", "src") and _relative(value):
            return rewrite(value, image) if rewrite is not None else None
        return None if image else value

    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                     attribute_filter=attribute_filter, link_rel="noopener noreferrer",
                     allowed_classes=CLASSES)


def _relative(value: str) -> bool:
    value = value.strip()
    return bool(value) and not (value.startswith(("#", "/", "\\")) or
                                ":" in value.split("/", 1)[0])


def attachment_rewriter(names: dict[str, tuple[str, bool]]) -> Rewrite:
    """Map links to an evidence file's own attachments onto where the portal publishes them
    (``names``: as the record names the file -> its URL from the page, and whether it is
    shown as an image); drop other relative links, which would point into the repository,
    not the site, and image sources that are not an image the portal shows."""
    normalised = {posixpath.normpath(path.replace("\\", "/")): target
                  for path, target in names.items()}

    def rewrite(value: str, image: bool) -> str | None:
        path = unquote(value.split("#", 1)[0].strip())
        found = normalised.get(posixpath.normpath(path)) if path else None
        if found is None or (image and not found[1]):
            return None
        return quote(found[0], safe="/")

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
