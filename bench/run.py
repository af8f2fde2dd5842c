"""``make bench``: performance targets as ratios measured side by side in one run.

* ``dspt check`` on 10,000 evidence files, 500 policies and a data map (500 information
  assets on 300 systems, 200 suppliers, 200 activities, 600 flows), against only reading
  every file and parsing its front matter (and the registers) with the YAML C loader: at
  most 1.5x.
* peak memory of that check: under 300 MB.
* ``dspt check`` on the example repository: under 0.5 s (it runs before every commit).
* git history of 10,000 files and 2,000 commits: read in under 3 s, with a fixed number of
  git subprocesses;
* the portal for the same repository against a plain Material build of as many plain pages
  left out of the navigation (search on): at most 1.3x; the example portal: under 3 s.
* a 200 MB text attachment adds at most 20 MB to the check's peak memory (``memory.py``).
* ``dspt check`` on 50,000 evidence files: under 10 s and 300 MB (``scale.py``).

Each command runs in a fresh interpreter, alternately, several times; the best of each is
compared, so a busy moment on a shared machine hurts both sides alike.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from history import history_bench  # noqa: E402
from memory import memory_bench  # noqa: E402
from memory import report as memory_report  # noqa: E402
from scale import report as scale_report  # noqa: E402
from scale import scale_bench  # noqa: E402

from adopt import adopt_bench  # noqa: E402
from portal import portal_bench  # noqa: E402

ROUNDS = 5
AS_OF = "2026-11-01"

BASELINE = r"""
import os, sys, yaml
root = sys.argv[1]
count = 0
for folder in ("policies", "evidence"):
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(dirpath, name), "rb") as handle:
                    text = handle.read().decode("utf-8")
                front = text.split("\n---\n", 1)[0][4:]
                yaml.load(front, Loader=yaml.CSafeLoader)
                count += 1
registers = os.path.join(root, "evidence", "registers")
for name in sorted(os.listdir(registers)):
    with open(os.path.join(registers, name), "rb") as handle:
        yaml.load(handle.read().decode("utf-8"), Loader=yaml.CSafeLoader)
print(count, file=sys.stderr)
"""

CHECK = r"""
import resource, sys
from dsptkit.main import main
code = main(["check", "--repo", sys.argv[1], "--as-of", sys.argv[2], "--format", "json"])
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"PEAK {peak_kb}", file=sys.stderr)
sys.exit(0 if code in (0, 1) else code)
"""


# Compiled bytecode is kept, as in any installed copy: a machine that sets
# PYTHONDONTWRITEBYTECODE would otherwise recompile dsptkit (an editable install) on every run,
# while the baseline's yaml comes precompiled from site-packages.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(args[:3])} failed:\n{done.stderr}")
    return elapsed, done.stderr


def main() -> int:
    python = sys.executable
    report: dict[str, object] = {}
    failures = []
    with tempfile.TemporaryDirectory(prefix="dspt-bench-") as tmp:
        big = Path(tmp) / "synthetic"
        print("generating 10,000 evidence files and 500 policies ...", flush=True)
        generate(big, evidence=10_000, policies=500)
        base_times, check_times, peaks = [], [], []
        timed([python, "-c", BASELINE, str(big)])  # warm the file cache for both sides
        timed([python, "-c", CHECK, str(big), AS_OF])
        for _ in range(ROUNDS):
            base_times.append(timed([python, "-c", BASELINE, str(big)])[0])
            elapsed, err = timed([python, "-c", CHECK, str(big), AS_OF])
            check_times.append(elapsed)
            peaks.append(int(err.split("PEAK ")[1].split()[0]) / 1024)
        example = [timed([python, "-c", CHECK, str(ROOT), AS_OF])[0] for _ in range(ROUNDS)]
        print("building the portal for it, and a plain Material site of as many pages ...",
              flush=True)
        portal = portal_bench(big, Path(tmp), pages=10_000)
        print("reading the history of 10,000 files and 2,000 commits ...", flush=True)
        portal |= history_bench(Path(tmp))
        print("checking a tiny repository with and without a 200 MB attachment ...", flush=True)
        memory = memory_bench(Path(tmp))
        print("checking 50,000 evidence files ...", flush=True)
        memory |= scale_bench(Path(tmp))
        print("adopting 100 documents ...", flush=True)
        memory |= adopt_bench(Path(tmp), ENV)
    base, check, peak = min(base_times), min(check_times), max(peaks)
    ratio = check / base
    report = {
        "baseline_parse_s": round(base, 3), "check_s": round(check, 3),
        "ratio": round(ratio, 2), "ratio_limit": 1.5,
        "check_peak_mb": round(peak, 1), "peak_limit_mb": 300,
        "example_check_s": round(min(example), 3), "example_limit_s": 0.5,
    } | portal | memory
    print(f"front matter parse only (YAML C loader): {base:6.2f} s")
    print(f"dspt check, 10,000 evidence + 500 policies: {check:6.2f} s  "
          f"= {ratio:.2f}x the parse (limit 1.5x)")
    print(f"dspt check peak memory: {peak:6.1f} MB (limit 300 MB)")
    print(f"dspt check on the example repository: {min(example):6.3f} s (limit 0.5 s)")
    print(f"portal, 10,000 evidence: {portal['portal_s']:6.1f} s; plain Material site of 10,000 "
          f"pages: {portal['plain_s']:6.1f} s = {portal['portal_ratio']:.2f}x (limit 1.3x)")
    print(f"portal for the example repository: {portal['example_portal_s']:6.1f} s (limit 3 s)")
    if portal["portal_ratio"] > 1.3:
        failures.append("the portal is over 1.3x the plain Material build")
    print(f"history of 10,000 files and 2,000 commits: {portal['history_s']:6.2f} s with "
          f"{portal['history_git_calls']} git calls (limit 3 s; the count does not grow with files)")
    if portal["history_s"] > 3:
        failures.append("reading the history takes over 3 s")
    failures += memory_report(memory)
    failures += scale_report(memory)
    print(f"dspt adopt, 100 documents: {memory['adopt_100_s']:6.2f} s (limit 5 s)")
    if memory["adopt_100_s"] > 5:
        failures.append("adopting 100 documents takes over 5 s")
    if portal["example_portal_s"] > 3:
        failures.append("the example portal takes over 3 s")
    if ratio > 1.5:
        failures.append("check is over 1.5x the parse baseline")
    if peak > 300:
        failures.append("check peak memory is over 300 MB")
    if min(example) > 0.5:
        failures.append("check on the example is over 0.5 s")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("bench: all targets met" if not failures else "bench: targets missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
