"""The Go dialect (Speakeasy's Go SDKs), in both of its spellings: emphasis
(`**string*`, plex-go) and code spans (`` `*string` ``, openrouter-go).

```ebnf
cell  = "[]" cell | "map[string]" cell | "optionalnullable.OptionalNullable[" cell "]"
      | "*" ["*"] word "*" | "`" ["*"] word "`" | "[" bare "](" target ")" ;
bare  = "[]" bare | "map[string]" bare | "*" bare | "stream.EventStream[" bare "]"
      | "optionalnullable.OptionalNullable[" bare "]" | word | qname ;
word  = "string" | "bool" | "any" | "int" | "int64" | "float32" | "float64" | ...
      | "time.Time" | "types.Date" | "io.ReadCloser" ;
```
A pointer (`*T`) on an optional row only repeats the Required column; on a required row
it says null is allowed. `optionalnullable.OptionalNullable[T]` is optional and
nullable. Union members are read from their fences
(`x := components.CreateXY(components.Y{...})`), the headings being empty for unnamed
types.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from ...ir import (
    ArrayType,
    MapType,
    NullableType,
    Position,
    Primitive,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnknownType,
)
from .base import (
    Cursor,
    Dialect,
    EnumUsage,
    TypeSyntaxError,
    emphasis,
    external,
    link_type,
    parse_label,
    qualified,
    take_link,
    within_limit,
    word_type,
)

_WORDS = {
    "string": Primitive.STRING,
    "bool": Primitive.BOOLEAN,
    "any": Primitive.ANY,
    "interface{}": Primitive.ANY,
    "time.Time": Primitive.DATETIME,
    "types.Date": Primitive.DATE,
}
_WORDS.update(
    {
        word: Primitive.INTEGER
        for word in (
            "int",
            "int8",
            "int16",
            "int32",
            "int64",
            "uint",
            "uint8",
            "uint16",
            "uint32",
            "uint64",
        )
    }
)
_WORDS.update({"float32": Primitive.FLOAT, "float64": Primitive.FLOAT})
_PLATFORM = frozenset({"*http.Response", "http.Response", "io.ReadCloser", "io.Reader"})
_DATES = {
    "time.Time": Primitive.DATETIME,
    "*time.Time": Primitive.DATETIME,
    "types.Date": Primitive.DATE,
    "*types.Date": Primitive.DATE,
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:\{\})?")
_NULLABLE = "optionalnullable.OptionalNullable["
_STREAM = re.compile(r"(?:[A-Za-z_]\w*\.)?(\w*Stream)\[")
_CREATE = re.compile(r"\b[A-Za-z_]\w*\.Create\w*\(")
_USAGE_VALUE = re.compile(
    r"^\s*value\s*:=\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*$", re.M
)
_USAGE_CUSTOM = re.compile(r"^\s*custom\s*:=\s*[\w.]+\((.*)\)\s*$", re.M)


def _word(cur: Cursor) -> TypeExpr:
    start = cur.i
    word = cur.word(_NAME)
    if word is None:
        raise cur.fail(f"expected a Go type, found {cur.text[start:] or 'nothing'!r}")
    pos = cur.at(start)
    known = word_type(word, pos, _WORDS, _PLATFORM)
    if known is not None:
        return known
    if "." in word:
        return qualified(word, pos)
    raise cur.fail(f"unknown type {word!r}", start)


def _wrapped(cur: Cursor, inner: Callable[[Cursor], TypeExpr]) -> TypeExpr | None:
    """Slices, maps and `OptionalNullable[...]` around T; None when none starts here."""
    pos = cur.at(cur.i)
    if cur.take("[]"):
        return ArrayType(inner(cur), pos)
    if cur.take("map[string]"):
        return MapType(inner(cur), pos)
    if cur.take(_NULLABLE):
        item = inner(cur)
        cur.expect("]", "to close OptionalNullable[...]")
        return NullableType(item, pos)
    return None


def bare(cur: Cursor) -> TypeExpr:
    """A type as Go writes it in code: link labels, fences."""
    found = _wrapped(cur, bare)
    if found is not None:
        return found
    pos = cur.at(cur.i)
    if cur.take("*"):  # a pointer: what it means depends on the row
        return bare(cur)
    stream = _STREAM.match(cur.text, cur.i)
    if stream:
        cur.i = stream.end()
        item = bare(cur)
        cur.expect("]", f"to close {stream.group(1)}[...]")
        return StreamType(item, pos, stream.group(1))
    return _word(cur)


def _pointed(cur: Cursor) -> TypeExpr:
    """A word inside emphasis or a code span, maybe pointed to (`*string`)."""
    cur.take("*")
    return _word(cur)


def _cell(cur: Cursor) -> TypeExpr:
    found = _wrapped(cur, _cell)
    if found is not None:
        return found
    for mark in ("*", "`"):
        if cur.peek(mark):
            return emphasis(cur, _pointed, mark)
    if cur.peek("["):
        link = take_link(cur)
        pos = cur.at(link.start)
        if link.external:
            return external(link.label, pos, _DATES)
        return link_type(parse_label(cur, link, bare), link, pos)
    rest = cur.text[cur.i :] or "end of cell"
    raise cur.fail(
        f"expected a Go type (*string*, `string`, [name](link), []T or "
        f"map[string]T), found {rest!r}"
    )


def _points(text: str) -> bool:
    """Whether a cell's outermost type is a pointer (`**string*`, `` `*string` ``,
    `[*X](...)`)."""
    return text.startswith(("**", "`*", "[*"))


class GoDialect(Dialect):
    name = "go"
    fence_words = frozenset({"go", "golang"})
    platform = _PLATFORM
    dates = _DATES
    backtick_headings = False

    def read_cell(self, cur: Cursor) -> TypeExpr:
        return _cell(cur)

    def field_type(self, expr: TypeExpr, text: str, required: bool) -> TypeExpr:
        if (
            required
            and _points(text)
            and not isinstance(expr, (RuntimeType, NullableType))
        ):
            return NullableType(expr, expr.pos)
        return expr

    def member(
        self, heading: str, heading_pos: Position, fence: list[tuple[str, Position]]
    ) -> tuple[str, TypeExpr]:
        for line, pos in fence:
            call = _CREATE.search(line)
            if call is None:
                continue
            cur = Cursor(line, pos)
            cur.i = call.end()
            start = cur.i
            try:
                expr = within_limit(line, partial(bare, cur))
            except TypeSyntaxError as exc:
                return heading, UnknownType(line[start:], str(exc), cur.at(exc.offset))
            if not cur.peek("{"):
                return heading, UnknownType(
                    line[start:], "expected '{' after the member type", cur.at(cur.i)
                )
            return line[start : cur.i], expr
        return heading, UnknownType(
            heading,
            "no `x := ns.CreateX(T{...})` fence gives this member's type",
            heading_pos,
        )

    def usage_markers(self, code: str, title: str) -> EnumUsage | None:
        value = _USAGE_VALUE.search(code)
        custom = _USAGE_CUSTOM.search(code)
        numeric = None
        if custom is not None:
            numeric = not custom.group(1).strip().startswith(('"', "`"))
        return EnumUsage(value.group(1) if value else None, custom is not None, numeric)
