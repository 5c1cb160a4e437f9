"""The statements templates write, read back as layout nodes (see layout.py): calls, displays,
subscripts, `|` chains and atoms, found by their brackets outside string literals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


class NeedsBlack(Exception):
    """A shape layout.py does not lay out; black must format the module."""


@dataclass(frozen=True)
class Atom:
    """Text that is laid out as a whole. `splittable` when black could split it (brackets)."""

    text: str
    splittable: bool = False


@dataclass(frozen=True)
class Group:
    """A bracketed, comma-separated list: a call, a list, a dict, a subscript."""

    opener: str  # "Field(", "[", "{", "Annotated["
    items: tuple[tuple[str, Node], ...]  # (lead, value): ("alias=", ...), ('"key": ', ...)
    closer: str
    # A list or dict display: once split, black puts its elements one per line even where
    # they would fit on one (calls and subscripts keep a body that fits on one line).
    display: bool = False


@dataclass(frozen=True)
class Chain:
    """`A | B | C`: once split, black puts one operand per line, each after a leading `|`."""

    operands: tuple[str, ...]


Node = Atom | Group | Chain


def flat(node: Node) -> str:
    if isinstance(node, Atom):
        return node.text
    if isinstance(node, Chain):
        return " | ".join(node.operands)
    return node.opener + ", ".join(lead + flat(value) for lead, value in node.items) + node.closer


_OPENERS = frozenset("([{")
_CLOSERS = frozenset(")]}")
# A string literal (as pysyntax writes them: one line, backslash escapes), a bracket, or a
# quote that opens no complete literal.
_TOKEN = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[()\[\]{}]|["']""")
HIDDEN = "\0"  # stands for a character inside brackets or a string literal


def _string_end(text: str, start: int) -> int:
    found = _TOKEN.match(text, start)
    if found is None or len(found.group()) < 2:
        raise NeedsBlack(text)
    return found.end()


@lru_cache(maxsize=8192)
def top_level(text: str) -> str:
    """`text` with what is not at bracket depth 0 hidden: the characters of string literals
    and those inside brackets (the outermost brackets themselves stay)."""
    parts: list[str] = []
    depth = 0
    last = 0  # where the text not yet copied starts
    for token in _TOKEN.finditer(text):
        start, end = token.span()
        first = text[start]
        if depth == 0:
            parts.append(text[last:start])
        else:
            parts.append(HIDDEN * (start - last))
        if first in "\"'":
            if end - start < 2:
                raise NeedsBlack(text)
            parts.append(HIDDEN * (end - start))
        elif first in _OPENERS:
            parts.append(first if depth == 0 else HIDDEN)
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                raise NeedsBlack(text)
            parts.append(first if depth == 0 else HIDDEN)
        last = end
    if depth != 0:
        raise NeedsBlack(text)
    parts.append(text[last:])
    return "".join(parts)


def assignment(text: str) -> tuple[str, str] | None:
    """`head = ` and the value of an assignment (annotated or not), split at the first `=`
    outside brackets and strings."""
    at = top_level(text).find(" = ")
    if at < 0:
        return None
    return text[: at + 3], text[at + 3 :]


def split(text: str, separator: str, mask: str | None = None) -> list[str]:
    """`text` split at `separator` where it stands outside brackets and strings."""
    mask = top_level(text) if mask is None else mask
    parts = []
    start = 0
    while True:
        at = mask.find(separator, start)
        if at < 0:
            break
        parts.append(text[start:at])
        start = at + len(separator)
    parts.append(text[start:])
    return parts


# Modules repeat their expressions (`None`, an alias, a whole `Field(...)` shared by many
# models): each is read once per process. Nodes are immutable, and one that needs black
# raises again each time.
@lru_cache(maxsize=8192)
def expression(text: str) -> Node:
    """One expression as written by a template (a call, a subscript, a display, a `|` chain,
    or an atom) as a layout node."""
    mask = top_level(text)
    operands = split(text, " | ", mask)
    if len(operands) > 1:
        return Chain(tuple(operands))
    if text and text[-1] in _CLOSERS and mask[-1] == text[-1]:
        opener_at = _matching_opener(mask)
        prefix = text[:opener_at]
        if all(c.isalnum() or c in "_." for c in prefix):
            inner = text[opener_at + 1 : -1]
            inner_mask = top_level(inner)
            if " for " in inner_mask:  # a comprehension: its commas separate no items
                raise NeedsBlack(text)
            items = tuple(item(part.strip()) for part in split(inner, ", ", inner_mask)
                          ) if inner else ()
            opener = text[: opener_at + 1]
            return Group(opener, items, text[-1], display=not prefix and opener in "[{")
    splittable = any(ch in _OPENERS for ch in mask)
    return Atom(text, splittable=splittable)


def _matching_opener(mask: str) -> int:
    """The offset of the bracket that the last character closes, in a top-level mask (the
    only bracket left at depth 0 before it that is still open)."""
    return max(mask.rfind(opener, 0, len(mask) - 1) for opener in _OPENERS)


def item(text: str) -> tuple[str, Node]:
    """A call argument or display element: its lead (`name=`, `"key": `) and its value."""
    i = 0
    while i < len(text) and (text[i].isalnum() or text[i] == "_"):
        i += 1
    if 0 < i < len(text) and text[i] == "=" and text[i + 1 : i + 2] != "=":
        return text[: i + 1], expression(text[i + 1 :])
    if text[:1] in "\"'":
        end = _string_end(text, 0)
        if text.startswith(": ", end):
            return text[: end + 2], expression(text[end + 2 :])
    return "", expression(text)
