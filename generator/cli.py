"""Command line: `specgen generate`, `check`, `watch`, `schema`.

Exit status: 0 success / in sync; 1 errors in specs, or drift for `check`; 2 usage,
configuration or internal errors; 130 interrupted (the output is left as it was).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from . import __version__, cache
from .config import DEFAULTS, DIALECTS, Config, ConfigError, load_configs
from .diagnostics import Diagnostics
from .output import Output
from .pipeline import GenerateResult, InternalError, build_package, check, generate, shown

# Runs with more specs than this show a progress bar on a terminal.
PROGRESS_MIN_SPECS = 200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specgen",
        description="Generate typed pydantic v2 models from Speakeasy-style SDK model docs "
                    "(markdown pages with a ## Fields table, ## Values or ## Supported Types).",
        epilog="Defaults come from [tool.specgen] in the nearest pyproject.toml; flags override "
               "them. Exit status: 0 ok, 1 errors in specs or drift, 2 usage or internal "
               "error, 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"specgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    where = common.add_argument_group("input and output")
    where.add_argument("--specs", metavar="DIR",
                       help=f"folder of spec pages (.md, .mdx) (default: {DEFAULTS['specs']})")
    where.add_argument("--out", metavar="DIR",
                       help="output folder; the package goes in DIR/PACKAGE "
                            f"(default: {DEFAULTS['out']})")
    where.add_argument("--package", metavar="NAME",
                       help=f"name of the generated package (default: {DEFAULTS['package']})")
    where.add_argument("--config", metavar="FILE",
                       help="the pyproject.toml to read [tool.specgen] from (default: the "
                            "nearest one, from the working directory up)")
    where.add_argument("--job", metavar="NAME", action="append",
                       help="run only this job of [tool.specgen.jobs] (repeatable; "
                            "default: all jobs)")
    how = common.add_argument_group("generation")
    how.add_argument("--templates", metavar="DIR",
                     help="folder of templates overriding the built-in ones by file name "
                          "(default: none)")
    how.add_argument("--nullable", choices=["examples", "optional", "all"],
                     help="which required fields accept null: those an example shows as "
                          f"null, none, or all (default: {DEFAULTS['nullable']})")
    how.add_argument("--lenient", action="store_true", default=None,
                     help="generate broken references (links to pages that do not exist) and "
                          "types the grammar does not know as Any, each with a warning, "
                          "instead of failing (default: off)")
    how.add_argument("--dialect", choices=DIALECTS,
                     help="the SDK language the pages are written in (their Type cells, "
                          "field names, union pages); auto detects it from the pages "
                          f"(default: {DEFAULTS['dialect']})")
    how.add_argument("--strict", action="store_true",
                     help="treat warnings (suspicious but usable input) as errors")
    how.add_argument("--no-cache", action="store_true",
                     help="neither read nor write the local cache (.specgen_cache)")
    talk = common.add_argument_group("output")
    talk.add_argument("-q", "--quiet", action="store_true",
                      help="print only problems")
    talk.add_argument("-v", "--verbose", action="store_true",
                      help="also list the files written and removed")
    talk.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                      help="colour the messages (default: auto: on a terminal, unless "
                           "NO_COLOR is set)")
    sub.add_parser("generate", parents=[common], help="generate the models and write them",
                   description="Generate the models and write only what changed; nothing is "
                               "written when a spec has errors.")
    check_parser = sub.add_parser(
        "check", parents=[common],
        help="exit 1 with a diff when the output is not in sync with the specs",
        description="Compare the output folder with the specs: fast, from the manifest, when "
                    "nothing changed; otherwise (or with --full) by regenerating in memory.")
    check_parser.add_argument("--full", action="store_true",
                              help="always regenerate in memory and diff")
    sub.add_parser("watch", parents=[common], help="regenerate on every spec change",
                   description="Generate, then regenerate whenever a spec changes, until "
                               "interrupted (Ctrl-C).")
    schema_parser = sub.add_parser(
        "schema", parents=[common], help="export the specs as JSON Schema (2020-12)",
        description="Export every spec as a JSON Schema (draft 2020-12) document: one $defs "
                    "entry per model, named by its import path.")
    schema_parser.add_argument("-o", "--output", metavar="FILE",
                               help="write to FILE (default: standard output)")
    return parser


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


def main(argv: list[str] | None = None, detached_cache: bool = False) -> int:
    args = _parser().parse_args(argv)
    cache.DETACHED_WRITES = detached_cache and args.command == "generate"
    colour = {"always": True, "never": False}.get(args.color)
    out = Output(quiet=args.quiet, verbose=args.verbose, colour=colour)
    try:
        jobs = load_configs(Path.cwd(), {
            "specs": args.specs, "out": args.out, "package": args.package,
            "templates": args.templates, "nullable": args.nullable, "lenient": args.lenient,
            "dialect": args.dialect, "no_cache": args.no_cache,
        }, args.job, Path(args.config) if args.config else None)
    except ConfigError as exc:
        out.problem(f"specgen: error: {exc}")
        return 2
    status = 0
    try:
        for name, config in jobs:
            if len(jobs) > 1:
                out.detail(f"job {name}: {shown(config.specs)} -> {shown(config.package_dir)}")
            if args.command == "generate":
                code = _generate(config, args.strict, out)
            elif args.command == "check":
                code = _check(config, args.strict, args.full, out)
            elif args.command == "schema":
                code = _schema(config, args.strict, out, args.output, len(jobs) > 1, name)
            else:
                return _watch(jobs, args.strict, out)
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
    return (f"{result.specs} specs -> {result.modules} modules: {len(p.write)} written, "
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
        return 1
    if result.up_to_date:
        out.detail("  up to date: specs, generator and output as the manifest records them")
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
        return 1
    if drift.in_sync:
        out.info(f"{shown(config.package_dir)} is in sync with {shown(config.specs)}")
        return 0
    for diff in drift.diffs:
        out.out.write(diff if diff.endswith("\n") else diff + "\n")
    for path in drift.missing:
        print(f"missing: {path}", file=out.out)
    for path in drift.extra:
        print(f"extra: {path}", file=out.out)
    message = (f"{shown(config.package_dir)} is out of sync with {shown(config.specs)}: "
               f"{len(drift.diffs)} changed, {len(drift.missing)} missing, "
               f"{len(drift.extra)} extra; run `specgen generate`")
    if out.github:
        print(f"::error title=specgen check::{message}", file=out.err)
    else:
        out.problem(message)
    return 1


def _schema(config: Config, strict: bool, out: Output, target: str | None, several: bool,
            name: str) -> int:
    from .schema import json_schema

    diags = Diagnostics(strict=strict)
    package = build_package(config, diags)
    out.diagnostics(diags)
    if package is None or diags.failed:
        return 1
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


def _watch(jobs: list[tuple[str, Config]], strict: bool, out: Output) -> int:
    from watchfiles import watch  # imported here: only `watch` needs it

    for _, config in jobs:
        _generate(config, strict, out)
    folders = [config.specs for _, config in jobs]
    out.problem(f"watching {', '.join(map(shown, folders))} for changes (Ctrl-C to stop)")
    for changes in watch(*folders, debounce=200, raise_interrupt=True):
        names = sorted({shown(Path(path)) for _, path in changes})
        out.problem(f"{time.strftime('%H:%M:%S')} changed: {', '.join(names[:5])}"
                    + (f" and {len(names) - 5} more" if len(names) > 5 else ""))
        for _, config in jobs:
            if any(Path(path).resolve().is_relative_to(config.specs.resolve())
                   for _, path in changes):
                _generate(config, strict, out)
    return 0


def run() -> None:
    """The console script: `main`, then exit without tearing the interpreter down (freeing
    every object of a large run costs a tenth of a second and serves no one)."""
    code = main(detached_cache=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
