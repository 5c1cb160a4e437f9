"""Stage 1: the spec pages of every doc set parsed into docs (one `DocSet` each).

Pages are parsed in worker processes when there are many, and taken from the cache when their
bytes were parsed before; each doc set's dialect is decided from all its pages.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .cache import Cache
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, Severity, shown
from .ir import Doc, Position, evolve
from .merge import DocSet
from .parallel import map_in_processes, worker_count
from .specfiles import SpecFile, Unreadable, contents

if TYPE_CHECKING:
    from .parse import PageEvidence

Progress = Callable[[int, int], None]  # (done, total)


# Parsing this many specs or more is spread over worker processes (one per core).
PARALLEL_PARSE = 400


# (doc, its warnings, a crash's text, the page's dialect evidence, the doc's shape digest)
Parsed = tuple["Doc | None", "list[Diagnostic]", "str | None", "PageEvidence | None",
               "str | None"]


def parse_one(job: tuple[bytes, str, str, str | None]) -> Parsed:
    """Parse one spec (in `dialect`, or the one its evidence suggests); an unexpected
    exception comes back as text (reported as internal)."""
    from .ir import shape_digest
    from .parse import read_page  # kept off the no-op path of a run

    data, key, display, dialect = job
    local = Diagnostics()
    try:
        doc, evidence = read_page(data, key, display, local, dialect)
        return (doc, local.items, None, evidence,
                shape_digest(doc) if doc is not None else None)
    except Exception as exc:  # a bug, reported as one, with the spec that triggered it
        return None, local.items, f"{type(exc).__name__}: {exc}", None, None


def _parse_packed(job: tuple[bytes, str, str, str | None]) -> bytes:
    """`parse_one`, pickled: what a worker sends, and what the cache keeps as it is."""
    return pickle.dumps(parse_one(job), protocol=pickle.HIGHEST_PROTOCOL)


def _parse_many(jobs: list[tuple[bytes, str, str, str | None]], entries: list[Entry],
                cache: Cache) -> list[Parsed]:
    """The pages parsed, in worker processes when they are many; the cache is told the
    bytes each result came in."""
    workers = worker_count(len(jobs), PARALLEL_PARSE)
    if workers < 2:
        return [parse_one(job) for job in jobs]
    results: list[Parsed | None] = [None] * len(jobs)

    def arrived(positions: range, packed: list[bytes]) -> None:
        # Read while the workers go on: after the last chunk, reading them all would be
        # a tenth of a large set's parsing time with one core idle.
        for position, data in zip(positions, packed, strict=True):
            result = results[position] = pickle.loads(data)
            cache.parsed.known(entries[position], result, data)

    map_in_processes(_parse_packed, jobs, workers, 64, arrived)
    return cast("list[Parsed]", results)  # each filled as its chunk arrived


Entry = tuple[str, str, str, str]  # spec key, shown path, sha256, dialect setting
ParsedPages = dict[Entry, Parsed]  # of pages that parsed to a doc (no crash)


def entry_of(spec: SpecFile, config: Config, folders: dict[str, str]) -> Entry:
    """A page's entry in the parse cache (`folders`: the shown path of each folder, as
    found so far)."""
    parent, name = os.path.split(spec.file)  # strings: pathlib costs on many specs
    folder = folders.get(parent)
    if folder is None:
        folder = folders[parent] = shown(Path(parent))
    display = name if folder == "." else f"{folder}/{name}"
    return spec.key, display, spec.sha, config.dialect


def parse_sets(files: list[SpecFile], unreadable: Unreadable, diags: Diagnostics, cache: Cache,
               progress: Progress | None, config: Config) -> list[DocSet]:
    """Each doc set's pages, parsed; `cache.parsed` then holds what parsed this time. The
    pages' bytes are let go once parsed: `files`, the caller's list, is left without them
    (a large doc set's are tens of megabytes, held through resolving and rendering else)."""
    parsed: ParsedPages = {}
    sets = []
    done = 0
    for number, folder in enumerate(config.spec_folders):
        mine = [spec for spec in files if spec.folder == number]
        failed = {key for n, key in unreadable if n == number}
        skipped: set[str] = set()
        shapes: dict[str, str] = {}
        counted = None if progress is None else (
            lambda n, _, start=done: progress(start + n, len(files)))
        docs = _parse(mine, folder, failed, skipped, shapes, diags, cache, parsed, counted,
                      config)
        done += len(mine)
        sets.append(DocSet(tuple(docs), frozenset(failed), frozenset(skipped),
                           {spec.key: spec.sha for spec in mine}, shapes))
    cache.parsed.keep(parsed)
    files[:] = [spec if spec.data is None else evolve(spec, data=None) for spec in files]
    return sets


def _parse(
    files: list[SpecFile], specs: Path, failed: set[str], skipped: set[str],
    shapes: dict[str, str], diags: Diagnostics, cache: Cache, parsed: ParsedPages,
    progress: Progress | None, config: Config,
) -> list[Doc]:
    """The docs of the pages that parse, in the doc set's dialect. Keys of pages with
    errors go in `failed`; of pages that parse to no model (helper types, with a warning)
    in `skipped`; each doc's shape digest goes in `shapes`."""
    from .parse import decide

    forced = None if config.dialect == "auto" else config.dialect
    folders: dict[str, str] = {}
    entries = [(spec, entry_of(spec, config, folders)) for spec in files]
    results: dict[Entry, Parsed] = {}
    for _, entry in entries:
        hit = cache.parsed.get(entry)
        if hit is not None:
            results[entry] = hit
    todo = _readable([(spec, entry) for spec, entry in entries if entry not in results],
                     diags, failed)
    results.update(zip((entry for _, entry, _ in todo), _parse_many(
        [(data, entry[0], entry[1], forced) for _, entry, data in todo],
        [entry for _, entry, _ in todo], cache), strict=True))
    # The doc set's dialect, from every page's evidence; pages first read in another
    # (their own best guess) are read again in it.
    chosen = decide([r[3] for r in results.values() if r[3] is not None], forced,
                    Position(shown(specs)), diags)
    if chosen is None:
        return []
    again = _readable([(spec, entry) for spec, entry in entries if entry in results
                       and results[entry][3] is not None and _read_in(results[entry]) != chosen],
                      diags, failed)
    results.update(zip((entry for _, entry, _ in again), _parse_many(
        [(data, entry[0], entry[1], chosen) for _, entry, data in again],
        [entry for _, entry, _ in again], cache), strict=True))
    docs: list[Doc] = []
    for number, (spec, entry) in enumerate(entries, 1):
        if entry not in results:
            continue  # could not be read after all (its error is given)
        doc, warnings, crash, evidence, shape = results[entry]
        diags.items.extend(warnings)
        if crash is not None:
            # A bug met on this page: its error, and the run goes on to the others.
            diags.internal(Position(entry[1]), "parsing", crash)
            warnings = diags.items[-1:]
        if progress:
            progress(number, len(files))
        has_errors = any(w.severity is Severity.ERROR for w in warnings)
        if doc is None:
            (failed if has_errors else skipped).add(spec.key)
            continue
        if has_errors:  # resolved all the same, for its other errors (see parse.page.build)
            failed.add(spec.key)
        assert evidence is not None and shape is not None
        parsed[entry] = results[entry]  # as read or made: the cache knows its bytes
        shapes[spec.key] = shape
        docs.append(doc)
    return docs


def _readable(items: list[tuple[SpecFile, Entry]], diags: Diagnostics, failed: set[str]
              ) -> list[tuple[SpecFile, Entry, bytes]]:
    """The pages to parse with their bytes; those that cannot be read now go in `failed`."""
    found = []
    for spec, entry in items:
        data = contents(spec, diags)
        if data is None:
            failed.add(spec.key)
        else:
            found.append((spec, entry, data))
    return found


def _read_in(result: Parsed) -> str:
    """The dialect a page was read in."""
    doc, _, _, evidence, _ = result
    if doc is not None:
        return doc.dialect
    assert evidence is not None
    return evidence.guess


