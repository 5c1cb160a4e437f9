"""The intermediate schema: what the specs mean, in spec terms.

The parser produces these nodes, the resolver links them, the renderer reads them. Nothing here
knows about Python syntax or pydantic: a second output kind would add a renderer, not touch this.
Every node carries the `Position` of the source text it came from, so any later stage can report
`path:line:col`.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import field
from enum import StrEnum
from typing import Any, TypeVar

from .position import Position as Position  # the schema's, kept apart: light to import
from .records import frozen

# --- Type expressions -------------------------------------------------------------------------


class Primitive(StrEnum):
    """Scalar types. `NUMBER` covers integers and floats alike (TypeScript's `*number*`);
    typed SDK languages say which (`INTEGER`, `FLOAT`)."""

    STRING = "string"
    NUMBER = "number"
    INTEGER = "integer"
    FLOAT = "float"
    BOOLEAN = "boolean"
    ANY = "any"
    DATETIME = "datetime"  # `[Date](https://developer.mozilla.org/...)`
    DATE = "date"  # `[RFCDate](../types/rfcdate.md)`: a calendar date, no time


@frozen
class PrimitiveType:
    kind: Primitive
    pos: Position = field(compare=False)


@frozen
class RuntimeType:
    """An SDK runtime or platform object that is not JSON data: an upload (`File`, `Blob`),
    a byte stream, an HTTP `Request` or `Response`; any type the page links to outside the
    specs (an absolute URL) other than a date. `name` is the page's own spelling."""

    name: str
    pos: Position = field(compare=False)


@frozen
class LiteralType:
    """A constant: `*"text"*`, `*true*`, or a one-value enum seen through a reference."""

    value: str | bool | int | float
    pos: Position = field(compare=False)


@frozen
class RefType:
    """A reference to another doc.

    The parser fills `target` (a link target such as `../models/x.md`) or `qname` (an unlinked
    `models.X`); the resolver fills `key`, the referenced doc's key (its spec-relative path).
    """

    text: str
    pos: Position = field(compare=False)
    target: str | None = None
    qname: str | None = None
    key: str | None = None


@frozen
class ArrayType:
    item: TypeExpr
    pos: Position = field(compare=False)


@frozen
class MapType:
    """`Record<string, T>` / `{ [k: string]: T }`: string keys, values of `value`."""

    value: TypeExpr
    pos: Position = field(compare=False)


@frozen
class UnionType:
    """Several types in one Type cell: TypeScript's `A \\| B` (uploads: `File \\| Blob \\| ns.X`),
    PHP's `[X\\|bool](...)`, Ruby's `T.any(X, T::Boolean)`."""

    members: tuple[TypeExpr, ...]
    pos: Position = field(compare=False)


@frozen
class StreamType:
    """`EventStream<ns.X>`, `JsonLStream<ns.X>`: a stream of X items (a union member heading);
    `name` is the stream's own spelling."""

    item: TypeExpr
    pos: Position = field(compare=False)
    name: str = "EventStream"


@frozen
class NullableType:
    """`item` or null, where the page says so: Python's `Nullable[T]`/`OptionalNullable[T]`,
    Go's `optionalnullable.OptionalNullable[T]` and pointer on a required row, Java's
    `JsonNullable<T>`. Optional markers (`Optional[T]`, `?T`, `T.nilable`) are not this."""

    item: TypeExpr
    pos: Position = field(compare=False)


@frozen
class UnknownType:
    """A Type cell or heading the grammar cannot read. The resolver reports it: an error, or
    with `lenient`, a warning and `Any`. `message` says what is wrong; `pos` where."""

    text: str
    message: str
    pos: Position = field(compare=False)


TypeExpr = (
    PrimitiveType
    | RuntimeType
    | LiteralType
    | RefType
    | ArrayType
    | MapType
    | UnionType
    | StreamType
    | NullableType
    | UnknownType
)


# How deep types and example values may nest: deeper, the generated code would be more than
# Python compiles (its parser takes some 200 nested brackets) or pydantic builds; real docs
# nest a few levels.
NESTING_LIMIT = 32


def type_depth(expr: TypeExpr) -> int:
    """How deep a type nests (`*string*` 1, `*string*[][]` 3)."""
    deepest, todo = 0, [(expr, 1)]
    while todo:
        item, depth = todo.pop()
        deepest = max(deepest, depth)
        if isinstance(item, (ArrayType, StreamType, NullableType)):
            todo.append((item.item, depth + 1))
        elif isinstance(item, MapType):
            todo.append((item.value, depth + 1))
        elif isinstance(item, UnionType):
            todo.extend((member, depth + 1) for member in item.members)
    return deepest


def json_problem(value: Any) -> str | None:
    """What keeps JSON data out of generated code, if anything: dicts and lists nested deeper
    than NESTING_LIMIT, a number beyond a float's range (JSON has no infinity)."""
    todo = [(value, 0)]
    while todo:
        item, depth = todo.pop()
        if isinstance(item, (dict, list)):
            if depth >= NESTING_LIMIT:
                return f"a value nested more than {NESTING_LIMIT} deep"
            todo.extend((child, depth + 1)
                        for child in (item.values() if isinstance(item, dict) else item))
        elif isinstance(item, float) and not math.isfinite(item):
            return "a number beyond a float's range"
    return None


# --- Documents --------------------------------------------------------------------------------


@frozen
class EnumMemberRef:
    """`BoolInt.True` in an example: an enum member by its SDK name. The resolver replaces it
    with the member's value."""

    enum: str
    member: str


@frozen
class PlatformValue:
    """`new Response(...)` in an example: an SDK runtime object, not JSON data. The resolver
    drops it (real payloads never carry one)."""

    name: str


@frozen
class Example:
    """An example value, already converted to plain JSON-like data."""

    value: Any
    pos: Position


@frozen
class FieldSpec:
    """One row of a `## Fields` table."""

    name: str  # the name in the Field column, as the page's SDK language writes it
    type: TypeExpr
    required: bool
    description: str | None
    examples: tuple[str, ...]  # raw Example-cell texts, interpreted by type when rendering
    deprecated: bool
    deprecation_note: str | None  # why, when the description says so
    pos: Position
    examples_pos: Position | None = None  # the Example cell
    example_values: tuple[Any, ...] = ()  # `examples` read by the field's type (resolver)
    # The additional-properties row (`additionalProperties`, `AdditionalProperties`,
    # `__pydantic_extra__`, ...: the dialect's spelling): its map's keys sit at the top level
    # of the JSON object, beside the fields, not under a key of that name.
    extra: bool = False


@frozen
class EnumValue:
    value: str | int | float
    pos: Position
    name: str | None = None  # the member's name in the SDK (`BoolInt.True`), where shown


@frozen
class UnionMember:
    """One `### `T`` section of `## Supported Types`."""

    heading: str
    type: TypeExpr
    example: Example | None
    pos: Position


@frozen
class DocBase:
    key: str  # spec-relative path with `/` separators, e.g. `operations/getuserrequest.md`
    title: str
    namespace: tuple[str, ...]  # folders between the spec root and the file
    description: str | None
    deprecated: bool
    example: Example | None
    pos: Position  # position of the title
    # The SDK language the page is written in (`generator.parse.dialects`): `typescript`,
    # `python`, `go`, `csharp`, `php`, `ruby` or `java`.
    dialect: str = "typescript"


@frozen
class ObjectDoc(DocBase):
    fields: tuple[FieldSpec, ...] = ()


@frozen
class EnumDoc(DocBase):
    values: tuple[EnumValue, ...] = ()
    open: bool = False  # unknown values are accepted and kept
    # Whether the values' kind was guessed: a table of unquoted values, all numbers, that no
    # marker says are numbers (`Unrecognized<number>`, Go's `X(999)`) or strings. They are
    # read as numbers; the API may send them as strings ("1") all the same.
    kind_guessed: bool = False


@frozen
class UnionDoc(DocBase):
    members: tuple[UnionMember, ...] = ()  # none: the page does not say (Ruby, Java)


Doc = ObjectDoc | EnumDoc | UnionDoc


# --- What other modules may depend on -----------------------------------------------------------

# Text for readers, and where things are: a module rendered from other docs never shows these
# of theirs (its own doc's are covered by its page's bytes).
_NOT_SHAPE = frozenset({"description", "pos", "examples_pos"})
_SHAPE_FIELDS: dict[type, tuple[str, ...]] = {}


_LEAVES = frozenset({str, int, float, bool, type(None)})  # their own shapes: no call for them


def _shape(value: Any) -> Any:
    kind = type(value)
    names = _SHAPE_FIELDS.get(kind)
    if names is None and hasattr(kind, "__dataclass_fields__"):
        names = _SHAPE_FIELDS[kind] = tuple(
            f for f in kind.__dataclass_fields__ if f not in _NOT_SHAPE)
    if names is not None:
        fields = value.__dict__  # frozen dataclasses without slots (see `evolve`)
        return (kind.__name__, *[v if type(v) in _LEAVES else _shape(v)
                                 for v in map(fields.__getitem__, names)])
    if kind is tuple or kind is list:
        return (kind.__name__, *[v if type(v) in _LEAVES else _shape(v) for v in value])
    if kind is dict:
        return ("dict", *[(_shape(k), _shape(v)) for k, v in value.items()])
    if kind is set or kind is frozenset:
        return ("set", *sorted(repr(_shape(item)) for item in value))
    return value


def shape_digest(doc: DocBase) -> str:
    """A hash of a doc without its descriptions and positions: what rendering another doc
    may read of it. A description edit changes the page's module, and only that one."""
    return hashlib.blake2b(repr(_shape(doc)).encode(), digest_size=16).hexdigest()


# --- Copies -------------------------------------------------------------------------------------

_FIELD_NAMES: dict[type, frozenset[str]] = {}
Node = TypeVar("Node")


def evolve(node: Node, **changes: Any) -> Node:
    """A copy of a schema node (or of another frozen dataclass without `__post_init__` or
    slots, whose fields are its `__dict__`) with `changes`: `dataclasses.replace` without its
    per-call work (the resolver makes tens of thousands of copies on a large doc set)."""
    kind = type(node)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = frozenset(vars(kind)["__dataclass_fields__"])
    if not changes.keys() <= names:
        raise TypeError(f"{kind.__name__} has no field {sorted(changes.keys() - names)}")
    copy: Node = object.__new__(kind)
    copy.__dict__.update(node.__dict__)
    copy.__dict__.update(changes)
    return copy
