"""Every git call dsptkit makes, in one module (and the only one that imports gitpython).

One ``git log`` pass gives every commit with the files it touched, so the first and last
change of every file comes from a single subprocess, however many files there are. Every
git failure is caught here and turned into a plain statement of what cannot be known: a
folder that is not a git repository, a repository with no commits, a shallow clone.
"""

from __future__ import annotations

import os
import re
import subprocess
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
GIT_CALLS = 0  # subprocesses started, so a test can prove the count does not grow with files


def _git(root: str | os.PathLike[str], *args: str) -> subprocess.CompletedProcess[str] | None:
    global GIT_CALLS
    GIT_CALLS += 1
    try:
        return subprocess.run(["git", "-C", os.fspath(root), *args], capture_output=True,
                              text=True, encoding="utf-8", errors="replace", check=False)
    except FileNotFoundError:
        return None


def read_history(root: str | os.PathLike[str], revision: str = "HEAD") -> History:
    """The history of the files under ``root`` up to ``revision``: one ``git log`` pass,
    cached by the commit it resolves to.

    The git command line is used directly (not gitpython) so that the check, which runs
    before every commit, starts no more than a few short subprocesses.
    """
    probe = _git(root, "rev-parse", "--is-shallow-repository", "--verify", "-q",
                 f"{revision}^{{commit}}")
    if probe is None:
        return History(False, "git is not installed, so no history is known")
    answers = probe.stdout.split()
    if probe.returncode != 0 and not answers:
        return History(False, "this folder is not a git repository, so no history is known")
    if len(answers) < 2:
        return History(False, "the git repository has no commits yet, so no history is known")
    shallow, head = answers[0] == "true", answers[1]
    key = (os.path.realpath(root), head)
    if key in _cache:
        return _cache[key]
    log = _git(root, "log", "--relative", "--name-only", "--no-renames", "-z",
               f"--format={_FORMAT}", head, "--", ".")
    if log is None or log.returncode != 0:
        return History(False, f"git log failed: {log.stderr.strip() if log else 'no git'}")
    history = History(True, head=head, shallow=shallow)
    if shallow:
        history.note = ("this is a shallow clone, so history before its first commit is "
                        "missing; fetch the full history (git fetch --unshallow)")
    for commit, paths in _parse(log.stdout):
        history.commits.append(commit)
        for path in paths:
            history.by_path.setdefault(path, []).append(commit)
    _cache[key] = history
    return history


def policy_changes(root: str | os.PathLike[str], history: History,
                   worktree: bool = True, staged: bool = False) -> dict[str, list[Change]]:
    """For every file under policies/, each commit that touched it (oldest first) up to the
    history's head and whether that commit set a new version and approval date; with
    ``worktree``, uncommitted edits come last (with ``staged``, only the staged ones: what
    the next commit would hold). A change that only sets, moves or drops the review date
    (``next_review:``) is marked ``schedule_only``: a schedule decision, not new policy words."""
    changes: dict[str, list[Change]] = {}
    if not history.available or history.head is None:
        return changes
    log = _git(root, "-c", "core.quotePath=false", "log", "--relative", "-p", "--unified=0",
               "--no-renames", "--reverse", f"--format={_FORMAT}", history.head, "--",
               "policies")
    if log is not None and log.returncode == 0:
        for block in log.stdout.split(_END):
            header, _, diff = block.partition("\n")
            parts = header.split(_SEP)
            if len(parts) != 7:
                continue
            commit = Commit(parts[0], datetime.fromisoformat(parts[1]), parts[2], parts[3],
                            datetime.fromisoformat(parts[4]), parts[5], parts[6])
            for path, added, removed in _diff_files(diff):
                changes.setdefault(path, []).append(_change(commit, added, removed))
    if not worktree:
        return changes
    cached = ("--cached",) if staged else ()
    work = _git(root, "-c", "core.quotePath=false", "diff", *cached, history.head, "--relative",
                "-p", "--unified=0", "--no-renames", "--", "policies")
    if work is not None and work.returncode == 0:
        for path, added, removed in _diff_files(work.stdout):
            changes.setdefault(path, []).append(_change(None, added, removed))
    return changes


