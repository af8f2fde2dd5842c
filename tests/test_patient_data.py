"""NHS number detection: the Modulus 11 check, the forms people write, the context that makes
a number a patient identifier or something else, few false alarms, and every file git would
commit under the content folders scanned, whatever its size or encoding."""

from __future__ import annotations

import hashlib
import random
import re
import textwrap
import tracemalloc

import pytest

from conftest import AS_OF
from dsptkit import pipeline
from dsptkit.patient_data import (
    CHUNK,
    COLUMN,
    LISTED,
    RANGE,
    WORD,
    find_nhs_numbers,
    nhs_checksum_ok,
    scan_bytes,
    scan_text,
)
from dsptkit.repository import load


@pytest.mark.parametrize("digits,ok", [
    ("9434765919", True),  # the NHS Data Dictionary's worked example
    ("9434765918", False),
    ("4010232137", True),
    ("9999999999", True),  # passes the checksum, but is a test number
    ("1234567890", False),  # check digit would be 10: never issued
    ("401023213", False),
])
def test_modulus_11(digits, ok):
    assert nhs_checksum_ok(digits) is ok


def numbers(text: str) -> list[str]:
    return [m.digits for m in find_nhs_numbers(text)]


@pytest.mark.parametrize("text", [
    "Patient 401 023 2137 called.",
    "NHS no: 321 000 0018",  # Northern Ireland range, with context
    "Invoice for NHS patient 401 023 2137",  # the patient word is nearer
    "Patient ref 401 023 2137",  # "ref" gives way to any patient word
    "401 023 2137 (NHS number)",  # the word after the number
    "DOB 01/02/1960, 321 000 0018",
    "CHI 321 000 0018",
    "H&C number 321 000 0018",
    "Admitted to hospital; 321 000 0018 on the band",
    "nhs_number: 3210000018",
    "NHS number:\n321 000 0018",  # the word on the line before
    "OUTPATIENT 3210000018",
])
def test_reported(text):
    assert numbers(text) == [re.sub(r"\D", "", text)[-10:]]
    assert [m.reason for m in find_nhs_numbers(text)] in ([WORD], [COLUMN])


@pytest.mark.parametrize("text", [
    "NHS number 999 999 9999 (test range)",
    "Our test patient is 943 476 5919",  # 9xx: test and training range
    "Call 020 7946 0958",
    "Order 3210000018 shipped",  # passes the checksum, no context, outside live ranges
    "4010232137",  # in the live range, but nothing says it is a patient's
    "Invoice 4010232137",
    "NHS invoice 4010232137",  # an invoice from the NHS: the nearer word wins
    "Patient's phone 401 023 2137",
    "ref 401-023-2137",
    "Account 40102321370",  # eleven digits: not an NHS number
    "NHS 401 023-2137",  # mixed separators
    "NHS 020 401 023 2137",  # the end of a longer grouped number
    "NHS 401 023 2137 5",
    "NHS sha256: 3a4010232137bf",  # digits inside a hash
    "NHS EV4010232137",  # digits inside an identifier
    "NHS v1.4010232137",
    "NHS 401\n023\n2137",  # two line breaks: not one number
])
def test_not_reported(text):
    assert numbers(text) == []


# -- the forms a number is written in ----------------------------------------------------------

FORMS = {
    "plain": ("", ""),
    "space": (" ", " "),
    "hyphen": ("-", "-"),
    "no-break space": ("\u00a0", "\u00a0"),
    "narrow no-break space": ("\u202f", "\u202f"),
    "thin space": ("\u2009", "\u2009"),
    "figure space": ("\u2007", "\u2007"),
    "ideographic space": ("\u3000", "\u3000"),
    "non-breaking hyphen": ("\u2011", "\u2011"),
    "en dash": ("\u2013", "\u2013"),
    "dot": (".", "."),
    "break, then space": ("\n", " "),
    "space, then break": (" ", "\n"),
    "hyphen, then CRLF": ("-", "\r\n"),
    "space, then break and indent": (" ", "\n    "),
}
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def written(digits: str, form: str, fullwidth: bool = False) -> str:
    first, second = FORMS[form]
    text = f"{digits[:3]}{first}{digits[3:6]}{second}{digits[6:]}"
    return text.translate(FULLWIDTH) if fullwidth else text


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("fullwidth", [False, True], ids=["ascii", "fullwidth"])
def test_every_form_is_found_where_it_starts(form, fullwidth):
    text = "Clinic list\n  NHS number " + written("3210000018", form, fullwidth) + " seen.\n"
    (match,) = find_nhs_numbers(text)
    assert (match.line, match.col, match.digits) == (2, 14, "3210000018")
    assert match.masked == "321 *** 0018"


