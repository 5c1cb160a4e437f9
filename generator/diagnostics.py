"""Diagnostics are values, collected over a whole run and printed together, sorted."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from .position import Position
from .records import ordered


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@ordered
class Diagnostic:
    pos: Position
    severity: Severity
    message: str
    # A broken reference or an unknown type: `--lenient` would generate it as `Any`.
    lenient: bool = field(default=False, compare=False)
    # specgen failed on the page (a bug, reported with it): the run exits 2, not 1
    internal: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity.value}: {self.message}"


@dataclass
class Diagnostics:
    """A run's collected problems."""

    items: list[Diagnostic] = field(default_factory=list)
    strict: bool = False  # warnings count as errors (`--strict`)

    def error(self, pos: Position, message: str, lenient: bool = False) -> None:
        self.items.append(Diagnostic(pos, Severity.ERROR, message, lenient))

    def warning(self, pos: Position, message: str) -> None:
        self.items.append(Diagnostic(pos, Severity.WARNING, message))

    def internal(self, pos: Position, what: str, exc: BaseException | str) -> None:
        """specgen failed while `what` the page at `pos`: an error of its own kind."""
        cause = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        self.items.append(Diagnostic(pos, Severity.ERROR, f"specgen failed while {what} this "
                                     f"page ({cause}); please report it", internal=True))

    @property
    def status(self) -> int:
        """The exit status of a run that failed: 2 where specgen failed, 1 otherwise."""
        return 2 if any(d.internal for d in self.items) else 1

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        """Errors in the input: later stages cannot run on it."""
        return any(d.severity is Severity.ERROR for d in self.items)

    @property
    def failed(self) -> bool:
        """Whether the run fails: errors, or with `strict`, warnings too."""
        return bool(self.items) if self.strict else self.has_errors

    def sorted(self) -> list[Diagnostic]:
        """The problems as reported: sorted, without repeats, warnings as errors if strict."""
        items = set(self.items)
        if self.strict:
            items = {Diagnostic(d.pos, Severity.ERROR, d.message, d.lenient) for d in items}
        return sorted(items)

    def summary(self) -> str:
        shown = self.sorted()
        errors = sum(1 for d in shown if d.severity is Severity.ERROR)
        warnings = len(shown) - errors
        parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        return ", ".join(parts)


def shown(path: Path) -> str:
    """A path as users see it in messages: relative to the working directory when it can be."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return absolute
    return relative if len(relative) <= len(absolute) else absolute
