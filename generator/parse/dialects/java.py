"""The Java dialect (Speakeasy's Java SDKs). `<` is escaped in the pages (`\\<`, once
seen as `\\\\<`); a plain `<` is read too.

```ebnf
cell  = "*" inner "*" | "[" label "](" target ")" | "List<" cell ">"
      | "Map<String, " cell ">" | wrap "<" cell ">" ;
inner = word | wrap "<" word ">" ;
label = ident | wrap "<" ident ">" ;
wrap  = "Optional" | "JsonNullable" ;
word  = "String" | "int" | "long" | "Long" | "double" | "Double" | "float" | "Float"
      | "boolean" | "Boolean" | "Object" | "byte[]" | ... ;
```
`Optional<T>` only repeats the Required column; `JsonNullable<T>` says null is allowed.
Union pages give a title and nothing else: their members are unknown.
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
    "String": Primitive.STRING,
    "boolean": Primitive.BOOLEAN,
    "Boolean": Primitive.BOOLEAN,
    "Object": Primitive.ANY,
}
_WORDS.update(
    {
        word: Primitive.INTEGER
        for word in ("int", "Integer", "long", "Long", "short", "Short", "BigInteger")
    }
)
_WORDS.update(
    {
        word: Primitive.FLOAT
        for word in ("double", "Double", "float", "Float", "BigDecimal")
    }
)
_PLATFORM = frozenset({"HttpResponse<InputStream>", "byte[]", "InputStream"})
_DATES = {"OffsetDateTime": Primitive.DATETIME, "LocalDate": Primitive.DATE}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\[\])?")
_ESCAPED_ANGLE = re.compile(r"\\+<")


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    pos = cur.at(cur.i)
    for name in ("List", "Optional", "JsonNullable", "Map"):
        mark = cur.i
        if cur.take(name) and cur.take_angle():
            if name == "Map":
                cur.expect("String, ", "(maps have string keys)")
            item = inner(cur)
            cur.expect(">", f"to close {name}<...>")
            if name == "List":
                return ArrayType(item, pos)
            if name == "Map":
                return MapType(item, pos)
            return NullableType(item, pos) if name == "JsonNullable" else item
        cur.i = mark
    return None


def _word(cur: Cursor, names: bool) -> TypeExpr:
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(f"expected a Java type, found {cur.text[start:] or 'nothing'!r}")
    pos = cur.at(start)
    if word in _WORDS:
        return PrimitiveType(_WORDS[word], pos)
    if word in _PLATFORM:
        return RuntimeType(word, pos)
    if names and not word.endswith("[]"):
        return qualified(word, pos)
    raise cur.fail(f"unknown type {word!r}", start)


def bare(cur: Cursor) -> TypeExpr:
    """A type as Java writes it in code (link labels)."""
    found = _container(cur, bare)
    return found if found is not None else _word(cur, names=True)


def _inner(cur: Cursor) -> TypeExpr:
    found = _container(cur, _inner)
    return found if found is not None else _word(cur, names=False)


def _cell(cur: Cursor) -> TypeExpr:
    if cur.peek("*"):
        return emphasis(cur, _inner)
    if cur.peek("["):
        link = take_link(cur)
        pos = cur.at(link.start)
        if link.external:
            return external(_ESCAPED_ANGLE.sub("<", link.label), pos, _DATES)
        return link_type(parse_label(cur, link, bare), link, pos)
    found = _container(cur, _cell)
    if found is None:
        rest = cur.text[cur.i :] or "end of cell"
        raise cur.fail(
            f"expected a Java type (*String*, [Name](link), List<...> or "
            f"Map<String, ...>), found {rest!r}"
        )
    return found


class JavaDialect(Dialect):
    name = "java"
    fence_words = frozenset({"java"})
    platform = _PLATFORM
    dates = _DATES
    title_only_union = True

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
