"""What every dialect shares: the scanning cursor, syntax errors with offsets, links,
dates.

A dialect is one SDK language's way of writing the same model pages (see `Dialect`). The
grammars read raw cell text (markdown-it would eat backslash escapes and read `<T>` as
HTML); a `TypeSyntaxError` carries the offset into that text, which the page reader
turns into a column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import ClassVar

from ...ir import (
    NESTING_LIMIT,
    ArrayType,
    MapType,
    NullableType,
    Position,
    Primitive,
    PrimitiveType,
    RefType,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionType,
    type_depth,
)
from ...records import frozen

ABSOLUTE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TypeSyntaxError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class Cursor:
    """Scanning state over one cell or heading: text, offset, and positions."""

    def __init__(self, text: str, base: Position) -> None:
        self.text = text
        self.i = 0
        self.base = base

    def at(self, offset: int) -> Position:
        return Position(self.base.path, self.base.line, self.base.col + offset)

    def fail(self, message: str, offset: int | None = None) -> TypeSyntaxError:
        return TypeSyntaxError(message, self.i if offset is None else offset)

    def take(self, token: str) -> bool:
        if self.text.startswith(token, self.i):
            self.i += len(token)
            return True
        return False

    def take_angle(self) -> bool:
        """`<`, also in its escaped spellings `\\<` (MDX, Java) and `\\\\<` (seen in
        Java)."""
        return self.take("\\\\<") or self.take("\\<") or self.take("<")

    def expect(self, token: str, what: str) -> None:
        if not self.take(token):
            found = self.text[self.i :] or "end of text"
            raise self.fail(f"expected {token!r} {what}, found {found!r}")

    def skip_spaces(self) -> None:
        while self.i < len(self.text) and self.text[self.i] == " ":
            self.i += 1

    def peek(self, token: str) -> bool:
        return self.text.startswith(token, self.i)

    def done(self) -> bool:
        return self.i >= len(self.text)

    def finish(self) -> None:
        if not self.done():
            raise self.fail(f"unexpected {self.text[self.i :]!r} in type")

    def word(self, pattern: re.Pattern[str]) -> str | None:
        match = pattern.match(self.text, self.i)
        if match is None:
            return None
        self.i = match.end()
        return match.group()


@frozen
class Link:
    """`[label](target)` in a cell; `start` is the offset of `[`, `label_at` of the
    label."""

    label: str
    target: str
    start: int
    label_at: int

    @property
    def external(self) -> bool:
        """Documented outside the specs (an absolute URL): a platform type or a date."""
        return bool(ABSOLUTE_URL.match(self.target))


def take_link(cur: Cursor) -> Link:
    """A link whose label may hold brackets (`[Optional[components.X]](...)`)."""
    start = cur.i
    depth = 0
    i = start
    while i < len(cur.text):
        char = cur.text[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                break
        i += 1
    if depth != 0 or not cur.text.startswith("](", i):
        raise cur.fail("malformed link in type: expected [name](target)")
    end = cur.text.find(")", i + 2)
    target = cur.text[i + 2 : end]
    if end < 0 or " " in target:
        raise cur.fail("malformed link in type: expected [name](target)")
    cur.i = end + 1
    if not target:
        raise TypeSyntaxError(f"link {cur.text[start + 1 : i]!r} has no target", start)
    return Link(cur.text[start + 1 : i], target, start, start + 1)


def emphasis(
    cur: Cursor, inner: Callable[[Cursor], TypeExpr], mark: str = "*"
) -> TypeExpr:
    """`*T*` (or `` `T` ``): T as `inner` reads it, positioned at the opening mark."""
    start = cur.i
    cur.i += len(mark)
    expr = inner(cur)
    cur.expect(
        mark, "to close the emphasis" if mark == "*" else "to close the code span"
    )
    return replace(expr, pos=cur.at(start))


def walk(expr: TypeExpr) -> Iterator[TypeExpr]:
    """`expr` and every type inside it."""
    yield expr
    if isinstance(expr, (ArrayType, StreamType, NullableType)):
        yield from walk(expr.item)
    elif isinstance(expr, MapType):
        yield from walk(expr.value)
    elif isinstance(expr, UnionType):
        for member in expr.members:
            yield from walk(member)


@frozen
class Wrapper:
    """A container or wrapper type of a dialect: `List[`...`]`, `Map<String, `...`>`."""

    opens: tuple[str, ...]  # any of these opens it (escaped spellings included)
    closes: str
    makes: Callable[[TypeExpr, Position], TypeExpr]  # the type it makes of its item
    keys: str = ""  # what must follow the opening: a map's key type (`String, `)


def array(item: TypeExpr, pos: Position) -> TypeExpr:
    return ArrayType(item, pos)


def mapping(item: TypeExpr, pos: Position) -> TypeExpr:
    return MapType(item, pos)


def nullable(item: TypeExpr, pos: Position) -> TypeExpr:
    return NullableType(item, pos)


def optional(item: TypeExpr, pos: Position) -> TypeExpr:
    """A wrapper that only repeats the Required column (`Optional[T]`)."""
    return item


def wrapped(
    cur: Cursor, inner: Callable[[Cursor], TypeExpr], wrappers: tuple[Wrapper, ...]
) -> TypeExpr | None:
    """The first of `wrappers` that opens here, around a type read by `inner`; None when
    none does (nothing is consumed then)."""
    pos = cur.at(cur.i)
    for wrapper in wrappers:
        if any(cur.take(opening) for opening in wrapper.opens):
            if wrapper.keys:
                cur.expect(wrapper.keys, "(maps have string keys)")
            item = inner(cur)
            cur.expect(wrapper.closes, f"to close {wrapper.opens[0]}...{wrapper.closes}")
            return wrapper.makes(item, pos)
    return None


def word_type(
    word: str, pos: Position, words: dict[str, Primitive], platform: frozenset[str]
) -> TypeExpr | None:
    """A word of the language: a primitive, a platform (runtime) type, or None."""
    if word in words:
        return PrimitiveType(words[word], pos)
    if word in platform:
        return RuntimeType(word, pos)
    return None


Container = Callable[[Cursor, Callable[[Cursor], TypeExpr]], "TypeExpr | None"]


def read_whole(text: str, base: Position, read: Callable[[Cursor], TypeExpr]) -> TypeExpr:
    """`read` over all of `text` (a cell or a heading): a syntax error where text is left."""

    def whole() -> TypeExpr:
        cur = Cursor(text, base)
        expr = read(cur)
        cur.finish()
        return expr

    return within_limit(text, whole)


def within_limit(text: str, read: Callable[[], TypeExpr]) -> TypeExpr:
    """The type `read` makes of `text`; a syntax error where it nests deeper than
    NESTING_LIMIT, looked for before reading too (the grammars read nested types by
    recursion)."""
    too_deep = f"a type nested more than {NESTING_LIMIT} deep"
    depth = 0
    for offset, char in enumerate(text):
        if char in "[<(":
            depth += 1
        elif char in "]>)":
            depth -= 1
        if depth > NESTING_LIMIT:
            raise TypeSyntaxError(too_deep, offset)
    try:
        expr = read()
    except RecursionError:  # brackets that close at once (Go's `[][]...T`) nest too
        raise TypeSyntaxError(too_deep, 0) from None
    if type_depth(expr) > NESTING_LIMIT:
        raise TypeSyntaxError(too_deep, 0)
    return expr


def markdown_cell(
    cur: Cursor,
    grammar: CellGrammar,
) -> TypeExpr:
    """A Type cell as the typed dialects write it: `*word*`, a link (to the web: a date or a
    platform object by its label; to a page: the page, its label read as a bare type), or a
    container (`List[...]`, `array<...>`) of cells."""
    if cur.peek("*"):
        return emphasis(cur, grammar.word)
    if cur.peek("["):
        link = take_link(cur)
        pos = cur.at(link.start)
        if link.external:
            return external(grammar.web_label(link.label), pos, grammar.dates)
        return link_type(parse_label(cur, link, grammar.bare), link, pos)
    found = grammar.container(cur, lambda inner: markdown_cell(inner, grammar))
    if found is None:
        rest = cur.text[cur.i :] or "end of cell"
        raise cur.fail(f"expected {grammar.expected}, found {rest!r}")
    return found


@frozen
class CellGrammar:
    """What a typed dialect's Type cells are made of (see `markdown_cell`)."""

    word: Callable[[Cursor], TypeExpr]  # inside emphasis
    bare: Callable[[Cursor], TypeExpr]  # a link label, a union heading
    container: Container
    dates: dict[str, Primitive]
    expected: str  # the cell's forms, for the syntax error
    web_label: Callable[[str], str] = lambda label: label  # a web link's label, unescaped


