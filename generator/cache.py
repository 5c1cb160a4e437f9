"""A local cache that makes regeneration incremental: parsed docs by spec content, rendered
modules with what they were rendered from. Lives in `.specgen_cache/` beside the project's
pyproject.toml (like `.ruff_cache`), or in the user's cache folder without one; deleting it
only costs time.

Layout: a folder per spec set and output (`<identity>/`), holding the entries in a fixed number
of shard files per kind (`parsed-007.pickle`, `rendered-007.pickle`), each tagged with the
generator fingerprint it was made with, its entries pickled one by one (see `Store`). A
shard is read when an entry of it is first asked for, and written (atomically: a temporary
file renamed over it) only when the run changed it, holding exactly the entries that run
used: what no run can use is dropped as it goes (a run that edits a few entries,
incremental.py, drops the ones it replaces).
Runs read and write it themselves; one that starts while another writes reads each shard
whole, old or new. Beyond `LIMIT` bytes in all, the least recently used spec sets go.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Generic, TypeVar

GITIGNORE = "# Created by specgen: a local cache.\n*\n"


Value = TypeVar("Value")


class Recent(Generic[Value]):
    """The last few values this process read from or wrote to files, by key (a path): runs
    that follow one another in one process (`watch`) need not load again, each time, what
    did not change (the stat index, the facts and the manifest: tens of milliseconds on a
    large set). Each value is kept with a witness, which its keeper checks against the file
    (its stat, say) before it takes the value again."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._values: dict[str, tuple[Any, Value]] = {}

    def get(self, key: str, witness: Any) -> Value | None:
        """The value kept under `key` with this witness; None otherwise."""
        kept = self._values.get(key)
        return kept[1] if kept is not None and kept[0] == witness else None

    def put(self, key: str, witness: Any, value: Value) -> None:
        self._values.pop(key, None)
        self._values[key] = (witness, value)
        while len(self._values) > self._size:  # the oldest go first
            del self._values[next(iter(self._values))]


def prepare_folder(folder: Path) -> bool:
    """Make the cache folder with its .gitignore already inside, so that git never lists it:
    it is built under a temporary name and renamed into place. False when it cannot be made
    (the run then goes on without it)."""
    if (folder / ".gitignore").is_file():
        return True
    try:
        if folder.is_dir():  # made by an earlier version, or by hand
            (folder / ".gitignore").write_text(GITIGNORE)
            return True
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.with_name(f"{folder.name}.tmp-{os.urandom(6).hex()}")
        staging.mkdir()
        (staging / ".gitignore").write_text(GITIGNORE)
        try:
            os.rename(staging, folder)
        except OSError:  # another run made it meanwhile
            shutil.rmtree(staging, ignore_errors=True)
        return folder.is_dir()
    except OSError:
        return False


SHARDS = 128
LIMIT = 64 * 1024 * 1024  # bytes, all spec sets together
KINDS = ("parsed", "rendered")
STALE = 600  # seconds after which a temporary file is a killed run's leftover


_OLD_SHARD = re.compile(rf"(?:{'|'.join(KINDS)})-(?!\d{{3}}\.)\d+\.pickle")


def shard_of(key: Any) -> int:
    """The shard an entry lives in: stable across runs and machines (keys are tuples and
    strings, whose repr is)."""
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=2).digest()) % SHARDS


