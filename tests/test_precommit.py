"""The real pre-commit, at the oldest supported version and the current one.

- the project's own hook configuration (a local script hook) in a temporary git repo;
- the project's hook for other repositories (.pre-commit-hooks.yaml), used from a git URL at
  a commit by an organisation's repository made by ``dspt init``: pre-commit builds the
  environment itself, and ``dspt`` is not on PATH;
- the local python hook ``dspt init`` writes when dsptkit came from a wheel
  (``additional_dependencies``).

Each pre-commit version is installed once into a venv under build/tools/ (gitignored, made on
demand; CI starts from a fresh clone with PyPI reachable). The environments pre-commit builds
install dsptkit's core dependencies from a wheelhouse downloaded once into build/tools/, with
no index, so each takes seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from dsptkit.main import main

TOOLS = ROOT / "build" / "tools"
OLDEST = "3.0.4"  # Debian 12's; .pre-commit-hooks.yaml says 3.0.0
CURRENT = metadata.version("pre-commit")  # what `make install` gave the dev venv: the newest allowed
VERSIONS = sorted({OLDEST, CURRENT}, key=lambda v: tuple(int(p) for p in v.split(".")[:3]))
TAG = "v0.0.0-test"
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")  # the dev venv's (tests/commands uses it)
BROKEN = "---\nid: EV-9\ntitle: Never closed\n"  # front matter opened and never closed: FM011


def run(argv: list[str | os.PathLike[str]], cwd: Path | None = None, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([os.fspath(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def _made_once(final: Path, build) -> Path:  # type: ignore[no-untyped-def]
    """``final``, made by ``build(final)`` unless a previous run completed it: a marker file is
    written last, so an interrupted run's half-made folder is made again (in place, because a
    venv cannot be moved)."""
    if (final / ".complete").exists():
        return final
    shutil.rmtree(final, ignore_errors=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    build(final)
    (final / ".complete").write_text("")
    return final


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    """Wheels of dsptkit's core dependencies and its build backend (from pyproject.toml), so
    the environments pre-commit and pip build here need no index."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    wanted = sorted(project["project"]["dependencies"] + project["build-system"]["requires"] + ["wheel"])
    key = hashlib.sha256("\n".join(wanted).encode()).hexdigest()[:12]

    def build(part: Path) -> None:
        run([sys.executable, "-m", "pip", "download", "--quiet", "--only-binary", ":all:", "-d", part, *wanted])

    return _made_once(TOOLS / f"wheelhouse-{key}", build)


def offline_env(env: dict[str, str], wheelhouse: Path) -> dict[str, str]:
    """``env`` with pip reading only the wheelhouse (and never this checkout's venv)."""
    env = dict(env)
    env.update({"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                "PIP_NO_INPUT": "1"})
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(name, None)
    return env


def tool_venv(name: str, *requirements: str) -> Path:
    """A venv under build/tools/NAME with ``requirements`` installed (from the index); its bin."""
    def build(part: Path) -> None:
        run([sys.executable, "-m", "venv", part])
        run([part / "bin" / "python", "-m", "pip", "install", "--quiet", *requirements])

    return _made_once(TOOLS / name, build) / "bin"


@pytest.fixture(scope="session", params=VERSIONS, ids=lambda v: f"pre-commit-{v}")
def pre_commit(request) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    """(version, the bin folder of a venv holding that pre-commit and nothing of dsptkit)."""
    version = request.param
    bin_dir = tool_venv(f"pre-commit-{version}", f"pre-commit=={version}")
    assert run([bin_dir / "pre-commit", "--version"]).stdout.split() == ["pre-commit", version]
    return version, bin_dir


@pytest.fixture(scope="session")
def project_repo(tmp_path_factory) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """A git repository of this project's files as they are in the working tree (committed or
    not, less what .gitignore leaves out), its one commit tagged v0.0.0-test: what the
    project's git URL at a tag holds. (its path, the commit)"""
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT).stdout
    root = tmp_path_factory.mktemp("project") / "dsptkit"
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the working tree, not yet in the index
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    env = identity_env(dict(os.environ), tmp_path_factory.mktemp("gitconfig"))
    for argv in (["init", "-q"], ["symbolic-ref", "HEAD", "refs/heads/main"], ["add", "-A"],
                 ["commit", "-q", "-m", "dsptkit as it is"], ["tag", TAG]):
        run(["git", *argv], cwd=root, env=env)
    return root, run(["git", "rev-parse", "HEAD"], cwd=root).stdout.strip()


@pytest.fixture(scope="session")
def project_wheel(project_repo, wheelhouse, tmp_path_factory) -> tuple[Path, str]:  # type: ignore[no-untyped-def]
    """The project's wheel, built by pip from the tagged copy: (its path, its sha256)."""
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", out, project_repo[0]],
        env=offline_env(dict(os.environ), wheelhouse))
    (wheel,) = out.glob("dsptkit-*.whl")
    return wheel, hashlib.sha256(wheel.read_bytes()).hexdigest()


