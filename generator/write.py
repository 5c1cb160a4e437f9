"""Stage 5: put generated files on disk, and compare them with what is there.

- Owned files only: a manifest in the package directory lists the files the generator wrote
  (with the hashes of the specs they came from). It never overwrites or deletes a file the
  manifest does not list, unless that file already holds exactly the bytes it would write.
- Atomic: a run builds the complete new package next to the old one (unchanged files are hard
  links, so they keep their bytes and mtime), then exchanges the two directories in one
  `renameat2(RENAME_EXCHANGE)`. Interrupted at any moment, the output is the old package or
  the new one; leftovers of an interrupted run are cleaned up by the next. A run that
  replaces one file (an edit of a page's prose) renames the new file over it instead, then
  the manifest: the modules are the old ones or the new ones, and a run that finds the
  manifest behind them does the whole job. A run that makes a package where there is none
  fills its staging folder while the modules are still being rendered (`Staging`).
- A lock (`flock` on the folder holding the package) serializes concurrent runs on it.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .cache import Recent
from .records import frozen
from .stats import StatIndex, digest

MANIFEST = ".specgen-manifest.json"
_IGNORED_DIRS = {"__pycache__"}
_STAGING = ".specgen-staging-"
# Files being written into a package wait in this folder inside it (the same file system,
# and mount, as the package's own files) until each is renamed into place; a killed run's
# folder is removed by the next run, found without listing the package's modules.
_PENDING = ".specgen-pending"


# A warning as the manifest keeps it: path relative to the package folder, line, column, message.
RecordedWarning = tuple[str, int, int, str]


def recorded_path(path: str, base: str) -> str:
    """A warning's path as the manifest keeps it: relative to the package folder (`base`,
    absolute), so that runs from any working directory (and any machine) can show it again."""
    try:
        return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return os.path.abspath(path)


@frozen
class Manifest:
    """What the last run wrote, and from what."""

    fingerprint: str = ""  # generator, templates and options that produced the files
    specs: Mapping[str, str] = field(default_factory=dict)  # spec key -> sha256
    files: Mapping[str, str] = field(default_factory=dict)  # file path -> sha256
    # The warnings those specs gave, replayed by runs that need not parse them again.
    warnings: tuple[RecordedWarning, ...] = ()

    def as_written(self) -> Manifest:
        """This manifest in the order its file keeps (as `read_manifest` gives it back)."""
        return Manifest(self.fingerprint, dict(sorted(self.specs.items())),
                        dict(sorted(self.files.items())), tuple(sorted(self.warnings)))

    def to_bytes(self) -> bytes:
        """The manifest's file: what `json.dumps(..., indent=2)` writes of it, keys and
        warnings in order. Its two tables (a line per spec, a line per file: 22,000 lines on
        a large doc set) are encoded a line at a time by json's own string encoder, in half
        the time its indenting encoder takes; that one writes the rest."""
        tables = {name: _json_table(sorted(table.items())) for name, table in (
            ("specs", self.specs), ("files", self.files))}
        rest = json.dumps({
            "generator": "specgen",
            "version": __version__,
            "fingerprint": self.fingerprint,
            "warnings": [{"path": path, "line": line, "col": col, "message": message}
                         for path, line, col, message in sorted(self.warnings)],
        }, indent=2)
        # `rest` is an object of four members, each on lines of its own; the tables go
        # between the third and the fourth, as they are ordered in the file.
        head, separator, warnings = rest.partition(',\n  "warnings": ')
        return (f'{head},\n  "specs": {tables["specs"]},\n  "files": {tables["files"]}'
                f'{separator}{warnings}\n').encode()


def _json_table(items: list[tuple[str, str]]) -> str:
    """A JSON object of string members, as `json.dumps(..., indent=2)` writes it one level
    in: a member per line."""
    if not items:
        return "{}"
    encode = json.encoder.encode_basestring_ascii
    lines = [f"{encode(key)}: {encode(value)}" for key, value in items]
    return "{\n    " + ",\n    ".join(lines) + "\n  }"


# The manifests this process wrote or read, by package folder, with their bytes' hash: a run
# that finds the same bytes there (the next run of `watch`) need not read the JSON again.
_MANIFESTS: Recent[Manifest] = Recent()


def _write_manifest(folder: Path, package_dir: Path, manifest: Manifest) -> None:
    """Write `manifest` into `folder` (a staging folder, or `package_dir` itself), where it
    becomes `package_dir`'s. Kept by its bytes' hash: should the staging folder never take
    the package's place, no manifest there has those bytes."""
    data = manifest.to_bytes()
    if folder == package_dir:
        _replace(package_dir, MANIFEST, data)
    else:
        (folder / MANIFEST).write_bytes(data)
    _MANIFESTS.put(str(package_dir), digest(data), manifest)


