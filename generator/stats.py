"""What files hashed to when a run last read them, by their size and modification time, so that
a run need not read a file again to know it has not changed (git's index makes the same test).

Kept in the cache (deleting it only costs time). A file is trusted by its stat only when its
modification time was older than `RACY_NS` when it was hashed: a file written just before could
be written again within the same tick of a coarse clock, its time unchanged, and is hashed again
by the next run instead.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

from .cache import prepare_folder, write_atomically

RACY_NS = 2_000_000_000
_FORMAT = 1  # of the file; an index of another format is not read


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StatIndex:
    """Path -> (size, modification time in ns, sha256) of the files a run read or wrote; saved
    with the entries that run used, when it changed any."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._known: dict[str, tuple[int, int, str]] = {}
        self._used: dict[str, tuple[int, int, str]] = {}
        self._changed = False
        if path is not None:
            try:
                with open(path, "rb") as stream:
                    version, known = pickle.load(stream)
                if version == _FORMAT and isinstance(known, dict):
                    self._known = known
            except Exception:  # missing, partial or of another version: an empty index
                pass

    def sha(self, path: str) -> str:
        """The file's sha256. Raises OSError as reading it would."""
        return self.lookup(path)[1]

    def lookup(self, path: str) -> tuple[bytes | None, str]:
        """The file's sha256, and its bytes when they had to be read: only when its stat is
        not the one recorded. Raises OSError as reading it would."""
        st = os.stat(path)
        known = self._known.get(path)
        if known is not None and known[:2] == (st.st_size, st.st_mtime_ns):
            self._used[path] = known
            return None, known[2]
        return self.read(path)

    def read(self, path: str) -> tuple[bytes, str]:
        """The file's bytes and sha256, recorded."""
        now = time.time_ns()
        st = os.stat(path)  # before reading: a change while it is read makes a newer time
        with open(path, "rb") as stream:
            data = stream.read()
        sha = digest(data)
        self.note(path, st, sha, now)
        return data, sha

    def note(self, path: str, st: os.stat_result, sha: str, now: int | None = None) -> None:
        """Record that the file of this stat holds bytes of this sha256 (as of `now`)."""
        now = time.time_ns() if now is None else now
        entry = (st.st_size, st.st_mtime_ns, sha)
        if st.st_mtime_ns < now - RACY_NS:
            self._used[path] = entry
            self._changed = self._changed or self._known.get(path) != entry
        else:
            self._used.pop(path, None)
            self._changed = self._changed or path in self._known

    def save(self) -> None:
        """Write the entries this run used, if any changed (atomically, into the cache folder
        of its spec set); errors are ignored, as the index only saves time."""
        if self.path is None or not (self._changed or len(self._used) != len(self._known)):
            return
        try:
            if prepare_folder(self.path.parent.parent):
                self.path.parent.mkdir(exist_ok=True)
                write_atomically(self.path, (_FORMAT, self._used))
        except OSError:
            pass
