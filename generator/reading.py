"""Stage 1: the spec files of every doc set, read and parsed into docs (one `DocSet` each).

Pages are parsed in worker processes when there are many, and taken from the cache when their
bytes were parsed before; each doc set's dialect is decided from all its pages.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, Severity, shown
from .ir import Doc, Position
from .merge import DocSet
from .parallel import map_in_processes, worker_count
from .resolve import SPEC_SUFFIXES
from .write import digest

if TYPE_CHECKING:
    from .parse import PageEvidence

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(frozen=True)
class SpecFile:
    key: str  # spec-relative path with `/`
    path: Path
    data: bytes
    sha: str
    folder: int = 0  # which doc set (`Config.spec_folders`) it belongs to

    @property
    def name(self) -> str:
        """The spec's name in the manifest: its key, after its doc set's number but for the
        first set's."""
        return self.key if self.folder == 0 else f"{self.folder}:{self.key}"


def collect_specs(specs: Path, diags: Diagnostics) -> list[tuple[str, Path]]:
    """Spec files under `specs`, as (key, path) sorted by key; hidden folders are skipped."""
    if not specs.is_dir():  # the configuration says so first (exit 2): this is for callers
        diags.error(Position(shown(specs)), "spec folder does not exist or is not a folder")
        return []
    found: list[tuple[str, Path]] = []
    base = str(specs)
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # Plain strings here: pathlib costs a tenth of a no-op run with thousands of specs.
        folder = os.path.relpath(root, base).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in names:
            if is_spec_name(name):
                found.append((prefix + name, Path(os.path.join(root, name))))
    return sorted(found)


def is_spec_name(name: str) -> bool:
    """Whether a file of this name is a spec page (hidden files, such as editors' swap files,
    are not)."""
    return name.endswith(SPEC_SUFFIXES) and not name.startswith(".")


Unreadable = set[tuple[int, str]]  # (doc set number, key) of spec files that cannot be read


def read_all(config: Config, diags: Diagnostics) -> tuple[list[SpecFile], Unreadable]:
    """The spec files of every doc set, and those that could not be read."""
    files: list[SpecFile] = []
    unreadable: Unreadable = set()
    for number, folder in enumerate(config.spec_folders):
        found, failed = read_specs(folder, diags, number)
        files += found
        unreadable |= {(number, key) for key in failed}
    return files, unreadable


def read_specs(specs: Path, diags: Diagnostics,
               number: int = 0) -> tuple[list[SpecFile], set[str]]:
    """The spec files' bytes, and the keys of those that could not be read. A folder without
    any spec page is an error: generating from it would remove the whole package."""
    files: list[SpecFile] = []
    unreadable: set[str] = set()
    found = collect_specs(specs, diags)
    if not found and specs.is_dir():
        diags.error(Position(shown(specs)), "no spec pages (.md or .mdx files) in this folder: "
                    "nothing to generate")
    for key, path in found:
        try:
            data = path.read_bytes()
        except OSError as exc:
            diags.error(Position(shown(path)), f"cannot read file: {exc.strerror or exc}")
            unreadable.add(key)
            continue
        files.append(SpecFile(key, path, data, digest(data), number))
    return files, unreadable


# Parsing this many specs or more is spread over worker processes (one per core).
PARALLEL_PARSE = 400


Parsed = tuple["Doc | None", "list[Diagnostic]", "str | None", "PageEvidence | None"]


def _parse_one(job: tuple[bytes, str, str, str | None]) -> Parsed:
    """Parse one spec (in `dialect`, or the one its evidence suggests); an unexpected
    exception comes back as text (reported as internal)."""
    from .parse import read_page  # kept off the no-op path of a run

    data, key, display, dialect = job
    local = Diagnostics()
    try:
        doc, evidence = read_page(data, key, display, local, dialect)
        return doc, local.items, None, evidence
    except Exception as exc:  # a bug, reported as one, with the spec that triggered it
        return None, local.items, f"{type(exc).__name__}: {exc}", None


def _parse_many(jobs: list[tuple[bytes, str, str, str | None]]) -> list[Parsed]:
    return map_in_processes(_parse_one, jobs, worker_count(len(jobs), PARALLEL_PARSE), 64)