def read_manifest(package_dir: Path) -> Manifest:
    """The manifest of the last run; empty when there is none (or it is unreadable)."""
    try:
        raw = (package_dir / MANIFEST).read_bytes()
    except OSError:
        return Manifest()
    witness = digest(raw)
    kept = _MANIFESTS.get(str(package_dir), witness)
    if kept is not None:  # as reading it gives it (put in order only now, when used)
        return kept.as_written()
    manifest = _manifest_of(raw)
    _MANIFESTS.put(str(package_dir), witness, manifest)
    return manifest


def _manifest_of(raw: bytes) -> Manifest:
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # not UTF-8 (UnicodeDecodeError), or not JSON
        return Manifest()
    if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
        return Manifest()
    specs = data["specs"] if isinstance(data.get("specs"), dict) else {}
    warnings = _read_warnings(data.get("warnings"))
    return Manifest(
        # Without its warnings a manifest cannot stand for a run: no fast path from it.
        fingerprint=str(data.get("fingerprint", "")) if warnings is not None else "",
        specs={str(k): str(v) for k, v in specs.items()},
        files={str(k): str(v) for k, v in data["files"].items()},
        warnings=warnings or (),
    )


def _read_warnings(items: object) -> tuple[RecordedWarning, ...] | None:
    if not isinstance(items, list):
        return None
    try:
        return tuple((str(item["path"]), int(item["line"]), int(item["col"]),
                      str(item["message"])) for item in items)
    except (TypeError, KeyError, ValueError):
        return None


def files_on_disk(package_dir: Path) -> set[str]:
    found: set[str] = set()
    base = str(package_dir)
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS)
        relative = os.path.relpath(root, base)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.update(prefix + name for name in names if prefix + name != MANIFEST)
    return found


@dataclass
class WritePlan:
    write: dict[str, bytes] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # files we would clobber but do not own

    @property
    def changes(self) -> bool:
        return bool(self.write or self.remove)


def plan(package_dir: Path, files: dict[str, bytes], owned: Manifest,
         index: StatIndex | None = None, partial: bool = False) -> WritePlan:
    """What to write, keep and remove. Files on disk are compared by hash: those the stat
    `index` knows unchanged are not read. `partial`: `files` are some of the output, the
    others stand as `owned` lists them."""
    result = WritePlan()
    index = index or StatIndex()
    base = str(package_dir) + os.sep  # as freshness.disk_matches joins them: one index key
    new = not os.path.lexists(package_dir)  # a new package: no file of it to look for
    for path, data in files.items():
        if new:
            result.write[path] = data
            continue
        try:
            current = index.sha(base + path, changed=False)
        except FileNotFoundError:
            result.write[path] = data
            continue
        except IsADirectoryError:
            result.conflicts.append(path)
            continue
        if current == digest(data):
            result.unchanged.append(path)
        elif path in owned.files:
            # Ours, even if edited by hand since: regenerating restores it.
            result.write[path] = data
        else:
            result.conflicts.append(path)
    for path in sorted(set(owned.files) - set(files)):
        if partial:
            result.unchanged.append(path)
        elif (package_dir / path).is_file():
            result.remove.append(path)
    return result


# --- Atomic replacement of the package directory ------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux `renameat2`); False where the system cannot."""
    import ctypes  # only runs that write load it

    try:
        # The C library the interpreter runs on (looking it up by name would run a program).
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result != 0:
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not on this file system
            return False
        raise OSError(code, os.strerror(code), str(a))
    return True


def _mirror(source: Path, target: Path, skip: set[str]) -> None:
    """Recreate `source` under `target` with hard links (copies where links fail)."""
    base = str(source)
    for root, dirs, names in os.walk(base):
        dirs[:] = [d for d in dirs if d not in _IGNORED_DIRS]
        relative = os.path.relpath(root, base)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        into = os.path.join(target, relative)
        os.makedirs(into, exist_ok=True)
        for name in names:
            if prefix + name in skip or prefix + name == MANIFEST:
                continue
            try:
                os.link(os.path.join(root, name), os.path.join(into, name))
            except OSError:
                shutil.copy2(os.path.join(root, name), os.path.join(into, name))


