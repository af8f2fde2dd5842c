"""Packaging with the real tools, as an organisation installs dsptkit.

The working tree is copied out of the checkout as a checkout without symlinks would hold it
(``git clone -c core.symlinks=false``: a link becomes a small file holding its target), so
the test sees the files as they are now, not as last committed. From that copy pip builds a
wheel and the build frontend an sdist; the wheel is installed with the core dependencies
only into a fresh venv outside the checkout, and a wheel built from the sdist into another.
Then ``dspt`` is run there as a user would run it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
# what only the extras bring: none of it may be in the core install
PORTAL_ONLY = ("mkdocs", "material", "markdown", "nh3", "jinja2", "markupsafe", "pymdownx")
WORD_ONLY = ("docx", "lxml")
# pip and setuptools come with every venv (pre-commit's too); the rest is what dsptkit brings
SEEDED = ("pip", "setuptools", "pkg_resources", "_distutils_hack", "distutils-precedence.pth")
CORE_LIMIT_MB = 40
DSPTKIT_LIMIT_MB = 15
PACKAGE_DATA = ("templates", "schemas", "portal/templates")


@dataclass
class Dist:
    wheel: Path
    sdist: Path
    wheel_from_sdist: Path
    tree: Path  # the copy the wheel was built from


def _run(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited {done.returncode}\n--- stdout\n"
                    f"{done.stdout}\n--- stderr\n{done.stderr}")
    return done


def _copy_without_symlinks(dest: Path) -> None:
    """The working tree's files (tracked and new, not ignored) as plain files."""
    listing = _run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                    "--exclude-standard"]).stdout
    for name in sorted(set(filter(None, listing.split("\0")))):
        source = ROOT / name
        if not source.is_symlink() and not source.is_file():
            continue  # deleted in the working tree, or a folder (a submodule)
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():  # what core.symlinks=false checks out: the link's target as text
            target.write_text(os.readlink(source), encoding="utf-8")
        else:
            target.write_bytes(source.read_bytes())


def _needs_build_tools() -> None:
    try:
        import build  # noqa: F401
        import setuptools
    except ImportError as exc:
        pytest.fail(f"{exc.name} is missing from the test venv: run 'make install' (or "
                    f"{sys.executable} -m pip install -e '.[dev]')")
    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.fail(f"setuptools {setuptools.__version__} cannot build dsptkit (pyproject.toml "
                    "needs 77 or later): run 'make install'")


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    _needs_build_tools()
    base = tmp_path_factory.mktemp("packaging")
    tree = base / "checkout"
    _copy_without_symlinks(tree)
    out = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--wheel-dir", str(out), str(tree)])
    _run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", str(out),
          str(tree)])
    sdist = out / f"dsptkit-{VERSION}.tar.gz"
    from_sdist = base / "from-sdist"
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
          "--wheel-dir", str(from_sdist), str(sdist)])
    wheel_name = f"dsptkit-{VERSION}-py3-none-any.whl"
    return Dist(out / wheel_name, sdist, from_sdist / wheel_name, tree)


def _venv(where: Path, wheel: Path) -> Path:
    """A fresh venv with the wheel and its core dependencies, installed by pip."""
    _run([sys.executable, "-m", "venv", str(where)])
    _run([str(where / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)])
    return where


def _env(venv: Path, home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "DSPT_AS_OF") and not key.startswith("GIT_")}
    home.mkdir(exist_ok=True)
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", HOME=str(home),
               GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
               GIT_AUTHOR_NAME="Test Author", GIT_AUTHOR_EMAIL="author@example.org",
               GIT_COMMITTER_NAME="Test Author", GIT_COMMITTER_EMAIL="author@example.org")
    return env


@dataclass
class Core:
    venv: Path
    env: dict[str, str]
    work: Path

    def dspt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run([str(self.venv / "bin" / "dspt"), *args], cwd=self.work, env=self.env,
                    check=check)


