"""The TypeScript dialect: FORMAT.md's Type-cell and union-heading grammars.

Both are read from raw source text (not markdown-it's rendering, which eats backslash
escapes and turns `<...>` into HTML). Errors carry the offset into the text, which the
caller turns into a column.
"""

from __future__ import annotations

import re

from ...ir import (
    ArrayType,
    LiteralType,
    MapType,
    Position,
    Primitive,
    PrimitiveType,
    RefType,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionType,
)
from .base import Cursor, Dialect, TypeSyntaxError, take_link, within_limit

# A qualified name `namespace.Title`: the namespace is whatever folder the SDK put the
# page in (`models`, `components`, `shared`, ...), so any identifier goes.
_QNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+")
# TypeScript's own (platform) types that the docs use for SDK runtime objects: uploads,
# byte streams, HTTP objects. They are the language's vocabulary, not the docs': never
# JSON data.
PLATFORM_TYPES = frozenset(
    {
        "File",
        "Blob",
        "Request",
        "Response",
        "ReadableStream<Uint8Array>",
        "Uint8Array",
        "ArrayBuffer",
    }
)
_WORD_PRIMITIVES = {
    "string": Primitive.STRING,
    "number": Primitive.NUMBER,
    "boolean": Primitive.BOOLEAN,
    "any": Primitive.ANY,
}


# --- Type cells
# --------------------------------------------------------------------------------


def parse_type_cell(text: str, base: Position) -> TypeExpr:
    """Parse a Fields-table Type cell. `base` is the position of the cell's first
    character."""
    cur = Cursor(text, base)
    members = [_postfix(cur)]
    while True:
        cur.skip_spaces()
        if not cur.take("\\|"):
            break
        cur.skip_spaces()
        members.append(_postfix(cur))
    if not cur.done():
        raise cur.fail(f"unexpected {text[cur.i :]!r} in type")
    if len(members) == 1:
        return members[0]
    return UnionType(tuple(members), cur.at(0))


def _postfix(cur: Cursor) -> TypeExpr:
    start = cur.i
    expr = _primary(cur)
    while cur.take("[]"):
        expr = ArrayType(expr, cur.at(start))
    return expr


def _primary(cur: Cursor) -> TypeExpr:
    start = cur.i
    if cur.take("Record"):
        if not cur.take_angle():
            raise cur.fail("expected '<' after Record")
        if not cur.take("string,"):
            raise cur.fail("only string keys are supported in Record<string, T>")
        cur.skip_spaces()
        value = _postfix(cur)
        if not cur.take(">"):
            raise cur.fail("expected '>' to close Record<...>")
        return MapType(value, cur.at(start))
    if cur.text.startswith("*", cur.i):
        return _emphasis(cur)
    if cur.text.startswith("[", cur.i):
        return _link(cur)
    found = cur.text[cur.i :] or "end of cell"
    raise cur.fail(
        f"expected a type (*name*, [name](link) or Record<...>), found {found!r}"
    )


def _emphasis(cur: Cursor) -> TypeExpr:
    start = cur.i
    cur.i += 1
    text = cur.text
    if text.startswith('"', cur.i):
        end = text.find('"*', cur.i + 1)
        if end < 0:
            raise cur.fail("unterminated string literal type", start)
        value = text[cur.i + 1 : end].replace("\\|", "|")
        cur.i = end + 2
        return LiteralType(value, cur.at(start))
    end = text.find("*", cur.i)
    if end < 0:
        raise cur.fail("unterminated '*' in type", start)
    word = text[cur.i : end]
    cur.i = end + 1
    pos = cur.at(start)
    if word in _WORD_PRIMITIVES:
        return PrimitiveType(_WORD_PRIMITIVES[word], pos)
    if word in ("true", "false"):
        return LiteralType(word == "true", pos)
    platform = word.replace("\\<", "<")
    if platform in PLATFORM_TYPES:
        return RuntimeType(platform, pos)
    if _QNAME.fullmatch(word):
        return RefType(word, pos, qname=word)
    raise TypeSyntaxError(f"unknown type {word!r}", start + 1)