class Dialect:
    """One SDK language's page syntax. Subclasses fill the class attributes and override
    the grammar methods; one instance of each serves every page."""

    name: ClassVar[str]
    # Fence info strings that only this dialect writes (```python, ```go): detection
    # evidence.
    fence_words: ClassVar[frozenset[str]] = frozenset()
    # Names of the platform (runtime) types the dialect links to or names (detection: a
    # cell naming another language's platform type is not this dialect's).
    platform: ClassVar[frozenset[str]] = frozenset()
    # Date link labels: label -> DATE or DATETIME.
    dates: ClassVar[dict[str, Primitive]] = {}
    # Whether the date labels are unreliable, so that the Example cell decides.
    dates_by_example: ClassVar[bool] = False
    # Whether a page with a title (and maybe a description) but no section is a union
    # page whose members the docs do not give (Ruby, Java).
    title_only_union: ClassVar[bool] = False
    # Whether union member headings are code spans (### `T`); else plain text (Go, C#).
    backtick_headings: ClassVar[bool] = True
    # Whether Example Usage fences hold TypeScript literals (the TypeScript dialect).
    literal_examples: ClassVar[bool] = False
    # How the typed dialects' Type cells read (`markdown_cell`), where that serves.
    grammar: ClassVar[CellGrammar | None] = None

    def parse_cell(self, text: str, base: Position) -> TypeExpr:
        """A Fields-table Type cell; `base` is the position of its first character."""
        return read_whole(text, base, self.read_cell)

    def read_cell(self, cur: Cursor) -> TypeExpr:
        """The grammar of a Type cell."""
        if self.grammar is None:
            raise NotImplementedError
        return markdown_cell(cur, self.grammar)

    def read_bare(self, cur: Cursor) -> TypeExpr:
        """The grammar of a type without markdown (link labels, union headings)."""
        if self.grammar is None:
            raise NotImplementedError
        return self.grammar.bare(cur)

    def field_type(self, expr: TypeExpr, text: str, required: bool) -> TypeExpr:
        """The field's type from its parsed cell, where the Required column adds a fact
        (Go: a pointer on a required row is nullable). Optional markers add nothing."""
        return expr

    def member(
        self, heading: str, heading_pos: Position, fence: list[tuple[str, Position]]
    ) -> tuple[str, TypeExpr]:
        """A `## Supported Types` member from its `###` heading text and its fence's
        lines: the member's text as shown, and its type. Raises TypeSyntaxError (offsets
        into `heading`) where the heading says the type; members read from fences report
        their own positions through UnknownType."""
        return heading, read_whole(heading, heading_pos, self.read_bare)

    def usage_markers(self, code: str, title: str) -> EnumUsage | None:
        """What an enum page's Example Usage fence says (Go): its member, openness,
        kind."""
        return None

    def knows(self, expr: TypeExpr) -> bool:
        """Whether every platform type a cell read by this dialect names is one the
        dialect has (detection: `[HttpResponseMessage](...)` is no Python cell)."""
        if isinstance(expr, (PrimitiveType, RefType)):
            return True  # most cells: no platform type in them
        return all(
            e.name in self.platform for e in walk(expr) if isinstance(e, RuntimeType)
        )


