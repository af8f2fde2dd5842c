"""Rendering a page's data with Jinja templates, autoescape on.

Templates are looked up first in the site's own ``custom_dir`` under ``dspt/`` (for the
example: ``site_config/overrides/dspt/evidence.html``), the way Material users override
its partials, then among the templates shipped in this package. An override can extend
the shipped template it replaces (``{% extends "dsptkit/evidence.html" %}``) and change
one block. Every value a template prints is escaped unless it is already safe HTML (a
sanitised :class:`~dsptkit.portal.sanitise.Document`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from dsptkit.portal.labels import visible
from dsptkit.portal.links import Links
from dsptkit.portal.site import Page, Site

TEMPLATES = Path(__file__).resolve().parent / "templates"
OVERRIDES = "dspt"  # the folder under the theme's custom_dir that holds overrides
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAGS = re.compile(r"<[^>]+>")
_SLUG = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list[dict[str, Any]]  # table-of-contents tokens, as MkDocs' ``get_toc`` takes them


def slug(text: object) -> str:
    """An HTML id from any text: lower case, words joined by hyphens."""
    return _SLUG.sub("", str(text).lower()).strip().replace(" ", "-") or "section"


def css_string(text: object) -> Markup:
    """Text as a CSS string (``content: {{ title | css_string }}`` in the print stylesheet):
    every character but letters, digits and plain punctuation written as a CSS escape, so
    nothing in a name or title (quotes, backslashes, ``</style>``) ends the string or the
    stylesheet."""
    safe = " .,:;()-_/+!?"  # an escape ends with a space, which CSS reads as part of it
    return Markup('"' + "".join(ch if (ch.isalnum() and ch.isprintable()) or ch in safe
                                else f"\\{ord(ch):06x} " for ch in str(text)) + '"')


def environment(custom_dir: str | Path | None = None) -> jinja2.Environment:
    package = jinja2.FileSystemLoader(str(TEMPLATES))
    loaders: list[jinja2.BaseLoader] = []
    if custom_dir is not None and (Path(custom_dir) / OVERRIDES).is_dir():
        loaders.append(jinja2.FileSystemLoader(str(Path(custom_dir) / OVERRIDES)))
    loaders += [package, jinja2.PrefixLoader({"dsptkit": package})]
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, auto_reload=False, cache_size=-1)
    env.filters["slug"] = slug
    env.filters["css_string"] = css_string
    env.filters["visible"] = visible  # a name on one line, control characters written out
    return env


class Renderer:
    """Renders one site's pages: ``site`` (the shared view) is every template's global."""

    def __init__(self, site: Site, custom_dir: str | Path | None = None) -> None:
        self.env = environment(custom_dir)
        self.env.globals.update(site=site.view, as_of=site.as_of)

    def render(self, page: Page) -> Rendered:
        template = self.env.get_template(page.template)
        html = template.render(page.context, title=page.title, here=page.path,
                               to=Links(page.path))
        hidden = "toc" in page.meta.get("hide", ())
        return Rendered(html, [] if hidden else toc(html))


def toc(html: str) -> list[dict[str, Any]]:
    """Table-of-contents tokens from the page's own headings (those the templates give an
    id; headings inside people's documents have none, so they stay out). A page that hides
    its table of contents gets none."""
    tokens: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for level_text, ident, inner in _HEADING.findall(html):
        level = int(level_text)
        token = {"level": level, "id": ident, "name": " ".join(_TAGS.sub("", inner).split()),
                 "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else tokens).append(token)
        stack.append(token)
    return tokens
