"""specgen at scale (`make bench`, after the OpenRouter comparison): the 11,098 model pages of
the Vercel SDK, unpacked from the shared corpora into a temporary folder. Cold generation, a
one-page change right after a cold run and back to back, a no-op run, `check`, peak memory,
the cache on disk, the cost per page against the 1557-page corpus, and how soon `watch`
reflects an edit.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

MIB = 1024 * 1024
RUNS = int(os.environ.get("BENCH_SCALE_RUNS", "3"))
PAGE = "abuse.md"  # the page the edits change: one description, back and forth

Run = Callable[..., tuple[float, int]]
Row = tuple[str, str, str, bool]  # scenario, figure, target, met


def set_aside(path: Path) -> None:
    """Make room for a cold run as a fresh clone has it: `path` (an output or a cache) moved
    into the work folder's trash, removed once the bench is done. Not deleted now: ext4
    without a journal (as on some virtual machines) skips, on every file it creates, the
    inodes freed in the last minutes, so deleting 11,000 files just before a run makes that
    run's 11,000 new files cost seconds of system time that no fresh clone pays."""
    if path.exists():
        trash = path.parent / ".bench-trash"
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{path.name}-{time.monotonic_ns()}")


def unpack(corpora: Path, into: Path) -> Path | None:
    """The Vercel pages, unpacked by the corpora's own script; None when they are absent."""
    script = corpora / "unpack"
    if not script.is_file() or not (corpora / "vercel.tar.xz").is_file():
        return None
    subprocess.run([str(script), str(into), "vercel"], check=True, timeout=600,
                   stdout=subprocess.DEVNULL)
    return into / "vercel"


def cache_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def watch_latency(specgen: list[str], work: Path, page: Path) -> float:
    """Seconds from saving an edit to the module changing on disk, while `watch` runs."""
    log = work / "watch.log"
    module = work / "out" / "vercel" / "abuse.py"
    with open(log, "w") as err:
        process = subprocess.Popen([*specgen, "watch"], cwd=work, stdout=subprocess.DEVNULL,
                                   stderr=err, env={k: v for k, v in os.environ.items()
                                                    if k != "PYTHONDONTWRITEBYTECODE"})
    try:
        deadline = time.monotonic() + 600
        while "for changes" not in log.read_text():
            if time.monotonic() > deadline:
                raise SystemExit(f"watch never started:\n{log.read_text()[-2000:]}")
            time.sleep(0.05)
        before = module.read_bytes()
        page.write_text(page.read_text().replace("N/A", "N/A watched", 1))
        saved = time.perf_counter()
        while module.read_bytes() == before:
            if time.perf_counter() - saved > 120:
                raise SystemExit("watch never reflected the edit")
            time.sleep(0.005)
        return time.perf_counter() - saved
    finally:
        process.terminate()
        process.wait(timeout=60)
        page.write_text(page.read_text().replace("N/A watched", "N/A", 1))


def bench_scale(corpora: Path, work: Path, specgen: list[str], run: Run,
                per_page_small: float) -> list[Row] | None:
    specs = unpack(corpora, work / "corpora")
    if specs is None:
        return None
    project = work / "vercel"
    shutil.copytree(specs, project / "specs")
    (project / "pyproject.toml").write_text('[tool.specgen]\nspecs = "specs"\nout = "out"\n'
                                            'package = "vercel"\nlenient = true\n')
    page = project / "specs" / PAGE
    original = page.read_text()
    cold: list[float] = []
    first: list[float] = []
    again: list[float] = []
    noop: list[float] = []
    check: list[float] = []
    memory: list[int] = []
    size = 0
    for _ in range(RUNS):
        set_aside(project / "out")
        set_aside(project / ".specgen_cache")
        # The disk as a project finds it: nothing that earlier runs (of the bench's first
        # part, tens of thousands of files) wrote is still waiting to be written. What this
        # cold run writes is, for the runs after it, as after any cold run.
        os.sync()
        for into, command in ((cold, "generate"), (first, "edit"), (again, "edit"),
                              (again, "edit"), (noop, "generate"), (check, "check")):
            if command == "edit":
                page.write_text(original.replace("N/A", f"N/A {len(first) + len(again)}", 1))
            seconds, peak = run([*specgen, "check" if command == "check" else "generate"],
                                project)
            into.append(seconds)
            memory.append(peak)
        size = max(size, cache_size(project / ".specgen_cache"))
        page.write_text(original)
    run([*specgen, "generate"], project)
    watched = statistics.median(watch_latency(specgen, project, page) for _ in range(3))
    pages = sum(1 for _ in (project / "specs").rglob("*.md"))
    per_page = statistics.median(cold) / pages
    median = statistics.median
    return [
        (f"cold ({pages} pages)", f"{median(cold):.2f} s", "<= 10 s", median(cold) <= 10),
        ("one-page change after cold", f"{median(first):.2f} s", "<= 0.5 s",
         median(first) <= 0.5),
        ("one-page change, back to back", f"{median(again):.2f} s", "<= 0.5 s",
         median(again) <= 0.5),
        ("no-op", f"{median(noop):.2f} s", "<= 0.3 s", median(noop) <= 0.3),
        ("check, in sync", f"{median(check):.2f} s", "<= 0.3 s", median(check) <= 0.3),
        ("peak memory", f"{max(memory) / MIB:.0f} MiB", "<= 250 MiB",
         max(memory) <= 250 * MIB),
        ("cache on disk", f"{size / MIB:.1f} MiB", "<= 64 MiB", size <= 64 * MIB),
        ("cost per page vs 1557", f"{per_page / per_page_small:.2f}x", "<= 1.2x",
         per_page <= 1.2 * per_page_small),
        ("watch: edit to module", f"{watched:.2f} s", "<= 0.5 s", watched <= 0.5),
    ]


def print_rows(title: str, rows: list[Row]) -> None:
    print(f"\n{title}\n")
    print(f"{'scenario':<32} {'specgen':>10}  {'target':<12} ok")
    for name, figure, target, good in rows:
        print(f"{name:<32} {figure:>10}  {target:<12} {'yes' if good else 'NO'}")
    sys.stdout.flush()
