"""The statements templates write, read back as layout nodes (see layout.py): calls, displays,
subscripts, `|` chains and atoms, found by their brackets outside string literals.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .records import frozen


class NeedsBlack(Exception):
    """A shape layout.py does not lay out; black must format the module."""


@frozen
class Atom:
    """Text that is laid out as a whole. `splittable` when black could split it (brackets)."""

    text: str
    splittable: bool = False


@frozen
class Group:
    """A bracketed, comma-separated list: a call, a list, a dict, a subscript."""

    opener: str  # "Field(", "[", "{", "Annotated["
    items: tuple[tuple[str, Node], ...]  # (lead, value): ("alias=", ...), ('"key": ', ...)
    closer: str
    # A list or dict display: once split, black puts its elements one per line even where
    # they would fit on one (calls and subscripts keep a body that fits on one line).
    display: bool = False


@frozen
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
# A keyword argument's lead (`name=`, not `name==`); `\w` is what `str.isalnum` and `_` take.
_KEYWORD = re.compile(r"\w+=(?!=)")
# What may stand before a group's opening bracket: a name or a dotted path (a call's, a
# subscript's), or nothing (a display).
_NAME_PATH = re.compile(r"[\w.]*")


def _string_end(text: str, start: int) -> int:
    found = _TOKEN.match(text, start)
    if found is None or len(found.group()) < 2:
        raise NeedsBlack(text)
    return found.end()


def assignment(text: str) -> tuple[str, Node] | None:
    """`head = ` and the value of an assignment (annotated or not), split at the first `=`
    outside brackets and strings, the value as a layout node."""
    scan = _Scan(text)
    at = scan.mask(0, len(text), -1).find(" = ")
    if at < 0:
        return None
    return text[: at + 3], _expression(scan, at + 3, len(text), -1)


def _spans(mask: str, separator: str) -> list[tuple[int, int]]:
    """The spans of the parts of a level's mask between the `separator`s it shows."""
    spans = []
    start = 0
    while True:
        at = mask.find(separator, start)
        if at < 0:
            spans.append((start, len(mask)))
            return spans
        spans.append((start, at))
        start = at + len(separator)


class _Scan:
    """A statement's string literals and brackets, found in one pass: for each bracket (and
    the whole text), the spans directly inside it that its own level hides (string literals
    whole, the insides of the brackets it holds). A level's mask is made from these rather
    than by reading that part again: an example's data nested ten levels deep would be read
    ten times."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.hidden: dict[int, list[tuple[int, int]]] = {-1: []}  # by opener offset; -1: all
        open_at = [-1]
        for token in _TOKEN.finditer(text):
            start, end = token.span()
            first = text[start]
            if first in "\"'":
                if end - start < 2:
                    raise NeedsBlack(text)
                self.hidden[open_at[-1]].append((start, end))
            elif first in _OPENERS:
                open_at.append(start)
                self.hidden[start] = []
            else:
                if len(open_at) == 1:
                    raise NeedsBlack(text)
                opener = open_at.pop()
                self.hidden[open_at[-1]].append((opener + 1, start))
        if len(open_at) != 1:
            raise NeedsBlack(text)

    def mask(self, start: int, end: int, bracket: int) -> str:
        """text[start:end], a part of what the bracket at offset `bracket` holds (-1: the
        whole text), with what is not at that level hidden: the characters of string
        literals and those inside brackets (the level's own brackets stay)."""
        text, last = self.text, start
        parts: list[str] = []
        spans = self.hidden[bracket]
        # The level's spans are in order, and none crosses the part's ends: those of the
        # part are the ones from the first that starts at `start` or later.
        at = bisect.bisect_left(spans, (start, start))
        while at < len(spans) and spans[at][0] < end:
            first, stop = spans[at]
            parts += (text[last:first], HIDDEN * (stop - first))
            last = stop
            at += 1
        parts.append(text[last:end])
        return "".join(parts)


# Modules repeat their annotations (`str | None`, an alias's name): each is read once per
# process. Nodes are immutable, and one that needs black raises again each time.
@lru_cache(maxsize=8192)
def expression(text: str) -> Node:
    """One expression as written by a template (a call, a subscript, a display, a `|` chain,
    or an atom) as a layout node."""
    return _expression(_Scan(text), 0, len(text), -1)


def _expression(scan: _Scan, start: int, end: int, bracket: int) -> Node:
    """The node of text[start:end], a part of what the bracket at offset `bracket` holds."""
    text = scan.text[start:end]
    mask = scan.mask(start, end, bracket)
    operands = [text[first:stop] for first, stop in _spans(mask, " | ")]
    if len(operands) > 1:
        return Chain(tuple(operands))
    if text and text[-1] in _CLOSERS and mask[-1] == text[-1]:
        opener_at = _matching_opener(mask)
        prefix = text[:opener_at]
        if _NAME_PATH.fullmatch(prefix):
            inner = start + opener_at + 1  # where the inside starts, in the whole text
            inner_mask = scan.mask(inner, end - 1, inner - 1)
            if " for " in inner_mask:  # a comprehension: its commas separate no items
                raise NeedsBlack(text)
            items = tuple(_item(scan, first, stop, inner - 1)
                          for first, stop in _items(scan.text, inner, inner_mask)
                          ) if inner < end - 1 else ()
            opener = text[: opener_at + 1]
            return Group(opener, items, text[-1], display=not prefix and opener in "[{")
    return Atom(text, splittable=any(opener in mask for opener in _OPENERS))


def _items(text: str, start: int, mask: str) -> list[tuple[int, int]]:
    """The spans (in `text`) of the items a level's mask separates by `, `, stripped of
    spaces at their ends (the mask starts at `start`)."""
    spans = []
    for first, last in _spans(mask, ", "):
        first, last = start + first, start + last
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        spans.append((first, last))
    return spans


def _matching_opener(mask: str) -> int:
    """The offset of the bracket that the last character closes, in a level's mask (the
    only bracket of that level before it that is still open)."""
    return max(mask.rfind(opener, 0, len(mask) - 1) for opener in _OPENERS)


def item(text: str) -> tuple[str, Node]:
    """A call argument or display element: its lead (`name=`, `"key": `) and its value."""
    return _item(_Scan(text), 0, len(text), -1)


def _item(scan: _Scan, start: int, end: int, bracket: int) -> tuple[str, Node]:
    text = scan.text[start:end]
    keyword = _KEYWORD.match(text)
    if keyword is not None:
        return text[: keyword.end()], _expression(scan, start + keyword.end(), end, bracket)
    if text[:1] in "\"'":
        after = _string_end(text, 0)
        if text.startswith(": ", after):
            return text[: after + 2], _expression(scan, start + after + 2, end, bracket)
    return "", _expression(scan, start, end, bracket)