@dataclass(frozen=True)
class Change:
    commit: Commit | None  # None: not committed yet
    approval: bool  # the change set both a new version and a new approval date
    # every line it added or removed is a `next_review: DATE` line: the review date moved
    # (``dspt due --apply``), the policy's words did not
    schedule_only: bool = False


def _change(commit: Commit | None, added: list[str], removed: list[str]) -> Change:
    return Change(commit, _is_approval("\n".join(added)),
                  bool(added or removed) and all(map(_NEXT_REVIEW.match, (*added, *removed))))


_VERSION = re.compile(r"^\s*version\s*:", re.MULTILINE)
_APPROVED_ON = re.compile(r"\bon\s*:\s*\d{4}-\d", re.MULTILINE)
_NOW_APPROVED = re.compile(r"^\s*status\s*:\s*[\"']?approved\b", re.MULTILINE)
# a top-level `next_review:` line holding a date (quoted or not), perhaps with a comment
_NEXT_REVIEW = re.compile(
    r"next_review[ \t]*:[ \t]*([\"']?)\d{4}-\d{2}-\d{2}\1[ \t]*(?:#.*)?\r?\Z")


def _is_approval(added: str) -> bool:
    """A change that records an approval: a new approval date with a new version, or (the
    first approval) with the status turning to approved."""
    return bool(_APPROVED_ON.search(added) and
                (_VERSION.search(added) or _NOW_APPROVED.search(added)))


def _diff_files(diff: str) -> Iterator[tuple[str, list[str], list[str]]]:
    """(path, the lines the diff adds, the lines it removes) for each file in a unified diff.

    A file's header (``diff --git`` up to its first ``@@``) names it; only lines inside its
    hunks are content, so a line that reads ``++ x`` or ``-- x`` is never taken for a header.
    """
    path: str | None = None
    added: list[str] = []
    removed: list[str] = []
    in_header = False
    for line in diff.split("\n"):  # not splitlines(): a form feed or U+2028 is content
        if line.startswith("diff --git "):
            if path is not None:
                yield path, added, removed
            path, added, removed, in_header = None, [], [], True
        elif in_header:
            if line.startswith("+++ "):
                target = line[4:]
                path = target[2:] if target.startswith("b/") else None
            elif line.startswith("@@"):
                in_header = False
        elif path is None:
            continue
        elif line.startswith("+"):
            added.append(line[1:])
        elif line.startswith("-"):
            removed.append(line[1:])
    if path is not None:
        yield path, added, removed


def _parse(raw: str) -> Iterator[tuple[Commit, list[str]]]:
    """Commits and their paths from ``git log -z --name-only``: paths are NUL-separated and
    never quoted, so names with spaces or non-ASCII letters come through as they are."""
    for block in raw.split(_END):
        if not block.strip("\0\n"):
            continue
        header, _, rest = block.partition("\n")
        parts = header.rstrip("\0").split(_SEP)
        if len(parts) != 7:
            continue
        sha, authored, author, email, committed, committer, message = parts
        commit = Commit(sha, datetime.fromisoformat(authored), author, email,
                        datetime.fromisoformat(committed), committer, message)
        yield commit, [path.strip("\n") for path in rest.split("\0") if path.strip("\n")]


class _BlobTree:
    """Files read from git's object database: a path -> blob id map, and the blobs' bytes
    through git's persistent ``cat-file --batch`` process (gitpython's object database)."""

    sha: str | None = None

    def __init__(self, root: str | os.PathLike[str]) -> None:
        import git

        self._repo = git.Repo(root, search_parent_directories=True)
        self._blobs: dict[str, str] = {}

    def paths(self) -> list[str]:
        return sorted(self._blobs)

    def read(self, path: str) -> bytes | None:
        blob = self._blobs.get(path)
        if blob is None:
            return None
        return self._repo.odb.stream(bytes.fromhex(blob)).read()

    def chunks(self, path: str, size: int = 1 << 20) -> Iterator[bytes] | None:
        """A file's bytes in chunks, streamed from git (flat memory whatever its size), or
        None when there is no such file."""
        blob = self._blobs.get(path)
        if blob is None:
            return None
        stream = self._repo.odb.stream(bytes.fromhex(blob))

        def read() -> Iterator[bytes]:
            while chunk := stream.read(size):
                yield chunk

        return read()


