"""Shared fixtures: tiny repositories built in tmp_path, and the CLI run in-process."""

from __future__ import annotations

import hashlib
import os
import pty
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from dsptkit.main import main


@pytest.fixture(autouse=True)
def _no_colour_settings_from_the_shell(monkeypatch):
    """Tests assert exact text: a NO_COLOR or FORCE_COLOR exported in the developer's shell
    must not change it (the colour tests set them themselves)."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-07-01"

BASE_FILES = {
    "organisation.yaml": """\
        name: Test Care Ltd
        ods_code: ZZ001
        category: 3
        framework: DSPT 2025-26 (v8)
        profile: {ico_registration: ZA123456}
        roles:
          siro: {person: alice, appointed_on: 2026-01-05, how: By the directors}
          it_lead: bob
          caldicott_guardian: {person: alice, appointed_on: 2026-01-05, how: By the directors}
          ig_lead: {person: bob, appointed_on: 2026-01-05, how: By the directors}
        """,
    "standards/dspt/catalogue.yaml": """\
        framework: dspt
        title: Data Security and Protection Toolkit
        standards:
          - id: "1"
            title: Personal confidential data
            assertions:
              - id: "1.1"
                title: Lawful use
                items:
                  - id: "1.1.1"
                    title: ICO registration
                    levels: {"3": approaching}
                  - id: "1.1.2"
                    title: Asset register
                    levels: {"3": optional}
                    evidence_every: 1y
                    exempt_by: [ce-plus]
                    not_applicable: {source: test}
        cycle: {opens: 2026-01-01, deadline: 2027-06-30, source: test}
        published: {"3": {met: 1, approaching: 1, source: test}}
        positions:
          "3":
            met: {source: test}
            approaching: {items: approaching, plan: action, once: true, source: test}
            exceeded: {certificate: ce-plus, source: test}
        """,
    "evidence/registers/people.yaml": """\
        people:
          - {id: alice, name: Alice Adams}
          - {id: bob, name: Bob Brown}
        """,
    "evidence/registers/training.yaml": """\
        training:
          - {person: alice, course: Data Security Awareness, completed: 2026-02-01}
          - {person: bob, course: Data Security Awareness, completed: 2026-02-03}
        """,
    "evidence/registers/information-assets.yaml": """\
        reviewed: 2026-01-10
        approved: {by: siro, on: 2026-01-10}
        information_assets: []
        """,
    "evidence/registers/processing.yaml": """\
        reviewed: 2026-01-10
        approved: {by: siro, on: 2026-01-10}
        processing: []
        """,
    "evidence/registers/data-flows.yaml": """\
        reviewed: 2026-01-10
        approved: {by: siro, on: 2026-01-10}
        data_flows: []
        """,
    "policies/governance.md": """\
        ---
        id: governance
        title: Governance policy
        version: "1.0"
        status: approved
        owner: siro
        approved: {by: siro, on: 2026-01-10}
        claims:
          - id: GV-1
            says: Our ICO registration is current.
            meets: [dspt:1.1.1]
            evidence_every: 90d
        ---
        # Governance
        """,
    "evidence/2026/ico.md": """\
        ---
        id: EV-1
        title: ICO registration checked
        collected: 2026-06-01
        by: bob
        supports: [GV-1]
        outcome: pass
        ---
        Checked the register.
        """,
}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def codes(self) -> set[str]:
        """Rule codes in text output lines ``path:line:col: CODE message``."""
        found = set()
        for line in self.lines:
            parts = line.split(": ", 2)
            if len(parts) >= 2 and parts[1][:5].isalnum() and len(parts[1].split()[0]) == 5:
                found.add(parts[1].split()[0])
        return found


class TinyRepo:
    """A throwaway evidence repository on disk, starting from a clean base."""

    def __init__(self, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.root = root
        self.capsys = capsys
        for path, text in BASE_FILES.items():
            self.write(path, text)

    def write(self, path: str, text: str | bytes) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(textwrap.dedent(text), encoding="utf-8")
        return target

    def attach(self, path: str, content: bytes) -> str:
        self.write(path, content)
        return hashlib.sha256(content).hexdigest()

    def remove(self, path: str) -> None:
        (self.root / path).unlink()

    def snapshot(self) -> dict[str, bytes]:
        """Every file's bytes, to prove a command changed nothing."""
        return {str(p.relative_to(self.root)): p.read_bytes()
                for p in sorted(self.root.rglob("*")) if p.is_file() and not p.is_symlink()}

    def dspt(self, *args: str) -> Run:
        self.capsys.readouterr()
        argv = list(args)
        if argv and argv[0] in ("check", "status"):
            argv += ["--repo", str(self.root)]
            if "--as-of" not in argv:
                argv += ["--as-of", AS_OF]
        code = main(argv)
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)


