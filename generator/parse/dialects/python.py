"""The Python dialect (Speakeasy's Python SDKs).

```ebnf
cell    = emph | link | "List[" cell "]" | "Dict[str, " cell "]" | wrap "[" cell "]" ;
emph    = "*" bare "*" ;
link    = "[" bare "](" target ")" ;               (* a page: qname, maybe wrapped *)
bare    = word | qname | wrap "[" bare "]" | "List[" bare "]" | "Dict[str, " bare "]" ;
wrap    = "Optional" | "Nullable" | "OptionalNullable" ;
word    = "str" | "int" | "float" | "bool" | "Any" | "date" | "datetime"
        | "httpx.Response" ;
```
`Optional[T]` only repeats the Required column; `Nullable[T]` (on required rows) and
`OptionalNullable[T]` say that null is allowed. The `date`/`datetime` labels are not
reliable (some SDKs swap them): the Example cell decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...ir import (
    ArrayType,
    MapType,
    NullableType,
    Position,
    Primitive,
    PrimitiveType,
    RuntimeType,
    TypeExpr,
)
from .base import (
    Cursor,
    Dialect,
    emphasis,
    external,
    link_type,
    parse_label,
    qualified,
    take_link,
)

_WORDS = {
    "str": Primitive.STRING,
    "int": Primitive.INTEGER,
    "float": Primitive.FLOAT,
    "bool": Primitive.BOOLEAN,
    "Any": Primitive.ANY,
    "date": Primitive.DATE,
    "datetime": Primitive.DATETIME,
}
_PLATFORM = frozenset({"httpx.Response"})
_DATES = {"date": Primitive.DATE, "datetime": Primitive.DATETIME}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
# Longest first: `OptionalNullable[` before `Optional[`.
_WRAPPERS = ("OptionalNullable[", "Nullable[", "Optional[")


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    """`List[T]`, `Dict[str, T]` or a wrapper around T; None when none starts here."""
    pos = cur.at(cur.i)
    if cur.take("List["):
        item = inner(cur)
        cur.expect("]", "to close List[...]")
        return ArrayType(item, pos)
    if cur.take("Dict[str, "):
        value = inner(cur)
        cur.expect("]", "to close Dict[str, ...]")
        return MapType(value, pos)
    for wrapper in _WRAPPERS:
        if cur.take(wrapper):
            item = inner(cur)
            cur.expect("]", f"to close {wrapper}...]")
            return NullableType(item, pos) if "Nullable" in wrapper else item
    return None


def bare(cur: Cursor) -> TypeExpr:
    """A type as Python writes it, without markdown (link labels, union headings)."""
    found = _container(cur, bare)
    if found is not None:
        return found
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(
            f"expected a Python type, found {cur.text[start:] or 'nothing'!r}"
        )
    pos = cur.at(start)
    if word in _WORDS:
        return PrimitiveType(_WORDS[word], pos)
    if word in _PLATFORM:
        return RuntimeType(word, pos)
    if "." in word:
        return qualified(word, pos)
    raise cur.fail(f"unknown type {word!r}", start)


def _cell(cur: Cursor) -> TypeExpr:
    if cur.peek("*"):
        return emphasis(cur, bare)
    if cur.peek("["):
        link = take_link(cur)
        pos = cur.at(link.start)
        if link.external:
            return external(link.label, pos, _DATES)
        return link_type(parse_label(cur, link, bare), link, pos)
    found = _container(cur, _cell)
    if found is None:
        rest = cur.text[cur.i :] or "end of cell"
        raise cur.fail(
            f"expected a type (*name*, [name](link), List[...] or Dict[...]), "
            f"found {rest!r}"
        )
    return found


class PythonDialect(Dialect):
    name = "python"
    fence_words = frozenset({"python", "py"})
    platform = _PLATFORM
    dates = _DATES
    dates_by_example = True

    def parse_cell(self, text: str, base: Position) -> TypeExpr:
        cur = Cursor(text, base)
        expr = _cell(cur)
        cur.finish()
        return expr

    def member(
        self, heading: str, heading_pos: Position, fence: list[tuple[str, Position]]
    ) -> tuple[str, TypeExpr]:
        cur = Cursor(heading, heading_pos)
        expr = bare(cur)
        cur.finish()
        return heading, expr
