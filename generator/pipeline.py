"""The one place that strings the stages together: parse -> resolve -> render -> format -> write."""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import Cache
from .config import Config
from .diagnostics import Diagnostics, Severity, shown
from .freshness import cache_identity, output_tag, replay_warnings, stat_index, survey
from .position import Position
from .stats import digest
from .write import (
    Drift,
    Manifest,
    RecordedWarning,
    Staging,
    WritePlan,
    apply,
    clean_leftovers,
    compare,
    locked,
    plan,
    read_manifest,
    recorded_path,
)

if TYPE_CHECKING:
    from .reading import Progress


class InternalError(Exception):
    """An unexpected failure inside specgen, with the spec it was working on."""

    def __init__(self, where: str, cause: BaseException | str) -> None:
        what = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(f"internal error while processing {where}: {what}")
        self.where = where


@dataclass
class GenerateResult:
    specs: int = 0
    plan: WritePlan | None = None  # None when nothing was written (errors)
    # The files the run made: all of them, or on the short path (incremental.py) the edited
    # pages' modules
    files: dict[str, bytes] | None = None
    seconds: float = 0.0
    up_to_date: bool = False  # nothing to do: specs, generator and output unchanged


def recorded_warnings(diags: Diagnostics, package_dir: Path) -> tuple[RecordedWarning, ...]:
    """A run's warnings as the manifest keeps them (see `recorded_path`)."""
    base = os.path.abspath(package_dir)
    return tuple(sorted({(recorded_path(d.pos.path, base), d.pos.line, d.pos.col, d.message)
                         for d in diags.items if d.severity is Severity.WARNING}))


def generate(
    config: Config, diags: Diagnostics, progress: Progress | None = None
) -> GenerateResult:
    """Generate and write; with any error (in specs or on disk), nothing is written."""
    started = time.perf_counter()
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(config.package_dir))
        except OSError as exc:  # the output folder cannot be made or opened
            diags.error(Position(shown(config.package_dir.parent)),
                        f"cannot lock the output folder: {exc.strerror or exc}")
            return GenerateResult(seconds=time.perf_counter() - started)
        clean_leftovers(config.package_dir)
        index = stat_index(config)
        specs = survey(config, diags, index)
        files, unreadable, manifest, fp = (specs.files, specs.unreadable, specs.manifest,
                                           specs.fingerprint)
        if specs.current:
            index.save()
            replay_warnings(manifest, config.package_dir, diags)
            return GenerateResult(len(files), WritePlan(unchanged=list(
                manifest.files)), None, time.perf_counter() - started, up_to_date=True)
        # The stages themselves, loaded only now that there is work for them.
        from .build import build_files, build_package
        from .incremental import edited_pages

        cache = Cache.load(config.cache_dir, cache_identity(config), fp)
        hashes = {s.name: s.sha for s in files}
        edit = edited_pages(config, cache, specs, index)
        partial = edit is not None
        staged: Staging | None = None
        if edit is not None:  # some pages' modules changed, the rest of the output stands
            replay_warnings(manifest, config.package_dir, diags, edit.pages)
            diags.items.extend(edit.warnings)
            output = edit.files
            cache.found = edit.facts
            new_manifest = Manifest(fp, hashes, {**manifest.files, **{
                p: digest(d) for p, d in output.items()}},
                recorded_warnings(diags, config.package_dir))
        else:
            package = build_package(config, diags, cache, files, unreadable, progress)
            if package is None:
                return GenerateResult(len(files), seconds=time.perf_counter() - started)
            if not config.package_dir.exists():  # a new package: written while it is made
                staged = Staging(config.package_dir)
                stack.callback(staged.discard)  # when the run fails (and before the lock goes)
            built = build_files(package, config, diags, cache,
                                staged.put if staged is not None else None)
            if built is None:
                return GenerateResult(len(files), seconds=time.perf_counter() - started)
            output = built
            new_manifest = Manifest(fp, hashes, {p: digest(d) for p, d in output.items()},
                                    recorded_warnings(diags, config.package_dir))
        result = plan(config.package_dir, output, manifest, index, partial)
        for path in result.conflicts:
            diags.error(
                Position(shown(config.package_dir / path)),
                "file exists and was not written by specgen: refusing to overwrite it",
            )
        if diags.failed:
            return GenerateResult(len(files), None, output,
                                  time.perf_counter() - started)
        if result.changes or manifest != new_manifest:
            written = apply(config.package_dir, output, result, new_manifest, staged)
            # The next run need not read back what this one wrote, once the index is
            # written with it (keys as plan's).
            base = str(config.package_dir) + os.sep
            for path, st in written.items():
                index.written(base + path, new_manifest.files[path], st)
        cache.save()
        tag = output_tag(hashes)
        if cache.found is not None:
            cache.save_facts(cache.found, tag)
        elif partial:
            cache.retag(tag)  # the edited pages kept their shapes: the facts stand
        index.save()
        return GenerateResult(len(files), result, output,
                              time.perf_counter() - started)


def check(config: Config, diags: Diagnostics, full: bool = True) -> Drift | None:
    """Compare the output directory with what generation would write.

    Fast (`full=False`): when the manifest shows the same specs, generator and options, and
    the files on disk still have the hashes it lists, the output is in sync. Otherwise, and
    with `full`, regenerate in memory and diff.
    """
    if not full:
        index = stat_index(config)
        mark = len(diags.items)
        specs = survey(config, diags, index)
        if specs.current:
            index.save()
            replay_warnings(specs.manifest, config.package_dir, diags)
            return Drift()
        del diags.items[mark:]  # the full comparison says them again
    from .build import build_files, build_package, origins  # only now: see generate

    package = build_package(config, diags)
    if package is None:
        return None
    output = build_files(package, config, diags)
    if output is None:
        return None
    return compare(config.package_dir, output, shown(config.package_dir), origins(package, config),
                   read_manifest(config.package_dir))
