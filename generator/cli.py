"""Command line: `specgen generate` and `specgen check`.

Exit status: 0 success / in sync; 1 errors in specs, or drift for `check`; 2 usage,
configuration or internal errors.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import DEFAULTS, Config, ConfigError, load_config
from .diagnostics import Diagnostics
from .pipeline import InternalError, check, generate, shown


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
    common.add_argument("--strict", action="store_true",
                        help="treat warnings (suspicious but usable input) as errors")
    common.add_argument("--nullable", choices=["examples", "optional", "all"],
                        help="which required fields accept null: those an example shows as "
                             f"null, none, or all; default {DEFAULTS['nullable']!r}")
    common.add_argument("--templates", metavar="DIR",
                        help="folder of templates that override the built-in ones by name")
    sub.add_parser("generate", parents=[common], help="generate the models and write them",
                   description="Generate the models and write them; nothing is written when "
                               "a spec has errors.")
    sub.add_parser("check", parents=[common],
                   help="exit 1 with a diff when the output is not in sync with the specs",
                   description="Regenerate in memory and compare with the output folder.")
    return parser


def _print_diagnostics(diags: Diagnostics, stream: TextIO) -> None:
    for item in diags.sorted():
        print(item, file=stream)
    if diags.items:
        print(diags.summary(), file=stream)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        config = load_config(Path.cwd(), {
            "specs": args.specs, "out": args.out, "package": args.package,
            "templates": args.templates, "nullable": args.nullable,
        })
    except ConfigError as exc:
        print(f"specgen: error: {exc}", file=sys.stderr)
        return 2
    diags = Diagnostics(strict=args.strict)
    try:
        if args.command == "generate":
            return _generate(config, diags)
        return _check(config, diags)
    except InternalError as exc:
        _print_diagnostics(diags, sys.stderr)
        print(f"specgen: {exc}", file=sys.stderr)
        return 2


def _generate(config: Config, diags: Diagnostics) -> int:
    started = time.perf_counter()
    result = generate(config, diags)
    _print_diagnostics(diags, sys.stderr)
    if diags.failed or result.plan is None or result.files is None:
        print(f"specgen: nothing written to {shown(config.package_dir)}", file=sys.stderr)
        return 1
    modules = sum(1 for p in result.files if p.endswith(".py"))
    p = result.plan
    print(
        f"{shown(config.specs)} -> {shown(config.package_dir)}: {modules} modules: "
        f"{len(p.write)} written, {len(p.remove)} removed, {len(p.unchanged)} unchanged "
        f"in {time.perf_counter() - started:.2f} s"
    )
    return 0


def _check(config: Config, diags: Diagnostics) -> int:
    drift = check(config, diags)
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


if __name__ == "__main__":
    sys.exit(main())