def identity_env(env: dict[str, str], home: Path) -> dict[str, str]:
    env.update({"GIT_AUTHOR_NAME": "Test Author", "GIT_AUTHOR_EMAIL": "author@example.org",
                "GIT_COMMITTER_NAME": "Test Author", "GIT_COMMITTER_EMAIL": "author@example.org",
                "GIT_CONFIG_GLOBAL": str(home / "gitconfig"), "GIT_CONFIG_NOSYSTEM": "1"})
    return env


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory, pre_commit) -> Path:  # type: ignore[no-untyped-def]
    """One pre-commit cache per version for the whole session: each hook environment is built
    once per version, and never shared between versions."""
    return tmp_path_factory.mktemp(f"pre-commit-home-{pre_commit[0]}")


def hook_env(tmp_path: Path, bin_dir: Path, home: Path, wheelhouse: Path) -> dict[str, str]:
    """What a user's commit sees: pre-commit's own venv and the system on PATH, not dspt."""
    env = offline_env(identity_env(dict(os.environ), tmp_path), wheelhouse)
    env["PATH"] = os.pathsep.join([str(bin_dir), "/usr/bin", "/bin"])
    env["PRE_COMMIT_HOME"] = str(home)
    env.pop("PRE_COMMIT", None)
    assert shutil.which("dspt", path=env["PATH"]) is None, "dspt must not be on PATH for this test"
    assert shutil.which("git", path=env["PATH"]), "git is needed"
    return env


def git(root: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True,
                          check=False)


def hook_output(output: str) -> list[str]:
    """The lines the dspt hook printed, from pre-commit's report of a failed hook."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("- exit code:"))
    return [line for line in lines[start + 1:] if line.strip()]


def commit_through_hook(org: Path, bin_dir: Path, env: dict[str, str]) -> None:
    """Install the hook; a good first commit goes through, an untracked broken draft does not
    stop a commit that leaves it out (--staged), a broken file is refused with its error first
    and one summary line after it, and is not committed."""
    run([bin_dir / "pre-commit", "install"], cwd=org, env=env)
    git(org, env, "add", "-A")
    done = git(org, env, "commit", "-q", "-m", "Our evidence repository")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "dspt check" in done.stdout + done.stderr and "Passed" in done.stdout + done.stderr
    assert git(org, env, "log", "--oneline").stdout.count("\n") == 1

    (org / "evidence" / "drafts").mkdir(parents=True)
    (org / "evidence" / "drafts" / "wip.md").write_text(BROKEN)  # never git-added
    (org / "README.md").write_text((org / "README.md").read_text() + "\nNotes.\n")
    git(org, env, "add", "README.md")
    done = git(org, env, "commit", "-q", "-m", "README only")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(org, env, "log", "--oneline").stdout.count("\n") == 2
    shutil.rmtree(org / "evidence" / "drafts")

    (org / "evidence" / "2026").mkdir(parents=True)
    (org / "evidence" / "2026" / "broken.md").write_text(BROKEN)
    git(org, env, "add", "-A")
    done = git(org, env, "commit", "-q", "-m", "A broken file")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Failed" in output
    printed = hook_output(output)
    # `dspt check --brief`: the error in full first, then one line for everything else
    assert printed[0].startswith("evidence/2026/broken.md:1:1: FM011 "), output
    assert len(printed) == 2, output
    assert git(org, env, "log", "--oneline").stdout.count("\n") == 2


def make_org(tmp_path: Path, capsys, tool: str) -> Path:  # type: ignore[no-untyped-def]
    org = tmp_path / "org"
    assert main(["init", str(org), "--name", "Org Ltd", "--category", "3", "--tool", tool]) == 0
    capsys.readouterr()
    return org


def test_the_remote_hook_from_a_git_url_at_a_commit(tmp_path, capsys, pre_commit, pre_commit_home,
                                                     project_repo, wheelhouse):
    """An organisation's repository made by `dspt init --tool 'dsptkit @ git+URL@COMMIT'` uses
    the project's own hook at that commit; pre-commit installs dsptkit from the git URL."""
    version, bin_dir = pre_commit
    repo, commit = project_repo
    org = make_org(tmp_path, capsys, f"dsptkit @ git+{repo.as_uri()}@{commit}")
    config = yaml.safe_load((org / ".pre-commit-config.yaml").read_text())
    assert config["repos"] == [{"repo": repo.as_uri(), "rev": commit, "hooks": [{"id": "dspt-check"}]}]
    commit_through_hook(org, bin_dir, hook_env(tmp_path, bin_dir, pre_commit_home, wheelhouse))


