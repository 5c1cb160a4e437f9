"""Stage 4: format generated Python with black, in-process, where the renderer could not.

Most modules come out of the renderer already laid out as black would (see layout.py) and skip
black entirely; the rest are formatted here, in parallel when there are many.
"""

from __future__ import annotations

import os
from typing import Any

from .render import Rendered

# Below this many modules to format, worker processes cost more than they save.
PARALLEL_THRESHOLD = 40


class FormatError(Exception):
    """Black rejected generated code: a bug in specgen or in a custom template."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: generated code does not parse: {message}")
        self.path = path


def black_mode(line_length: int = 88) -> Any:
    import black  # imported when needed: it costs 0.1 s

    return black.Mode(target_versions={black.TargetVersion.PY310}, line_length=line_length)


def format_source(path: str, source: str, line_length: int = 88) -> str:
    import black

    try:
        return black.format_str(source, mode=black_mode(line_length))
    except black.parsing.InvalidInput as exc:
        raise FormatError(path, str(exc)) from None


def _format_batch(batch: list[tuple[str, str]], line_length: int) -> list[str]:
    return [format_source(path, source, line_length) for path, source in batch]


def format_sources(rendered: dict[str, Rendered], line_length: int = 88) -> dict[str, str]:
    """Every file's final text: as rendered, or through black where the renderer asked."""
    todo = [(path, r.source) for path, r in rendered.items() if r.needs_black and
            path.endswith(".py")]
    formatted: dict[str, str] = {}
    workers = min(len(todo) // PARALLEL_THRESHOLD, os.cpu_count() or 1)
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        batches = [todo[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            results = pool.map(_format_batch, batches, [line_length] * workers)
            for batch, texts in zip(batches, results):
                formatted.update((path, text) for (path, _), text in zip(batch, texts))
    else:
        formatted = {path: format_source(path, source, line_length) for path, source in todo}
    return {path: formatted.get(path, r.source) for path, r in rendered.items()}
