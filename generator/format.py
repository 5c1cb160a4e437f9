"""Stage 4: format generated Python with black, in-process, where the renderer could not.

Most modules come out of the renderer already laid out as black would (see layout.py), the few
statements it does not lay out formatted by black one by one (`format_statement`); the rest
(custom templates, shapes black cannot take alone) are formatted here, in parallel when there
are many.
"""

from __future__ import annotations

from typing import Any

from .parallel import map_in_processes, worker_count
from .render import Rendered

INDENT = "    "

# Below this many modules to format, worker processes cost more than they save.
PARALLEL_THRESHOLD = 40


class FormatError(Exception):
    """Black rejected generated code: a bug in specgen or in a custom template."""

    def __init__(self, message: str) -> None:  # one argument: it crosses process bounds
        super().__init__(message)


def black_mode(line_length: int = 88, target: str = "py310") -> Any:
    import black  # imported when needed: it costs 0.1 s

    version = black.mode.TargetVersion[target.upper()]
    return black.Mode(target_versions={version}, line_length=line_length)


def format_source(path: str, source: str, line_length: int = 88, target: str = "py310") -> str:
    import black

    try:
        return black.format_str(source, mode=black_mode(line_length, target))
    except black.parsing.InvalidInput as exc:
        raise FormatError(f"{path}: generated code does not parse: {exc}") from None


def format_statement(text: str, depth: int, line_length: int = 88,
                     target: str = "py310") -> list[str] | None:
    """One statement, written on one line at `depth`, as black lays it out (black formats
    each logical line by itself: the rest of its module makes no difference); None when
    black cannot read it alone."""
    import black

    headers = [INDENT * level + "class _:" for level in range(depth)]
    source = "\n".join([*headers, INDENT * depth + text, ""])
    try:
        lines = black.format_str(source, mode=black_mode(line_length, target)).split("\n")
    except black.parsing.InvalidInput:
        return None
    if lines[:depth] != headers or lines[-1] != "":
        return None  # black added or moved lines: not the one statement given
    return lines[depth:-1]


def _format_job(job: tuple[str, str, int, str]) -> tuple[str | None, str | None]:
    try:
        return format_source(*job), None
    except FormatError as exc:
        return None, str(exc)


def format_sources(
    rendered: dict[str, Rendered], line_length: int = 88, target: str = "py310"
) -> tuple[dict[str, str], dict[str, str]]:
    """Every file's final text (as rendered, or through black where the renderer asked), and
    by path the files black could not read (a bug, or a custom template's)."""
    todo = [(path, r.source) for path, r in rendered.items() if r.needs_black and
            path.endswith(".py")]
    jobs = [(path, source, line_length, target) for path, source in todo]
    results = map_in_processes(_format_job, jobs, worker_count(len(jobs), PARALLEL_THRESHOLD), 4)
    formatted: dict[str, str] = {}
    failures: dict[str, str] = {}
    for (path, _), (text, problem) in zip(todo, results, strict=True):
        if problem is not None:
            failures[path] = problem
        elif text is not None:
            formatted[path] = text
    texts = {path: formatted.get(path, r.source) for path, r in rendered.items()
             if path not in failures}
    return texts, failures
