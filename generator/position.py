"""Where something is in a spec. Apart from ir.py, the schema it is part of, so that a run
with nothing to do (which reports positions) need not load the schema."""

from __future__ import annotations

from .records import ordered


@ordered
class Position:
    """A place in a spec: path relative to the working directory, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"
