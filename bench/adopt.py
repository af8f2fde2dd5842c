"""``make bench``: adopting 100 documents (target under 5 s).

The documents are the adopt corpus's Markdown (tests/adopt/corpus), copied until there are
100, adopted by the real command into a new repository with that organisation's roles."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "adopt" / "corpus"
DOCUMENTS = 100


def adopt_bench(tmp: Path, env: dict[str, str]) -> dict[str, float]:
    dspt = [sys.executable, "-m", "dsptkit"]
    repo = tmp / "adopt-repo"
    subprocess.run([*dspt, "init", str(repo), "--name", "Bench Ltd", "--category", "3",
                    "--no-starter", "--no-git"], check=True, capture_output=True, env=env)
    org = CORPUS / "kestrel-software" / "_org"
    shutil.copy(org / "organisation.yaml", repo / "organisation.yaml")
    shutil.copy(org / "people.yaml", repo / "evidence" / "registers" / "people.yaml")
    docs = sorted(p for p in (CORPUS / "kestrel-software").rglob("*.md") if "_org" not in p.parts
                  and "register" not in p.name.lower())
    inbox = tmp / "adopt-inbox"
    count = 0
    while count < DOCUMENTS:
        for doc in docs:
            if count >= DOCUMENTS:
                break
            target = inbox / f"copy{count // len(docs)}" / doc.relative_to(CORPUS)
            target.parent.mkdir(parents=True, exist_ok=True)
            # each copy differs by a line, so adopt does not take it for the same document
            target.write_text(doc.read_text("utf-8") + f"\n<!-- copy {count} -->\n", "utf-8")
            count += 1
    start = time.perf_counter()
    done = subprocess.run([*dspt, "adopt", str(inbox), "--owner", "ig_lead", "--repo", str(repo)],
                          capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"adopt failed in the bench: {done.stderr[-500:]}")
    return {"adopt_100_s": round(elapsed, 2), "adopt_limit_s": 5}