@frozen
class EnumUsage:
    """Facts an enum page's Example Usage fence states (openrouter-go): the member it
    names, whether the enum is open, and for an open one whether custom values are
    numbers (`X(999)`) or strings (`X("custom_value")`)."""

    member: str | None
    open: bool
    numeric: bool | None


def parse_label(
    cur: Cursor, link: Link, parse: Callable[[Cursor], TypeExpr]
) -> TypeExpr:
    """A link label read by `parse` (the dialect's bare-type grammar), all of it; error
    offsets count from the start of the cell."""
    sub = Cursor(link.label, cur.at(link.label_at))
    try:
        expr = parse(sub)
        sub.finish()
    except TypeSyntaxError as exc:
        raise TypeSyntaxError(str(exc), exc.offset + link.label_at) from None
    return expr


def link_type(label: TypeExpr, link: Link, pos: Position) -> TypeExpr:
    """A relative link's type from its label's: the page the label names (possibly
    wrapped as nullable) is found by the link's target, whatever the label says. A label
    naming several types (PHP `X\\|bool`, Ruby `T.any(X, T::Boolean)`) keeps them, each
    found by name; a label naming no page (Go's `types.Date`) is that type."""
    if isinstance(label, RefType):
        return RefType(label.text, pos, target=link.target)
    if isinstance(label, NullableType) and isinstance(label.item, RefType):
        return NullableType(link_type(label.item, link, pos), pos)
    return label


def external(label: str, pos: Position, dates: dict[str, Primitive]) -> TypeExpr:
    """A link to an absolute URL: a date by its label, else a platform object."""
    if label in dates:
        return PrimitiveType(dates[label], pos)
    return RuntimeType(label, pos)


def qualified(name: str, pos: Position, separator: str = ".") -> RefType:
    """An unlinked `ns.Title` (or `Ns\\Title`, `Models::Ns::Title`): found by name, in
    the folder its namespace names."""
    parts = [p for p in name.split(separator) if p]
    return RefType(name, pos, qname=".".join(parts))
