"""Where every generated page lives, and relative URLs between them.

The portal is built with ``use_directory_urls: false`` so it works from a folder or a zip:
every link is relative, and a page ``policies/x.md`` is published as ``policies/x.html``.
Page builders name pages with the functions here; templates get a :class:`Links` bound to
the page being rendered (``to.evidence(ev.id)``), so no template computes a path.
"""

from __future__ import annotations

from urllib.parse import quote


def item(ref: str) -> str:
    return f"items/{ref.replace(':', '-')}.md"


def standard(framework: str, number: str) -> str:
    return f"standards/{framework}-{number}.md"


def policy(policy_id: str) -> str:
    return f"policies/{policy_id}.md"


def evidence(evidence_id: str) -> str:
    return f"evidence/{evidence_id}.md"


def attachment(evidence_id: str, name: str) -> str:
    return f"evidence/files/{evidence_id}/{name}"


def rule(code: str) -> str:
    return f"rules/{code}.md"


def url(from_page: str, to_page: str) -> str:
    """A relative URL from one generated page (or file) to another; pages end in .html."""
    target, _, anchor = to_page.partition("#")
    target = target[:-3] + ".html" if target.endswith(".md") else target
    here = from_page[:-3] + ".html" if from_page.endswith(".md") else from_page
    return _relative(target, here) + (f"#{anchor}" if anchor else "")


def _relative(target: str, here: str) -> str:
    """posixpath.relpath for site-relative paths, without its cost (called often per page)."""
    base = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(base) and common < len(parts) - 1 and base[common] == parts[common]:
        common += 1
    return "../" * (len(base) - common) + "/".join(parts[common:])


class Links:
    """Relative URLs from one page, for its template: ``{{ to.policy(p.id) }}``."""

    __slots__ = ("here",)

    def __init__(self, here: str) -> None:
        self.here = here

    def page(self, path: str) -> str:
        return url(self.here, path)

    def item(self, ref: str) -> str:
        return url(self.here, item(ref))

    def standard(self, framework: str, number: str) -> str:
        return url(self.here, standard(framework, number))

    def policy(self, policy_id: str) -> str:
        return url(self.here, policy(policy_id))

    def evidence(self, evidence_id: str) -> str:
        return url(self.here, evidence(evidence_id))

    def file(self, path: str) -> str:
        """A published file (an attachment), its name percent-encoded where it needs it."""
        return quote(url(self.here, path), safe="/")

    def rule(self, code: str) -> str:
        return url(self.here, rule(code))
