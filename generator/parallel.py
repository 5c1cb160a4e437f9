"""Work spread over processes, safe to interrupt: workers ignore Ctrl-C, and the pool is torn
down (not waited for) when the run stops early, so an interrupted run exits at once."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker_count(items: int, threshold: int) -> int:
    """How many processes `items` pieces of work are worth: 1 below the threshold."""
    if items < threshold:
        return 1
    return max(1, min(os.cpu_count() or 1, 8, items // max(1, threshold // 2)))


def map_in_processes(function: Callable[[T], R], items: Sequence[T], workers: int,
                     chunksize: int = 32) -> list[R]:
    if workers < 2:
        return [function(item) for item in items]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    pool = context.Pool(workers, initializer=_ignore_interrupts)
    try:
        return pool.map(function, items, chunksize)
    finally:
        pool.terminate()  # finished or interrupted: nothing is left to wait for
        pool.join()
