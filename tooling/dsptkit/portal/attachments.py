"""How the portal publishes an evidence record's attachments, so that none can run.

A file served from the portal's own origin that a browser would render as a document (HTML,
SVG, XML, a Markdown file MkDocs would turn into a page, or a type the server does not name
and the browser sniffs) could run script as if it were part of the site. So only types a
browser shows inertly or downloads are published as they are: raster images (also shown on
the record's page), PDF, plain text, CSV, JSON, office documents and zip files. Every other
file is published packed in a zip of its own, under its own name, so it always downloads.

Each attachment gets its own URL: ``evidence/files/<evidence id>/<name>``, and where two
of a record's attachments would share a name (``a/shot.png`` and ``b/shot.png``, or names
differing only in case), each goes under a short hash of its repository path instead.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from dsptkit.portal import links

# shown on the record's page as an image, as well as offered for download
PREVIEW = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp")
# published as they are: every static host names these types, and browsers show them as
# inert content (PDF in the browser's own viewer, away from the site's pages) or download
AS_IS = PREVIEW + (".pdf", ".txt", ".csv", ".json", ".doc", ".docx", ".xls", ".xlsx",
                   ".ppt", ".pptx", ".odt", ".ods", ".odp", ".zip")
PACKED_SUFFIX = ".zip"
_UNSAFE = re.compile(r"[^\w.\-+,@() ]")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # zip entries carry no build time: the output is stable


@dataclass(frozen=True)
class Published:
    name: str  # the file's own name, as the record lists it
    path: str  # where the site publishes it, e.g. "evidence/files/EV-1/shot.png"
    source: str  # its repository path
    packed: bool  # published inside a zip of its own, so that it downloads
    preview: bool  # a raster image, shown on the page


def base_name(path: str) -> str:
    """A file's own name from the path its record gives (either kind of slash)."""
    return path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def publish(evidence_id: str, files: list[tuple[str, str]]) -> list[Published]:
    """Where each of a record's readable attachments, ``(name, repository path)``, goes."""
    planned = []
    for name, source in files:
        safe = _UNSAFE.sub("_", name).lstrip(".") or "file"
        if safe.lower().endswith(AS_IS):
            planned.append((name, source, safe, False))
        else:
            planned.append((name, source, safe + PACKED_SUFFIX, True))
    counts = Counter(published.casefold() for published, _source in
                     {(published, source) for _n, source, published, _p in planned})
    result = []
    for name, source, published, packed in planned:
        if counts[published.casefold()] > 1:  # shared by two files: each under its own folder
            digest = hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()
            published = f"{digest[:10]}/{published}"
        result.append(Published(name, links.attachment(evidence_id, published), source, packed,
                                not packed and published.lower().endswith(PREVIEW)))
    return result


def packed_bytes(source: Path, name: str) -> bytes:
    """The zip a packed attachment is published as: the one file, under its own name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(_UNSAFE.sub("_", name).lstrip(".") or "file", _FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        archive.writestr(info, source.read_bytes())
    return buffer.getvalue()
