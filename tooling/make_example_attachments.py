"""Write the worked example's small attachments (PNG, CSV, PDF, text) beside their evidence.

    python tooling/make_example_attachments.py [--check]

The files are committed; this script is how they were made, and `--check` proves the
committed bytes are still exactly what it makes (the sha256 in each evidence file depends
on it). It never overwrites a file that differs: it reports it and exits 1.
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVIDENCE = ROOT / "evidence" / "2026"


def png(width: int, height: int, pixel) -> bytes:
    """A minimal RGB PNG; ``pixel(x, y)`` gives the colour."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + \
        chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and lines of text in Helvetica."""
    text = ["BT", "/F1 16 Tf", "72 760 Td", f"({_esc(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text += ["0 -20 Td", f"({_esc(line)}) Tj"]
    text.append("ET")
    stream = "\n".join(text).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _mfa_screenshot(x: int, y: int) -> tuple[int, int, int]:
    if y < 14:
        return (38, 50, 56)  # title bar
    if 24 <= y < 64 and 12 <= x < 188:
        row = (y - 24) // 10
        return (46, 125, 50) if x < 40 else ((236, 239, 241) if row % 2 else (255, 255, 255))
    return (250, 250, 250)


def _office_plan(x: int, y: int) -> tuple[int, int, int]:
    if x in (0, 159) or y in (0, 99) or x == 80:
        return (55, 71, 79)  # walls
    if 70 <= y <= 99 and 30 <= x <= 50:
        return (198, 40, 40)  # locked door
    return (255, 253, 231) if x < 80 else (232, 245, 233)


ATTACHMENTS: dict[str, bytes] = {
    "2026-05-12-mfa-report.png": png(200, 80, _mfa_screenshot),
    "2026-07-08-office-walkround.png": png(160, 100, _office_plan),
    "2026-02-20-contract-clauses.pdf": pdf("Employment contract template - extract", [
        "Clause 14  Confidentiality: during and after employment.",
        "Clause 15  Information security: confidentiality, integrity, availability.",
        "Clause 16  Acceptable use of systems and equipment.",
    ]),
    "2026-05-15-ce-plus-certificate.pdf": pdf("Cyber Essentials Plus - certificate (example)", [
        "Organisation: Brightwater Health Software Ltd",
        "Certificate number: EXAMPLE-CEP-000123",
        "Issued: 15 May 2026   Expires: 14 May 2027",
        "Scope: whole organisation",
    ]),
    "2026-10-30-shredding-certificate.pdf": pdf("Certificate of secure destruction", [
        "Customer: Brightwater Health Software Ltd",
        "Collected: 30 October 2026, 2 consoles",
        "Method: cross-cut shredding to DIN 66399 P-4",
    ]),
    "2026-10-01-training-export.csv": (
        b"person,course,completed\n"
        b"Amara Okafor,Data Security Awareness Level 1,2026-02-12\n"
        b"Dr Ruth Bell,Data Security Awareness Level 1,2026-02-19\n"
        b"Tom Hughes,Data Security Awareness Level 1,2026-01-30\n"
        b"Priya Shah,Data Security Awareness Level 1,2026-02-02\n"
        b"Sam Ortiz,Data Security Awareness Level 1,2026-03-03\n"
        b"Jo Lee,Data Security Awareness Level 1,2026-06-03\n"),
    "2026-11-02-antimalware-status.csv": (
        b"device,agent,definitions_updated,status\n"
        b"LT-001,managed,2026-11-02,ok\nLT-002,managed,2026-11-02,ok\n"
        b"LT-003,managed,2026-11-02,ok\nLT-004,managed,2026-11-01,ok\n"
        b"LT-005,managed,2026-11-02,ok\nLT-006,managed,2026-11-02,ok\n"),
    "2026-11-02-encryption-report.csv": (
        b"device,encryption,recovery_key_escrowed\n"
        b"LT-001,BitLocker XTS-AES 256,yes\nLT-002,BitLocker XTS-AES 256,yes\n"
        b"LT-003,FileVault,yes\nLT-004,BitLocker XTS-AES 256,yes\n"
        b"LT-005,FileVault,yes\nLT-006,BitLocker XTS-AES 256,yes\n"),
    "2026-09-19-restore-log.txt": (
        b"2026-09-19 09:02 restore of nightly backup 2026-09-18 started into scratch account\n"
        b"2026-09-19 09:41 restore complete: 214 tables, 1.9 GB\n"
        b"2026-09-19 09:55 row counts match production snapshot; application smoke test passed\n"
    ),
    "2026-01-20-board-minute.txt": (
        b"Board meeting, 20 January 2026 - extract\n"
        b"Item 4. The board appointed Amara Okafor, managing director, as Senior Information\n"
        b"Risk Owner (SIRO), accountable for information risk and data security.\n"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only verify the committed files; write nothing")
    args = parser.parse_args(argv)
    problems = 0
    for name, content in ATTACHMENTS.items():
        target = EVIDENCE / name
        if target.exists():
            if target.read_bytes() != content:
                print(f"{target.relative_to(ROOT)}: differs from what this script makes; "
                      "left as it is", file=sys.stderr)
                problems += 1
            continue
        if args.check:
            print(f"{target.relative_to(ROOT)}: missing", file=sys.stderr)
            problems += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        print(f"wrote {target.relative_to(ROOT)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
