"""Small HTML helpers for page builders: escaping, links between pages, badges, tables."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Sequence
from html import escape

from dsptkit.status import ItemStatus, Overall

STATUS_CLASS = {
    ItemStatus.MET: "met", ItemStatus.AT_RISK: "at-risk", ItemStatus.PLANNED: "planned",
    ItemStatus.NOT_MET: "not-met", ItemStatus.NOT_APPLICABLE: "na",
}
OVERALL_CLASS = {Overall.EXCEEDED: "met", Overall.MET: "met", Overall.APPROACHING: "planned",
                 Overall.NOT_MET: "not-met"}


def e(value: object) -> str:
    """Escape any value for HTML (and so for Markdown, which passes HTML through)."""
    return escape("" if value is None else str(value), quote=True)


def url(from_page: str, to_page: str) -> str:
    """A relative URL from one generated page (or file) to another; pages end in .html."""
    target = to_page[:-3] + ".html" if to_page.endswith(".md") else to_page
    here = from_page[:-3] + ".html" if from_page.endswith(".md") else from_page
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    return posixpath.relpath(target, posixpath.dirname(here) or ".") + anchor


def a(from_page: str, to_page: str, text: object, cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    return f'<a href="{e(url(from_page, to_page))}"{klass}>{e(text)}</a>'


def badge(status: ItemStatus | Overall | str, text: str | None = None) -> str:
    if isinstance(status, ItemStatus):
        cls = STATUS_CLASS[status]
    elif isinstance(status, Overall):
        cls = OVERALL_CLASS[status]
    else:
        cls = status
    return f'<span class="dspt-badge dspt-{cls}">{e(text or str(status))}</span>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "",
          empty: str = "None.") -> str:
    """An HTML table; cells are already HTML (escape user text with ``e``)."""
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>\n"
                   for row in rows)
    if not body:
        return f"<p class=\"dspt-empty\">{e(empty)}</p>"
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def block(html: str) -> str:
    """Raw HTML as its own Markdown block (blank lines around it)."""
    return f"\n\n<div class=\"dspt-block\">\n{html}\n</div>\n\n"


def progress(met: int, total: int) -> str:
    pct = 100 * met // total if total else 100
    return (f'<span class="dspt-progress" title="{met} of {total}"><span style="width:{pct}%">'
            f'</span></span> {met}/{total}')
