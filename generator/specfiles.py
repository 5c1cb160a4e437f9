"""The spec files of every doc set: which files of a folder are spec pages, their hashes, and
their bytes when a run needs them (files whose stat is unchanged are not read to be hashed).
Light on imports: a run with nothing to do loads this and little else."""

from __future__ import annotations

import os
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostics, shown
from .position import Position
from .records import frozen
from .stats import StatIndex

SPEC_SUFFIXES = (".md", ".mdx")


@frozen
class SpecFile:
    key: str  # spec-relative path with `/`
    file: str  # its path (a string: pathlib costs a tenth of a no-op run on thousands of specs)
    data: bytes | None  # None: not read (its hash is known from its stat); see `contents`
    sha: str
    folder: int = 0  # which doc set (`Config.spec_folders`) it belongs to

    @property
    def path(self) -> Path:
        return Path(self.file)

    @property
    def name(self) -> str:
        """The spec's name in the manifest: its key, after its doc set's number but for the
        first set's."""
        return self.key if self.folder == 0 else f"{self.folder}:{self.key}"


def contents(spec: SpecFile, diags: Diagnostics) -> bytes | None:
    """A spec's bytes, read now if they were not; None (with an error) when the file cannot
    be read, or no longer holds what was hashed."""
    if spec.data is not None:
        return spec.data
    try:
        data, sha = StatIndex().read(spec.file)
    except OSError as exc:
        diags.error(Position(shown(spec.path)), f"cannot read file: {exc.strerror or exc}")
        return None
    if sha != spec.sha:
        diags.error(Position(shown(spec.path)), "file changed while specgen ran; run it again")
        return None
    return data


def collect_specs(specs: Path, diags: Diagnostics) -> list[tuple[str, str]]:
    """Spec files under `specs`, as (key, path) sorted by key; hidden folders are skipped."""
    if not specs.is_dir():  # the configuration says so first (exit 2): this is for callers
        diags.error(Position(shown(specs)), "spec folder does not exist or is not a folder")
        return []
    found: list[tuple[str, str]] = []
    base = str(specs)
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        folder = os.path.relpath(root, base).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        here = root + os.sep  # joined by hand: os.path.join costs on many files
        for name in names:
            if is_spec_name(name):
                found.append((prefix + name, here + name))
    return sorted(found)


def is_spec_name(name: str) -> bool:
    """Whether a file of this name is a spec page (hidden files, such as editors' swap files,
    are not)."""
    return name.endswith(SPEC_SUFFIXES) and not name.startswith(".")


Unreadable = set[tuple[int, str]]  # (doc set number, key) of spec files that cannot be read


def read_all(config: Config, diags: Diagnostics, index: StatIndex | None = None
             ) -> tuple[list[SpecFile], Unreadable]:
    """The spec files of every doc set, and those that could not be read. With an index,
    files it knows unchanged are not read (their `data` is None)."""
    files: list[SpecFile] = []
    unreadable: Unreadable = set()
    for number, folder in enumerate(config.spec_folders):
        found, failed = read_specs(folder, diags, number, index)
        files += found
        unreadable |= {(number, key) for key in failed}
    return files, unreadable


def read_specs(specs: Path, diags: Diagnostics, number: int = 0,
               index: StatIndex | None = None) -> tuple[list[SpecFile], set[str]]:
    """The spec files' hashes (and bytes, where read), and the keys of those that could not
    be read. A folder without any spec page is an error: generating from it would remove the
    whole package."""
    files: list[SpecFile] = []
    unreadable: set[str] = set()
    found = collect_specs(specs, diags)
    if not found and specs.is_dir():
        diags.error(Position(shown(specs)), "no spec pages (.md or .mdx files) in this folder: "
                    "nothing to generate")
    index = index or StatIndex()
    for key, path in found:
        try:
            data, sha = index.lookup(path)
        except OSError as exc:
            diags.error(Position(shown(Path(path))), f"cannot read file: {exc.strerror or exc}")
            unreadable.add(key)
            continue
        files.append(SpecFile(key, path, data, sha, number))
    return files, unreadable
