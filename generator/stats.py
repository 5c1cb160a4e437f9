"""What files hashed to when a run last read them, by their stat (size, inode, modification and
change times), so that a run need not read a file again to know it has not changed (git's index
makes the same test). The change time is the kernel's own: tools that keep a file's size and
modification time (`touch -r`, `cp -p`, archives with fixed times, a rename over it) cannot
keep it.

Kept in the cache (deleting it only costs time). A file is trusted by its stat only when it was
last changed well before it was hashed: a file written just before could be written again
within the same tick of the file system's clock, its times unchanged, and is hashed again by
the next run instead. How long "well before" is depends on the clock: file systems that keep
whole seconds (FAT keeps two) get `RACY_NS`; those that keep finer times take them from the
kernel's clock, whose tick is a few milliseconds, and get `FINE_RACY_NS`.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path

from .cache import Recent, prepare_folder, write_atomically

RACY_NS = 2_000_000_000
FINE_RACY_NS = 100_000_000
_FORMAT = 2  # of the file; an index of another format is not read
# A run that finds at most FEW_CHANGES files otherwise than a saved index of LARGE_INDEX
# entries or more says leaves the index as it is: the next runs read those few files again
# (well under a millisecond each), where writing 22,000 entries again takes tens of
# milliseconds. A smaller index is written whenever it changes: it is quick to write.
FEW_CHANGES = 64
LARGE_INDEX = 2000
Stat = tuple[int, int, int, int]  # size, inode, modification and change times (ns)


# The indexes this process saved or read, by path, with their file's stat.
_RECENT_INDEXES: Recent[dict[str, tuple[Stat, str]]] = Recent()


def stat_of(st: os.stat_result, changed: bool = True) -> Stat:
    """What of a stat the index compares; without `changed`, not the change time."""
    return st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns if changed else 0


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class StatIndex:
    """Path -> (stat, sha256) of the files a run read; saved with the entries that run used
    when it changed any (of a large index, more than a few: see FEW_CHANGES)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._known: dict[str, tuple[Stat, str]] = {}
        self._used: dict[str, tuple[Stat, str]] = {}
        self._changed = False
        self._touched: set[str] = set()  # paths whose entry this run made (read or written)
        if path is not None:
            try:
                with open(path, "rb") as stream:
                    # The index this process last saved or read here, while the file is
                    # the same one (each save makes a new file). Taking another index of
                    # this path would only cost time: each entry holds true of the stat it
                    # names.
                    opened = stat_of(os.fstat(stream.fileno()))
                    kept = _RECENT_INDEXES.get(str(path), opened)
                    if kept is None:
                        version, known = pickle.load(stream)
                        kept = known if version == _FORMAT and isinstance(known, dict) else {}
                        _RECENT_INDEXES.put(str(path), opened, kept)
                    self._known = kept
            except Exception:  # missing, partial or of another version: an empty index
                self._known = {}

    def sha(self, path: str, changed: bool = True) -> str:
        """The file's sha256. Raises OSError as reading it would."""
        return self.lookup(path, changed)[1]

    def lookup(self, path: str, changed: bool = True) -> tuple[bytes | None, str]:
        """The file's sha256, and its bytes when they had to be read: only when its stat is
        not the one recorded. `changed=False` leaves the change time out, for the files
        specgen writes: writing the package links its unchanged files anew, which changes
        their change time on every run (an editor's save still gives a new modification
        time, a move a new inode). Raises OSError as reading it would."""
        known = self._known.get(path)
        if known is not None and known[0] == stat_of(os.stat(path), changed):
            self._used[path] = known
            return None, known[1]
        return self.read(path, changed)

    def read(self, path: str, changed: bool = True) -> tuple[bytes, str]:
        """The file's bytes and sha256, recorded."""
        now = time.time_ns()
        # By its descriptor: no file object (a cold run reads 11,000 specs this way).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            st = os.fstat(fd)  # before reading: a change while it is read makes a newer time
            chunks = [os.read(fd, st.st_size + 1)]
            while chunks[-1]:  # until the end, wherever it is now
                chunks.append(os.read(fd, max(st.st_size, 65536)))
        finally:
            os.close(fd)
        data = b"".join(chunks)
        sha = digest(data)
        self._note(path, st, sha, now, changed)
        return data, sha

    def written(self, path: str, sha: str, st: os.stat_result) -> None:
        """Record a file this run wrote, of this sha256, by its stat as it was written
        (without the change time, as `lookup(changed=False)` reads it: a move into place
        keeps the rest). A change since gives it other times."""
        self._note(path, st, sha, time.time_ns(), False)

    def _note(self, path: str, st: os.stat_result, sha: str, now: int, changed: bool) -> None:
        """Record that the file of this stat holds bytes of this sha256 (as of `now`)."""
        entry = (stat_of(st, changed), sha)
        self._touched.add(path)
        window = RACY_NS if st.st_mtime_ns % 1_000_000_000 == 0 else FINE_RACY_NS
        if max(st.st_mtime_ns, st.st_ctime_ns if changed else 0) < now - window:
            self._used[path] = entry
            self._changed = self._changed or self._known.get(path) != entry
        else:
            self._used.pop(path, None)
            self._changed = self._changed or path in self._known

    def save(self) -> None:
        """Write the entries this run used (atomically, into the cache folder of its spec
        set) when any is not a saved one (of a large index, more than a few); errors are
        ignored, as the index only saves time. The last thing a run does with its index:
        the entries are the next run's in this process as they are."""
        if self.path is None or not (self._changed or len(self._used) != len(self._known)):
            return
        if len(self._known) >= LARGE_INDEX and self._differences() <= FEW_CHANGES:
            return
        try:
            if prepare_folder(self.path.parent.parent):
                self.path.parent.mkdir(exist_ok=True)
                write_atomically(self.path, (_FORMAT, self._used))
                _RECENT_INDEXES.put(str(self.path), stat_of(os.stat(self.path)), self._used)
        except OSError:
            pass

    def _differences(self) -> int:
        """How many files this run found otherwise than the saved index says: changed, new
        or gone. Counted over the entries this run made: any other entry it used is one of
        the index's, as it was."""
        known, used, touched = self._known, self._used, self._touched
        differ = sum(1 for path in touched if used.get(path) != known.get(path))
        gone = (len(known) - sum(1 for path in touched if path in known)
                - (len(used) - sum(1 for path in touched if path in used)))
        return differ + gone
