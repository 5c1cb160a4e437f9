"""`specgen watch`: generate, then again whenever a spec page or the configuration changes.

Only what a run reads counts as a change: spec pages (the names `collect_specs` takes), folders
of them, and pyproject.toml. An editor's swap, backup and probe files (`.x.md.swp`, `x.md~`,
vim's `4913`) are not changes. An edit saved after a run began but before the watcher was on
again is found by the specs' stats, once it is on.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .config import Config, ConfigError
from .diagnostics import Diagnostics, shown
from .output import Output
from .specfiles import collect_specs, is_spec_name

Jobs = list[tuple[str, Config]]
# How long the watcher waits before it says it is on when nothing changes (milliseconds).
ARMING = 100


class _Relevant:
    """The watch filter: whether a changed path is one a run reads."""

    def __init__(self, jobs: Jobs, pyproject: Path | None) -> None:
        self.pyproject = pyproject
        self.roots = sorted({folder.resolve() for _, config in jobs
                             for folder in config.spec_folders})
        self.folders: set[Path] = set()
        self.refresh()

    def refresh(self) -> None:
        """Note the folders that hold specs: one moved or deleted whole comes as one event."""
        self.folders.clear()
        for root in self.roots:
            # By the keys' text: a Path per spec costs a tenth of a second on 11,000 of them.
            keys = collect_specs(root, Diagnostics())
            for folder in {key.rpartition("/")[0] for key, _ in keys} - {""}:
                parts = folder.split("/")  # the folder and those above it, below the root
                self.folders.update(root.joinpath(*parts[:end]) for end in range(1, len(parts) + 1))

    def __call__(self, change: object, path: str) -> bool:
        changed = Path(path)
        if changed == self.pyproject:
            return True
        for root in self.roots:
            if changed.is_relative_to(root) and changed != root:
                if any(part.startswith(".") for part in changed.relative_to(root).parts):
                    return False  # hidden files are no specs, hidden folders hold none
                return (is_spec_name(changed.name) or changed.is_dir()
                        or changed in self.folders)
        return False


def _stats(config: Config) -> dict[str, tuple[int, int]]:
    """Each spec file's size and modification time, as a change of the specs shows in them."""
    found = {}
    for folder in config.spec_folders:
        for _, file in collect_specs(folder, Diagnostics()):
            try:
                st = os.stat(file)
            except OSError:
                continue
            found[file] = (st.st_size, st.st_mtime_ns)
    return found


def watch(jobs: Jobs, load: Callable[[], Jobs], regenerate: Callable[[Config], object],
          out: Output, pyproject: Path | None) -> int:
    """Regenerate each job whose specs change, every job when pyproject.toml changes (with the
    configuration read again), until interrupted."""
    from watchfiles import watch as changes_of  # imported here: only `watch` needs it

    seen: dict[str, dict[str, tuple[int, int]]] = {}  # job -> its specs as its last run began

    def run(name: str, config: Config, watched: bool = False) -> None:
        # While the watcher is on, it sees what changes during the run: no need to stat the
        # specs (thousands, on a large set) to find it when it is next armed.
        if watched:
            seen.pop(name, None)
        else:
            seen[name] = _stats(config)
        regenerate(config)

    config_file = pyproject.resolve() if pyproject is not None else None
    read = _contents(config_file)
    stale = True
    while True:
        if stale:
            for name, config in jobs:
                run(name, config)
            gc.collect()
        relevant = _Relevant(jobs, config_file)
        paths = [*relevant.roots, *([config_file] if config_file else [])]
        armed = False
        for changes in changes_of(*paths, watch_filter=relevant, debounce=200,
                                  raise_interrupt=True, rust_timeout=ARMING,
                                  yield_on_timeout=True):
            if not armed:  # the watcher is on: what changed before it was is found now
                armed = True
                if _contents(config_file) != read:  # while no watcher was looking
                    read = _contents(config_file)
                    jobs, stale = _reload(jobs, load, out)
                    break
                for name, config in jobs:
                    if _stats(config) != seen.get(name):
                        run(name, config)
                relevant.refresh()  # a folder made since they were listed: known from now on
                out.problem(f"watching {', '.join(map(shown, paths))} for changes "
                            "(Ctrl-C to stop)")
                _warm_up(jobs)
            if not changes:
                continue
            changed = {Path(path) for _, path in changes}
            names = sorted(map(shown, changed))
            out.problem(f"{time.strftime('%H:%M:%S')} changed: {', '.join(names[:5])}"
                        + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
            if config_file in changed:
                # Read again, and watch again: an editor may have replaced the file.
                read = _contents(config_file)
                jobs, stale = _reload(jobs, load, out)
                break
            # The folders as the run finds them: one moved away from now on is noticed, one
            # moved before is absent from the specs the run reads.
            if may_move_folders(changes):
                relevant.refresh()
            for name, config in jobs:
                roots = [folder.resolve() for folder in config.spec_folders]
                if any(path.is_relative_to(root) for path in changed for root in roots):
                    run(name, config, watched=True)
            gc.collect()  # runs leave the collector off (see console.py): once, between runs


def may_move_folders(changes: Iterable[tuple[object, str]]) -> bool:
    """Whether these changes may add, move or remove a folder of specs. A page edited in
    place (most changes) does not: the specs need not be listed again for it."""
    from watchfiles import Change

    return any(change != Change.modified or not is_spec_name(os.path.basename(path))
               for change, path in changes)


def _warm_up(jobs: Jobs) -> None:
    """The stages loaded now, while nothing changes, rather than on the first edit."""
    from .build import warm_up

    for _, config in jobs:
        try:
            warm_up(config)
        except Exception:  # a broken template, say: the run that uses it reports it
            continue


def _contents(path: Path | None) -> bytes | None:
    try:
        return path.read_bytes() if path is not None else None
    except OSError:
        return None


def _reload(jobs: Jobs, load: Callable[[], Jobs], out: Output) -> tuple[Jobs, bool]:
    """The configuration read again, and whether to regenerate; the previous one, when the
    new one is broken (reported)."""
    try:
        return load(), True
    except ConfigError as exc:
        for message in exc.messages:
            out.problem(f"specgen: error: {message}")
        out.problem("specgen: the configuration has errors: still using the previous one")
        return jobs, False