class Store:
    """One kind of entry (parsed pages or rendered modules), read shard by shard on demand;
    `keep` sets what the run ends with.

    Each entry is kept pickled on its own (a shard maps keys to bytes), and unpickled when
    it is first asked for: a run that needs a few entries of a shard pays for those alone,
    and a shard is written again without pickling the entries it kept as they were. Whoever
    made an entry pickled may hand over its bytes (`known`): the workers that parse pages
    pickle what they send anyway."""

    def __init__(self, folder: Path | None, kind: str, key: str) -> None:
        self.folder, self.kind, self.key = folder, kind, key
        self._loaded: dict[int, dict[Any, bytes]] = {}
        self._values: dict[Any, Any] = {}  # entries unpickled (or made) by this run
        self._packed: dict[Any, bytes] = {}  # the bytes of entries made by this run
        self._kept: dict[Any, Any] | None = None
        self._numbers: dict[Any, int] = {}  # key -> its shard's number, once computed
        self._added: set[int] = set()  # shards that `put` added to (with `keep` unset)

    def _shard_of(self, key: Any) -> dict[Any, bytes]:
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = shard_of(key)
        found = self._loaded.get(number)
        if found is None:
            found = self._loaded[number] = self._read(number)
        return found

    def _path(self, number: int) -> Path:
        assert self.folder is not None
        return self.folder / f"{self.kind}-{number:03d}.pickle"

    def _read(self, number: int) -> dict[Any, bytes]:
        if self.folder is None:
            return {}
        try:
            with open(self._path(number), "rb") as handle:
                key, entries = pickle.load(handle)
            if key == self.key and isinstance(entries, dict):
                return entries
        except Exception:  # a missing, stale or damaged shard is an empty one
            pass
        return {}

    def get(self, key: Any) -> Any:
        found = self._values.get(key)
        if found is None:
            data = self._shard_of(key).get(key)
            if data is None:
                return None
            try:
                found = self._values[key] = pickle.loads(data)
            except Exception:  # damaged: as if it were not there
                return None
        return found

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def known(self, key: Any, value: Any, data: bytes) -> None:
        """`value`, made by this run for `key`, pickles to `data`: kept as they are."""
        if self.folder is not None:
            self._values[key], self._packed[key] = value, data

    def keep(self, entries: dict[Any, Any]) -> None:
        self._kept = entries

    def drop(self, key: Any) -> None:
        """Remove an entry from what the cache holds (see `put`)."""
        self._values.pop(key, None)
        if self._shard_of(key).pop(key, None) is not None:
            self._added.add(self._numbers[key])

    def put(self, key: Any, value: Any) -> None:
        """Add an entry to what the cache holds: for a run that uses only a few entries (see
        incremental.py), where `keep` would drop all the others."""
        self._shard_of(key)[key] = self._pack(key, value)
        self._values[key] = value
        self._added.add(self._numbers[key])

    def _pack(self, key: Any, value: Any) -> bytes:
        """The bytes of an entry: those it was read from or handed over with, while it is
        the very value they stand for; pickled now otherwise."""
        if self._values.get(key) is value:
            data = self._packed.get(key)
            if data is None:
                data = self._shard_of(key).get(key)
            if data is not None:
                return data
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def release(self) -> None:
        """Written: nothing more to keep in memory (nor to write again)."""
        self._loaded.clear()
        self._values.clear()
        self._packed.clear()
        self._kept = None
        self._numbers.clear()
        self._added.clear()

    def changed_shards(self) -> Iterator[tuple[Path, dict[Any, bytes]]]:
        """(shard file, its new entries) for each shard whose entries the run changed; an
        empty dict for one to remove."""
        if self.folder is None:
            return
        if self._kept is None:
            for number in sorted(self._added):
                yield self._path(number), self._loaded[number]
            return
        grouped: dict[int, dict[Any, Any]] = {number: {} for number in range(SHARDS)}
        for key, value in self._kept.items():
            known = self._numbers.get(key)
            grouped[shard_of(key) if known is None else known][key] = value
        for number, values in grouped.items():
            # Pickled shard by shard: only one shard's new bytes are held at a time.
            entries = {key: self._pack(key, value) for key, value in values.items()}
            before = self._loaded.get(number)
            if before is None:
                if entries or self._path(number).exists():
                    yield self._path(number), entries
            elif before.keys() != entries.keys() or any(
                    before[key] is not data for key, data in entries.items()):
                yield self._path(number), entries


