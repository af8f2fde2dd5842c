"""Every rule, as data: ``cases/<CODE>.yaml`` holds a case that makes the rule fire and a
near miss where it stays quiet (in the manner of sqlfluff's ``std_rule_cases``).

Each case changes the clean base repository (``BASE_FILES`` in tests/conftest.py), runs the
one pipeline in-process and checks its ``Result`` objects. A case file looks like::

    code: CL104
    git: false                # true: the base is committed (2026-06-01, Bob Brown) first
    fires:
      what: a plan past its target
      replace:
        policies/governance.md:
          - ["evidence_every: 90d\\n", "evidence_every: 90d\\n    status: planned\\n..."]
      as_of: 2026-07-01       # optional; the default is AS_OF (tests/conftest.py)
      expect:                 # every result of the rule, each matched by one of these
        - {path: policies/governance.md, line: 9, message: "was due by 2026-06-30"}
    quiet:                    # one change to the base, close to the firing case
      what: a plan due today
      replace: ...
    more:                     # optional further cases: firing with `expect`, else quiet
      - what: ...

Changes to files, applied in this order: ``mkdir: [paths]``, ``write: {path: text}`` (or
``{path: {text, encoding, newline, pad}}``), ``append: {path: text}``, ``replace: {path:
[[old, new], ...]}`` (each ``old`` must be there), ``remove: [paths]``, ``symlink: {path:
target}``. ``outside: {name: text}`` writes files beside the repository (for links and
attachments leading out of it); it is not a change to the repository. In text,
``{{sha256:PATH}}`` is the sha256 of that file as it is at that moment.

``commits: [{message, date, author?, email?, <changes>}]`` are made in order, in a git
repository, before the case's own changes (which stay uncommitted); ``clone: {depth: N}``
runs the check on a clone of the result.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import AS_OF
from dsptkit import pipeline
from dsptkit.model import Severity
from dsptkit.rules import REGISTRY
from rules.builders import (  # noqa: F401  (other test modules import these from here)
    CERTIFICATE,
    PLANNED,
    evidence,
    policy,
    waiver,
    with_org,
)

CASES = Path(__file__).parent / "cases"
FILE_CHANGES = ("mkdir", "write", "append", "replace", "remove", "symlink")
CASE_KEYS = {"what", "as_of", "expect", "commits", "clone", "outside", *FILE_CHANGES}
COMMIT_KEYS = {"message", "date", "author", "email", *FILE_CHANGES}
EXPECT_KEYS = {"code", "path", "line", "col", "message", "subject"}


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


FILES = sorted(CASES.glob("*.yaml"))
DATA = {path.stem: _load(path) for path in FILES}


def _cases() -> list:
    params = []
    for code, data in DATA.items():
        for kind in ("fires", "quiet"):
            if kind in data:
                params.append(pytest.param(code, kind, data[kind], id=f"{code}-{kind}"))
        for n, case in enumerate(data.get("more", ()), 1):
            kind = "fires" if "expect" in case else "quiet"
            params.append(pytest.param(code, kind, case, id=f"{code}-more{n}-{kind}"))
    return params


# -- applying a case ---------------------------------------------------------------------------

_SHA = re.compile(r"\{\{sha256:([^}]+)\}\}")


def _text(root: Path, value) -> bytes:
    """The bytes a ``write`` or ``append`` value stands for."""
    spec = value if isinstance(value, dict) else {"text": value}
    text = _SHA.sub(lambda m: hashlib.sha256((root / m[1]).read_bytes()).hexdigest(),
                    spec["text"])
    text += "x" * spec.get("pad", 0)
    if "newline" in spec:
        text = text.replace("\n", spec["newline"])
    return text.encode(spec.get("encoding", "utf-8"))


def apply(root: Path, changes: dict) -> None:
    for path in changes.get("mkdir", ()):
        (root / path).mkdir(parents=True, exist_ok=True)
    for path, value in changes.get("write", {}).items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_text(root, value))
    for path, value in changes.get("append", {}).items():
        with open(root / path, "ab") as handle:
            handle.write(_text(root, value))
    for path, pairs in changes.get("replace", {}).items():
        text = (root / path).read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"replace: {old!r} is not in {path}"
            text = text.replace(old, _SHA.sub(
                lambda m: hashlib.sha256((root / m[1]).read_bytes()).hexdigest(), new), 1)
        (root / path).write_text(text, encoding="utf-8")
    for path in changes.get("remove", ()):
        (root / path).unlink()
    for path, target in changes.get("symlink", {}).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / path)


def snapshot(root: Path) -> dict[str, object]:
    """Every file, folder and link under ``root`` (bar .git), to tell whether a case changed
    anything."""
    found: dict[str, object] = {}
    for here, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f != ".git"]
        for name in folders + files:
            path = Path(here) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                found[rel] = ("folder",)
            else:
                found[rel] = path.read_bytes()
    return found


def changed_paths(case: dict) -> list[str]:
    """The repository paths a case changes, once for each change (commits included)."""
    paths = []
    for changes in [case, *case.get("commits", ())]:
        for key in FILE_CHANGES:
            value = changes.get(key) or ()
            paths.extend(value if isinstance(value, list) else list(value))
    return paths


def run_case(request, code: str, case: dict):
    """Build the case's repository; return the pipeline's run and whether files changed."""
    git = DATA[code].get("git", False)
    repo = request.getfixturevalue("git_repo" if git else "repo")
    before = snapshot(repo.root)
    for name, text in case.get("outside", {}).items():
        (repo.root.parent / name).parent.mkdir(parents=True, exist_ok=True)
        (repo.root.parent / name).write_bytes(_text(repo.root, text))
    for commit in case.get("commits", ()):
        assert git, f"{code}: commits need 'git: true'"
        apply(repo.root, commit)
        repo.commit(commit["message"], date=str(commit["date"]),
                    **{k: commit[k] for k in ("author", "email") if k in commit})
    apply(repo.root, case)
    changed = snapshot(repo.root) != before
    root = repo.root
    if "clone" in case:
        root = repo.root.parent / "clone"
        depth = case["clone"].get("depth")
        subprocess.run(["git", "clone", "-q", *(["--depth", str(depth)] if depth else []),
                        f"file://{repo.root}", str(root)], check=True, capture_output=True)
    return pipeline.run(root, str(case.get("as_of", AS_OF))), changed


# -- the cases ---------------------------------------------------------------------------------

@pytest.mark.parametrize("code,kind,case", _cases())
def test_rule_case(request, code: str, kind: str, case: dict):
    run, changed = run_case(request, code, case)
    rule = REGISTRY[code]
    assert code not in run.skipped, f"{code} was skipped: {run.notes}"
    if "history" in rule.needs:
        assert run.history is not None and run.history.available, run.notes
    if kind == "quiet":
        if case is DATA[code]["quiet"]:
            assert changed, "the near miss must change the base repository"
        assert [r for r in run.results if r.code == code] == []
        assert [r for r, _ in run.waived if r.code == code] == []
        return
    found = [r for r in run.results if r.code == code]
    assert found, f"{code} did not fire; results: {run.results}"
    expected = [dict(e) for e in case["expect"]]
    unmatched = list(found)
    for want in expected:
        want_code = want.get("code", code)
        pool = unmatched if want_code == code else list(run.results)
        match = next((r for r in pool if _matches(r, want, want_code)), None)
        assert match is not None, f"no result like {want} in {pool}"
        if want_code == code:
            unmatched.remove(match)
    assert unmatched == [], f"results of {code} not expected: {unmatched}"
    assert all(r.severity is rule.severity for r in found)
    if rule.severity is not Severity.ERROR:  # a finding's case must not break the repository
        assert run.errors == 0, [r for r in run.results if r.severity is Severity.ERROR]


def _matches(res, want: dict, code: str) -> bool:
    return (res.code == code and res.loc.path == want["path"]
            and want["message"] in res.message
            and want.get("line", res.loc.line) == res.loc.line
            and want.get("col", res.loc.col) == res.loc.col
            and want.get("subject", res.subject) == res.subject)


# -- the case files themselves -----------------------------------------------------------------

def test_every_rule_has_a_case_file_with_a_firing_and_a_quiet_case():
    codes = {rule.code for rule in REGISTRY.all()}
    assert sorted(codes - set(DATA)) == [], "rules without a case file"
    for code in codes:
        assert "fires" in DATA[code] and "expect" in DATA[code]["fires"], code
        assert "quiet" in DATA[code] and "expect" not in DATA[code]["quiet"], code


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_a_case_file_names_a_registered_rule_and_is_well_formed(path: Path):
    data = DATA[path.stem]
    assert data["code"] == path.stem
    assert data["code"] in REGISTRY
    assert set(data) <= {"code", "git", "fires", "quiet", "more"}
    for case in [data["fires"], data["quiet"], *data.get("more", ())]:
        assert set(case) <= CASE_KEYS, set(case) - CASE_KEYS
        assert case.get("what"), "say what the case is"
        for commit in case.get("commits", ()):
            assert set(commit) <= COMMIT_KEYS and {"message", "date"} <= set(commit)
        for want in case.get("expect", ()):
            assert set(want) <= EXPECT_KEYS and {"path", "message"} <= set(want), want


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_the_quiet_case_is_one_change_from_the_base(path: Path):
    quiet = DATA[path.stem]["quiet"]
    assert len(changed_paths(quiet)) == 1, changed_paths(quiet)
    assert "clone" not in quiet or quiet.get("commits")
