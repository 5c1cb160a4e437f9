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
    Primitive,
    TypeExpr,
)
from .base import (
    CellGrammar,
    Cursor,
    Dialect,
    Wrapper,
    array,
    mapping,
    nullable,
    optional,
    qualified,
    word_type,
    wrapped,
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


def _angled(name: str) -> tuple[str, ...]:
    """`Name<` in every spelling of `<` (`\\<` in MDX, `\\\\<` seen in Java docs)."""
    return tuple(name.replace("<", angle) for angle in ("\\\\<", "\\<", "<"))


_WRAPPERS = (
    Wrapper(_angled("List<"), ">", array),
    Wrapper(_angled("Optional<"), ">", optional),
    Wrapper(_angled("JsonNullable<"), ">", nullable),
    Wrapper(_angled("Map<"), ">", mapping, keys="String, "),
)


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    return wrapped(cur, inner, _WRAPPERS)


def _word(cur: Cursor, names: bool) -> TypeExpr:
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(f"expected a Java type, found {cur.text[start:] or 'nothing'!r}")
    pos = cur.at(start)
    known = word_type(word, pos, _WORDS, _PLATFORM)
    if known is not None:
        return known
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


_GRAMMAR = CellGrammar(
    word=_inner,
    bare=bare,
    container=_container,
    dates=_DATES,
    expected="a Java type (*String*, [Name](link), List<...> or Map<String, ...>)",
    web_label=lambda label: _ESCAPED_ANGLE.sub("<", label),
)


class JavaDialect(Dialect):
    name = "java"
    grammar = _GRAMMAR
    fence_words = frozenset({"java"})
    platform = _PLATFORM
    dates = _DATES
    title_only_union = True