class GitTree(_BlobTree):
    """The files under the repository root as they were in one commit, read from git objects.

    Nothing is checked out and the working tree is not touched: one ``git ls-tree`` lists the
    files, and blobs come through git's persistent ``cat-file --batch`` process.
    """

    def __init__(self, root: str | os.PathLike[str], sha: str) -> None:
        super().__init__(root)
        self.sha = sha
        listing = self._repo.git.execute(["git", "-C", os.fspath(root), "ls-tree", "-r", "-z",
                                          sha, "."], stdout_as_string=True)
        for entry in str(listing).split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            mode, kind, blob = meta.split()
            if kind == "blob" and mode != "120000":  # symlinks are not followed in history
                self._blobs[path] = blob


_EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"


class IndexTree(_BlobTree):
    """The files under the repository root as the next commit would hold them: git's index
    (what ``git add`` staged), whatever the working tree holds besides.

    One ``git ls-files --stage`` lists the entries; the blobs ``git add`` wrote are read from
    the object database as :class:`GitTree` reads a commit's. Untracked files and unstaged
    edits are not seen. git's own ``GIT_INDEX_FILE`` is honoured, so in a commit hook of
    ``git commit -a`` or ``git commit PATH`` the temporary index that commit is made from is
    read. Symlinks are skipped (as in a commit), submodules too; an unmerged entry stops the
    check (:class:`~dsptkit.errors.RepositoryError`), and a folder outside any git repository
    is a :class:`~dsptkit.errors.UsageError`.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        from dsptkit.errors import RepositoryError, UsageError

        listing = _git(root, "ls-files", "--stage", "-z")
        if listing is None:
            raise UsageError("--staged needs git, which is not installed")
        if listing.returncode != 0:
            why = listing.stderr.strip()
            if "not a git repository" in why:
                raise UsageError(f"--staged needs a git repository: {os.fspath(root)} is not in "
                                 "one ('dspt check' without --staged checks the files as they "
                                 "are)")
            raise UsageError(f"--staged could not read git's index: {why or 'git ls-files failed'}")
        super().__init__(root)
        unmerged: list[str] = []
        empty: list[str] = []
        for entry in listing.stdout.split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            mode, blob, stage = meta.split()
            if stage != "0":
                if path not in unmerged:
                    unmerged.append(path)
                continue
            if not mode.startswith("100"):  # 120000 a symlink, 160000 a submodule
                continue
            self._blobs[path] = blob
            if blob == _EMPTY_BLOB:
                empty.append(path)
        if unmerged:
            if len(unmerged) == 1:
                where = unmerged[0]
            else:
                where = ", ".join(unmerged[:-1]) + f" and {unmerged[-1]}"
            plural = "s" if len(unmerged) > 1 else ""
            raise RepositoryError(f"resolve the merge conflict{plural} in {where} first (edit, "
                                  "then 'git add'): the commit cannot be checked until then")
        for path in self._intent_to_add(root, empty):
            del self._blobs[path]
        if not self._blobs:
            raise UsageError(f"nothing in {os.fspath(root)} is staged for the next commit: "
                             "'git add' the files first ('dspt check' without --staged checks "
                             "the files as they are)")

    @staticmethod
    def _intent_to_add(root: str | os.PathLike[str], empty: list[str]) -> list[str]:
        """Which of these entries only say a file will be added (``git add -N``): listed in
        the index as empty, but not in the commit. Asked of git only when there are any empty
        entries (a .gitkeep is one), with those paths alone."""
        if not empty:
            return []
        done = _git(root, "--literal-pathspecs", "status", "--porcelain=v2", "-z",
                    "--untracked-files=no", "--ignore-submodules=all", "--", *empty)
        if done is None or done.returncode != 0:
            return []
        wanted = set(empty)
        found = []
        for entry in done.stdout.split("\0"):
            fields = entry.split(" ", 8)
            # "1 XY sub mH mI mW hH hI path": an intent-to-add has no mode in the index
            if len(fields) == 9 and fields[0] == "1" and fields[4] == "000000" \
                    and fields[8] in wanted:
                found.append(fields[8])
        return found


def month_end_commits(history: History, months: list[datetime]) -> dict[datetime, Commit]:
    """For each month end, the newest commit made on or before it (when there is one)."""
    found: dict[datetime, Commit] = {}
    ordered = sorted(history.commits, key=lambda c: c.committed)
    for end in months:
        before = [c for c in ordered if c.committed <= end]
        if before:
            found[end] = before[-1]
    return found


def resolve_revision(root: str | os.PathLike[str], revision: str) -> str | None:
    """The commit id a branch, tag or abbreviated id names, or None."""
    done = _git(root, "rev-parse", "--verify", "-q", f"{revision}^{{commit}}")
    if done is None or done.returncode != 0:
        return None
    return done.stdout.strip() or None


def working_tree_changes(root: str | os.PathLike[str]) -> list[str] | None:
    """Paths under ``root`` with uncommitted changes (None when git cannot tell)."""
    done = _git(root, "status", "--porcelain", "--untracked-files=all", "--", ".")
    if done is None or done.returncode != 0:
        return None
    return [line[3:] for line in done.stdout.splitlines() if line.strip()]


def tag_exists(root: str | os.PathLike[str], tag: str) -> bool:
    done = _git(root, "rev-parse", "--verify", "-q", f"refs/tags/{tag}")
    return done is not None and done.returncode == 0


def init_repository(target: str | os.PathLike[str], branch: str = "main") -> str | None:
    """``git init`` a new folder on ``branch`` from the first commit; None when it worked,
    else why not.

    ``init.defaultBranch`` (git 2.28+) names the branch whatever the user's own default, and
    silences git's hint about it; older git ignores that setting, and ``symbolic-ref`` then
    points the unborn HEAD at the branch (a no-op on newer git).
    """
    done = _git(target, "-c", f"init.defaultBranch={branch}", "init", "-q")
    if done is None:
        return "git is not installed"
    if done.returncode != 0:
        return done.stderr.strip() or "git init failed"
    done = _git(target, "symbolic-ref", "HEAD", f"refs/heads/{branch}")
    if done is None or done.returncode != 0:
        return (done.stderr.strip() if done else "") or f"could not name the branch {branch}"
    return None


def valid_tag_name(root: str | os.PathLike[str], tag: str) -> bool:
    """Whether git accepts ``tag`` as a tag name (``git check-ref-format``)."""
    done = _git(root, "check-ref-format", f"refs/tags/{tag}")
    return done is not None and done.returncode == 0


def commit_and_tag(root: str | os.PathLike[str], path: str, message: str, tag: str,
                   tag_message: str) -> str:
    """Commit one new file and put an annotated tag on that commit; the commit id.

    All or nothing: when any step fails, the commit is undone (the branch goes back to where
    it was, the file is unstaged) and RuntimeError says which step failed.
    """
    before = _git(root, "rev-parse", "-q", "--verify", "HEAD")
    start = before.stdout.strip() if before is not None and before.returncode == 0 else None
    committed = False
    for args in (("add", "--", path), ("commit", "-q", "-m", message, "--", path),
                 ("tag", "-a", tag, "-m", tag_message)):
        done = _git(root, *args)
        if done is None or done.returncode != 0:
            detail = done.stderr.strip() if done else "git is not installed"
            if committed and start:
                _git(root, "reset", "-q", "--soft", start)
            _git(root, "rm", "-q", "--cached", "--ignore-unmatch", "--", path)
            raise RuntimeError(f"git {args[0]} failed: {detail}")
        committed = committed or args[0] == "commit"
    head = _git(root, "rev-parse", "HEAD")
    return head.stdout.strip() if head else ""


def tag_message(root: str | os.PathLike[str], tag: str) -> str | None:
    done = _git(root, "tag", "-l", "--format=%(contents)", tag)
    return done.stdout if done is not None and done.returncode == 0 else None
