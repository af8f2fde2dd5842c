"""The text output for the commit hook (--brief: the errors, then one line) and colour: on a
terminal only, never with NO_COLOR, never in the formats for tools."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, on_terminal, terminal_env
from dsptkit.main import main

AS_OF = "2026-11-22"
ESC = "\x1b["


def brief(repo, *argv: str):  # type: ignore[no-untyped-def]
    return repo.dspt("check", "--brief", *argv)


def test_brief_on_the_example_is_one_line(capsys):
    assert main(["check", "--brief", "--repo", str(ROOT), "--as-of", AS_OF]) == 0
    assert capsys.readouterr().out == ("no errors; 5 findings and 1 warning not shown: run "
                                       "'dspt check' to see them\n")


def test_brief_puts_the_errors_first_then_one_line(repo):
    repo.write("policies/broken.md", "no front matter\n")
    repo.write("evidence/2026/bad.md", "---\nid: [unclosed\n---\n")
    text = (repo.root / "organisation.yaml").read_text()
    repo.write("organisation.yaml", text + "favourite: blue\n")  # SC003, a warning
    full = repo.dspt("check")
    run = brief(repo)
    assert run.code == full.code == 1
    errors = [line for line in full.lines if " FM0" in line]
    assert [line.split()[1] for line in errors] == ["FM012", "FM010"]  # sorted as in full
    assert any(" SC003 " in line for line in full.lines)
    assert run.lines == [*errors, "2 errors above; 1 warning not shown: run 'dspt check' to see "
                                  "them"]
    assert run.err == ""


def test_brief_counts_are_singular_and_plural(repo):
    assert brief(repo).lines == ["no errors, findings or warnings"]
    repo.write("policies/broken.md", "no front matter\n")
    run = brief(repo)
    assert run.lines[-1] == "1 error above; no findings or warnings"
    assert len(run.lines) == 2
    repo.remove("policies/broken.md")
    repo.remove("evidence/2026/ico.md")
    repo.write("evidence/2026/other.md", "---\nid: EV-9\ntitle: Other\ncollected: 2026-06-01\n"
                                         "by: bob\nsupports: []\noutcome: pass\n---\nx\n")
    assert brief(repo).lines == ["no errors; 1 finding and 1 warning not shown: run 'dspt check' "
                                 "to see them"]


def test_brief_is_text_only(capsys):
    assert main(["check", "--brief", "--format", "json", "--repo", str(ROOT)]) == 2
    assert capsys.readouterr().err == ("dspt: error: --brief is a text output (for the commit "
                                       "hook); it cannot be combined with --format json\n")


# -- colour ------------------------------------------------------------------------------------

def piped(*argv: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-m", "dsptkit", *argv], capture_output=True,
                          text=True, env=terminal_env(**env), check=False)
    return done.stdout


CHECK = ("check", "--repo", str(ROOT), "--as-of", AS_OF)


def test_colour_on_a_terminal():
    out = on_terminal(*CHECK)
    lines = out.splitlines()
    assert lines[0] == "evidence/registers/people.yaml:7:5: \x1b[36mOW101\x1b[0m tom-hughes owns 26 " \
                       "of 43 claims (60%), over the 50% limit"
    assert lines[1].startswith("evidence/registers/suppliers.yaml:49:5: \x1b[33mDM102\x1b[0m "
                               "supplier 'Fernhill IT Services'")
    assert lines[2].startswith("policies/access-control.md:10:5: \x1b[33mCL102\x1b[0m claim AC-1")
    assert lines[6] == ("0 errors, \x1b[33m5 findings\x1b[0m, \x1b[36m1 warning\x1b[0m, 2 waived "
                        "(12 policies, 41 evidence files; as of 2026-11-22)")
    # without the colour it is the same text, word for word
    plain = out.replace("\x1b[36m", "").replace("\x1b[33m", "").replace("\x1b[0m", "")
    assert plain == piped(*CHECK)


def test_errors_are_red_on_a_terminal(repo):
    repo.write("policies/broken.md", "no front matter\n")
    out = on_terminal("check", "--brief", "--repo", str(repo.root), "--as-of", "2026-07-01")
    assert out == ("policies/broken.md:1:1: \x1b[1;31mFM010\x1b[0m no front matter: the file "
                   "must start with a line '---', then YAML fields, then another '---'\n"
                   "\x1b[1;31m1 error\x1b[0m above; no findings or warnings\n")


@pytest.mark.parametrize("value", ["1", "true", "0"])  # any non-empty value (no-color.org)
def test_no_color_turns_it_off_on_a_terminal(value):
    out = on_terminal(*CHECK, NO_COLOR=value)
    assert ESC not in out
    assert out == piped(*CHECK)
    assert ESC not in on_terminal(*CHECK, NO_COLOR=value, FORCE_COLOR="1")  # NO_COLOR wins


def test_an_empty_no_color_is_not_set():
    assert ESC in on_terminal(*CHECK, NO_COLOR="")


def test_no_colour_when_piped_unless_forced():
    assert ESC not in piped(*CHECK)
    assert ESC not in piped(*CHECK, TERM="dumb")
    assert ESC not in on_terminal(*CHECK, TERM="dumb")
    forced = piped(*CHECK, FORCE_COLOR="1")
    assert "\x1b[33mCL102\x1b[0m" in forced


@pytest.mark.parametrize("fmt", ["json", "sarif", "github"])
def test_no_colour_in_the_formats_for_tools(fmt):
    assert ESC not in on_terminal(*CHECK, "--format", fmt, FORCE_COLOR="1")


def test_status_colours_what_blocks_standards_met():
    argv = ("status", "--repo", str(ROOT), "--as-of", "2027-05-15")
    out = on_terminal(*argv)
    assert "  dspt:4.2.4   \x1b[1;31mnot met\x1b[0m  Access is removed or changed when people " \
           "leave or change role" in out
    assert ESC not in on_terminal(*argv, NO_COLOR="1")
    assert ESC not in piped(*argv)