def test_the_local_hook_with_dsptkit_from_a_wheel(tmp_path, capsys, pre_commit, pre_commit_home,
                                                  project_wheel, wheelhouse):
    """From a wheel, `dspt init` writes a local python hook whose additional_dependencies hold
    the wheel pinned by its hash; pre-commit builds that environment."""
    version, bin_dir = pre_commit
    wheel, digest = project_wheel
    tool = f"dsptkit @ {wheel.as_uri()}#sha256={digest}"
    org = make_org(tmp_path, capsys, tool)
    (hook,) = yaml.safe_load((org / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hook["language"] == "python" and hook["additional_dependencies"] == [tool]
    assert hook["entry"] == "dspt check --brief --staged"
    commit_through_hook(org, bin_dir, hook_env(tmp_path, bin_dir, pre_commit_home, wheelhouse))


# ---- this repository's own hook -------------------------------------------------------------

@pytest.fixture
def hooked_repo(repo, git_env, pre_commit):
    """The tiny repository as a git repo with the project's own pre-commit hook installed."""
    version, bin_dir = pre_commit
    root = repo.root
    shutil.copy(ROOT / ".pre-commit-config.yaml", root)
    (root / "tooling").mkdir()
    shutil.copy(ROOT / "tooling" / "pre-commit-dspt", root / "tooling")
    env = dict(git_env)
    # the script hook runs whatever dspt is on PATH (here the dev venv's); pre-commit is its own
    env["PATH"] = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")])
    assert git(root, env, "init", "-q", "-b", "main").returncode == 0
    run([bin_dir / "pre-commit", "install"], cwd=root, env=env)
    assert git(root, env, "add", "-A").returncode == 0
    first = git(root, env, "commit", "-q", "-m", "Clean repository")
    assert first.returncode == 0, first.stdout + first.stderr
    return repo, env


def test_a_commit_with_broken_evidence_is_refused_with_the_message(hooked_repo):
    repo, env = hooked_repo
    repo.write("evidence/2026/backup.md", "---\nid: EV-2\ntitle: Restore test\n"
                                          "collected: 2026-13-45\nby: bob\nsupports: [GV-1]\n"
                                          "outcome: pass\n---\n")
    git(repo.root, env, "add", "-A")
    done = git(repo.root, env, "commit", "-m", "Add restore test")
    output = done.stdout + done.stderr
    assert done.returncode != 0
    assert "dspt check (policies, evidence, patient data)" in output and "Failed" in output
    printed = hook_output(output)
    assert printed[0] == ("evidence/2026/backup.md:4:1: SC001 'collected' is '2026-13-45', which is "
                          "not a real date"), output
    assert len(printed) == 2, output  # --brief: the error, then one summary line
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 1


def test_a_good_commit_goes_through(hooked_repo):
    repo, env = hooked_repo
    repo.write("evidence/2026/backup.md", "---\nid: EV-2\ntitle: Restore test\n"
                                          "collected: 2026-06-20\nby: bob\nsupports: [GV-1]\n"
                                          "outcome: pass\n---\n")
    git(repo.root, env, "add", "-A")
    done = git(repo.root, env, "commit", "-m", "Add restore test")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 2


def test_an_untracked_broken_draft_does_not_refuse_an_unrelated_commit(hooked_repo):
    """The hook checks what the commit holds (--staged): a draft never added is not in it."""
    repo, env = hooked_repo
    repo.write("evidence/2026/draft.md", BROKEN)  # untracked: pre-commit leaves it in place
    repo.write("README.md", "# Our evidence\n")
    git(repo.root, env, "add", "README.md")
    done = git(repo.root, env, "commit", "-m", "Add a README")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout + done.stderr
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 2
    assert (repo.root / "evidence/2026/draft.md").read_text() == BROKEN  # left as it was


def test_evidence_whose_attachment_is_not_staged_is_refused(hooked_repo):
    """Evidence committed without its attachment would lose it: AT001 at its files: entry,
    although the attachment is on disk (untracked)."""
    repo, env = hooked_repo
    digest = repo.attach("evidence/2026/cert.pdf", b"%PDF-1.4 certificate\n")
    repo.write("evidence/2026/insurance.md", "---\nid: EV-2\ntitle: Cyber insurance\n"
                                             "collected: 2026-06-20\nby: bob\nsupports: [GV-1]\n"
                                             f"outcome: pass\nfiles:\n  - path: cert.pdf\n"
                                             f"    sha256: {digest}\n---\n")
    git(repo.root, env, "add", "evidence/2026/insurance.md")
    done = git(repo.root, env, "commit", "-m", "Insurance, without its certificate")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    printed = hook_output(output)
    assert printed[0] == ("evidence/2026/insurance.md:9:5: AT001 attachment 'cert.pdf' of EV-2 "
                          "does not exist (looked for evidence/2026/cert.pdf)"), output
    assert len(printed) == 2, output
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 1

    git(repo.root, env, "add", "evidence/2026/cert.pdf")
    done = git(repo.root, env, "commit", "-m", "Insurance, with its certificate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 2


def test_commit_all_checks_the_index_git_commits_from(hooked_repo):
    """`git commit -a` commits from a temporary index (GIT_INDEX_FILE): an edit never staged
    by hand is in the commit, so it is checked."""
    repo, env = hooked_repo
    repo.write("evidence/2026/ico.md", BROKEN)  # tracked, edited, not staged
    done = git(repo.root, env, "commit", "-a", "-m", "Everything")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert hook_output(output)[0].startswith("evidence/2026/ico.md:1:1: FM011 "), output
    assert git(repo.root, env, "log", "--oneline").stdout.count("\n") == 1


def test_the_hook_definitions_are_valid_for_every_supported_pre_commit(pre_commit):
    version, bin_dir = pre_commit
    for argv in (["validate-manifest", ".pre-commit-hooks.yaml"], ["validate-config", ".pre-commit-config.yaml"]):
        done = run([bin_dir / "pre-commit", *argv], cwd=ROOT, check=False)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_hook_for_other_repositories():
    """Built by pre-commit from the repository (core dependencies only), the check over the
    whole repository with the errors first; supported from pre-commit 3.0 on."""
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook == {"id": "dspt-check", "name": "dspt check", "description": hook["description"],
                    "entry": "dspt check --brief --staged", "language": "python", "pass_filenames": False,
                    "always_run": True, "require_serial": True, "minimum_pre_commit_version": "3.0.0"}
    own = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    assert own["minimum_pre_commit_version"] == "3.0.0"
    (local,) = own["repos"][0]["hooks"]
    # `script` is known to every pre-commit 3.x and 4.x (4.4 calls it unsupported_script)
    assert local["language"] == "script" and local["entry"].endswith("check --brief --staged")