@pytest.mark.parametrize("form", FORMS)
def test_the_test_range_is_never_reported_in_any_form(form):
    assert numbers("NHS number " + written("9434765919", form)) == []
    assert numbers("NHS number " + written("9999999999", form)) == []


def test_fullwidth_words_count():
    assert numbers("ＮＨＳ ＮＯ ４０１０２３２１３７") == ["4010232137"]
    assert numbers("ＩＮＶＯＩＣＥ ４０１０２３２１３７") == []


def test_position_and_masking():
    (match,) = find_nhs_numbers("line one\n  NHS 401 023 2137\n")
    assert (match.line, match.col) == (2, 7)
    assert match.masked == "401 *** 2137"


# -- columns ---------------------------------------------------------------------------------

@pytest.mark.parametrize("table,reason", [
    ("name,nhs_number,ward\nA Smith,3210000018,3\n", COLUMN),
    ("\"Surname\",\"NHS Number\"\n\"Smith\",\"321 000 0018\"\n", COLUMN),
    ("Name\tNHS No\nA\t321-000-0018\n", COLUMN),
    ("patient_id;ward\n3210000018;3\n", COLUMN),
    ("| Name | NHS number |\n|---|---|\n| A | 321 000 0018 |\n", COLUMN),
    ("name,dob,number\nA,1960-01-02,4010232137\n", RANGE),  # a file with dates of birth
    ("name,phone\nA,4010232137\n", None),
    ("customer,order_no,total\nAcme,4010232137,12.00\n", None),
    ("| Order no | Item |\n|---|---|\n| 401 023 2137 | Gloves |\n", None),
    ("name,number\nA,4010232137\n", None),  # nothing says whose number it is
    ("nhs_number,phone\n3210000018,4010232137\n", COLUMN),  # only the first column's
])
def test_column_headings(table, reason):
    found = list(find_nhs_numbers(table))
    assert [m.reason for m in found][:1] == ([reason] if reason else [])
    if reason:
        assert len(found) == 1 and found[0].line == table.rstrip("\n").count("\n") + 1


def test_a_heading_does_not_reach_across_a_blank_line():
    assert numbers("nhs_number" + "\n" * 50 + "3210000018\n") == []
    assert numbers("nhs_number\n3210000018\n") == ["3210000018"]
    assert numbers("Order numbers\n3210000018\n4010232137\n") == []


def test_a_long_table_keeps_its_heading():
    rows = "".join(f"{n},note {n}\n" for n in range(5000))
    text = "nhs_number,notes\n" + rows + "3210000018,seen\n" + rows + "4010232137,seen\n"
    found = find_nhs_numbers(text)
    assert [(m.line, m.reason) for m in found] == [(5002, COLUMN), (10003, COLUMN)]


# -- a realistic corpus ------------------------------------------------------------------------

def valid_numbers(rng: random.Random, count: int) -> list[str]:
    """Random 10-digit numbers that pass the Modulus 11 check, none in the 9xx range."""
    found = []
    while len(found) < count:
        head = str(rng.randrange(9)) + "".join(str(rng.randrange(10)) for _ in range(8))
        check = 11 - sum(int(d) * w for d, w in zip(head, range(10, 1, -1), strict=True)) % 11
        if check == 10:
            continue
        found.append(head + str(0 if check == 11 else check))
    return found