@pytest.fixture
def repo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> TinyRepo:
    return TinyRepo(tmp_path / "repo", capsys)


@pytest.fixture
def git_env(tmp_path: Path) -> dict[str, str]:
    """An environment for git with fixed identities and dates, and no user config."""
    env = dict(os.environ)
    env.update({
        "GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.org",
        "GIT_AUTHOR_DATE": "2026-06-01T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-06-01T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
    })
    return env


@pytest.fixture(scope="session")
def example_site(tmp_path_factory):
    """The example portal, built once by the real `mkdocs build --strict`."""
    from portal_helpers import mkdocs_build

    build = mkdocs_build(ROOT, tmp_path_factory.mktemp("example") / "site")
    assert build.code == 0, build.output
    return build


@pytest.fixture
def git_repo(repo, git_env, monkeypatch):
    """The base tiny repository committed once on 2026-06-01; ``commit`` adds more.

    The same fixed identity and dates apply to git run by dspt itself (dspt snapshot
    commits), so tests do not depend on the machine's git configuration.
    """
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE",
                "GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"):
        monkeypatch.setenv(key, git_env[key])

    def run(*args: str, date: str = "2026-06-01", author: str = "Bob Brown",
            email: str = "bob@example.org") -> str:
        env = dict(git_env, GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00",
                   GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00", GIT_AUTHOR_NAME=author,
                   GIT_AUTHOR_EMAIL=email, GIT_COMMITTER_NAME=author, GIT_COMMITTER_EMAIL=email)
        done = subprocess.run(["git", *args], cwd=repo.root, env=env, capture_output=True,
                              text=True, check=True)
        return done.stdout

    def commit(message: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        run("add", "-A")
        run("commit", "-q", "-m", message, **kwargs)

    run("init", "-q", "-b", "main")
    commit("Start")
    repo.git = run
    repo.commit = commit
    return repo


# -- a real terminal ---------------------------------------------------------------------------

def chromium_path() -> str:
    """The Chromium the browser and PDF tests drive (DSPT_CHROMIUM, as `dspt portal pdf` reads
    it, else Debian's). Skips the test with DSPT_SKIP_BROWSER=1, and fails it otherwise when
    there is none: a browser test must never pass by not running."""
    import shutil

    given = os.environ.get("DSPT_CHROMIUM", "").strip()
    for candidate in (given and shutil.which(given), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    if os.environ.get("DSPT_SKIP_BROWSER") == "1":
        pytest.skip("DSPT_SKIP_BROWSER=1: browser tests skipped on purpose")
    pytest.fail("Debian's Chromium is not installed: run 'make browser' (or set "
                "DSPT_SKIP_BROWSER=1 to skip the browser tests on purpose)")


def terminal_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm-256color", "PYTHONDONTWRITEBYTECODE": "1"}, **extra)
    return env


def on_terminal(*argv: str, **env: str) -> str:
    """dspt run with its stdout on a pseudo-terminal, as in an interactive shell."""
    master, slave = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "dsptkit", *argv], stdout=slave,
                               stderr=subprocess.PIPE, env=terminal_env(**env))
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    process.wait(timeout=60)
    process.stderr.close()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
