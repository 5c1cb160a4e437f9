"""Work spread over forked worker processes, safe to interrupt at any moment.

Not `multiprocessing.Pool`: after Ctrl-C its teardown can hang for good (its task feeder, a
thread, stays blocked writing to a pipe that no worker reads any more). Here the parent hands
out chunks of work over one pipe per worker, with no thread in between, and when it stops, for
whatever reason, it kills the workers and is done. Workers ignore Ctrl-C (a terminal sends it to
the whole process group): the parent decides. The items reach the workers by the fork itself.
"""

from __future__ import annotations

import os
import signal
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")
R = TypeVar("R")


class WorkerError(Exception):
    """A worker process failed outside the function it runs (which reports its own errors)."""


def worker_count(items: int, threshold: int) -> int:
    """How many processes `items` pieces of work are worth: 1 below the threshold."""
    if items < threshold:
        return 1
    return max(1, min(os.cpu_count() or 1, 8, items // max(1, threshold // 2)))


def map_in_processes(function: Callable[[T], R], items: Sequence[T], workers: int,
                     chunksize: int = 32,
                     arrived: Callable[[range, list[R]], None] | None = None) -> list[R]:
    """`function` of each item, in order. `arrived` is told each chunk's results (their
    positions, them) as they come: the parent can use them while the workers go on."""
    chunks = [range(start, min(start + chunksize, len(items)))
              for start in range(0, len(items), chunksize)]
    if workers < 2 or len(chunks) < 2 or not hasattr(os, "fork"):
        made = [function(item) for item in items]
        if arrived is not None:
            arrived(range(len(items)), made)
        return made
    from multiprocessing.connection import Connection, Pipe, wait  # for runs that fork only

    results: list[Any] = [None] * len(items)
    pids: dict[Connection, int] = {}  # the parent's end of each worker's pipe -> its pid
    try:
        for _ in range(min(workers, len(chunks))):
            ours, theirs = Pipe()
            pid = os.fork()
            if pid == 0:
                _worker(function, items, chunks, theirs, [ours, *pids])
            pids[ours] = pid
            theirs.close()
        waiting = iter(range(len(chunks)))
        busy: dict[Connection, int] = {}  # worker -> the chunk it is working on
        for connection, index in zip(pids, waiting, strict=False):  # fewer workers than chunks
            connection.send(index)
            busy[connection] = index
        while busy:
            for ready in wait(list(busy)):
                assert isinstance(ready, Connection)
                chunk = chunks[busy.pop(ready)]
                try:
                    status, payload = ready.recv()
                except EOFError:
                    raise WorkerError("a worker process ended before its work was done") from None
                if status != "ok":
                    raise WorkerError(payload)
                following = next(waiting, None)
                if following is not None:  # the worker goes on while the parent looks
                    ready.send(following)
                    busy[ready] = following
                for position, result in zip(chunk, payload, strict=True):
                    results[position] = result
                if arrived is not None:
                    arrived(chunk, payload)
        return results
    finally:
        # Done, failed or interrupted: nothing is left to wait for.
        for connection, pid in pids.items():
            connection.close()
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in pids.values():
            os.waitpid(pid, 0)


def _worker(function: Callable[[T], R], items: Sequence[T], chunks: list[range],
            connection: Connection, parents_ends: list[Connection]) -> NoReturn:
    """A forked worker: runs the chunks it is sent until its pipe closes, then exits (never
    returns into the parent's code)."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for end in parents_ends:  # so that each pipe closes when the parent's end does
            end.close()
        while True:
            try:
                index = connection.recv()
            except EOFError:
                break
            try:
                connection.send(("ok", [function(items[i]) for i in chunks[index]]))
            except Exception:
                connection.send(("error", traceback.format_exc()))
    except BaseException:
        code = 1
    finally:
        os._exit(code)