def clean_leftovers(package_dir: Path) -> None:
    """Remove the staging folders that an interrupted run left beside the package, and the
    files it was writing into the package."""
    try:
        with os.scandir(package_dir.parent) as entries:
            staging = [e.name for e in entries
                       if e.name.startswith(f".{package_dir.name}{_STAGING}")]
    except OSError:  # no folder to list: nothing left there
        staging = []
    for leftover in staging:
        shutil.rmtree(package_dir.parent / leftover, ignore_errors=True)
    shutil.rmtree(package_dir / _PENDING, ignore_errors=True)  # when it is there


class Staging:
    """The folder a run that makes a new package (none on disk yet) fills while the modules
    are still being made, so that writing them overlaps making them; `apply` writes the rest
    and puts the folder in place. A run that fails removes it (`discard`), and an interrupted
    one leaves it for the next run to clean up, like `apply`'s own staging folder."""

    def __init__(self, package_dir: Path) -> None:
        self.path = _new_path(os.mkdir, package_dir.parent, f".{package_dir.name}{_STAGING}")
        self._files = _NewFiles(self.path)
        # path -> (its bytes' length and hash, its stat): to tell the version written apart
        self.written: dict[str, tuple[int, int, os.stat_result]] = {}

    def put(self, path: str, data: bytes) -> None:
        self.written[path] = (len(data), hash(data), self._files.write(path, data))

    def take(self, path: str, data: bytes) -> os.stat_result | None:
        """The stat of `path` as staged when it holds `data`; None when it must still be
        written (any other version is removed)."""
        staged = self.written.pop(path, None)
        if staged is None:
            return None
        if staged[:2] == (len(data), hash(data)):
            return staged[2]
        os.unlink(self.path / path)
        return None

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def apply(package_dir: Path, files: dict[str, bytes], result: WritePlan,
          manifest: Manifest, staged: Staging | None = None) -> dict[str, os.stat_result]:
    """Carry out a plan that has no conflicts, all at once. Returns the stat of each file
    written, taken as it was written (see `StatIndex.written`). `staged`: files written
    already, for a package that did not exist (see `Staging`)."""
    assert not result.conflicts
    if package_dir.is_dir() and not result.remove and len(result.write) <= 1 and all(
            (package_dir / path).is_file() for path in result.write):
        # One file replaced (a page's prose edited), or none (a spec edit that changes no
        # output): each replace is atomic, the package is the old one or the new one.
        (package_dir / _PENDING).mkdir(exist_ok=True)
        try:
            written = {path: _replace(package_dir, path, data)
                       for path, data in result.write.items()}
            _write_manifest(package_dir, package_dir, manifest)
        finally:
            try:
                os.rmdir(package_dir / _PENDING)
            except OSError:  # a file left in it (a failed write): the next run removes it
                pass
        return written
    package_dir.parent.mkdir(parents=True, exist_ok=True)
    if package_dir.exists():
        staged = None  # made for a package that was not there: not this one's
    staging = staged.path if staged is not None else _new_path(
        os.mkdir, package_dir.parent, f".{package_dir.name}{_STAGING}")
    try:
        if package_dir.is_dir():
            _mirror(package_dir, staging, set(result.write) | set(result.remove))
        written = {}
        new_files = _NewFiles(staging)
        for path, data in result.write.items():
            found = staged.take(path, data) if staged is not None else None
            written[path] = found if found is not None else new_files.write(path, data)
        for path in staged.written if staged is not None else ():  # not in the plan
            os.unlink(staging / path)
        _write_manifest(staging, package_dir, manifest)
        _prune_empty_dirs(staging)
        if not package_dir.exists():
            os.rename(staging, package_dir)
        elif not _exchange(staging, package_dir):
            # No atomic exchange here: two renames, with a moment where neither exists.
            old = staging.with_name(staging.name + "-old")
            os.rename(package_dir, old)
            os.rename(staging, package_dir)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # after an exchange: the old package
    return written


def _replace(package_dir: Path, path: str, data: bytes) -> os.stat_result:
    """Put `data` in the package's file `path` at once: written in the package's folder of
    files being written (made by the caller), then renamed over the file (written beside the
    file instead where a folder inside the package is a mount). Returns its stat as written."""
    stats: list[os.stat_result] = []

    def pending(folder: Path, prefix: str) -> Path:
        return _new_path(lambda new: stats.append(_write_new(new, data)), folder, prefix,
                         ".tmp")

    target = package_dir / path
    tmp = pending(package_dir / _PENDING, "")
    try:
        os.replace(tmp, target)
    except OSError as exc:
        os.unlink(tmp)
        if exc.errno != errno.EXDEV:
            raise
        tmp = pending(target.parent, f"{_PENDING}-")
        os.replace(tmp, target)
    return stats[-1]