# Documents where a number is not a patient's: {n} is the number, {m} another one.
ELSEWHERE = [
    "Invoice {n} dated 2026-03-01, £1,250.00 paid by BACS.",
    "INV {n}: annual licence renewal",
    "Paid invoice no. {n} on 12 March.",
    "| Order no | Item | Qty |\n|---|---|---|\n| {n} | Nitrile gloves | 3 |\n| {m} | Masks | 10 |",
    "Order {n} was delivered to the surgery on Monday.",
    "Purchase order {n} raised for five laptops.",
    "PO {n} approved by the practice manager.",
    "Reception tel: {n}",
    "Mobile {n} (out of hours)",
    "Phone the supplier on {n} to book.",
    "name,phone,role\nReception,{n},desk\nManager,{m},office",
    "- ISBN {n}: Information governance handbook\n- ISBN {m}: Cyber essentials guide",
    "Account {n}, sort code 12-34-56",
    "Acct no. {n} with the bank.",
    "Our ref: {n}",
    "Reference {n} quoted on the letter from the ICO.",
    "The figure {n} appears in the supplier's annual report.",
    "Item {n} was checked and is in date.",
    "invoice_no,date,amount\n{n},2026-01-02,120.00\n{m},2026-02-02,80.00",
    "account_number,sort_code,balance\n{n},12-34-56,1000.00",
    "order_id;customer;total\n{n};Acme Ltd;45.10",
    "id,value\n{n},3\n{m},4",
    "NHS Supply Chain invoice {n} for gloves.",
    "Our NHSmail account {n} was set up.",
    "Hospital switchboard tel {n}",
    "Ticket {n} closed: patient portal outage resolved.",
    "Companies House number {n}",
    "Serial {n} recorded in the asset register.",
]
# Documents where it is a patient's.
PATIENTS = [
    "NHS number: {n}",
    "NHS No. {n}",
    "nhs no {n}",
    "Patient {n} attended the clinic.",
    "Called patient {n} about the missed letter.",
    "{n} (NHS number)",
    "CHI {n}",
    "H&C number {n}",
    "Hospital no {n}",
    "DOB 01/02/1960, NHS {n}",
    "Date of birth 1960-02-01. NHS {n}",
    "Invoice for NHS patient {n}",
    "Patient ref: {n}",
    "| Name | NHS number | Ward |\n|---|---|---|\n| A Smith | {n} | 3 |",
    "name,nhs_number,dob\nA Smith,{n},1960-02-01",
    "Name\tNHS No\nA Smith\t{n}",
    "\"Surname\",\"NHS Number\"\n\"Smith\",\"{n}\"",
    "patient_id;ward\n{n};3",
    "Discharge letter\n\nPatient: A Smith\nNHS number {n}\nWard 3",
]


def _document(template: str, n: str, m: str) -> str:
    return "Notes\n\n" + template.format(n=n, m=m) + "\n\nEnd of notes.\n"


def test_corpus_few_false_alarms_on_numbers_that_are_not_patients():
    rng = random.Random(20260601)
    pool = valid_numbers(rng, 4000)
    # a rule on the ranges alone would flag about 3 in 10 of these
    assert sum(n[0] in "467" for n in pool) > 1000
    flagged, cases = 0, 0
    for index, n in enumerate(pool):
        template = ELSEWHERE[index % len(ELSEWHERE)]
        form = list(FORMS)[rng.randrange(len(FORMS))]
        number = written(n, form, fullwidth=rng.random() < 0.05)
        other = written(pool[index - 1], form)
        cases += 1
        flagged += any(m.digits == n for m in find_nhs_numbers(_document(template, number, other)))
    assert cases == 4000
    assert flagged / cases <= 0.01, f"{flagged} of {cases} flagged"


def test_corpus_every_patient_number_is_caught_in_every_form():
    rng = random.Random(20260602)
    pool = valid_numbers(rng, 150)
    missed = []
    for template in PATIENTS:
        for form in FORMS:
            for fullwidth in (False, True):
                n = pool[rng.randrange(len(pool))]
                text = _document(template, written(n, form, fullwidth), "")
                if n not in numbers(text):
                    missed.append((template, form, fullwidth))
    assert missed == []


def test_random_numbers_without_context_are_rarely_flagged():
    """The issue's measure: any 10-digit number (checksum or not) beside non-NHS words."""
    rng = random.Random(7)
    hits = 0
    for index in range(20000):
        n = f"{rng.randrange(10**10):010d}"
        hits += bool(numbers(ELSEWHERE[index % len(ELSEWHERE)].format(n=n, m="")))
    assert hits / 20000 <= 0.001


# -- streaming -------------------------------------------------------------------------------

def test_a_number_across_every_chunk_boundary_is_found_once():
    line = "NHS number 401 023 2137\n"
    for shift in range(len(line) + 1):
        data = b"x" * (CHUNK - 20 + shift) + b"\n" + line.encode() + b"tail\n"
        found = scan_bytes(data)
        assert [(m.line, m.col, m.digits) for m in found.matches] == [(2, 12, "4010232137")], shift