def _link(cur: Cursor) -> TypeExpr:
    link = take_link(cur)
    label, target = link.label, link.target
    pos = cur.at(link.start)
    if label in ("Date", "RFCDate"):
        # The target decides: the SDK's own rfcdate page is a calendar date, MDN's Date
        # a date-time.
        is_date = label == "RFCDate" or "rfcdate" in target.lower()
        return PrimitiveType(Primitive.DATE if is_date else Primitive.DATETIME, pos)
    if link.external:
        # Documented outside the specs (MDN's File, Blob, Response): a platform object.
        return RuntimeType(label, pos)
    # A page of the specs, found by its target whatever the label says.
    return RefType(label, pos, target=target)


# --- Union member headings
# ---------------------------------------------------------------------


def parse_heading_type(text: str, base: Position) -> TypeExpr:
    """Parse a `### `T`` heading of `## Supported Types` (its own, TypeScript-like
    syntax)."""
    cur = Cursor(text, base)
    expr = _heading_postfix(cur)
    cur.skip_spaces()
    if not cur.done():
        raise cur.fail(f"unexpected {text[cur.i :]!r} in type")
    return expr


def _heading_postfix(cur: Cursor) -> TypeExpr:
    start = cur.i
    expr = _heading_primary(cur)
    while cur.take("[]"):
        expr = ArrayType(expr, cur.at(start))
    return expr


_MAP_OPEN = re.compile(r"\{\s*\[\s*[A-Za-z_]\w*\s*:\s*string\s*\]\s*:\s*")
_HEADING_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _heading_primary(cur: Cursor) -> TypeExpr:
    start = cur.i
    pos = cur.at(start)
    text = cur.text
    match = _MAP_OPEN.match(text, cur.i)
    if match:
        cur.i = match.end()
        value = _heading_postfix(cur)
        cur.skip_spaces()
        if not cur.take("}"):
            raise cur.fail("expected '}' to close the map type")
        return MapType(value, pos)
    if text.startswith('"', cur.i):
        end = text.find('"', cur.i + 1)
        if end < 0:
            raise cur.fail("unterminated string literal type")
        cur.i = end + 1
        return LiteralType(text[start + 1 : end], pos)
    if cur.take("("):
        expr = _heading_postfix(cur)
        if not cur.take(")"):
            raise cur.fail("expected ')'")
        return expr
    match = _HEADING_WORD.match(text, cur.i)
    if match is None:
        raise cur.fail(f"expected a type, found {text[cur.i :] or 'nothing'!r}")
    word = match.group()
    cur.i = match.end()
    if word == "ReadableStream" and cur.take("<Uint8Array>"):
        return RuntimeType("ReadableStream<Uint8Array>", pos)
    # `EventStream<T>`, `JsonLStream<T>`, ...: a stream of T, however the SDK names it.
    if (word == "Record" or word.endswith("Stream")) and cur.take_angle():
        if word == "Record":
            if not cur.take("string,"):
                raise cur.fail("only string keys are supported in Record<string, T>")
            cur.skip_spaces()
        item = _heading_postfix(cur)
        if not cur.take(">"):
            raise cur.fail(f"expected '>' to close {word}<...>")
        return MapType(item, pos) if word == "Record" else StreamType(item, pos, word)
    if word in _WORD_PRIMITIVES:
        return PrimitiveType(_WORD_PRIMITIVES[word], pos)
    if word in ("true", "false"):
        return LiteralType(word == "true", pos)
    if word == "Date":
        return PrimitiveType(Primitive.DATETIME, pos)
    if word == "RFCDate":
        return PrimitiveType(Primitive.DATE, pos)
    if word in PLATFORM_TYPES:
        return RuntimeType(word, pos)
    if _QNAME.fullmatch(word):
        return RefType(word, pos, qname=word)
    raise TypeSyntaxError(f"unknown type {word!r}", start)


# --- The dialect
# -------------------------------------------------------------------------------


class TypeScript(Dialect):
    """FORMAT.md's dialect: `*string*`, `*number*`, `Record<string, T>`, `T[]`,
    literals."""

    name = "typescript"
    fence_words = frozenset({"typescript", "ts"})
    platform = PLATFORM_TYPES
    literal_examples = True

    def parse_cell(self, text: str, base: Position) -> TypeExpr:
        return within_limit(text, lambda: parse_type_cell(text, base))

    def member(
        self, heading: str, heading_pos: Position, fence: list[tuple[str, Position]]
    ) -> tuple[str, TypeExpr]:
        return heading, within_limit(heading, lambda: parse_heading_type(heading, heading_pos))
