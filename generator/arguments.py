"""The command line's grammar: each command takes the options it uses, and only those."""

from __future__ import annotations

import argparse
from typing import Any

from . import __version__
from .config import CHOICES, DEFAULTS

# name -> (help group, flags, argparse keywords)
OPTIONS: dict[str, tuple[str, tuple[str, ...], dict[str, Any]]] = {
    "specs": ("input and output", ("--specs",), dict(
        metavar="DIR", action="append",
        help="folder of spec pages (.md, .mdx); repeat it to merge several doc sets of one "
             f"API into one model per page (default: {DEFAULTS['specs']})")),
    "out": ("input and output", ("--out",), dict(
        metavar="DIR", help="output folder; the package goes in DIR/PACKAGE "
                            f"(default: {DEFAULTS['out']})")),
    "package": ("input and output", ("--package",), dict(
        metavar="NAME", help=f"name of the generated package (default: {DEFAULTS['package']})")),
    "config": ("input and output", ("--config",), dict(
        metavar="FILE", help="the pyproject.toml to read [tool.specgen] from (default: the "
                             "nearest one, from the working directory up)")),
    "job": ("input and output", ("--job",), dict(
        metavar="NAME", action="append",
        help="run only this job of [tool.specgen.jobs] (repeatable; default: all jobs)")),
    "output": ("input and output", ("-o", "--output"), dict(
        metavar="FILE", help="write to FILE (default: standard output)")),
    "templates": ("generation", ("--templates",), dict(
        metavar="DIR", help="folder of templates overriding the built-in ones by file name "
                            "(default: none)")),
    "nullable": ("generation", ("--nullable",), dict(
        choices=CHOICES["nullable"],
        help="which required fields accept null: those an example shows as null, none, or all "
             f"(default: {DEFAULTS['nullable']})")),
    "lenient": ("generation", ("--lenient",), dict(
        action="store_true", default=None,
        help="generate broken references (links to pages that do not exist) and types the "
             "grammar does not know as Any, each with a warning, instead of failing "
             "(default: off)")),
    "dialect": ("generation", ("--dialect",), dict(
        choices=CHOICES["dialect"],
        help="the SDK language the pages are written in (their Type cells, field names, union "
             f"pages); auto detects it from the pages (default: {DEFAULTS['dialect']})")),
    "wire_names": ("generation", ("--wire-names",), dict(
        choices=CHOICES["wire_names"],
        help="JSON keys the docs' examples do not show: snake_case of the docs' names, the "
             "docs' names, or auto: as the examples spell the keys they show "
             f"(default: {DEFAULTS['wire_names']})")),
    "model_kind": ("generation", ("--model-kind",), dict(
        choices=CHOICES["model_kind"],
        help=f"what the models are (default: {DEFAULTS['model_kind']})")),
    "strict": ("generation", ("--strict",), dict(
        action="store_true", help="treat warnings (suspicious but usable input) as errors")),
    "no_cache": ("generation", ("--no-cache",), dict(
        action="store_true", help="neither read nor write the cache (.specgen_cache)")),
    "full": ("generation", ("--full",), dict(
        action="store_true", help="always regenerate in memory and diff")),
    "quiet": ("output", ("-q", "--quiet"), dict(action="store_true", help="print only problems")),
    "verbose": ("output", ("-v", "--verbose"), dict(
        action="store_true", help="say more: each job as it starts, the files written and "
                                  "removed")),
    "color": ("output", ("--color",), dict(
        choices=["auto", "always", "never"], default="auto",
        help="colour the messages (default: auto: on a terminal, unless NO_COLOR is set)")),
}

_GENERATION = ["specs", "out", "package", "config", "job", "templates", "nullable", "lenient",
               "dialect", "wire_names", "model_kind", "strict", "no_cache", "quiet",
               "verbose", "color"]

# command -> (help, description, options)
COMMANDS: dict[str, tuple[str, str, list[str]]] = {
    "generate": (
        "generate the models and write them",
        "Generate the models and write only what changed; nothing is written when a spec has "
        "errors.", _GENERATION),
    "check": (
        "exit 1 with a diff when the output is not in sync with the specs",
        "Compare the output folder with the specs: fast, from the manifest, when nothing "
        "changed; otherwise (or with --full) by regenerating in memory.", [*_GENERATION, "full"]),
    "watch": (
        "regenerate on every spec change",
        "Generate, then regenerate whenever a spec (or pyproject.toml) changes, until "
        "interrupted (Ctrl-C).", _GENERATION),
    # The schema is made from the parsed specs: no output folder, templates or cache.
    "schema": (
        "export the specs as JSON Schema (2020-12)",
        "Export every spec as a JSON Schema (draft 2020-12) document: one $defs entry per "
        "model, named by its import path.",
        ["specs", "package", "config", "job", "output", "nullable", "lenient", "dialect",
         "wire_names", "strict", "quiet", "verbose", "color"]),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="specgen",
        description="Generate typed pydantic v2 models from Speakeasy-style SDK model docs "
                    "(markdown pages with a ## Fields table, ## Values or ## Supported Types).",
        epilog="Defaults come from [tool.specgen] in the nearest pyproject.toml; flags override "
               "them. Exit status: 0 ok, 1 errors in specs or drift, 2 usage or internal "
               "error, 130 interrupted.",
    )
    top.add_argument("--version", action="version", version=f"specgen {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command, (summary, description, names) in COMMANDS.items():
        # No abbreviations: `schema --out` is not `--output`, and new flags break nothing.
        command_parser = sub.add_parser(command, help=summary, description=description,
                                        allow_abbrev=False)
        groups: dict[str, Any] = {}
        for name in names:
            title, flags, keywords = OPTIONS[name]
            if title not in groups:
                groups[title] = command_parser.add_argument_group(title)
            groups[title].add_argument(*flags, dest=name, **keywords)
    return top
