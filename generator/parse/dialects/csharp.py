"""The C# dialect (Speakeasy's C# SDKs).

```ebnf
cell  = "*" word "*" | "[" name "](" target ")" | "List<" cell ">"
      | "Dictionary<String, " cell ">" ;
bare  = word | name | "List<" bare ">" | "Dictionary<String, " bare ">" ;
word  = "string" | "long" | "int" | "bool" | "float" | "double" | "object" | "byte[]"
      | ... ;
name  = ident { "." ident } ;                  (* Accepts, Models.Components.Hub *)
```
No optional or nullable marker exists: the Required column is all there is. Union
members are named by their factory method (`### Str` for `Value.CreateStr(...)`): `Str`,
`Number` (a double: the sibling SDKs say float), `Integer`, `Boolean`, or a class name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...ir import (
    Position,
    Primitive,
    PrimitiveType,
    TypeExpr,
)
from .base import (
    CellGrammar,
    Cursor,
    Dialect,
    Wrapper,
    array,
    mapping,
    qualified,
    read_whole,
    word_type,
    wrapped,
)

_WORDS = {
    "string": Primitive.STRING,
    "bool": Primitive.BOOLEAN,
    "object": Primitive.ANY,
    "long": Primitive.INTEGER,
    "int": Primitive.INTEGER,
    "short": Primitive.INTEGER,
    "float": Primitive.FLOAT,
    "double": Primitive.FLOAT,
    "decimal": Primitive.FLOAT,
}
_PLATFORM = frozenset({"HttpResponseMessage", "byte[]", "Stream", "System.IO.Stream"})
_DATES = {
    "LocalDate": Primitive.DATE,
    "DateOnly": Primitive.DATE,
    "DateTime": Primitive.DATETIME,
    "DateTimeOffset": Primitive.DATETIME,
}
# Factory-method suffixes of union members (`Value.CreateStr(...)`).
_FACTORIES = {
    "Str": Primitive.STRING,
    "String": Primitive.STRING,
    "Number": Primitive.FLOAT,
    "Double": Primitive.FLOAT,
    "Integer": Primitive.INTEGER,
    "Long": Primitive.INTEGER,
    "Boolean": Primitive.BOOLEAN,
    "Bool": Primitive.BOOLEAN,
    "Any": Primitive.ANY,
    "Object": Primitive.ANY,
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\[\])?")


_WRAPPERS = (
    Wrapper(("List<",), ">", array),
    Wrapper(("Dictionary<String, ", "Dictionary<string, "), ">", mapping),
)


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    return wrapped(cur, inner, _WRAPPERS)


def bare(cur: Cursor) -> TypeExpr:
    """A type as C# writes it in code (link labels)."""
    found = _container(cur, bare)
    if found is not None:
        return found
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(f"expected a C# type, found {cur.text[start:] or 'nothing'!r}")
    pos = cur.at(start)
    known = word_type(word, pos, _WORDS, _PLATFORM)
    if known is not None:
        return known
    if word.endswith("[]"):
        raise cur.fail(f"unknown type {word!r}", start)
    return qualified(word, pos)


def _word(cur: Cursor) -> TypeExpr:
    """A word of the language (inside emphasis): no class names there."""
    start = cur.i
    word = cur.word(_NAME)
    known = word_type(word or "", cur.at(start), _WORDS, _PLATFORM)
    if known is not None:
        return known
    raise cur.fail(f"unknown type {word or cur.text[start:]!r}", start)


_GRAMMAR = CellGrammar(
    word=_word,
    bare=bare,
    container=_container,
    dates=_DATES,
    expected="a C# type (*string*, [Name](link), List<...> or Dictionary<String, ...>)",
)


class CSharpDialect(Dialect):
    name = "csharp"
    grammar = _GRAMMAR
    fence_words = frozenset({"csharp", "cs", "c#"})
    platform = _PLATFORM
    dates = _DATES
    backtick_headings = False

    def member(
        self, heading: str, heading_pos: Position, fence: list[tuple[str, Position]]
    ) -> tuple[str, TypeExpr]:
        name = heading.strip("`")
        if name in _FACTORIES:
            return heading, PrimitiveType(_FACTORIES[name], heading_pos)
        return heading, read_whole(name, heading_pos, bare)
