"""Writing new files safely: every write is planned first, checked, then made.

Commands that write never overwrite: a plan whose target exists is refused before anything
is written, and each file is created with exclusive mode, so a file appearing in between
is not clobbered either.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from dsptkit.errors import FatalError

TEMPLATES = Path(__file__).with_name("templates")


@dataclass
class Plan:
    """Files to create, as (path, bytes), in order."""

    root: Path
    files: list[tuple[Path, bytes]] = field(default_factory=list)

    def add(self, relative: str | Path, content: str | bytes) -> Path:
        target = self.root / relative
        data = content.encode("utf-8") if isinstance(content, str) else content
        if any(existing == target for existing, _ in self.files):
            raise FatalError(f"internal: {relative} planned twice")
        self.files.append((target, data))
        return target

    def check(self) -> None:
        """Refuse the whole plan if any target already exists."""
        clashes = [path for path, _ in self.files if path.exists() or path.is_symlink()]
        if clashes:
            names = ", ".join(str(p) for p in clashes[:5])
            more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
            raise FatalError(f"refusing to overwrite {names}{more}; nothing was written")

    def write(self) -> list[Path]:
        self.check()
        written = []
        for path, data in self.files:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as handle:  # exclusive: never replaces a file
                handle.write(data)
            written.append(path)
        return written


def slugify(text: str, limit: int = 60) -> str:
    """A file-name-safe slug: 'Q3 user access review!' -> 'q3-user-access-review'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "untitled"


def yaml_string(text: str) -> str:
    """A YAML scalar for ``text``, quoted only when it must be."""
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 ,.'()/&+-]*", text) and not text.endswith(" ")
    reserved = text.lower() in {"yes", "no", "true", "false", "null", "on", "off", "~"}
    if plain and not reserved and ": " not in text and " #" not in text:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def is_empty_dir(path: Path) -> bool:
    return path.is_dir() and not any(os.scandir(path))
