"""Turning every failure into a clear message and an exit code; no traceback reaches a user."""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from dsptkit.errors import FatalError

EXIT_USAGE = 2


class Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@contextmanager
def error_handler() -> Iterator[None]:
    """Map FatalError to ``dspt: error: ...`` and anything unexpected to an internal error."""
    try:
        yield
    except FatalError as exc:
        print(f"dspt: error: {exc}", file=sys.stderr)
        raise Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        print("dspt: interrupted", file=sys.stderr)
        raise Exit(130) from None
    except BrokenPipeError:
        raise Exit(0) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        if os.environ.get("DSPT_DEBUG"):
            traceback.print_exc()
        print(f"dspt: internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in dsptkit; please report it with the command you ran "
              "(set DSPT_DEBUG=1 to see the traceback).", file=sys.stderr)
        raise Exit(EXIT_USAGE) from None


# a terminal closed (SIGHUP) or a kill (SIGTERM) while a command writes or prints
_HANGUPS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def hangups_interrupt() -> Iterator[None]:
    """Within this block a SIGTERM or SIGHUP ends the command as Ctrl-C does, so its
    ``finally`` blocks tidy up (temporary files, child processes) before it exits."""
    previous = {sig: signal.signal(sig, _interrupt) for sig in _HANGUPS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