def test_a_table_heading_reaches_across_chunks():
    rows = "".join(f"{n:06d},row\n" for n in range(200_000))  # 2.2 MB
    data = ("nhs_number,notes\n" + rows + "3210000018,seen\n").encode()
    assert len(data) > 2 * CHUNK
    (match,) = scan_bytes(data).matches
    assert (match.line, match.reason) == (200_002, COLUMN)


def test_a_mention_early_in_a_large_file_counts_at_its_end():
    data = ("Name,DOB,Number\n" + "x" * (3 * CHUNK) + "\nA,1960-01-01,4010232137\n").encode()
    (match,) = scan_bytes(data).matches
    assert (match.line, match.reason) == (3, RANGE)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_encodings_with_a_byte_order_mark(encoding):
    text = "Clinic\nNHS 401 023 2137\n" * 2
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert [(m.line, m.col) for m in scan_bytes(data).matches] == [(2, 5), (4, 5)]


def test_large_utf16_across_chunks():
    text = "y" * (CHUNK // 2 - 7) + "\nNHS 401 023 2137\n" + "z" * CHUNK
    (match,) = scan_bytes(text.encode("utf-16")).matches
    assert (match.line, match.col) == (2, 5)


def test_binary_is_skipped_and_other_8_bit_text_still_read():
    assert scan_bytes(b"PK\x03\x04\x00\x00NHS 4010232137").binary
    latin = "Caf\xe9 \xa3 NHS 401 023 2137\n".encode("cp1252")  # not UTF-8
    assert [m.digits for m in scan_bytes(latin).matches] == ["4010232137"]


def test_many_numbers_are_counted_not_all_listed():
    text = "nhs_number\n" + "3210000018\n" * (LISTED + 50)
    found = scan_text(text)
    assert (len(found.matches), found.total) == (LISTED, LISTED + 50)
    streamed = scan_bytes(("nhs_number\n" + "3210000018\n" * 150_000).encode())
    assert (len(streamed.matches), streamed.total) == (LISTED, 150_000)


# -- every file git would commit, in a repository ---------------------------------------------

def pd(run) -> list[tuple[str, int, int, str]]:
    found = []
    for line in run.lines:
        where, _, rest = line.partition(": PD001 ")
        if rest:
            path, row, col = where.rsplit(":", 2)
            found.append((path, int(row), int(col), rest))
    return found


def evidence_with(repo, name: str, attachment: str, data: bytes) -> None:
    sha = repo.attach(f"evidence/2026/{attachment}", data)
    repo.write(f"evidence/2026/{name}.md", f"""\
        ---
        id: EV-9
        title: Export checked
        collected: 2026-06-15
        by: bob
        supports: [GV-1]
        outcome: pass
        files:
          - path: {attachment}
            sha256: {sha}
        ---
        """)


def test_files_nothing_else_reads_are_scanned(repo):
    repo.write("policies/README.md", "# Policies\n\nExample: NHS number 401 023 2137.\n")
    repo.write("evidence/index.md", "Patient 401 023 2137\n")
    repo.write("policies/notes.txt", "Draft\n\nPatient 401-023-2137 complained.\n")
    repo.write("evidence/registers/notes.md", "NHS no 401 023 2137\n")
    repo.write("evidence/.drafts/deep/letter.md", "x\ny\nyour NHS number is 4010232137\n")
    repo.write("policies/.hidden.md", "NHS 401 023 2137\n")
    repo.write("evidence/2026/unlisted.csv", "name,nhs_number\nA,3210000018\n")
    repo.write("standards/dspt/notes.txt", "CHI 321 000 0018\n")
    repo.write("evidence/2026/test.md", "NHS 999 000 0018 and NHS 943 476 5919\n")  # test range
    run = repo.dspt("check")
    assert {(path, line, col) for path, line, col, _ in pd(run)} == {
        ("policies/README.md", 3, 21),
        ("evidence/index.md", 1, 9),
        ("policies/notes.txt", 3, 9),
        ("evidence/registers/notes.md", 1, 8),
        ("evidence/.drafts/deep/letter.md", 3, 20),
        ("policies/.hidden.md", 1, 5),
        ("evidence/2026/unlisted.csv", 2, 3),
        ("standards/dspt/notes.txt", 1, 5),
    }
    assert all("401 *** 2137" in message or "321 *** 0018" in message
               for *_, message in pd(run))
    assert "FM101" in run.codes  # still reported as not read


def test_utf16_and_other_files_the_parser_refuses(repo):
    repo.write("evidence/2026/notes.txt", "Clinic\r\nNHS 401\u00a0023\u00a02137\r\n".encode("utf-16"))
    policy = textwrap.dedent("""\
        ---
        id: p2
        ---
        Patient 401 023 2137
        """)
    repo.write("policies/utf16.md", policy.encode("utf-16"))  # FM002 (NUL bytes), still scanned
    repo.write("policies/bom.md", b"\xef\xbb\xbf" + policy.encode())
    repo.write("policies/latin.md", policy.replace("id: p2", "id: p\xe9").encode("cp1252"))
    repo.write("evidence/2026/photo.png", b"\x89PNG\r\n\x1a\n\x00\x00NHS 4010232137")
    found = {(path, line, col) for path, line, col, _ in pd(repo.dspt("check"))}
    assert found == {("evidence/2026/notes.txt", 2, 5), ("policies/utf16.md", 4, 9),
                     ("policies/bom.md", 4, 9), ("policies/latin.md", 4, 9)}


def test_large_attachments_are_streamed(repo):
    body = b"".join(b"row %07d,some text,2026-01-01\n" % n for n in range(180_000))  # 5.4 MB
    assert len(body) > 5 * CHUNK
    evidence_with(repo, "big", "big.csv", body + b"A,patient 401 023 2137\n")
    # a number straddling the first chunk boundary
    head = b"x" * (CHUNK - 17) + b"\n"
    evidence_with(repo, "edge", "edge.txt", head + b"NHS number 401 023 2137\n" + body)
    assert len(head) + 11 < CHUNK < len(head) + 23
    found = {(path, line, col) for path, line, col, _ in pd(repo.dspt("check"))}
    assert found == {("evidence/2026/big.csv", 180_001, 11), ("evidence/2026/edge.txt", 2, 12)}


def test_many_numbers_in_one_file_end_in_a_count(repo):
    evidence_with(repo, "list", "list.csv", b"nhs_number\n" + b"3210000018\n" * 500)
    found = pd(repo.dspt("check"))
    assert len(found) == LISTED + 1
    (summary,) = [f for f in found if "more possible" in f[3]]
    assert summary[1:3] == (LISTED + 1, 1)
    assert "400 more possible NHS numbers after line 101 are not listed" in summary[3]


def test_hashing_and_scanning_a_large_attachment_use_flat_memory(repo):
    line = b"2026-01-01 12:00:00,order 123456,Acme Ltd,12.50\n"
    evidence_with(repo, "big", "big.csv", line * (24 * CHUNK // len(line)))
    tracemalloc.start()
    try:
        _, report = load(repo.root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * CHUNK, f"{peak / CHUNK:.1f} MiB at peak for a 24 MiB attachment"
    (source,) = [s for s in report.texts if s.path == "evidence/2026/big.csv"]
    assert source.text == "" and source.found is not None and source.found.total == 0


def test_files_in_a_commit_are_scanned_too(git_repo):
    repo = git_repo
    repo.write("policies/README.md", "NHS number 401 023 2137\n")
    repo.write("evidence/.notes/a.txt", "patient 401 023 2137\n")
    repo.write("evidence/2026/list.csv", "nhs_number\n3210000018\n".encode("utf-16"))
    data = b"x" * (2 * CHUNK) + b"\nNHS 401 023 2137\n"
    evidence_with(repo, "big", "big.txt", data)
    repo.commit("Add files")
    for path in ("policies/README.md", "evidence/.notes/a.txt", "evidence/2026/list.csv",
                 "evidence/2026/big.txt"):
        (repo.root / path).unlink()
    run = pipeline.run(repo.root, AS_OF, revision="HEAD")
    found = {(r.loc.path, r.loc.line, r.loc.col) for r in run.results if r.code == "PD001"}
    assert found == {("policies/README.md", 1, 12), ("evidence/.notes/a.txt", 1, 9),
                     ("evidence/2026/list.csv", 2, 1), ("evidence/2026/big.txt", 2, 5)}
    assert hashlib.sha256(data).hexdigest() in (repo.root / "evidence/2026/big.md").read_text()
