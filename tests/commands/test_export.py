"""dspt export: the DSPT submission drafted from the repository, its golden files for the
example, and the ways it refuses to write (nothing is ever left behind)."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from conftest import ROOT
from dsptkit import pipeline, submission
from dsptkit.main import main
from portal_helpers import rendered_pages

GOLDEN = ROOT / "tests" / "golden" / "export"
EXAMPLE_AS_OF = "2026-11-23"
FILES = ("submission.md", "submission.csv", "submission.json")
UPDATE = os.environ.get("DSPT_UPDATE_GOLDEN") == "1"


def _export(repo, out: Path, *args: str):  # type: ignore[no-untyped-def]
    return repo.dspt("export", str(out), "--repo", str(repo.root), "--as-of", "2026-07-01", *args)


def _left_behind(folder: Path) -> list[str]:
    """Temporary folders an export would have made beside its OUT."""
    return [p.name for p in folder.iterdir() if ".dspt-export-" in p.name] if folder.is_dir() \
        else []


def _data(out: Path) -> dict:
    return json.loads((out / "submission.json").read_text("utf-8"))


def _item(out: Path, ref: str) -> dict:
    return next(i for i in _data(out)["items"] if i["ref"] == ref)


# -- the example, pinned ----------------------------------------------------------------------

def test_the_example_matches_its_golden_files(tmp_path, capsys):
    out = tmp_path / "submission"
    code = main(["export", str(out), "--repo", str(ROOT), "--as-of", EXAMPLE_AS_OF])
    said = capsys.readouterr()
    assert code == 0, said.err
    assert said.out.startswith(f"drafted the DSPT submission as of {EXAMPLE_AS_OF}: ")
    documents = sorted(p.name for p in (out / "documents").iterdir()) \
        if (out / "documents").is_dir() else []
    produced = {name: (out / name).read_text("utf-8") for name in FILES}
    produced["documents.txt"] = "".join(f"{name}\n" for name in documents)
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name, text in produced.items():
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="")
    for name, text in produced.items():
        assert (GOLDEN / name).read_text("utf-8") == text, \
            f"{name} differs from tests/golden/export (DSPT_UPDATE_GOLDEN=1 rewrites it)"


def test_the_example_export_is_whole_and_consistent(tmp_path, capsys):
    out = tmp_path / "submission"
    assert main(["export", str(out), "--repo", str(ROOT), "--as-of", EXAMPLE_AS_OF]) == 0
    capsys.readouterr()
    data = _data(out)
    assert list(data) == ["format_version", "as_of", "position", "profile", "items", "action_plan"]
    assert data["format_version"] == 1
    run = pipeline.run(ROOT, EXAMPLE_AS_OF)
    asked = [s.item.ref for s in run.position.items.values()
             if s.item.framework == "dspt" and s.level is not None]
    assert [i["ref"] for i in data["items"]] == asked  # every item asked, catalogue order
    assert data["profile"]["statement"] == run.position.verdict.statement
    for item in data["items"]:
        state = run.position.items[item["ref"]]
        if item["answer_type"] == "yes-no" and item["proposed_answer"].startswith("Yes"):
            assert state.status.is_met, item["ref"]
    copied = {d["name"] for i in data["items"] for d in i["documents"] if d["copied"]}
    on_disk = {p.name for p in (out / "documents").iterdir()} if (out / "documents").is_dir() \
        else set()
    assert copied == on_disk
    rows = (out / "submission.csv").read_text("utf-8").splitlines()
    assert rows[0] == ",".join(submission.CSV_COLUMNS)


# -- refusals: nothing written ----------------------------------------------------------------

def test_a_non_empty_out_is_refused(repo, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    run = _export(repo, out)
    assert run.code == 1
    assert "is not an empty folder; nothing was written" in run.err
    assert "Traceback" not in run.err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert _left_behind(tmp_path) == []


def test_an_empty_out_is_filled(repo, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    run = _export(repo, out)
    assert run.code == 0, run.err
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    assert _left_behind(tmp_path) == []


def test_out_inside_the_repository_is_refused(repo, tmp_path):
    before = repo.snapshot()
    run = _export(repo, repo.root / "export")
    assert run.code == 1
    assert "is inside the repository" in run.err
    assert repo.snapshot() == before
    assert not (repo.root / "export").exists()
    assert _left_behind(repo.root) == []
    # also through a link to a folder in the repository
    (tmp_path / "link").symlink_to(repo.root / "evidence")
    run = _export(repo, tmp_path / "link" / "out")
    assert run.code == 1
    assert "is inside the repository" in run.err
    assert repo.snapshot() == before


def test_a_repository_with_errors_is_refused(repo, tmp_path):
    repo.write("evidence/2026/bad.md", "no front matter\n")
    out = tmp_path / "deep" / "out"
    run = _export(repo, out)
    assert run.code == 1
    assert "the export is refused until they are fixed" in run.err
    assert "nothing was written" in run.err
    assert not (tmp_path / "deep").exists()


def test_bad_arguments_are_usage_errors_without_a_traceback(repo, tmp_path):
    for args, said in ((("--as-of", "2026-13-01"), "'today' or 'deadline'"),
                       (("--format", "md,pdf"), "--format 'pdf' is not a format")):
        run = repo.dspt("export", str(tmp_path / "out"), "--repo", str(repo.root), *args)
        assert run.code == 2
        assert said in run.err
        assert "Traceback" not in run.err
        assert not (tmp_path / "out").exists()


def test_a_failure_while_writing_leaves_nothing_behind(repo, tmp_path, monkeypatch):
    from dsptkit.commands import export

    sha = repo.attach("evidence/2026/ico.pdf", b"%PDF-1.4 ico\n")
    _evidence(repo, "EV-2", "ICO certificate", "2026-06-02", files=[("ico.pdf", sha)])

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_copy", broken)
    out = tmp_path / "new" / "out"
    run = _export(repo, out)
    assert run.code == 1
    assert "No space left on device; nothing was written" in run.err
    assert not (tmp_path / "new").exists()


# -- what it says ------------------------------------------------------------------------------

def _evidence(repo, ident: str, title: str, collected: str, files=(), restricted=False):  # type: ignore[no-untyped-def]
    listed = "".join(f"  - path: {name}\n    sha256: {sha}\n" for name, sha in files)
    repo.write(f"evidence/2026/{ident.lower()}.md",
               f"---\nid: {ident}\ntitle: {title}\ncollected: {collected}\nby: bob\n"
               f"supports: [GV-1]\noutcome: pass\n"
               + ("classification: restricted\n" if restricted else "")
               + (f"files:\n{listed}" if files else "") + "---\nRecorded.\n")


def test_restricted_documents_are_listed_not_copied_unless_asked(repo, tmp_path):
    open_sha = repo.attach("evidence/2026/register.pdf", b"%PDF-1.4 register\n")
    secret_sha = repo.attach("evidence/2026/secret.pdf", b"%PDF-1.4 secret\n")
    _evidence(repo, "EV-2", "ICO register entry", "2026-06-02", files=[("register.pdf", open_sha)])
    repo.write("policies/more.md", "---\nid: more\ntitle: More\nversion: '1'\nstatus: approved\n"
                                   "owner: siro\napproved: {by: siro, on: 2026-01-10}\nclaims:\n"
                                   "  - id: GV-2\n    says: We check it again.\n"
                                   "    meets: [dspt:1.1.1]\n---\n# More\n")
    repo.write("evidence/2026/ev-3.md", "---\nid: EV-3\ntitle: Restricted check\n"
                                        "collected: 2026-06-03\nby: bob\nsupports: [GV-2]\n"
                                        "outcome: pass\nclassification: restricted\nfiles:\n"
                                        f"  - path: secret.pdf\n    sha256: {secret_sha}\n---\nX\n")
    out = tmp_path / "plain"
    run = _export(repo, out)
    assert run.code == 0, run.err
    assert "1 document copied, 1 restricted not copied" in run.out
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["1.1.1-EV-2-register.pdf"]
    docs = {d["name"]: d for d in _item(out, "dspt:1.1.1")["documents"]}
    assert docs["1.1.1-EV-3-secret.pdf"]["copied"] is False
    assert docs["1.1.1-EV-3-secret.pdf"]["note"] == "restricted: not copied; upload it yourself"
    assert "1.1.1-EV-3-secret.pdf (restricted: not copied; upload it yourself)" in \
        (out / "submission.md").read_text("utf-8")

    out = tmp_path / "all"
    run = _export(repo, out, "--include-restricted")
    assert run.code == 0, run.err
    assert sorted(p.name for p in (out / "documents").iterdir()) == [
        "1.1.1-EV-2-register.pdf", "1.1.1-EV-3-secret.pdf"]
    assert (out / "documents" / "1.1.1-EV-3-secret.pdf").read_bytes() == b"%PDF-1.4 secret\n"


def test_a_symlinked_attachment_is_never_followed(repo, tmp_path):
    target = repo.attach("evidence/2026/real.pdf", b"%PDF-1.4 real\n")
    (repo.root / "evidence/2026/link.pdf").symlink_to(repo.root / "evidence/2026/real.pdf")
    _evidence(repo, "EV-2", "Linked file", "2026-06-02", files=[("link.pdf", target)])
    out = tmp_path / "out"
    run = _export(repo, out)
    assert run.code == 0, run.err
    docs = _item(out, "dspt:1.1.1")["documents"]
    assert [(d["name"], d["copied"]) for d in docs] == [("1.1.1-EV-2-link.pdf", False)]
    assert "symbolic link" in docs[0]["note"]
    assert not (out / "documents").exists()


def test_an_unmet_yes_no_item_is_answered_no(repo, tmp_path):
    catalogue = repo.root / "standards/dspt/catalogue.yaml"
    text = catalogue.read_text()
    line = next(line for line in text.splitlines() if line.strip() == "title: ICO registration")
    indent = line[:len(line) - len(line.lstrip())]
    catalogue.write_text(text.replace(line + "\n", f"{line}\n{indent}answer: yes-no\n"))
    out = tmp_path / "met"
    assert _export(repo, out).code == 0
    assert _item(out, "dspt:1.1.1")["proposed_answer"] == "Yes"
    out = tmp_path / "stale"
    run = repo.dspt("export", str(out), "--repo", str(repo.root), "--as-of", "2026-12-01")
    assert run.code == 0, run.err
    item = _item(out, "dspt:1.1.1")
    assert item["status"] == "not met"
    assert item["proposed_answer"] == "No"
    assert "Not current: that evidence expired on 2026-08-30." in item["comment"]
    assert "Last shown on 2026-06-01: ICO registration checked (EV-1)." in item["comment"]
    assert "Owner: Alice Adams (siro)." in item["comment"]
    plan = _data(out)["action_plan"]
    assert {"kind": "no plan", "items": ["dspt:1.1.1"], "claim": None, "says": None,
            "owner": None, "target": None, "overdue": False,
            "note": "no plan: add a planned claim"} in plan


def test_a_not_applicable_answer_is_shown_with_its_reason(repo, tmp_path):
    org = repo.root / "organisation.yaml"
    org.write_text(org.read_text() + (
        "answers:\n  - item: dspt:1.1.2\n    answer: not applicable\n"
        "    reason: We hold no personal data outside the clinical system.\n"
        "    decided_by: siro\n    decided_on: 2026-05-01\n"))
    out = tmp_path / "out"
    run = _export(repo, out)
    assert run.code == 0, run.err
    item = _item(out, "dspt:1.1.2")
    assert item["status"] == "not applicable (answered)"
    assert item["proposed_answer"] == (
        "Not applicable: We hold no personal data outside the clinical system. Decided by "
        "Alice Adams (siro) on 2026-05-01.")
    assert "Not applicable: We hold no personal data" in (out / "submission.md").read_text()


def test_the_profile_and_the_text_answers(repo, tmp_path):
    out = tmp_path / "out"
    assert _export(repo, out).code == 0
    profile = _data(out)["profile"]
    assert profile["ico_registration"] == "ZA123456"
    assert [(r["role"], r["name"], r["appointed_on"]) for r in profile["roles"]][:3] == [
        ("siro", "Alice Adams", "2026-01-05"), ("caldicott_guardian", "Alice Adams", "2026-01-05"),
        ("ig_lead", "Bob Brown", "2026-01-05")]
    assert _item(out, "dspt:1.1.1")["answer_type"] == "not stated"


def test_as_of_deadline_is_the_next_publication_deadline(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("DSPT_AS_OF", "2026-07-01")
    out = tmp_path / "out"
    run = repo.dspt("export", str(out), "--repo", str(repo.root), "--as-of", "deadline",
                    "--format", "json")
    assert run.code == 0, run.err
    assert _data(out)["as_of"] == "2027-06-30"
    assert sorted(p.name for p in out.iterdir()) == ["submission.json"]


def test_markdown_and_csv_cells_are_escaped(repo, tmp_path):
    sha = repo.attach("evidence/2026/a.pdf", b"%PDF-1.4 a\n")
    _evidence(repo, "EV-2", "=cmd| <b>bold</b>", "2026-06-02", files=[("a.pdf", sha)])
    out = tmp_path / "out"
    assert _export(repo, out).code == 0
    text = (out / "submission.md").read_text("utf-8")
    assert "=cmd\\| &lt;b&gt;bold&lt;/b&gt;" in text
    assert "<b>" not in text
    assert submission._csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert submission._csv_cell("Yes") == "Yes"


# -- the portal --------------------------------------------------------------------------------

def test_the_submission_page_is_in_internal_builds_only(repo):
    run = pipeline.run(repo.root, date(2026, 7, 1))
    assert "submission.md" not in rendered_pages(run)
    internal = rendered_pages(run, internal=True)
    html = internal["submission.md"]
    assert "Internal build: do not publish." in html
    assert "ZA123456" in html
    expected = submission.draft(run)
    assert expected.profile.statement in html
    assert all(e.title in html for e in expected.items)


def test_an_unmet_text_or_date_item_never_reads_as_an_answer(repo, tmp_path):
    catalogue = repo.root / "standards/dspt/catalogue.yaml"
    text = catalogue.read_text()
    line = next(line for line in text.splitlines() if line.strip() == "title: ICO registration")
    indent = line[:len(line) - len(line.lstrip())]
    for kind in ("text", "date"):
        catalogue.write_text(text.replace(line + "\n", f"{line}\n{indent}answer: {kind}\n"))
        out = tmp_path / kind
        run = repo.dspt("export", str(out), "--repo", str(repo.root), "--as-of", "2026-12-01")
        assert run.code == 0, run.err
        proposed = _item(out, "dspt:1.1.1")["proposed_answer"]
        assert proposed.startswith("Not met: claim GV-1: evidence expired on 2026-08-30. "
                                   "Draft once met: "), proposed
