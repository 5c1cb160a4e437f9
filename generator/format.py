"""Stage 4: format generated Python with black, in-process."""

from __future__ import annotations

import black


class FormatError(Exception):
    """Black rejected generated code: a bug in specgen or in a custom template."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: generated code does not parse: {message}")
        self.path = path


def black_mode(line_length: int = 88) -> black.Mode:
    return black.Mode(target_versions={black.TargetVersion.PY310}, line_length=line_length)


def format_sources(sources: dict[str, str], line_length: int = 88) -> dict[str, str]:
    """Format every `.py` source; other files pass through unchanged."""
    mode = black_mode(line_length)
    result: dict[str, str] = {}
    for path, source in sources.items():
        if not path.endswith(".py"):
            result[path] = source
            continue
        try:
            result[path] = black.format_str(source, mode=mode)
        except black.parsing.InvalidInput as exc:
            raise FormatError(path, str(exc)) from None
    return result
