"""The Ruby dialect (Speakeasy's Ruby SDKs, Sorbet types).

```ebnf
cell  = "*" inner "*" | "[" bare "](" target ")" | "T::Array<" cell ">"
      | "T::Hash[Symbol, " cell "]" | "T.nilable(" cell ")" ;
inner = word | "T.nilable(" inner ")" ;
bare  = word | name | "T.nilable(" bare ")" | "T.any(" bare { ", " bare } ")"
      | "T::Array<" bare ">" | "T::Hash[Symbol, " bare "]" ;
word  = "::String" | "::Integer" | "::Float" | "T::Boolean" | "::Object" ;
name  = ident { "::" ident } ;                        (* Models::Operations::Context *)
```
`T.nilable(T)` marks optional rows: it adds nothing. `T.any(A, B)` is a union, the only
place where the members of a union appear (union pages give a title and nothing else).
The `Date` and `DateTime` labels are used interchangeably: the Example cell decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ...ir import (
    Primitive,
    RefType,
    TypeExpr,
    UnionType,
)
from .base import (
    CellGrammar,
    Cursor,
    Dialect,
    Wrapper,
    array,
    mapping,
    optional,
    word_type,
    wrapped,
)

_WORDS = {
    "::String": Primitive.STRING,
    "::Integer": Primitive.INTEGER,
    "::Float": Primitive.FLOAT,
    "T::Boolean": Primitive.BOOLEAN,
    "::Object": Primitive.ANY,
    "T.untyped": Primitive.ANY,
}
_PLATFORM = frozenset({"Faraday::Response"})
_DATES = {"Date": Primitive.DATE, "DateTime": Primitive.DATETIME}
_NAME = re.compile(r"(?:::)?[A-Za-z_][A-Za-z0-9_]*(?:(?:::|\.)[A-Za-z_][A-Za-z0-9_]*)*")


_WRAPPERS = (
    Wrapper(("T::Array<", "T::Array\\<"), ">", array),
    Wrapper(("T::Hash[Symbol, ", "T::Hash[String, "), "]", mapping),
    Wrapper(("T.nilable(",), ")", optional),
)


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    pos = cur.at(cur.i)
    found = wrapped(cur, inner, _WRAPPERS)
    if found is not None or not cur.take("T.any("):
        return found
    members = [inner(cur)]
    while cur.take(", ") or cur.take(","):
        members.append(inner(cur))
    cur.expect(")", "to close T.any(...)")
    return members[0] if len(members) == 1 else UnionType(tuple(members), pos)


def _word(cur: Cursor, names: bool) -> TypeExpr:
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(f"expected a Ruby type, found {cur.text[start:] or 'nothing'!r}")
    pos = cur.at(start)
    known = word_type(word, pos, _WORDS, _PLATFORM)
    if known is not None:
        return known
    if names and "::" in word.strip(":"):
        parts = word.strip(":").split("::")
        # `Models::Operations::Context` is the page `Context` in the `operations`
        # folder.
        if len(parts) > 2 and parts[0] == "Models":
            parts = parts[1:]
        return RefType(word, pos, qname=".".join(parts))
    raise cur.fail(f"unknown type {word!r}", start)


def bare(cur: Cursor) -> TypeExpr:
    """A type as Ruby writes it in code (link labels)."""
    found = _container(cur, bare)
    return found if found is not None else _word(cur, names=True)


def _inner(cur: Cursor) -> TypeExpr:
    found = _container(cur, _inner)
    return found if found is not None else _word(cur, names=False)


_GRAMMAR = CellGrammar(
    word=_inner,
    bare=bare,
    container=_container,
    dates=_DATES,
    expected="a Ruby type (*::String*, [Name](link), T::Array<...> or T::Hash[...])",
)


class RubyDialect(Dialect):
    name = "ruby"
    grammar = _GRAMMAR
    fence_words = frozenset({"ruby", "rb"})
    platform = _PLATFORM
    dates = _DATES
    dates_by_example = True
    title_only_union = True
