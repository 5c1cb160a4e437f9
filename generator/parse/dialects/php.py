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
    Primitive,
    PrimitiveType,
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
    qualified,
    word_type,
    wrapped,
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


_WRAPPERS = (
    Wrapper(("array<string, ",), ">", mapping),
    Wrapper(("array<",), ">", array),
)


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    return wrapped(cur, inner, _WRAPPERS)


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
    known = word_type(word, pos, _WORDS, _PLATFORM)
    if known is not None:
        return known
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


_GRAMMAR = CellGrammar(
    word=_word,
    bare=bare,
    container=_container,
    dates=_DATES,
    expected="a PHP type (*string*, [Name](link) or array<...>)",
)


class PhpDialect(Dialect):
    name = "php"
    grammar = _GRAMMAR
    fence_words = frozenset({"php"})
    platform = _PLATFORM
    dates = _DATES
    dates_by_example = True
