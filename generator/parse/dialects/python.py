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
_WRAPPERS = (
    Wrapper(("List[",), "]", array),
    Wrapper(("Dict[str, ",), "]", mapping),
    Wrapper(("OptionalNullable[",), "]", nullable),
    Wrapper(("Nullable[",), "]", nullable),
    Wrapper(("Optional[",), "]", optional),
)


def _container(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    """`List[T]`, `Dict[str, T]` or a wrapper around T; None when none starts here."""
    return wrapped(cur, inner, _WRAPPERS)


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
    known = word_type(word, pos, _WORDS, _PLATFORM)
    if known is not None:
        return known
    if "." in word:
        return qualified(word, pos)
    raise cur.fail(f"unknown type {word!r}", start)


_GRAMMAR = CellGrammar(
    word=bare,
    bare=bare,
    container=_container,
    dates=_DATES,
    expected="a type (*name*, [name](link), List[...] or Dict[...])",
)


class PythonDialect(Dialect):
    name = "python"
    grammar = _GRAMMAR
    fence_words = frozenset({"python", "py"})
    platform = _PLATFORM
    dates = _DATES
    dates_by_example = True
