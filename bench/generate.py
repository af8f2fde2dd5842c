"""Write a synthetic evidence repository for benchmarks: many policies, claims and evidence.

    python bench/generate.py DIR [--evidence 10000] [--policies 500]

Deterministic (fixed seed, fixed dates) so runs compare like with like. Refuses to write
into a folder that is not empty.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = [f"person-{n:02d}" for n in range(20)]


def generate(target: Path, evidence: int, policies: int, seed: int = 42,
             datamap: bool = True) -> None:
    rng = random.Random(seed)
    if target.exists() and any(target.iterdir()):
        raise SystemExit(f"{target} is not empty; choose a new folder")
    (target / "standards" / "dspt").mkdir(parents=True)
    shutil.copy(ROOT / "standards" / "dspt" / "catalogue.yaml", target / "standards" / "dspt")
    items = [line.split('"')[1] for line in
             (ROOT / "standards/dspt/catalogue.yaml").read_text().splitlines()
             if line.strip().startswith('- id: "') and line.count(".") == 2]
    (target / "organisation.yaml").write_text(
        "name: Synthetic Ltd\nods_code: ZZ999\ncategory: 3\nroles:\n  siro: person-00\n"
        "check:\n  owner_share_limit: 0.9\n")
    registers = target / "evidence" / "registers"
    registers.mkdir(parents=True)
    registers.joinpath("people.yaml").write_text(
        "people:\n" + "".join(f"  - {{id: {p}, name: Person {p[-2:]}}}\n" for p in PEOPLE))
    if datamap:
        _datamap(registers, rng)
    claims = []
    pol_dir = target / "policies"
    pol_dir.mkdir()
    for n in range(policies):
        lines = ["---", f"id: policy-{n:04d}", f"title: Synthetic policy {n}", 'version: "1.0"',
                 "status: approved", f"owner: {rng.choice(PEOPLE)}",
                 f"approved: {{by: siro, on: 2026-0{1 + n % 9}-15}}", "review_every: 1y",
                 "claims:"]
        for c in range(2):
            claim_id = f"P{n:04d}-{c}"
            claims.append(claim_id)
            lines += [f"  - id: {claim_id}", f"    says: Control {c} of policy {n} is in place.",
                      f"    meets: [dspt:{rng.choice(items)}]",
                      f"    evidence_every: {rng.choice(['90d', '6m', '1y'])}"]
        lines += ["---", f"# Synthetic policy {n}", "", "Text people read. " * 20, ""]
        (pol_dir / f"policy-{n:04d}.md").write_text("\n".join(lines))
    start = date(2025, 11, 1)
    for n in range(evidence):
        collected = start + timedelta(days=rng.randrange(365))
        folder = target / "evidence" / str(collected.year) / f"{collected.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        supports = rng.sample(claims, rng.choice((1, 1, 2)))
        lines = ["---", f"id: EV-{n:05d}", f"title: Synthetic evidence {n}",
                 f"collected: {collected.isoformat()}", f"by: {rng.choice(PEOPLE)}",
                 f"supports: [{', '.join(supports)}]",
                 f"outcome: {rng.choice(['pass'] * 9 + ['fail'])}"]
        if n % 10 == 0:
            content = f"export {n}\nrow,value\n1,{rng.random()}\n".encode()
            name = f"EV-{n:05d}.csv"
            (folder / name).write_bytes(content)
            lines += ["files:", f"  - path: {name}",
                      f"    sha256: {hashlib.sha256(content).hexdigest()}"]
        lines += ["---", f"# Synthetic evidence {n}", "", "What was checked and found. " * 5, ""]
        (folder / f"EV-{n:05d}.md").write_text("\n".join(lines))


SYSTEMS, SUPPLIERS, ASSETS, ACTIVITIES, FLOWS, PARTIES = 300, 200, 500, 200, 600, 20


def _datamap(registers: Path, rng: random.Random) -> None:
    """A data map of 500 information assets on 300 systems, 200 suppliers (with contracts and
    sub-processors), 200 processing activities and 600 flows, all references resolving."""
    approved = "reviewed: 2026-04-01\napproved: {by: siro, on: 2026-04-01}\n"
    lines = ["assets:"]
    for n in range(SYSTEMS):
        until = f", supported_until: {2025 + n % 5}-06-30" if n % 3 == 0 else ""
        lines.append(f"  - {{name: System {n:03d}, kind: software, owner: person-{n % 20:02d}, "
                     f"holds_personal_data: true{until}}}")
    registers.joinpath("assets.yaml").write_text("\n".join(lines) + "\n")
    lines = ["suppliers:"]
    for n in range(SUPPLIERS):
        lines += [f"  - name: Supplier {n:03d}", "    service: Hosting and support",
                  f"    processes_patient_data: {'true' if n % 2 else 'false'}",
                  "    country: UK",
                  f"    contract: {{signed: 2024-0{1 + n % 9}-01, expires: 202{6 + n % 3}-12-31, "
                  "data_protection: true}",
                  f"    sub_processors: [{{name: Sub {n:03d}, service: Hosting, country: UK}}]",
                  f"    checked: 2026-0{1 + n % 9}-10"]
    registers.joinpath("suppliers.yaml").write_text("\n".join(lines) + "\n")
    lines = [approved + "information_assets:"]
    for n in range(ASSETS):
        systems = ", ".join(f"System {rng.randrange(SYSTEMS):03d}" for _ in range(2))
        cats = rng.choice(["[patient, special_category]", "[staff]", "[business_contacts]"])
        lines += [f"  - name: Information asset {n:03d}", f"    owner: person-{n % 20:02d}",
                  f"    data_categories: {cats}", f"    systems: [{systems}]",
                  f"    hosted_in: [{rng.choice(['UK', 'UK', 'UK', 'Ireland'])}]",
                  f"    suppliers: [Supplier {rng.randrange(SUPPLIERS):03d}]",
                  "    volume: about 10,000 records", "    retention: 8 years",
                  "    transfer_safeguard: UK adequacy regulations (EEA)",
                  "    controls: [Encrypted at rest, Access by role]"]
    registers.joinpath("information-assets.yaml").write_text("\n".join(lines) + "\n")
    lines = [approved + "processing:"]
    for n in range(ACTIVITIES):
        used = ", ".join(f"Information asset {rng.randrange(ASSETS):03d}" for _ in range(3))
        lines += [f"  - activity: Activity {n:03d}", "    purpose: Providing the service",
                  f"    lawful_basis: {rng.choice(['public_task', 'Contract', '6(1)(f)'])}",
                  "    special_category_condition: health_or_social_care",
                  f"    information_assets: [{used}]",
                  f"    recipients: [Supplier {rng.randrange(SUPPLIERS):03d}]",
                  "    transfers: []", "    retention: 8 years", "    owner: siro"]
    registers.joinpath("processing.yaml").write_text("\n".join(lines) + "\n")
    lines = [approved + "parties:"]
    lines += [f"  - {{name: Party {n:02d}, kind: {rng.choice(['customer', 'nhs', 'public'])}}}"
              for n in range(PARTIES)]
    lines.append("data_flows:")
    ends = ([f"System {n:03d}" for n in range(SYSTEMS)] +
            [f"Supplier {n:03d}" for n in range(SUPPLIERS)] +
            [f"Party {n:02d}" for n in range(PARTIES)])
    for _ in range(FLOWS):
        source, target = rng.sample(ends, 2)
        lines += [f"  - from: {source}", f"    to: {target}", "    data: Records",
                  f"    data_categories: [{rng.choice(['patient', 'staff'])}]",
                  "    via: API over TLS", "    frequency: daily"]
    registers.joinpath("data-flows.yaml").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--evidence", type=int, default=10_000)
    parser.add_argument("--policies", type=int, default=500)
    args = parser.parse_args(argv)
    generate(args.target, args.evidence, args.policies)
    print(f"wrote {args.evidence} evidence files and {args.policies} policies to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