ParsedPages = dict[tuple[str, str, str, str], tuple[Doc, list[Diagnostic], "PageEvidence"]]


def parse_sets(files: list[SpecFile], unreadable: Unreadable, diags: Diagnostics, cache: Cache,
               progress: Progress | None, config: Config) -> list[DocSet]:
    """Each doc set's pages, parsed; `cache.parsed` then holds what parsed this time."""
    parsed: ParsedPages = {}
    sets = []
    done = 0
    for number, folder in enumerate(config.spec_folders):
        mine = [spec for spec in files if spec.folder == number]
        failed = {key for n, key in unreadable if n == number}
        skipped: set[str] = set()
        counted = None if progress is None else (
            lambda n, _, start=done: progress(start + n, len(files)))
        docs = _parse(mine, folder, failed, skipped, diags, cache, parsed, counted, config)
        done += len(mine)
        sets.append(DocSet(tuple(docs), frozenset(failed), frozenset(skipped),
                           {spec.key: spec.sha for spec in mine}))
    cache.parsed.keep(parsed)
    return sets


def _parse(
    files: list[SpecFile], specs: Path, failed: set[str], skipped: set[str], diags: Diagnostics,
    cache: Cache, parsed: ParsedPages, progress: Progress | None, config: Config,
) -> list[Doc]:
    """The docs of the pages that parse, in the doc set's dialect. Keys of pages with
    errors go in `failed`; of pages that parse to no model (helper types, with a warning)
    in `skipped`."""
    from .parse import decide

    forced = None if config.dialect == "auto" else config.dialect
    folders: dict[Path, str] = {}
    entries = []
    for spec in files:
        folder = folders.get(spec.path.parent)
        if folder is None:
            folder = folders[spec.path.parent] = shown(spec.path.parent)
        display = spec.path.name if folder == "." else f"{folder}/{spec.path.name}"
        entries.append((spec, (spec.key, display, spec.sha, config.dialect)))
    results: dict[tuple[str, str, str, str], Parsed] = {
        entry: (*cache.parsed[entry][:2], None, cache.parsed[entry][2])
        for _, entry in entries if entry in cache.parsed}
    todo = [(spec, entry) for spec, entry in entries if entry not in results]
    results.update(zip((entry for _, entry in todo), _parse_many(
        [(spec.data, entry[0], entry[1], forced) for spec, entry in todo]), strict=True))
    # The doc set's dialect, from every page's evidence; pages first read in another
    # (their own best guess) are read again in it.
    chosen = decide([r[3] for r in results.values() if r[3] is not None], forced,
                    Position(shown(specs)), diags)
    if chosen is None:
        return []
    again = [(spec, entry) for spec, entry in entries if results[entry][3] is not None
             and _read_in(results[entry]) != chosen]
    results.update(zip((entry for _, entry in again), _parse_many(
        [(spec.data, entry[0], entry[1], chosen) for spec, entry in again]), strict=True))
    docs: list[Doc] = []
    for number, (spec, entry) in enumerate(entries, 1):
        doc, warnings, crash, evidence = results[entry]
        if crash is not None:
            # A bug met on this page: its error, and the run goes on to the others.
            warnings = [*warnings, Diagnostic(Position(entry[1]), Severity.ERROR,
                                              f"specgen failed while parsing this page "
                                              f"({crash}); please report it")]
        diags.items.extend(warnings)
        if progress:
            progress(number, len(files))
        if doc is None:
            has_errors = any(w.severity is Severity.ERROR for w in warnings)
            (failed if has_errors else skipped).add(spec.key)
            continue
        assert evidence is not None
        earlier = cache.parsed.get(entry)  # kept as it is: its shard need not be written
        parsed[entry] = earlier if earlier is not None and earlier[0] is doc else (
            doc, warnings, evidence)
        docs.append(doc)
    return docs


def _read_in(result: Parsed) -> str:
    """The dialect a page was read in."""
    doc, _, _, evidence = result
    if doc is not None:
        return doc.dialect
    assert evidence is not None
    return evidence.guess


