"""Links between adopted documents, rewritten to where the documents went.

Documents adopted from another folder or site link to each other by their old names:
relative (``../procedures/backup.md#restore``), site-absolute as a docs site writes them
(``/policies/access-control.md``, ``/policies/access-control/``), or as built pages
(``access-control.html``). ``rewrite`` finds each Markdown link and image (inline, and
reference definitions ``[id]: path``) and each HTML ``href``/``src`` outside code, and
points the ones whose target was adopted at the target's new place, relative to the
document's own new place. External URLs, ``mailto:`` and anchors within the page are left
as they are; any other link that cannot be placed is left as written and returned, so the
report can list it.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote, unquote

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_TEXT = r"(?:[^\[\]\\\n]|\\.|\[(?:[^\[\]\\\n]|\\.)*\])*"
_DEST = r"<[^<>\n]*>|(?:[^\s()<>\\]|\\.|\((?:[^\s()\\]|\\.)*\))+"
_TITLE = r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?"""
_INLINE = re.compile(rf"(!?\[{_TEXT}\]\([ \t]*)({_DEST})({_TITLE}[ \t]*\))")
_REFERENCE = re.compile(rf"^( {{0,3}}\[{_TEXT}\]:[ \t]*)({_DEST})({_TITLE}[ \t]*)$")
_HTML = re.compile(r"""(<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*)("[^"]*"|'[^']*')""",
                   re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_PAGE_SUFFIXES = (".html", ".htm")


def rewrite(text: str, source_path: str, new_path: str | None, moved: dict[str, str]
            ) -> tuple[str, list[str]]:
    """``text`` (the document read from ``source_path``, going to the repository path
    ``new_path``) with its links to adopted documents pointing at their new places, and the
    links that could not be placed, as written.

    ``moved`` maps each adopted file's original path (as given; normalised here) to its new
    repository path. With ``new_path`` None the document's place is looked up in ``moved``.
    """
    linker = _Linker(source_path, moved, new_path)
    lines = text.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        reference = _REFERENCE.match(line)
        if reference:
            lines[index] = reference.group(1) + linker.link(reference.group(2)) + reference.group(3)
            continue
        lines[index] = _outside_code(line, linker)
    unresolved = list(dict.fromkeys(linker.unresolved))
    return "\n".join(lines), unresolved


def _outside_code(line: str, linker: _Linker) -> str:
    """Rewrite the links of one line, leaving code spans as they are."""
    out, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        out.append(_links(line[last:span.start()], linker))
        out.append(span.group(0))
        last = span.end()
    out.append(_links(line[last:], linker))
    return "".join(out)


def _links(part: str, linker: _Linker) -> str:
    if "](" in part:
        part = _INLINE.sub(lambda m: m.group(1) + linker.link(m.group(2)) + m.group(3), part)
    if "<" in part:
        part = _HTML.sub(lambda m: m.group(1) + linker.html(m.group(2)), part)
    return part


class _Linker:
    def __init__(self, source_path: str, moved: dict[str, str], new_path: str | None) -> None:
        self.moved = {_norm(old): _norm(new) for old, new in moved.items()}
        self.lower: dict[str, list[str]] = {}
        for old in self.moved:
            self.lower.setdefault(old.lower(), []).append(old)
        self.source = _norm(source_path)
        here = new_path if new_path is not None else self.moved.get(self.source, self.source)
        self.here = posixpath.dirname(_norm(here))
        self.unresolved: list[str] = []

    def html(self, quoted: str) -> str:
        mark, value = quoted[0], quoted[1:-1]
        new = self.link(value, html=True)
        return mark + new + mark

    def link(self, written: str, html: bool = False) -> str:
        """One link destination as written -> the destination to write."""
        angled = written.startswith("<") and written.endswith(">")
        dest = written[1:-1] if angled else written
        bare = dest.strip()
        if not bare or bare.startswith("#") or bare.startswith("//") or _SCHEME.match(bare):
            return written  # empty, an anchor in this page, or an external URL (any scheme)
        path, suffix = _split(bare)
        if not path:
            return written
        target = self.find(path)
        if target is None:
            self.unresolved.append(bare)
            return written
        new = posixpath.relpath(target, self.here or ".") + suffix
        if html:
            return quote(new, safe="/#?=&%:@!$'()*+,;~")
        if angled or any(c in new for c in " <>()"):
            return f"<{new}>"
        return new

    def find(self, path: str) -> str | None:
        """The new repository path of the file a link path names, or None."""
        path = unquote(path).replace("\\", "/")
        if path.startswith("/"):
            return self._absolute(path.lstrip("/"))
        base = posixpath.dirname(self.source)
        joined = posixpath.normpath(posixpath.join(base, path)) if base else posixpath.normpath(path)
        for candidate in _variants(joined, path.endswith("/")):
            found = self._lookup(candidate)
            if found is not None:
                return found
        return None

    def _lookup(self, candidate: str) -> str | None:
        if candidate in self.moved:
            return self.moved[candidate]
        same = self.lower.get(candidate.lower(), [])
        return self.moved[same[0]] if len(same) == 1 else None  # names differing only in case

    def _absolute(self, path: str) -> str | None:
        """A site-absolute link: the site's root is not known, so an adopted file whose path
        ends with the link's path is the target; of several, the one under the folder nearest
        the top that holds this document too. Two equally likely: not guessed."""
        folder = path.endswith("/") or not path
        for candidate in _variants(_norm(path), folder):
            wanted = candidate.lower()
            matches = [old for old in self.moved
                       if old.lower() == wanted or old.lower().endswith("/" + wanted)]
            if not matches:
                continue
            roots = {old: old[: len(old) - len(candidate)].rstrip("/") for old in matches}
            inside = [old for old in matches
                      if not roots[old] or self.source.startswith(roots[old] + "/")]
            pool = sorted(inside or matches, key=lambda old: (_depth(roots[old]), old))
            if len(pool) == 1 or _depth(roots[pool[0]]) < _depth(roots[pool[1]]):
                return self.moved[pool[0]]
            return None
        return None


def _depth(folder: str) -> int:
    return folder.count("/") + 1 if folder else 0


def _split(dest: str) -> tuple[str, str]:
    """A destination's path, and its query and fragment kept as written."""
    cut = len(dest)
    for mark in ("?", "#"):
        at = dest.find(mark)
        if at != -1:
            cut = min(cut, at)
    return dest[:cut], dest[cut:]


def _variants(path: str, folder: bool) -> list[str]:
    """The files a link path may mean: itself; a page built from Markdown (x.html, x/, x)."""
    path = path.rstrip("/") if path not in ("", "/") else ""
    found: list[str] = [] if folder else [path]
    stem, ext = posixpath.splitext(path)
    if ext.lower() in _PAGE_SUFFIXES:
        found += [stem + ".md", stem + ".markdown"]
        if posixpath.basename(stem) == "index":
            found += [posixpath.join(posixpath.dirname(stem), "README.md")]
    elif not ext or folder:
        if path:
            found += [path + ".md", path + ".markdown", path + ".docx"]
        found += [posixpath.join(path, name) for name in ("index.md", "README.md", "readme.md")]
    return [f for f in found if f and f != "."]


def _norm(path: str) -> str:
    path = posixpath.normpath(path.replace("\\", "/"))
    return "" if path == "." else path.removeprefix("./")
