"""The `specgen` command (and `python -m specgen_md`): kept apart from cli.py so that Ctrl-C
ends a run with exit status 130 at any moment, while the modules are still loading too."""

from __future__ import annotations

import gc
import os
import signal
import sys

INTERRUPTED = 130


def run() -> None:
    """`main`, then exit without tearing the interpreter down (freeing every object of a
    large run costs a tenth of a second and serves no one)."""
    # A run is short and its objects live until it ends: the cyclic garbage collector would
    # only walk the ever larger heap again and again (a third of a large run's time).
    gc.disable()
    try:
        from .cli import main  # inside the guard: loading takes a moment of its own

        code = main()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing now
        code = INTERRUPTED
        print("specgen: interrupted", file=sys.stderr)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)
