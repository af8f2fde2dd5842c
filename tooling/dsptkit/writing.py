"""Writing new files safely: every write is planned first, checked, then made.

Commands that write never overwrite: a plan whose target exists is refused before anything
is written, and each file is created with exclusive mode, so a file appearing in between
is not clobbered either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dsptkit.errors import FatalError, UsageError

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
        try:
            clashes = [path for path, _ in self.files if path.exists() or path.is_symlink()]
        except OSError as exc:  # a name too long for the filesystem, a folder that is a file
            raise UsageError(f"cannot write {exc.filename or 'a file'}: {exc.strerror}; "
                             "nothing was written") from None
        if clashes:
            names = ", ".join(str(p) for p in clashes[:5])
            more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
            raise FatalError(f"refusing to overwrite {names}{more}; nothing was written")

    def validate(self, repository: Path | None = None) -> None:
        """Refuse the plan when the repository with these files laid over it would have
        errors it does not have now: the same loader and rules as ``dspt check``, run on the
        exact bytes about to be written. ``repository`` is the evidence repository's root
        (default: the plan's root)."""
        from dsptkit import pipeline
        from dsptkit.model import Severity, one_line

        root = repository or self.root
        planned = {path.relative_to(root).as_posix(): data for path, data in self.files}

        def errors(extra: dict[str, bytes]) -> list:
            run = pipeline.run(root, date.today(), tree=Overlay(root, extra))
            return [(r.code, r.loc.path, r.message, r.loc) for r in run.results
                    if r.severity is Severity.ERROR]

        before = {e[:3] for e in errors({})}
        new = [e for e in errors(planned) if e[:3] not in before]
        if new:
            lines = "\n".join(f"  {loc}: {code} {one_line(message)}"
                              for code, _, message, loc in new[:10])
            raise UsageError(f"what would be written does not pass the check, so nothing was "
                             f"written:\n{lines}")

    def write(self, validate: bool = True, repository: Path | None = None) -> list[Path]:
        """Check, validate, then write every file; all or nothing.

        Each file is written whole to a temporary name and then linked into place, which
        fails if the name was taken in between: a reader never sees half a file and nothing
        is ever replaced. If any file cannot be written, those already written are removed.
        """
        self.check()
        if validate:
            self.validate(repository)
        written: list[Path] = []
        made: list[Path] = []
        try:
            for path, data in self.files:
                missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
                path.parent.mkdir(parents=True, exist_ok=True)
                made.extend(reversed(missing))
                write_new(path, data)
                written.append(path)
        except OSError as exc:
            for path in reversed(written):
                path.unlink(missing_ok=True)
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise UsageError(f"cannot write {exc.filename or 'a file'}: {exc.strerror}; "
                             "nothing was written") from None
        return written


def _temporary(path: Path, data: bytes) -> Path:
    """``data`` written whole and synced to a new temporary file beside ``path``."""
    tmp = path.with_name(f".{path.name}.dspt-{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)  # left over from a run that was killed
    with open(tmp, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return tmp


def replace_atomically(path: Path, data: bytes) -> None:
    """Replace an existing file's content: a reader sees the old file or the new, never half.
    The file keeps its permissions (a register kept private stays private)."""
    tmp = path.with_name(f".{path.name}.dspt-{os.getpid()}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None
    try:
        tmp = _temporary(path, data)
        if mode is not None:
            os.chmod(tmp, mode)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def write_new(path: Path, data: bytes) -> None:
    """Write ``path`` atomically, refusing to replace anything that is there."""
    tmp = path.with_name(f".{path.name}.dspt-{os.getpid()}.tmp")
    try:
        tmp = _temporary(path, data)
        try:
            os.link(tmp, path)  # fails with FileExistsError if the name is taken
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                raise
            with open(path, "xb") as handle:  # no hard links here: exclusive create instead
                handle.write(data)
    finally:
        tmp.unlink(missing_ok=True)


class Overlay:
    """The working tree's files with planned ones laid over it, as the loader's ``Tree``: the
    check sees exactly what the repository would hold after the write."""

    def __init__(self, root: Path, planned: dict[str, bytes]) -> None:
        self.root = root
        self.planned = planned
        found = set(planned)
        if root.is_dir():
            for folder, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if d != ".git"]
                for name in files:
                    full = os.path.join(folder, name)
                    if _regular(full):
                        found.add(Path(full).relative_to(root).as_posix())
        self._paths = sorted(found)

    def paths(self) -> list[str]:
        return self._paths

    def read(self, path: str) -> bytes | None:
        if path in self.planned:
            return self.planned[path]
        full = self.root / path
        if not _regular(str(full)):
            return None
        try:
            return full.read_bytes()
        except OSError:
            return None


def _regular(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


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
