"""``dspt hash``: record the sha256 of attachments listed by hand without one."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from dsptkit.commands._shared import repository_root
from dsptkit.errors import UsageError
from dsptkit.frontmatter import parse_markdown
from dsptkit.writing import replace_atomically


def run(args: argparse.Namespace) -> int:
    root = Path(repository_root(args))
    paths = [Path(p) for p in args.paths] if args.paths else \
        sorted((root / "evidence").rglob("*.md"))
    added = problems = 0
    for path in paths:
        if not path.is_file():
            raise UsageError(f"{path} is not a file")
        a, p = _hash_file(path, root)
        added += a
        problems += p
    print(f"recorded {added} hash{'es' if added != 1 else ''}"
          + (f"; {problems} attachment(s) need attention (see above)" if problems else ""))
    return 1 if problems else 0


def _hash_file(path: Path, root: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    rel = path.resolve().relative_to(root.resolve()).as_posix() if \
        path.resolve().is_relative_to(root.resolve()) else str(path)
    doc = parse_markdown(rel, raw)
    if doc.data is None or not isinstance(doc.data.get("files"), list):
        return 0, 0
    text = raw.decode("utf-8-sig")
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text.replace("\r\n", "") or (newline == "\r\n" and "\n" in text.replace("\r\n", "")):
        print(f"{rel}:1:1: line endings are mixed (or old Mac style); save the file with LF or "
              "CRLF line endings and run again; nothing recorded")
        return 0, 1
    lines = text.split(newline)
    inserts: list[tuple[int, str]] = []
    problems = 0
    for index, entry in enumerate(doc.data["files"]):
        if not isinstance(entry, dict) or "path" not in entry or entry.get("sha256"):
            continue
        attachment = (path.parent / str(entry["path"])).resolve()
        loc = doc.loc("files", index, "path")
        if not attachment.is_file() or not attachment.is_relative_to(root.resolve()):
            print(f"{rel}:{loc.line}:{loc.col}: attachment '{entry['path']}' is missing or "
                  "outside the repository; nothing recorded")
            problems += 1
            continue
        digest = hashlib.sha256(attachment.read_bytes()).hexdigest()
        key_line = lines[loc.line - 1]
        if not key_line.lstrip().startswith(("- path:", "path:")):
            print(f"{rel}:{loc.line}:{loc.col}: add by hand after 'path: {entry['path']}': "
                  f"sha256: {digest}")
            problems += 1
            continue
        inserts.append((loc.line, " " * (loc.col - 1) + f"sha256: {digest}"))
    for line_number, new_line in sorted(inserts, reverse=True):
        lines.insert(line_number, new_line)
    if inserts:
        body = newline.join(lines)
        data = (b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b"") + body.encode("utf-8")
        try:
            replace_atomically(path, data)
        except OSError as exc:
            raise UsageError(f"{rel}: cannot be written: {exc.strerror}; nothing recorded") \
                from None
        for line_number, _ in sorted(inserts):
            print(f"{rel}:{line_number + 1}: recorded sha256")
    return len(inserts), problems
