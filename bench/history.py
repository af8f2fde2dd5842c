"""History speed (part of `make bench`): a repository of 10,000 files and 2,000 commits,
made with `git fast-import`, read in under 3 seconds with a fixed number of git calls."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tooling"))


def make_history(target: Path, files: int = 10_000, commits: int = 2_000) -> None:
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    per_commit = files // commits
    stream = []
    for n in range(commits):
        stamp = 1_735_689_600 + n * 3_600  # one commit an hour from 2025-01-01
        stream.append(f"commit refs/heads/main\nmark :{n + 1}\n"
                      f"author Bench <bench@example.org> {stamp} +0000\n"
                      f"committer Bench <bench@example.org> {stamp} +0000\n"
                      f"data {len(f'commit {n}')}\ncommit {n}\n")
        if n:
            stream.append(f"from :{n}\n")
        for k in range(per_commit):
            index = n * per_commit + k
            body = f"---\nid: EV-{index:05d}\n---\nfile {index}\n"
            stream.append(f"M 100644 inline evidence/{index // 1000:02d}/EV-{index:05d}.md\n"
                          f"data {len(body)}\n{body}")
        stream.append("\n")
    subprocess.run(["git", "-C", str(target), "fast-import", "--quiet"],
                   input="".join(stream).encode(), check=True)
    subprocess.run(["git", "-C", str(target), "checkout", "-q", "main"], check=True)


def history_bench(work: Path) -> dict[str, float]:
    from dsptkit import git as history

    repo = work / "history-repo"
    make_history(repo)
    best = None
    calls = 0
    for _ in range(3):
        history._cache.clear()
        before = history.GIT_CALLS
        start = time.perf_counter()
        found = history.read_history(repo)
        history.policy_changes(repo, found)
        elapsed = time.perf_counter() - start
        calls = history.GIT_CALLS - before
        best = elapsed if best is None else min(best, elapsed)
        assert len(found.commits) == 2_000 and len(found.by_path) == 10_000
    return {"history_s": round(best or 0.0, 2), "history_limit_s": 3.0, "history_git_calls": calls}
