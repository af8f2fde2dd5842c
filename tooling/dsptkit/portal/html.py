"""Small HTML helpers for page builders: escaping, links between pages, badges, tables."""

from __future__ import annotations

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
    target, _, anchor = to_page.partition("#")
    target = target[:-3] + ".html" if target.endswith(".md") else target
    here = from_page[:-3] + ".html" if from_page.endswith(".md") else from_page
    return _relative(target, here) + (f"#{anchor}" if anchor else "")


def _relative(target: str, here: str) -> str:
    """posixpath.relpath for site-relative paths, without its cost (called ~5 times a page)."""
    base = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "../" * (len(base) - common) + "/".join(parts[common:])


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
    classes = f"dspt-table {cls}".strip()
    return (f'<table class="{classes}">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}</tbody>\n</table>")


def block(html: str) -> str:
    """Raw HTML as its own block, marked so the page renderer passes it through untouched
    (and still valid Markdown for other generators: an HTML comment, then HTML)."""
    from dsptkit.portal.render import BLOCK_CLOSE, BLOCK_OPEN

    return f"\n\n{BLOCK_OPEN}\n{html}\n{BLOCK_CLOSE}\n\n"


def progress(met: int, total: int) -> str:
    pct = 100 * met // total if total else 100
    return (f'<span class="dspt-progress" title="{met} of {total}"><span style="width:{pct}%">'
            f'</span></span> {met}/{total}')
