"""Shell completion, as a user sees it: a real interactive bash on a terminal, with the code
`dspt completion bash` prints loaded as the help text says (eval in ~/.bashrc), and TAB
pressed. The installed `dspt` beside the Python running the tests (.venv/bin/dspt under
`make test`) answers through argcomplete. zsh and fish are not installed here, so for them
the printed code is checked, not run."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
DSPT = BIN / "dspt"
PROMPT = "PROMPT> "
TIMEOUT = 20.0


def _dspt(*args: str) -> subprocess.CompletedProcess[str]:
    if not DSPT.exists():
        pytest.fail(f"{DSPT} is not installed: run 'make install'")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARGCOMPLETE", "COMP_"))}
    return subprocess.run([str(DSPT), *args], capture_output=True, text=True, check=False,
                          env=env)


class Terminal:
    """An interactive bash on a pseudo-terminal: what is typed, and what it shows."""

    def __init__(self, home: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARGCOMPLETE", "COMP_"))}
        env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", PS1=PROMPT, TERM="dumb",
                   HOME=str(home), INPUTRC=str(home / "inputrc"), HISTFILE=os.devnull)
        (home / "inputrc").write_text("set bell-style none\nset page-completions off\n"
                                      "set completion-query-items 1000\n", encoding="utf-8")
        shell = shutil.which("bash")
        if shell is None:
            pytest.fail("bash is not installed: the completion tests run it (apt-get install bash)")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # pragma: no cover - the child becomes bash
            try:
                os.chdir(home)
                os.execve(shell, ["bash", "--noprofile", "--norc", "-i"], env)
            finally:
                os._exit(127)
        self.seen = ""
        self.synced = 0
        self.expect(PROMPT)

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode())

    def expect(self, pattern: str, count: int = 1) -> str:
        """Read until ``pattern`` has appeared ``count`` times since the last expect; return
        what was read."""
        deadline = time.monotonic() + TIMEOUT
        while self.seen.count(pattern) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                pytest.fail(f"the terminal never showed {pattern!r}; it showed:\n{self.seen!r}")
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    self.seen += os.read(self.fd, 4096).decode(errors="replace")
                except OSError:  # bash has gone
                    pytest.fail(f"bash exited; it showed:\n{self.seen!r}")
        shown, self.seen = self.seen, ""
        return shown

    def run(self, line: str) -> str:
        self.send(line + "\n")
        return self.expect(PROMPT)

    def clear(self) -> None:
        """Ctrl-U clears the line; then wait for a fresh prompt, so that nothing shown so far
        is read as the answer to what is typed next."""
        self.synced += 1
        self.send(f"\x15echo synced-{self.synced}\n")
        self.expect(f"synced-{self.synced}\r\n{PROMPT}")

    def tab(self, typed: str, expected: str) -> None:
        """Type, press TAB once, and see the line completed to ``expected``."""
        self.send(typed + "\t")
        self.expect(expected)
        self.clear()

    def choices(self, typed: str) -> list[str]:
        """Type, press TAB twice, and read the candidates bash lists below the line."""
        self.send(typed + "\t\t")
        shown = self.expect(PROMPT + typed)
        self.clear()
        listing = shown.split(PROMPT + typed)[0].partition("\n")[2]
        return sorted(re.split(r"\s+", listing.replace("\x07", "").strip()))

    def close(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.fixture(scope="module")
def bash(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Terminal]:
    _dspt("--version")  # fails the test with what to run if dspt is not installed
    terminal = Terminal(tmp_path_factory.mktemp("home"))
    try:
        terminal.run('eval "$(dspt completion bash)"')
        assert "-F _python_argcomplete dspt" in terminal.run("complete -p dspt")
        yield terminal
    finally:
        terminal.close()


def test_a_command_completes_from_its_first_letters(bash):
    bash.tab("dspt ch", "dspt check ")
    bash.tab("dspt sn", "dspt snapshot ")


def test_an_option_completes(bash):
    bash.tab("dspt check --for", "dspt check --format ")
    bash.tab("dspt --ver", "dspt --version ")


def test_the_choices_of_an_argument_are_listed(bash):
    assert bash.choices("dspt completion ") == ["bash", "fish", "zsh"]
    assert bash.choices("dspt check --format ") == ["github", "json", "sarif", "text"]
    assert bash.choices("dspt portal ") == ["export", "pdf"]


def test_every_command_is_offered_and_options_wait_for_a_dash(bash):
    offered = bash.choices("dspt ")
    for command in ("check", "status", "rules", "catalogue", "export", "init", "new", "hash",
                    "adopt", "portal", "diff", "history", "snapshot", "completion"):
        assert command in offered
    assert not [word for word in offered if word.startswith("-")]
    assert "--strict" in bash.choices("dspt check --s")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_printed_code_is_for_that_shell_and_for_dspt(shell):
    done = _dspt("completion", shell)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    code = done.stdout
    assert code.endswith("\n")
    marker = {"bash": "complete -o nospace -o default -o bashdefault -F _python_argcomplete dspt",
              "zsh": "#compdef dspt", "fish": "complete --command dspt"}[shell]
    assert marker in code


def test_an_unknown_shell_is_a_usage_error():
    done = _dspt("completion", "powershell")
    assert done.returncode == 2
    assert "invalid choice: 'powershell'" in done.stderr
