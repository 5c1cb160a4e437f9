"""Command line: `specgen generate`, `specgen check`, `specgen watch`.

Exit status: 0 success / in sync; 1 errors in specs, or drift for `check`; 2 usage,
configuration or internal errors; 130 interrupted (the output is left as it was).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import DEFAULTS, Config, ConfigError, load_config
from .diagnostics import Diagnostics
from .pipeline import GenerateResult, InternalError, check, generate, shown

# Runs with more specs than this show a progress bar on a terminal.
PROGRESS_MIN_SPECS = 200


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specgen",
        description="Generate typed pydantic v2 models from Speakeasy-style SDK model docs.",
        epilog="Defaults come from [tool.specgen] in the nearest pyproject.toml; flags override.",
    )
    parser.add_argument("--version", action="version", version=f"specgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--specs", metavar="DIR",
                        help=f"folder of spec pages (.md, .mdx); default {DEFAULTS['specs']!r}")
    common.add_argument("--out", metavar="DIR",
                        help=f"output folder; the package goes in DIR/PACKAGE; "
                             f"default {DEFAULTS['out']!r}")
    common.add_argument("--package", metavar="NAME",
                        help=f"name of the generated package; default {DEFAULTS['package']!r}")
    common.add_argument("--templates", metavar="DIR",
                        help="folder of templates that override the built-in ones by name")
    common.add_argument("--nullable", choices=["examples", "optional", "all"],
                        help="which required fields accept null: those an example shows as "
                             f"null, none, or all; default {DEFAULTS['nullable']!r}")
    common.add_argument("--strict", action="store_true",
                        help="treat warnings (suspicious but usable input) as errors")
    common.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the local cache (.specgen_cache)")
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
    return parser


def _print_diagnostics(diags: Diagnostics, stream: TextIO) -> None:
    for item in diags.sorted():
        print(item, file=stream)
    if diags.items:
        print(diags.summary(), file=stream)


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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(Path.cwd(), {
            "specs": args.specs, "out": args.out, "package": args.package,
            "templates": args.templates, "nullable": args.nullable,
            "no_cache": args.no_cache,
        })
    except ConfigError as exc:
        print(f"specgen: error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "generate":
            return _generate(config, args.strict)
        if args.command == "check":
            return _check(config, args.strict, args.full)
        return _watch(config, args.strict)
    except InternalError as exc:
        print(f"specgen: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("specgen: interrupted; the output is as it was", file=sys.stderr)
        return 130


def summary(config: Config, result: GenerateResult) -> str:
    p = result.plan
    assert p is not None
    return (f"{result.specs} specs -> {result.modules} modules: {len(p.write)} written, "
            f"{len(p.remove)} removed, {len(p.unchanged)} unchanged in {result.seconds:.2f} s "
            f"({shown(config.package_dir)})")


def _generate(config: Config, strict: bool) -> int:
    diags = Diagnostics(strict=strict)
    bar = _ProgressBar(sys.stderr)
    try:
        result = generate(config, diags, progress=bar)
    finally:
        bar.clear()
    _print_diagnostics(diags, sys.stderr)
    if diags.failed or result.plan is None:
        print(f"specgen: nothing written to {shown(config.package_dir)}", file=sys.stderr)
        return 1
    print(summary(config, result))
    return 0


def _check(config: Config, strict: bool, full: bool) -> int:
    diags = Diagnostics(strict=strict)
    drift = check(config, diags, full=full)
    _print_diagnostics(diags, sys.stderr)
    if drift is None or diags.failed:
        return 1
    if drift.in_sync:
        print(f"{shown(config.package_dir)} is in sync with {shown(config.specs)}")
        return 0
    for diff in drift.diffs:
        sys.stdout.write(diff if diff.endswith("\n") else diff + "\n")
    for path in drift.missing:
        print(f"missing: {path}")
    for path in drift.extra:
        print(f"extra: {path}")
    print(
        f"{shown(config.package_dir)} is out of sync with {shown(config.specs)}: "
        f"{len(drift.diffs)} changed, {len(drift.missing)} missing, {len(drift.extra)} extra; "
        f"run `specgen generate`",
        file=sys.stderr,
    )
    return 1


def _watch(config: Config, strict: bool) -> int:
    from watchfiles import watch  # imported here: only `watch` needs it

    _generate(config, strict)
    print(f"watching {shown(config.specs)} for changes (Ctrl-C to stop)", file=sys.stderr)
    for changes in watch(config.specs, debounce=200, raise_interrupt=True):
        names = sorted({shown(Path(path)) for _, path in changes})
        print(f"{time.strftime('%H:%M:%S')} changed: {', '.join(names[:5])}"
              + (f" and {len(names) - 5} more" if len(names) > 5 else ""), file=sys.stderr)
        _generate(config, strict)
    return 0


def run() -> None:
    """The console script: `main`, then exit without tearing the interpreter down (freeing
    every object of a large run costs a tenth of a second and serves no one)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