def _new_path(create: Callable[[Path], object], folder: Path, prefix: str,
              suffix: str = "") -> Path:
    """A new file or folder of a name no one else has, made by `create` (which fails if the
    name exists). Not tempfile's: its files and folders are private (0600, 0700), and the
    package must get the modes of any other write under the user's umask."""
    while True:
        path = folder / f"{prefix}{os.urandom(6).hex()}{suffix}"
        try:
            create(path)
            return path
        except FileExistsError:
            continue


class _NewFiles:
    """Files written into a folder that holds none of them yet (a staging folder): each of
    its folders made once, paths joined as text (a new package is 11,000 files)."""

    def __init__(self, root: Path) -> None:
        self._base = str(root) + os.sep
        self._folders = {""}

    def write(self, path: str, data: bytes) -> os.stat_result:
        """Write `path` (inside the root, `/`-separated); its stat once written."""
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(self._base + folder, exist_ok=True)
            self._folders.add(folder)
        return _write_new(self._base + path, data)


def _write_new(path: str | Path, data: bytes) -> os.stat_result:
    """Write a file that does not exist yet; its stat once written. By the descriptor alone
    (no buffered file object): a new package is 11,000 of these on a large doc set."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


def _prune_empty_dirs(root: Path) -> None:
    """Remove the folders under `root` left with nothing in them (one scan, deepest first)."""
    emptied: set[str] = set()
    for folder, dirs, names in os.walk(root, topdown=False):
        if (not names and folder != str(root)
                and all(os.path.join(folder, d) in emptied for d in dirs)):
            os.rmdir(folder)
            emptied.add(folder)


@contextmanager
def locked(package_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output package for the duration of a run.

    The lock is a `flock` on the folder that holds the package, so no lock file is left
    anywhere. That folder is made if need be, and removed again if the run leaves it empty (a
    run with errors writes nothing).
    """
    try:
        import fcntl
    except ImportError:  # no POSIX locks on this system
        yield
        return
    folder = package_dir.parent
    made: list[Path] = []
    while True:
        made += _make_folders(folder)
        fd = os.open(folder, os.O_RDONLY)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            # The run that held the lock may have removed the folder: then lock the new one.
            if os.path.samestat(os.fstat(fd), os.stat(folder)):
                break
        except FileNotFoundError:
            pass
        os.close(fd)
    try:
        yield
    finally:
        for path in reversed(made):
            try:
                path.rmdir()
            except OSError:  # not empty: the run wrote there
                break
        os.close(fd)  # and with it the lock


def _make_folders(folder: Path) -> list[Path]:
    """Make `folder` and its missing parents; the ones made, outermost first."""
    missing = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    made = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except FileExistsError:
            continue  # made by another run meanwhile
        made.append(path)
    return made


# --- Drift ---------------------------------------------------------------------------------------


@dataclass
class Drift:
    diffs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not (self.diffs or self.missing or self.extra)


def compare(
    package_dir: Path, files: dict[str, bytes], shown_dir: str, origins: dict[str, str],
    owned: Manifest,
) -> Drift:
    """How the package directory differs from freshly generated `files`.

    Drift is about specgen's files: those it would write and those the manifest says it wrote.
    A file of the user's own in the package is none of its business. `origins` names the spec
    each file comes from, so a diff says which spec changed.
    """
    from difflib import unified_diff  # loaded where used: not by a run with nothing to do

    drift = Drift()
    on_disk = files_on_disk(package_dir)
    for path, data in files.items():
        target = package_dir / path
        if path not in on_disk:
            drift.missing.append(f"{shown_dir}/{path}")
            continue
        current = target.read_bytes()
        if current != data:
            old = current.decode("utf-8", "replace").splitlines(keepends=True)
            new = data.decode("utf-8", "replace").splitlines(keepends=True)
            name = f"{shown_dir}/{path}"
            source = f" (expected from {origins[path]})" if path in origins else " (expected)"
            drift.diffs.append("".join(unified_diff(old, new, name, name + source)))
    drift.extra = [f"{shown_dir}/{p}" for p in sorted(on_disk & set(owned.files) - set(files))]
    return drift
