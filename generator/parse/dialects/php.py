"""The PHP dialect (Speakeasy's PHP SDKs). `\\` is PHP's namespace separator here, not a
markdown escape (except in `\\|`).

```ebnf
cell  = "*" ["?"] word "*" | "[" label "](" target ")" | "array<" cell ">"
      | "array<string, " cell ">" ;
label = ["?"] bare { "\\|" bare } ;                   (* X\\|bool\\|null: a union *)
bare  = word | name | "array<" bare ">" | "array<string, " bare ">" ;
word  = "string" | "int" | "float" | "bool" | "mixed" ;
name  = ["\\"] ident { "\\" ident } ;                   (* Operations\\Context *)
```
`?T` marks optional rows and `|null` is its other spelling: neither adds a fact. The
date label `\\DateTime` is used for dates and date-times alike: the Example cell
decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...ir import (
    ArrayType,
    MapType,
    Position,
    Primitive,
    PrimitiveType,
    RuntimeType,
    TypeExpr,
    UnionType,
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
    "string": Primitive.STRING,
    "int": Primitive.INTEGER,
    "float": Primitive.FLOAT,
    "bool": Primitive.BOOLEAN,
    "mixed": Primitive.ANY,
}
_PLATFORM = frozenset(
    {"\\Psr\\Http\\Message\\ResponseInterface", "\\Psr\\Http\\Message\\StreamInterface"}
)
_DATES = {
    "\\DateTime": Primitive.DATETIME,
    "\\DateTimeInterface": Primitive.DATETIME,
    "\\Brick\\DateTime\\LocalDate": Primitive.DATE,
}
_NAME = re.compile(r"\\?[A-Za-z_][A-Za-z0-9_]*(?:\\[A-Za-z_][A-Za-z0-9_]*)*")


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    pos = cur.at(cur.i)
    if cur.take("array<string, "):
        value = inner(cur)
        cur.expect(">", "to close array<string, ...>")
        return MapType(value, pos)
    if cur.take("array<"):
        item = inner(cur)
        cur.expect(">", "to close array<...>")
        return ArrayType(item, pos)
    return None


def _one(cur: Cursor) -> TypeExpr | None:
    """One member of a label; None for `null`."""
    found = _container(cur, bare)
    if found is not None:
        return found
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(f"expected a PHP type, found {cur.text[start:] or 'nothing'!r}")
    pos = cur.at(start)
    if word == "null":
        return None
    if word in _WORDS:
        return PrimitiveType(_WORDS[word], pos)
    if word in _PLATFORM:
        return RuntimeType(word, pos)
    if "\\" in word:
        return qualified(word, pos, "\\")
    raise cur.fail(f"unknown type {word!r}", start)


def bare(cur: Cursor) -> TypeExpr:
    """A type as PHP writes it in code: link labels and union headings, where `A\\|B` is
    a union and `?T`, `|null` say nothing the Required column does not."""
    start = cur.i
    pos = cur.at(start)
    cur.take("?")
    members = [_one(cur)]
    while cur.take("\\|") or cur.take("|"):
        members.append(_one(cur))
    kept = [m for m in members if m is not None]
    if not kept:
        raise cur.fail("a type that is only null", start)
    return kept[0] if len(kept) == 1 else UnionType(tuple(kept), pos)


def _word(cur: Cursor) -> TypeExpr:
    """A word of the language, maybe marked optional (`?int`), inside emphasis."""
    cur.take("?")
    start = cur.i
    word = cur.word(_NAME)
    if word is None or word not in _WORDS:
        raise cur.fail(f"unknown type {word or cur.text[start:]!r}", start)
    return PrimitiveType(_WORDS[word], cur.at(start))


def _cell(cur: Cursor) -> TypeExpr:
    if cur.peek("*"):
        return emphasis(cur, _word)
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
            f"expected a PHP type (*string*, [Name](link) or array<...>), "
            f"found {rest!r}"
        )
    return found


class PhpDialect(Dialect):
    name = "php"
    fence_words = frozenset({"php"})
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
