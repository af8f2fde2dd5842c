"""The loader refuses bad input with a clear message naming file and line, a non-zero
exit, no traceback, and no file changed."""

from __future__ import annotations

import os

import pytest

GOOD_EVIDENCE = "---\nid: EV-2\ntitle: T\ncollected: 2026-06-15\nby: bob\nsupports: [GV-1]\noutcome: pass\n---\nBody\n"

BAD_INPUTS = [
    ("not UTF-8", b"---\nid: EV-2\ntitle: caf\xe9\n---\n",
     "evidence/2026/bad.md:3:11: FM001 file is not UTF-8 (byte 0xe9 cannot be decoded); save it "
     "as UTF-8"),
    ("missing front matter", b"# Evidence\nno fields\n",
     "evidence/2026/bad.md:1:1: FM010 no front matter: the file must start with a line '---', "
     "then YAML fields, then another '---'"),
    ("unterminated front matter", b"---\nid: EV-2\ntitle: T\n",
     "evidence/2026/bad.md:1:1: FM011 front matter opened on line 1 is never closed: add a line "
     "'---' after the last field"),
    ("front matter is a list", b"---\n- id\n- title\n---\n",
     "evidence/2026/bad.md:2:1: FM013 front matter is a list, not a mapping of 'field: value' "
     "lines"),
    ("empty front matter", b"---\n---\nBody\n",
     "evidence/2026/bad.md:2:1: FM013 front matter is empty: it must be a mapping of fields"),
    ("duplicate keys", GOOD_EVIDENCE.replace("outcome: pass", "outcome: pass\nby: alice").encode(),
     "evidence/2026/bad.md:8:1: FM014 duplicate key 'by' (first at line 5); YAML would silently "
     "keep only the last one"),
    ("a date that does not exist", GOOD_EVIDENCE.replace("2026-06-15", "2026-13-45").encode(),
     "evidence/2026/bad.md:4:1: SC001 'collected' is '2026-13-45', which is not a real date"),
    ("a date in words", GOOD_EVIDENCE.replace("2026-06-15", "next week").encode(),
     "evidence/2026/bad.md:4:1: SC001 'collected' must be a date written YYYY-MM-DD, not "
     "'next week'"),
    ("a value of the wrong type", GOOD_EVIDENCE.replace("supports: [GV-1]", "supports: GV-1")
     .encode(),
     "evidence/2026/bad.md:6:1: SC001 'supports' must be a list, got a string 'GV-1'; write it "
     "as a list: [GV-1]"),
    ("a value outside the allowed set", GOOD_EVIDENCE.replace("pass", "passed").encode(),
     "evidence/2026/bad.md:7:1: SC001 'outcome' is 'passed'; it must be one of: pass, fail, "
     "partial"),
    ("YAML syntax", b"---\nid: EV-2\ntitle: 'unclosed\n---\n",
     "evidence/2026/bad.md:4:1: FM012 front matter is not valid YAML: found unexpected end of "
     "stream"),
    ("a binary file", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "evidence/2026/bad.md:3:1: FM002 file is binary (it contains a NUL byte), not Markdown or "
     "YAML text"),
    ("a file too large", (GOOD_EVIDENCE + "x" * 1_100_000).encode(),
     "evidence/2026/bad.md:1:1: FM003 file is 1,100,092 bytes, over the 1,048,576-byte limit for "
     "Markdown and YAML; keep large material as an attachment"),
]


@pytest.mark.parametrize("content,expected", [(c, e) for _, c, e in BAD_INPUTS],
                         ids=[name for name, _, _ in BAD_INPUTS])
def test_bad_input_is_refused_clearly(repo, content, expected):
    repo.write("evidence/2026/bad.md", content)
    before = repo.snapshot()
    run = repo.dspt("check")
    assert run.lines[0] == expected
    assert run.code == 1
    assert run.err == ""
    assert repo.snapshot() == before


def test_unknown_field_is_a_warning_naming_the_nearest_field(repo):
    repo.write("evidence/2026/e2.md", GOOD_EVIDENCE.replace("collected", "colected"))
    run = repo.dspt("check")
    assert run.lines[:2] == [
        "evidence/2026/e2.md:1:1: SC002 front matter is missing required field 'collected'",
        "evidence/2026/e2.md:4:1: SC003 unknown field 'colected' (did you mean 'collected'?); it "
        "is ignored",
    ]
    assert run.code == 1


def test_bom_and_crlf_are_accepted_quietly(repo):
    repo.write("evidence/2026/e2.md", b"\xef\xbb\xbf" + GOOD_EVIDENCE.replace("\n", "\r\n").encode())
    run = repo.dspt("check")
    assert run.code == 0
    assert run.lines[0] == ("0 errors, 0 findings, 0 warnings (1 policy, 2 evidence files; as of "
                            "2026-07-01)")


def test_a_symlink_leaving_the_repository_is_refused(repo, tmp_path):
    outside = tmp_path / "elsewhere.md"
    outside.write_text(GOOD_EVIDENCE)
    os.symlink(outside, repo.root / "evidence" / "2026" / "linked.md")
    run = repo.dspt("check")
    assert run.lines[0] == (f"evidence/2026/linked.md:1:1: FM004 symlink leads outside the "
                            f"repository (to {outside}); copy the file in instead")
    assert run.code == 1


def test_a_symlink_inside_the_repository_is_followed(repo):
    repo.write("evidence/2026/real.txt", "notes")
    os.symlink(repo.root / "evidence/2026/real.txt", repo.root / "evidence/2026/link.txt")
    assert repo.dspt("check").code == 0


def test_every_problem_in_every_file_is_reported_in_one_run(repo):
    repo.write("evidence/2026/a.md", b"no front matter\n")
    repo.write("policies/b.md", b"---\nid: [\n---\n")
    run = repo.dspt("check")
    assert [line.split(": ")[1].split()[0] for line in run.lines[:2]] == ["FM010", "FM012"]
    assert run.lines[2].startswith("2 errors,")
    assert run.lines[4].startswith("note: CL101, CL102, CL103, CO101, OW101, OW102, OW103, PO102, "
                                   "PO103, RF003, RF007 not run: some files could not be read")


def test_a_broken_policy_does_not_cascade_into_unknown_claim_errors(repo):
    repo.write("policies/governance.md", (repo.root / "policies/governance.md").read_text()
               .replace('version: "1.0"', "version: [1"))
    run = repo.dspt("check")
    assert run.codes == {"FM012"}


def test_front_matter_is_parsed_with_the_yaml_c_parser():
    from dsptkit import frontmatter

    assert frontmatter.C_PARSER, "PyYAML without its C extension: the check is several times slower"