class Cache:
    def __init__(self, path: Path | None, key: str = "") -> None:
        self.path = path  # the spec set's folder; None: caching is off
        self.key = key  # the generator fingerprint the entries are made with
        # (spec key, shown path, spec sha256, dialect setting) -> what parsing gave
        # (reading.Parsed: the doc, its warnings, no crash, the page's dialect evidence, the
        # doc's shape digest)
        self.parsed = Store(path, "parsed", key)
        # output path -> (what rendering read of the package, final text)
        self.rendered = Store(path, "rendered", key)
        # What the run found of the whole doc set (facts.py): saved once its output is.
        self.found: Any = None

    @classmethod
    def load(cls, folder: Path | None, identity: str, key: str) -> Cache:
        if folder is None:
            return cls(None)
        return cls(set_folder(folder, identity), key)

    def save(self, *stores: Store) -> None:
        """Write the shards the run changed (of `stores`, by default all), each atomically,
        and let go of them; then keep the cache bounded."""
        if self.path is None or not prepare_folder(self.path.parent):
            return
        try:
            self.path.mkdir(exist_ok=True)
            os.utime(self.path)  # most recently used
            for store in stores or (self.parsed, self.rendered):
                for path, entries in store.changed_shards():
                    if entries:
                        write_atomically(path, (self.key, entries))
                    else:
                        path.unlink(missing_ok=True)
                store.release()
            prune(self.path.parent, self.path)
        except OSError:
            pass  # the cache only saves time


    # --- What a run leaves for the next (see incremental.py) ---------------------------------
    # `facts.pickle` holds them, under a name of their own; `facts.tag` says which run's
    # output they stand for (the manifest's specs, hashed): a run that writes the output
    # without saving facts leaves the tag stale, and so no later run trusts them.

    def facts(self, tag: str) -> Any:
        """The facts saved for the output that `tag` names; None when there are none."""
        if self.path is None:
            return None
        try:
            name, _, saved = (self.path / "facts.tag").read_text().partition(" ")
            if saved != tag:
                return None
            # Each save has a name of its own: facts this process saved or read under the
            # name the tag gives are those the file holds.
            facts = _FACTS.get(str(self.path), (self.key, name))
            if facts is None:
                with open(self.path / "facts.pickle", "rb") as handle:
                    key, saved_name, facts = pickle.load(handle)
                if key != self.key or saved_name != name:
                    return None
                _FACTS.put(str(self.path), (key, name), facts)
            return facts
        except Exception:  # missing, stale or damaged: no facts
            return None

    def save_facts(self, facts: Any, tag: str) -> None:
        """Keep `facts` for runs after this one, whose output `tag` names."""
        path, name = self.path, os.urandom(8).hex()
        if path is not None and self._write(
                lambda: write_atomically(path / "facts.pickle", (self.key, name, facts))):
            _FACTS.put(str(path), (self.key, name), facts)
            self.retag(tag, name)

    def retag(self, tag: str, name: str | None = None) -> None:
        """The saved facts stand for the output `tag` names now (a run changed it in a way
        they still describe)."""
        if self.path is None:
            return
        try:
            if name is None:
                name = (self.path / "facts.tag").read_text().partition(" ")[0]
            write_atomically(self.path / "facts.tag", f"{name} {tag}".encode(), raw=True)
        except OSError:
            pass

    def _write(self, write: Callable[[], None]) -> bool:
        if self.path is None or not prepare_folder(self.path.parent):
            return False
        try:
            self.path.mkdir(exist_ok=True)
            write()
            return True
        except OSError:
            return False


_FACTS: Recent[Any] = Recent()  # by spec set folder, (generator fingerprint, name of the save)


def set_folder(root: Path, identity: str) -> Path:
    """The folder of one spec set and output (`identity` names them) in the cache."""
    return root / hashlib.sha256(identity.encode()).hexdigest()[:16]


def write_atomically(path: Path, payload: Any, raw: bool = False) -> None:
    """Pickle `payload` (write it as it is, `raw` bytes) to `path`: a reader finds the old
    file or the new one, whole."""
    import tempfile  # loaded here: a run with nothing to do writes nothing

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if raw:
                handle.write(payload)
            else:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def prune(root: Path, current: Path) -> None:
    """Drop what no run can use: files of earlier cache layouts, leftovers of killed runs;
    then the least recently used spec sets while the cache is over `LIMIT`."""
    now = time.time()
    for leftover in root.glob("*.pickle"):  # the one-file layout of earlier versions
        leftover.unlink(missing_ok=True)
    sets = []
    for folder in root.iterdir():
        if not folder.is_dir() or folder.name == "templates" or folder.name.startswith("."):
            continue
        size = 0
        for file in folder.iterdir():
            if _OLD_SHARD.fullmatch(file.name):  # of a layout with another number of shards
                file.unlink(missing_ok=True)
                continue
            stat = file.stat()
            if file.name.endswith(".tmp") and now - stat.st_mtime > STALE:
                file.unlink(missing_ok=True)
                continue
            size += stat.st_size
        sets.append((folder.stat().st_mtime, folder, size))
    total = sum(size for *_, size in sets)
    for _, folder, size in sorted(sets):
        if total <= LIMIT:
            break
        if folder != current:
            shutil.rmtree(folder, ignore_errors=True)
            total -= size