@pytest.fixture(scope="module")
def core(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Core:
    base = tmp_path_factory.mktemp("core")
    venv = _venv(base / "venv", dist.wheel)
    work = base / "work"
    work.mkdir()
    return Core(venv, _env(venv, base / "home"), work)


@pytest.fixture(scope="module")
def org(core: Core) -> Path:
    core.dspt("init", "acme", "--name", "Acme Care Ltd", "--category", "3", "--ods-code",
              "8AB12", "--tool", f"dsptkit=={VERSION}")
    return core.work / "acme"


def _site_packages(venv: Path) -> Path:
    found = list(venv.glob("lib/python3*/site-packages"))
    assert len(found) == 1, found
    return found[0]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert "internal error" not in done.stderr, done.stderr


# -- the wheel, from a checkout without symlinks ---------------------------------------------

def _package_data(tree: Path) -> set[str]:
    package = tree / "tooling" / "dsptkit"
    return {p.relative_to(tree / "tooling").as_posix()
            for folder in PACKAGE_DATA for p in (package / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def test_the_wheel_carries_every_template_schema_and_portal_template(dist):
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = set(wheel.namelist())
    missing = _package_data(dist.tree) - names
    assert not missing, f"package data left out of the wheel (pyproject.toml package-data): {missing}"
    assert "dsptkit/templates/standards/dspt/catalogue.yaml" in names
    assert "dsptkit/templates/site_config/overrides/main.html" in names


def test_dspt_version_is_the_one_in_pyproject(core):
    assert core.dspt("--version").stdout.strip() == f"dspt {VERSION}"


def test_the_core_install_leaves_the_portal_and_word_out_and_stays_small(core, record_property):
    python = str(core.venv / "bin" / "python")
    probe = ("import importlib.util, sys\n"
             "print(' '.join(n for n in sys.argv[1:] if importlib.util.find_spec(n)))")
    present = _run([python, "-c", probe, *PORTAL_ONLY, *WORD_ONLY]).stdout.split()
    assert present == [], f"the core install pulled in what only the extras need: {present}"
    assert not (core.venv / "bin" / "mkdocs").exists()

    site = _site_packages(core.venv)
    total = _size(site)
    seeded = sum(_size(p) for p in site.iterdir() if p.name.split("-")[0] in SEEDED)
    record_property("core_site_packages_mb", round(total / 1e6, 1))
    record_property("dsptkit_and_deps_mb", round((total - seeded) / 1e6, 1))
    print(f"core venv site-packages: {total / 1e6:.1f} MB, of which dsptkit and its "
          f"dependencies {(total - seeded) / 1e6:.1f} MB (pip and setuptools the rest)")
    assert total < CORE_LIMIT_MB * 1e6, f"{total / 1e6:.1f} MB"
    assert total - seeded < DSPTKIT_LIMIT_MB * 1e6, f"{(total - seeded) / 1e6:.1f} MB"


def test_init_check_status_and_export_work_from_the_core_install(core, org):
    assert (org / "standards" / "dspt" / "catalogue.yaml").is_file()
    assert (org / "site_config" / "overrides" / "main.html").is_file()
    core.dspt("check", "--repo", str(org))  # exit 0: no errors (a new repository has findings)
    status = core.dspt("status", "--repo", str(org))
    assert status.stdout.strip()
    out = core.work / "submission"
    core.dspt("export", str(out), "--repo", str(org))
    assert (out / "submission.md").is_file()


def test_the_portal_without_its_extra_says_what_to_install(core, org):
    done = core.dspt("portal", "export", str(core.work / "pages"), "--repo", str(org),
                     check=False)
    assert done.returncode != 0
    _no_traceback(done)
    # the extra pinned to the very wheel that was installed, never the bare name
    assert re.search(r"pip install 'dsptkit\[portal\] @ file:///\S+\.whl#sha256=[0-9a-f]{64}'",
                     done.stderr), done.stderr


def test_adopting_a_word_file_without_its_extra_says_what_to_install(core, org):
    document = core.work / "Access control.docx"
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    before = sorted(p.relative_to(org).as_posix() for p in org.rglob("*") if ".git" not in p.parts)
    done = core.dspt("adopt", str(document), "--repo", str(org), check=False)
    assert done.returncode == 2, done.stderr
    _no_traceback(done)
    assert re.search(r"pip install 'dsptkit\[word\] @ file:///\S+\.whl#sha256=[0-9a-f]{64}'",
                     done.stderr), done.stderr
    assert "Access control.docx" in done.stderr
    after = sorted(p.relative_to(org).as_posix() for p in org.rglob("*") if ".git" not in p.parts)
    assert after == before, "nothing may be written when the run stops"


# -- the sdist -------------------------------------------------------------------------------

def test_the_sdist_leaves_the_tests_out_and_holds_the_package_data(dist):
    with tarfile.open(dist.sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    top = {name.split("/")[0] for name in names}
    assert "tests" not in top, "the sdist holds tests that cannot run without the repository"
    assert {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "tooling"} <= top, top
    missing = {f"tooling/{name}" for name in _package_data(dist.tree)} - names
    assert not missing, f"package data left out of the sdist: {missing}"


def test_a_wheel_built_from_the_sdist_installs_and_runs_init(dist, tmp_path_factory):
    with zipfile.ZipFile(dist.wheel) as a, zipfile.ZipFile(dist.wheel_from_sdist) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
    base = tmp_path_factory.mktemp("from-sdist")
    venv = _venv(base / "venv", dist.wheel_from_sdist)
    work = base / "work"
    work.mkdir()
    user = Core(venv, _env(venv, base / "home"), work)
    user.dspt("init", "org", "--name", "Acme Care Ltd", "--category", "3", "--ods-code", "8AB12",
              "--tool", f"dsptkit=={VERSION}", "--no-git")
    assert (work / "org" / "standards" / "dspt" / "catalogue.yaml").is_file()
    user.dspt("check", "--repo", str(work / "org"))


def test_the_package_metadata_names_the_same_home_as_the_code():
    import tomllib

    import dsptkit

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["urls"]
    assert urls["Homepage"] == dsptkit.PROJECT_URL
    assert all(url.startswith(dsptkit.PROJECT_URL) for url in urls.values())
