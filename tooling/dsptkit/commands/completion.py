"""``dspt completion bash|zsh|fish``: print the shell code that completes dspt's commands.

The completions themselves come from argcomplete, which reads dspt's own argument parser:
the shell runs ``dspt`` with ``_ARGCOMPLETE`` set and ``main`` hands over to argcomplete
before anything else (see ``dsptkit.main``). So every command, option and choice completes
as it is defined, with nothing to keep in step by hand.
"""

from __future__ import annotations

import argparse
import sys

from dsptkit.errors import UsageError


def run(args: argparse.Namespace) -> int:
    try:
        import argcomplete
    except ImportError:
        raise UsageError("dspt completion needs argcomplete, which dsptkit installs with it: "
                         "pip install 'argcomplete>=3.1,<4'") from None
    code = argcomplete.shellcode(["dspt"], shell=args.shell)
    sys.stdout.write(code if code.endswith("\n") else code + "\n")
    return 0
