"""Memory (part of ``make bench``): a 200 MB attachment adds no more than 20 MB to the peak
memory of ``dspt check``, because it is hashed and scanned for patient data a chunk at a time.

    python bench/memory.py [--size-mb 200]

Two tiny repositories, alike but for the size of one text attachment (a log-like export,
digits on every line, so the scan does its full work, with an NHS number on its last line),
are each checked in a fresh interpreter that reports its own peak resident memory
(``resource.getrusage``). The number must be reported at the right line in both, which shows
the whole file was read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

LIMIT_MB = 20
ROUNDS = 2
AS_OF = "2026-11-01"
CHECK = r"""
import resource, sys
from dsptkit.main import main
code = main(["check", "--repo", sys.argv[1], "--as-of", sys.argv[2], "--format", "json"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(f"PEAK {peak * (1 if sys.platform == 'darwin' else 1024)}", file=sys.stderr)
sys.exit(0 if code in (0, 1) else code)
"""
LAST = b"A,NHS number 401 023 2137,discharged\n"


def _block() -> bytes:
    """About 1 MiB of export lines: timestamps, counts and ids, no patient identifiers."""
    lines = [f"2026-01-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}:07,ward {n % 9},"
             f"event {n:06d},order {3_000_000_000 + n * 7919},took {n % 977} ms\n"
             for n in range(14_000)]
    return "".join(lines).encode()


def _repository(target: Path, blocks: int) -> int:
    """A tiny repository with one attachment of ``blocks`` blocks; the line of its last line."""
    generate(target, evidence=20, policies=2)
    block = _block()
    digest = hashlib.sha256()
    folder = target / "evidence" / "2026"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "export.csv", "wb") as handle:
        for _ in range(blocks):
            handle.write(block)
            digest.update(block)
        handle.write(LAST)
        digest.update(LAST)
    (folder / "export.md").write_text(
        "---\nid: EV-EXPORT\ntitle: Event export\ncollected: 2026-10-01\nby: person-01\n"
        "supports: [P0000-0]\noutcome: pass\nfiles:\n  - path: export.csv\n"
        f"    sha256: {digest.hexdigest()}\n---\n")
    return blocks * block.count(b"\n") + 1


def _check(root: Path, line: int) -> tuple[float, float]:
    """Peak memory (MB) and time of one check; fails unless the number is found at ``line``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHECK, str(root), AS_OF], capture_output=True,
                          text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench: dspt check failed on {root}:\n{done.stderr}")
    found = [(r["path"], r["line"]) for r in json.loads(done.stdout)["results"]
             if r["code"] == "PD001"]
    if found != [("evidence/2026/export.csv", line)]:
        raise SystemExit(f"bench: the NHS number on line {line} was not found alone: {found}")
    return int(done.stderr.split("PEAK ")[1].split()[0]) / 1e6, elapsed


def memory_bench(work: Path, size_mb: int = 200) -> dict[str, float]:
    small, large = work / "memory-small", work / "memory-large"
    small_line = _repository(small, 1)
    blocks = -(-size_mb * 1_000_000 // len(_block()))
    large_line = _repository(large, blocks)
    size = (large / "evidence/2026/export.csv").stat().st_size / 1e6
    base, big, times = [], [], []
    for _ in range(ROUNDS):
        base.append(_check(small, small_line)[0])
        peak, elapsed = _check(large, large_line)
        big.append(peak)
        times.append(elapsed)
    (large / "evidence/2026/export.csv").unlink()  # 200 MB need not wait for the rest
    return {"memory_attachment_mb": round(size, 1),
            "memory_base_peak_mb": round(statistics.median(base), 1),
            "memory_large_peak_mb": round(statistics.median(big), 1),
            "memory_added_mb": round(statistics.median(big) - statistics.median(base), 1),
            "memory_limit_mb": LIMIT_MB, "memory_large_check_s": round(min(times), 2)}


def report(result: dict[str, float]) -> list[str]:
    """Print the result; the failures, if any."""
    print(f"dspt check peak memory, tiny repository: {result['memory_base_peak_mb']:6.1f} MB; "
          f"with a {result['memory_attachment_mb']:.0f} MB attachment: "
          f"{result['memory_large_peak_mb']:6.1f} MB (+{result['memory_added_mb']:.1f} MB, "
          f"limit +{LIMIT_MB} MB), in {result['memory_large_check_s']:.1f} s")
    if result["memory_added_mb"] > LIMIT_MB:
        return [f"a {result['memory_attachment_mb']:.0f} MB attachment adds over {LIMIT_MB} MB "
                "to the check's peak memory"]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="dspt-memory-") as tmp:
        failures = report(memory_bench(Path(tmp), args.size_mb))
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
