"""Command line: `specgen generate`, `check`, `watch`, `schema`.

Exit status: 0 success / in sync; 1 errors in specs, or drift for `check`; 2 usage,
configuration or internal errors; 130 interrupted (the output is left as it was).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from .arguments import parser
from .config import Config, ConfigError, find_pyproject, load_configs
from .diagnostics import Diagnostics, shown
from .output import Output
from .pipeline import GenerateResult, InternalError, check, generate

# Runs with more specs than this show a progress bar on a terminal.
PROGRESS_MIN_SPECS = 200


class _ProgressBar:
    """A one-line progress bar on a terminal; silent elsewhere."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < PROGRESS_MIN_SPECS or (done % 50 and done != total):
            return
        width = 30
        filled = width * done // total
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} specs")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False


def _specs(config: Config) -> str:
    """The spec folders, as messages name them."""
    return " + ".join(map(shown, config.spec_folders))


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    option = vars(args).get  # each command has only the options it uses
    colour = {"always": True, "never": False}.get(args.color)
    out = Output(quiet=args.quiet, verbose=args.verbose, colour=colour)
    config_file = Path(args.config) if args.config else None
    overrides = {key: option(key) for key in ("specs", "out", "package", "templates",
                                              "nullable", "lenient", "dialect", "wire_names",
                                              "model_kind", "no_cache")}

    def load() -> list[tuple[str, Config]]:
        return load_configs(Path.cwd(), overrides, args.job, config_file)

    try:
        jobs = load()
    except ConfigError as exc:
        for message in exc.messages:
            out.problem(f"specgen: error: {message}")
        return 2
    status = 0
    try:
        if args.command == "watch":
            from .watch import watch

            return watch(jobs, load, lambda config: _generate(config, args.strict, out), out,
                         config_file or find_pyproject(Path.cwd()))
        for name, config in jobs:
            if len(jobs) > 1:
                out.detail(f"job {name}: {_specs(config)} -> {shown(config.package_dir)}")
            if args.command == "generate":
                code = _generate(config, args.strict, out)
            elif args.command == "check":
                code = _check(config, args.strict, bool(option("full")), out)
            else:
                code = _schema(config, args.strict, out, option("output"), len(jobs) > 1, name)
            status = max(status, code)
    except InternalError as exc:
        out.problem(f"specgen: {exc}")
        return 2
    except Exception as exc:  # a bug outside any page: said plainly, without a traceback
        out.problem(f"specgen: internal error: {type(exc).__name__}: {exc}; please report it")
        return 2
    except KeyboardInterrupt:
        out.problem("specgen: interrupted; the output is as it was")
        return 130
    return status


def summary(config: Config, result: GenerateResult) -> str:
    p = result.plan
    assert p is not None
    files = len(p.write) + len(p.unchanged)  # every file of the package (besides the manifest)
    return (f"{result.specs} specs -> {files} files: {len(p.write)} written, "
            f"{len(p.remove)} removed, {len(p.unchanged)} unchanged in {result.seconds:.2f} s "
            f"({shown(config.package_dir)})")


def _generate(config: Config, strict: bool, out: Output) -> int:
    diags = Diagnostics(strict=strict)
    bar = _ProgressBar(out.err)
    try:
        result = generate(config, diags, progress=None if out.quiet else bar)
    finally:
        bar.clear()
    out.diagnostics(diags)
    if diags.failed or result.plan is None:
        out.problem(f"specgen: nothing written to {shown(config.package_dir)}")
        return diags.status
    if result.up_to_date:
        out.detail("  up to date: specs, generator and output as the manifest records them")
    if out.verbose:  # a new package is thousands of paths: none is shown for nothing
        for path in result.plan.write:
            out.detail(f"  written: {shown(config.package_dir / path)}")
        for path in result.plan.remove:
            out.detail(f"  removed: {shown(config.package_dir / path)}")
    out.info(summary(config, result))
    return 0


def _check(config: Config, strict: bool, full: bool, out: Output) -> int:
    diags = Diagnostics(strict=strict)
    drift = check(config, diags, full=full)
    out.diagnostics(diags)
    if drift is None or diags.failed:
        return diags.status
    if drift.in_sync:
        out.info(f"{shown(config.package_dir)} is in sync with {_specs(config)}")
        return 0
    for diff in drift.diffs:
        out.out.write(diff if diff.endswith("\n") else diff + "\n")
    for path in drift.missing:
        print(f"missing: {path}", file=out.out)
    for path in drift.extra:
        print(f"extra: {path}", file=out.out)
    message = (f"{shown(config.package_dir)} is out of sync with {_specs(config)}: "
               f"{len(drift.diffs)} changed, {len(drift.missing)} missing, "
               f"{len(drift.extra)} extra; run `specgen generate`")
    if out.github:
        print(f"::error title=specgen check::{message}", file=out.err)
    else:
        out.problem(message)
    return 1


def _schema(config: Config, strict: bool, out: Output, target: str | None, several: bool,
            name: str) -> int:
    from .build import build_package
    from .schema import json_schema

    diags = Diagnostics(strict=strict)
    package = build_package(config, diags)
    out.diagnostics(diags)
    if package is None or diags.failed:
        return diags.status
    text = json.dumps(json_schema(package, config), indent=2, ensure_ascii=False) + "\n"
    if target is None:
        out.out.write(text)
        return 0
    path = Path(target)
    if several:  # one file per job
        path = path.with_name(f"{path.stem}.{name}{path.suffix}")
    path.write_text(text, encoding="utf-8")
    out.info(f"wrote {shown(path)}")
    return 0
