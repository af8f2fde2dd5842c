"""Portal build speed, side by side in one run (part of `make bench`; or on its own:
`python bench/portal.py`, which generates the synthetic repository first).

* the portal for the synthetic 10,000-evidence repository, against a plain Material build
  (search on) of the same number of plain pages left out of the navigation: at most 1.3x,
  aiming for 1.15x;
* the example repository's portal: under 3 s.

Builds alternate, ROUNDS times, and the best of each is compared: a busy moment on a shared
machine hurts both sides alike. Wall-clock time is what a person waits for; CPU time (user
and system) is reported beside it because it is steadier on a noisy machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

ROUNDS = 3
RATIO_LIMIT = 1.3
RATIO_AIM = 1.15
EXAMPLE_LIMIT_S = 3.0

BASELINE_CONFIG = """\
site_name: Plain pages
use_directory_urls: false
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - Home: index.md
"""


def plain_site(folder: Path, pages: int) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nThe baseline.\n")
    for n in range(pages):
        sub = docs / f"p{n // 1000:02d}"
        sub.mkdir(exist_ok=True)
        (sub / f"page-{n:05d}.md").write_text(
            f"# Page {n}\n\nA plain page with a paragraph of text about nothing in particular, "
            f"number {n}.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    (folder / "mkdocs.yml").write_text(BASELINE_CONFIG)
    return folder / "mkdocs.yml"


def build(config: Path, site: Path, env: dict[str, str]) -> tuple[float, float]:
    """One `mkdocs build`: (wall-clock seconds, CPU seconds of the build process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "-q", "-f",
                           str(config), "-d", str(site)], capture_output=True, text=True,
                          env=env, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"bench: mkdocs build of {config} failed:\n{done.stdout}{done.stderr}")
    shutil.rmtree(site, ignore_errors=True)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def portal_bench(synthetic: Path, work: Path, pages: int) -> dict[str, float]:
    shutil.copy(ROOT / "mkdocs.yml", synthetic / "mkdocs.yml")
    shutil.copytree(ROOT / "site_config", synthetic / "site_config", dirs_exist_ok=True)
    baseline_config = plain_site(work / "plain", pages)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DSPT_AS_OF="2026-11-01")
    portal, plain = [], []
    for _ in range(ROUNDS):  # alternate, and keep the best of each
        portal.append(build(synthetic / "mkdocs.yml", work / "portal-site", env))
        plain.append(build(baseline_config, work / "plain-site", env))
    example_env = dict(env, DSPT_AS_OF="2026-11-22")
    example = min(build(ROOT / "mkdocs.yml", work / "example-site", example_env)[0]
                  for _ in range(ROUNDS))
    portal_s, plain_s = min(t for t, _ in portal), min(t for t, _ in plain)
    portal_cpu, plain_cpu = min(c for _, c in portal), min(c for _, c in plain)
    return {"portal_s": round(portal_s, 1), "plain_s": round(plain_s, 1),
            "portal_ratio": round(portal_s / plain_s, 2), "portal_ratio_limit": RATIO_LIMIT,
            "portal_ratio_aim": RATIO_AIM,
            "portal_cpu_s": round(portal_cpu, 1), "plain_cpu_s": round(plain_cpu, 1),
            "portal_cpu_ratio": round(portal_cpu / plain_cpu, 2),
            "example_portal_s": round(example, 2), "example_portal_limit_s": EXAMPLE_LIMIT_S}


def report(results: dict[str, float]) -> list[str]:
    """The portal's numbers in words, and the targets it misses (an empty list: all met)."""
    print(f"portal, 10,000 evidence: {results['portal_s']:6.1f} s; plain Material site of 10,000 "
          f"pages: {results['plain_s']:6.1f} s = {results['portal_ratio']:.2f}x "
          f"(limit {RATIO_LIMIT}x, aim {RATIO_AIM}x); CPU time {results['portal_cpu_s']:.1f} s "
          f"against {results['plain_cpu_s']:.1f} s = {results['portal_cpu_ratio']:.2f}x")
    print(f"portal for the example repository: {results['example_portal_s']:6.2f} s "
          f"(limit {EXAMPLE_LIMIT_S:g} s)")
    failures = []
    if results["portal_ratio"] > RATIO_LIMIT:
        failures.append(f"the portal is over {RATIO_LIMIT}x the plain Material build")
    if results["example_portal_s"] > EXAMPLE_LIMIT_S:
        failures.append(f"the example portal takes over {EXAMPLE_LIMIT_S:g} s")
    return failures


def main() -> int:
    sys.path.insert(0, str(HERE))
    from generate import generate

    with tempfile.TemporaryDirectory(prefix="dspt-portal-bench-") as tmp:
        print("generating 10,000 evidence files and 500 policies ...", flush=True)
        generate(Path(tmp) / "synthetic", evidence=10_000, policies=500)
        print("building the portal for it, and a plain Material site of as many pages ...",
              flush=True)
        results = portal_bench(Path(tmp) / "synthetic", Path(tmp), pages=10_000)
    print(json.dumps(results))
    failures = report(results)
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
