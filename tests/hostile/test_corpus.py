"""The hostile corpus (corpus.yaml): every case ends with the exit code it should, a message
naming the file, no traceback, and nothing changed, .git included."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from dsptkit.main import main
from rules.test_rule_cases import apply

CORPUS = yaml.safe_load((Path(__file__).with_name("corpus.yaml")).read_text("utf-8"))


def _fingerprint(root: Path) -> dict[str, str]:
    """A hash of every file, link and folder under ``root``, .git included (bar its index,
    a cache git refreshes when asked for status)."""
    found = {}
    for here, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(here, name)
            rel = path.relative_to(root).as_posix()
            if rel == ".git/index":
                continue
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not path.is_dir():
                found[rel] = "special"
            else:
                found[rel] = "folder"
    return found


@pytest.mark.parametrize("case", CORPUS, ids=[c["what"] for c in CORPUS])
def test_hostile_case(case, repo, git_env, tmp_path, capsys, monkeypatch):
    root = repo.root
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    for name, text in case.get("scratch", {}).items():
        (scratch / name).write_text(text)
    if case.get("git"):
        for key, value in git_env.items():
            monkeypatch.setenv(key, value)
        for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Start"]):
            subprocess.run(["git", *args], cwd=root, env=git_env, check=True, capture_output=True)
    apply(root, case)
    for path in case.get("fifo", ()):
        os.mkfifo(root / path)
    if "deep" in case:
        (root / case["deep"]).write_text("---\nid: deep\nextra: " + "[" * 20000 + "]" * 20000 +
                                         "\n---\n")
    for key, value in case.get("env", {}).items():
        monkeypatch.setenv(key, value)
    args = [a.replace("{root}", str(root)).replace("{tmp}", str(scratch)) for a in case["run"]]
    if args[0] in ("check", "status"):
        if "--repo" not in args:
            args += ["--repo", str(root)]
        if "--as-of" not in args and "DSPT_AS_OF" not in case.get("env", {}):
            args += ["--as-of", "2026-07-01"]
    before = _fingerprint(root)
    capsys.readouterr()
    try:
        code = main(args)
    except SystemExit as stop:  # argparse's own usage errors
        code = stop.code
    out, err = capsys.readouterr()
    said = out + err
    assert code == case["exit"], said
    assert case["says"] in said, said
    assert "Traceback" not in said and "internal error" not in said
    assert _fingerprint(root) == before
    assert not (scratch / "out").exists() or case["exit"] == 0
