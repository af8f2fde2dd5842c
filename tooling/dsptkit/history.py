"""Git history, read once per run. The only module that imports gitpython.

One ``git log`` pass gives every commit with the files it touched, so the first and last
change of every file comes from a single subprocess, however many files there are. Every
git failure is caught here and turned into a plain statement of what cannot be known: a
folder that is not a git repository, a repository with no commits, a shallow clone.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

_SEP, _END = "\x1f", "\x1e"
_FORMAT = f"{_END}%H{_SEP}%aI{_SEP}%an{_SEP}%ae{_SEP}%cI{_SEP}%cn{_SEP}%s"


@dataclass(frozen=True)
class Commit:
    sha: str
    authored: datetime
    author: str
    email: str
    committed: datetime
    committer: str
    message: str  # first line

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass
class History:
    """What git knows about the repository; ``note`` says what it cannot know, if anything."""

    available: bool
    note: str | None = None
    head: str | None = None
    shallow: bool = False
    commits: list[Commit] = field(default_factory=list)  # newest first
    by_path: dict[str, list[Commit]] = field(default_factory=dict)  # newest first

    def of(self, path: str) -> list[Commit]:
        return self.by_path.get(path, [])


_cache: dict[tuple[str, str], History] = {}


def read_history(root: str | os.PathLike[str]) -> History:
    """The history of the files under ``root`` (cached by HEAD for repeated runs)."""
    try:
        import git
    except ImportError:  # pragma: no cover - gitpython is a dependency
        return History(False, "gitpython is not installed, so no history is shown")
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return History(False, "this folder is not a git repository, so no history is shown")
    except git.GitError as exc:
        return History(False, f"git could not be used: {exc}")
    try:
        head = repo.head.commit.hexsha
    except (ValueError, git.GitError):
        return History(False, "the git repository has no commits yet, so no history is shown")
    key = (os.path.realpath(root), head)
    if key in _cache:
        return _cache[key]
    try:
        shallow = repo.git.rev_parse("--is-shallow-repository").strip() == "true"
        raw = repo.git.execute(["git", "-C", os.fspath(root), "log", "--relative",
                                "--name-only", "--no-renames", f"--format={_FORMAT}", "HEAD",
                                "--", "."], stdout_as_string=True)
    except git.GitError as exc:
        return History(False, f"git log failed: {exc}")
    history = History(True, head=head, shallow=shallow)
    if shallow:
        history.note = ("this is a shallow clone, so history before its first commit is "
                        "missing; fetch the full history (git fetch --unshallow)")
    for commit, paths in _parse(str(raw)):
        history.commits.append(commit)
        for path in paths:
            history.by_path.setdefault(path, []).append(commit)
    _cache[key] = history
    return history


def _parse(raw: str) -> Iterator[tuple[Commit, list[str]]]:
    for block in raw.split(_END):
        if not block.strip():
            continue
        header, _, rest = block.partition("\n")
        parts = header.split(_SEP)
        if len(parts) != 7:
            continue
        sha, authored, author, email, committed, committer, message = parts
        commit = Commit(sha, datetime.fromisoformat(authored), author, email,
                        datetime.fromisoformat(committed), committer, message)
        yield commit, [line for line in rest.splitlines() if line.strip()]


class GitTree:
    """The files under the repository root as they were in one commit, read from git objects.

    Nothing is checked out and the working tree is not touched: one ``git ls-tree`` lists the
    files, and blobs come through git's persistent ``cat-file --batch`` process.
    """

    def __init__(self, root: str | os.PathLike[str], sha: str) -> None:
        import git

        self._repo = git.Repo(root, search_parent_directories=True)
        self.sha = sha
        listing = self._repo.git.execute(["git", "-C", os.fspath(root), "ls-tree", "-r", "-z",
                                          sha, "."], stdout_as_string=True)
        self._blobs: dict[str, str] = {}
        for entry in str(listing).split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            mode, kind, blob = meta.split()
            if kind == "blob" and mode != "120000":  # symlinks are not followed in history
                self._blobs[path] = blob

    def paths(self) -> list[str]:
        return sorted(self._blobs)

    def read(self, path: str) -> bytes | None:
        blob = self._blobs.get(path)
        if blob is None:
            return None
        return self._repo.odb.stream(bytes.fromhex(blob)).read()


def month_end_commits(history: History, months: list[datetime]) -> dict[datetime, Commit]:
    """For each month end, the newest commit made on or before it (when there is one)."""
    found: dict[datetime, Commit] = {}
    ordered = sorted(history.commits, key=lambda c: c.committed)
    for end in months:
        before = [c for c in ordered if c.committed <= end]
        if before:
            found[end] = before[-1]
    return found
