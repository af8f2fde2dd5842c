"""People's own Markdown (policy and evidence bodies), rendered safely, once.

The text goes through the ``markdown`` package, then nh3 (an allow-list HTML sanitiser)
keeps what documents need (tables, details, images, links) and drops everything that could
run: raw HTML in a policy or evidence file cannot run script in the portal. Nothing in it
makes the browser fetch from another host: a Markdown image from another host becomes a
plain link to it, and any other image keeps a source only when it is one of the record's
own attachments the portal shows as an image (frames, objects and the like are dropped).
Templates get a :class:`Document`, which renders when it is shown and is marked safe only
after cleaning.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from urllib.parse import quote, unquote
from xml.etree import ElementTree

import markdown
import nh3
from markdown.extensions import Extension
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


# one converter, reset between documents: building a new one costs more than converting
# a relative link or image source in a document -> the published URL, or None to drop it;
# told whether it is an image's source (only images the portal shows may stay images)
Rewrite = Callable[[str, bool], "str | None"]
_IMAGES = _ImagesShownOrLinked()
_MARKDOWN = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists", _Images()],
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
                     attribute_filter=attribute_filter, link_rel="noopener noreferrer")


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
