"""``dspt check`` on 50,000 evidence files: under 10 s and under 300 MB peak memory.

    python bench/scale.py

Run alone or from ``bench/run.py``. The repository is generated in a temporary folder with
the same deterministic generator as the other benchmarks.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

EVIDENCE = 50_000
SECONDS_LIMIT = 10.0
PEAK_LIMIT_MB = 300.0

CHECK = r"""
import resource, sys
from dsptkit.main import main
code = main(["check", "--repo", sys.argv[1], "--as-of", "2026-11-01", "--format", "json"])
print(f"PEAK {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(0 if code in (0, 1) else code)
"""


def scale_bench(tmp: Path, rounds: int = 2) -> dict[str, float]:
    big = tmp / "fifty-thousand"
    generate(big, evidence=EVIDENCE, policies=500)
    times, peaks = [], []
    for _ in range(rounds + 1):  # the first run warms the file cache
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", CHECK, str(big)], capture_output=True,
                              text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"bench: check on {EVIDENCE} evidence failed:\n{done.stderr}")
        peaks.append(int(done.stderr.split("PEAK ")[1].split()[0]) / 1024)
    return {"scale_check_s": round(min(times[1:]), 2), "scale_check_limit_s": SECONDS_LIMIT,
            "scale_peak_mb": round(max(peaks), 1), "scale_peak_limit_mb": PEAK_LIMIT_MB}


def report(results: dict[str, float]) -> list[str]:
    """Print the results; the targets missed."""
    print(f"dspt check, {EVIDENCE:,} evidence: {results['scale_check_s']:6.2f} s "
          f"(limit {SECONDS_LIMIT:g} s), peak {results['scale_peak_mb']:.0f} MB "
          f"(limit {PEAK_LIMIT_MB:g} MB)")
    failures = []
    if results["scale_check_s"] > SECONDS_LIMIT:
        failures.append(f"check on {EVIDENCE:,} evidence takes over {SECONDS_LIMIT:g} s")
    if results["scale_peak_mb"] > PEAK_LIMIT_MB:
        failures.append(f"check on {EVIDENCE:,} evidence peaks over {PEAK_LIMIT_MB:g} MB")
    return failures


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="dspt-scale-") as folder:
        missed = report(scale_bench(Path(folder)))
    for failure in missed:
        print(f"FAIL: {failure}")
    sys.exit(1 if missed else 0)
