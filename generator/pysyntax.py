"""The one place where text from specs becomes Python source.

Every string that reaches a template from a spec passes through one of these functions, so no
spec text can end a literal, a docstring or a comment early, or smuggle in a statement.
"""

from __future__ import annotations

import math
import textwrap
from functools import lru_cache
from typing import Any


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


# The unprintable characters a string literal, a docstring and a comment spell by name.
_LITERAL_NAMES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}
_DOCSTRING_NAMES = {"\t": "\\t"}
_NO_NAMES: dict[str, str] = {}


def _escape_unprintable(text: str, names: dict[str, str]) -> str:
    """`text` with each character that is not printable escaped (NUL, other controls,
    U+2028/U+2029, lone surrogates): by its name in `names`, or by its code."""
    if text.isprintable():  # most text: nothing to escape, and no loop over it
        return text
    return "".join(ch if ch.isprintable() else names.get(ch) or _escape_char(ch)
                   for ch in text)


# Modules repeat their strings (an alias is written twice per field, descriptions and
# names recur across models): three in four calls on a large set are for a string seen before.
@lru_cache(maxsize=8192)
def string_literal(text: str) -> str:
    """A Python string literal for `text`, quoted as black quotes it: double quotes, unless
    single quotes need fewer escapes."""
    quote = '"' if text.count('"') <= text.count("'") else "'"
    escaped = text.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return quote + _escape_unprintable(escaped, _LITERAL_NAMES) + quote


def docstring(text: str, indent: str = "") -> str:
    """A triple-quoted docstring for `text`, safe for any content.

    Line breaks stay real (readable in the source); quotes, backslashes and invisible characters
    are escaped. Trailing spaces are dropped because black would drop them anyway.
    """
    lines = [_escape_unprintable(line.rstrip().replace("\\", "\\\\").replace('"', '\\"'),
                                 _DOCSTRING_NAMES) for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if len(lines) > 1:
        # Black (like inspect.cleandoc) drops the indentation the later lines share.
        lines = [lines[0].lstrip(), *textwrap.dedent("\n".join(lines[1:])).split("\n")]
    if len(lines) <= 1:
        text = lines[0] if lines else ""
        if text.endswith('\\"'):
            # Black would part a final quote from the closing quotes with a space; spelled
            # as an escape, the text stays exactly what the spec says.
            text = text[:-2] + "\\x22"
        return '"""' + text + '"""'
    body = ("\n" + indent).join(lines)
    return f'"""{body}\n{indent}"""'.replace("\n" + indent + "\n", "\n\n")


def comment_text(text: str) -> str:
    """Text for a `#` comment: one line, invisible characters escaped."""
    return _escape_unprintable(text, _NO_NAMES)


def python_literal(value: Any) -> str:
    """Python source for JSON-like data: dict, list, str, int, float, bool, None."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("non-finite numbers are not JSON data")
        # As black writes numbers: no `+` in the exponent (`1e16`, not `1e+16`).
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return string_literal(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(python_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{string_literal(str(k))}: {python_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"not JSON-like data: {type(value).__name__}")
