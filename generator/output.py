"""How specgen talks on a terminal: colour when it is one (never with NO_COLOR), quiet and
verbose modes, and GitHub Actions annotations when running there."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TextIO

from .diagnostics import Diagnostic, Diagnostics, Severity

_COLOURS = {"error": "31", "warning": "33", "path": "1", "ok": "32", "dim": "2"}


def _annotation_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


@dataclass
class Output:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    quiet: bool = False
    verbose: bool = False
    colour: bool | None = None  # None: decide from the stream and the environment
    github: bool | None = None  # GitHub Actions annotations; None: from GITHUB_ACTIONS

    def __post_init__(self) -> None:
        if self.colour is None:
            self.colour = (self.err.isatty() and "NO_COLOR" not in os.environ
                           and os.environ.get("TERM") != "dumb")
        if self.github is None:
            self.github = os.environ.get("GITHUB_ACTIONS") == "true"

    def paint(self, text: str, style: str) -> str:
        return f"\033[{_COLOURS[style]}m{text}\033[0m" if self.colour else text

    def diagnostic(self, item: Diagnostic) -> str:
        if self.github:
            kind = "error" if item.severity is Severity.ERROR else "warning"
            pos = item.pos
            return (f"::{kind} file={_annotation_escape(pos.path, True)},line={pos.line},"
                    f"col={pos.col}::{_annotation_escape(item.message)}")
        severity = item.severity.value
        return (f"{self.paint(str(item.pos), 'path')}: {self.paint(severity, severity)}: "
                f"{item.message}")

    def diagnostics(self, diags: Diagnostics) -> None:
        for item in diags.sorted():
            print(self.diagnostic(item), file=self.err)
        if diags.items:
            print(diags.summary(), file=self.err)
        broken = len({d for d in diags.items if d.lenient and d.severity is Severity.ERROR})
        if broken:
            print(f"{broken} of these errors {'is a' if broken == 1 else 'are'} broken "
                  f"reference{'' if broken == 1 else 's'} or unknown type"
                  f"{'' if broken == 1 else 's'}: --lenient (or lenient = true in "
                  "[tool.specgen]) generates them as Any, each with a warning", file=self.err)

    def info(self, text: str) -> None:
        """A result line (summary, in sync): not in quiet mode."""
        if not self.quiet:
            print(text, file=self.out)

    def detail(self, text: str) -> None:
        """Only in verbose mode."""
        if self.verbose:
            print(self.paint(text, "dim"), file=self.out)

    def problem(self, text: str) -> None:
        print(text, file=self.err)
