"""Every Type-cell form of every dialect (DIALECTS.md's tables), read into the IR; errors
with the offset of the problem. Positions are not compared (IR nodes leave them out of
equality); `test_positions` checks them apart."""

from __future__ import annotations

import pytest
from specgen_md.ir import (
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
)
from specgen_md.parse.dialects import DIALECTS, TypeSyntaxError

AT = Position("x.md", 3, 10)
S, N, INT, F = (PrimitiveType(k, AT) for k in (
    Primitive.STRING, Primitive.NUMBER, Primitive.INTEGER, Primitive.FLOAT))
B, A, D, DT = (PrimitiveType(k, AT) for k in (
    Primitive.BOOLEAN, Primitive.ANY, Primitive.DATE, Primitive.DATETIME))


def ref(label: str, target: str) -> RefType:
    return RefType(label, AT, target=target)


def named(label: str, qname: str) -> RefType:
    return RefType(label, AT, qname=qname)


def arr(item: TypeExpr) -> ArrayType:
    return ArrayType(item, AT)


def dct(value: TypeExpr) -> MapType:
    return MapType(value, AT)


def null(item: TypeExpr) -> NullableType:
    return NullableType(item, AT)


def rt(name: str) -> RuntimeType:
    return RuntimeType(name, AT)


def union(*members: TypeExpr) -> UnionType:
    return UnionType(members, AT)


PY_FMT = "../../models/components/format_.md"
PY_CM = "../../models/components/channelmapping.md"
PYTHON = [
    ("*str*", S), ("*int*", INT), ("*float*", F), ("*bool*", B), ("*Any*", A),
    ("*Optional[str]*", S), ("*Optional[int]*", INT), ("*Optional[bool]*", B),
    ("*Optional[float]*", F), ("*Optional[Any]*", A),
    ("*Nullable[str]*", null(S)), ("*Nullable[int]*", null(INT)),
    ("*OptionalNullable[str]*", null(S)), ("*OptionalNullable[bool]*", null(B)),
    ("*OptionalNullable[int]*", null(INT)),
    (f"[Optional[components.Format]]({PY_FMT})", ref("components.Format", PY_FMT)),
    (f"[components.PlexDeviceProtocol]({PY_FMT})", ref("components.PlexDeviceProtocol", PY_FMT)),
    (f"[Nullable[components.Format]]({PY_FMT})", null(ref("components.Format", PY_FMT))),
    (f"List[[components.ChannelMapping]({PY_CM})]", arr(ref("components.ChannelMapping", PY_CM))),
    ("Dict[str, List[*str*]]", dct(arr(S))), ("Dict[str, *Any*]", dct(A)),
    ("List[*str*]", arr(S)), ("List[*int*]", arr(INT)),
    ("Optional[List[*str*]]", arr(S)),
    ("[httpx.Response](https://www.python-httpx.org/api/#response)", rt("httpx.Response")),
    ("*Optional[httpx.Response]*", rt("httpx.Response")),
    # The labels are unreliable; the Example cell decides (see test_pages.py).
    ("[datetime](https://docs.python.org/3/library/datetime.html#datetime-objects)", DT),
    ("[date](https://docs.python.org/3/library/datetime.html#date-objects)", D),
]

GO_FMT = "../../models/components/format.md"
GO_X = "../../models/components/x.mdx"
TIME = "[time.Time](https://pkg.go.dev/time#Time)"
ONULL = "optionalnullable.OptionalNullable"
GO = [
    # plex-go: emphasis, an inner `*` is a pointer
    ("**string*", S), ("*string*", S), ("**int64*", INT), ("*int64*", INT), ("**int*", INT),
    ("*int*", INT), ("**bool*", B), ("*bool*", B), ("**float32*", F), ("**float64*", F),
    ("*float64*", F), ("*any*", A), ("*io.ReadCloser*", rt("io.ReadCloser")),
    (f"[*components.Format]({GO_FMT})", ref("components.Format", GO_FMT)),
    (f"[components.Format]({GO_FMT})", ref("components.Format", GO_FMT)),
    ("[*http.Response](https://pkg.go.dev/net/http#Response)", rt("*http.Response")),
    (f"[][components.Format]({GO_FMT})", arr(ref("components.Format", GO_FMT))),
    ("map[string][]*string*", dct(arr(S))), ("map[string]*any*", dct(A)),
    ("[]*string*", arr(S)), ("[]*int64*", arr(INT)),
    ("[*types.Date](../../types/date.md)", D), (TIME, DT),
    # openrouter-go: code spans
    ("`string`", S), ("`*string`", S), ("`int64`", INT), ("`*int64`", INT), ("`int`", INT),
    ("`bool`", B), ("`*bool`", B), ("`float64`", F), ("`*float64`", F), ("`any`", A),
    (f"[components.X]({GO_X})", ref("components.X", GO_X)),
    (f"[*components.X]({GO_X})", ref("components.X", GO_X)),
    (f"[][components.X]({GO_X})", arr(ref("components.X", GO_X))),
    (f"[][*components.X]({GO_X})", arr(ref("components.X", GO_X))),
    (f"map[string][components.X]({GO_X})", dct(ref("components.X", GO_X))),
    (f"map[string][*components.X]({GO_X})", dct(ref("components.X", GO_X))),
    ("map[string]`any`", dct(A)), ("map[string]`string`", dct(S)),
    ("[]`string`", arr(S)), ("[]`int64`", arr(INT)), ("[]`any`", arr(A)),
    ("[]map[string]`any`", arr(dct(A))),
    (f"{ONULL}[`string`]", null(S)), (f"{ONULL}[`int64`]", null(INT)),
    (f"{ONULL}[`float64`]", null(F)), (f"{ONULL}[`bool`]", null(B)),
    (f"{ONULL}[[]`string`]", null(arr(S))), (f"{ONULL}[[]`int64`]", null(arr(INT))),
    (f"{ONULL}[[components.X]({GO_X})]", null(ref("components.X", GO_X))),
    (f"{ONULL}[[][components.X]({GO_X})]", null(arr(ref("components.X", GO_X)))),
    (f"{ONULL}[[][*components.X]({GO_X})]", null(arr(ref("components.X", GO_X)))),
    (f"{ONULL}[map[string]`any`]", null(dct(A))),
    (f"{ONULL}[map[string]`string`]", null(dct(S))),
    (f"{ONULL}[map[string]`float64`]", null(dct(F))),
    (f"{ONULL}[map[string][components.X]({GO_X})]", null(dct(ref("components.X", GO_X)))),
    (f"{ONULL}[{TIME}]", null(DT)),
]

CS_FMT = "../../Models/Components/Format.md"
HTTP_MESSAGE = ("https://learn.microsoft.com/en-us/dotnet/api/"
                "system.net.http.httpresponsemessage?view=net-5.0")
CSHARP = [
    ("*string*", S), ("*long*", INT), ("*int*", INT), ("*bool*", B), ("*float*", F),
    ("*double*", F), ("*object*", A), ("*byte[]*", rt("byte[]")),
    (f"[Models.Components.Format]({CS_FMT})", ref("Models.Components.Format", CS_FMT)),
    (f"[Format]({CS_FMT})", ref("Format", CS_FMT)),
    (f"[HttpResponseMessage]({HTTP_MESSAGE})", rt("HttpResponseMessage")),
    (f"List<[Format]({CS_FMT})>", arr(ref("Format", CS_FMT))),
    ("Dictionary<String, List<*string*>>", dct(arr(S))), ("Dictionary<String, *object*>", dct(A)),
    ("List<*string*>", arr(S)), ("List<*long*>", arr(INT)),
    ("[LocalDate](https://nodatime.org/3.1.x/api/NodaTime.LocalDate.html)", D),
    ("[DateTime](https://learn.microsoft.com/en-us/dotnet/api/system.datetime?view=net-5.0)", DT),
]

PHP_CTX = "../../Models/Operations/Context.md"
PHP_UNION = "../../Models/Operations/GetLibraryItemsOptimizedForStreaming.md"
PSR = "\\Psr\\Http\\Message\\ResponseInterface"
PHP = [
    ("*?string*", S), ("*?int*", INT), ("*string*", S), ("*int*", INT), ("*?bool*", B),
    ("*bool*", B), ("*?float*", F), ("*float*", F), ("*mixed*", A),
    (f"array<[Errors\\AddPlaylistContentsErrors]({PHP_CTX})>",
     arr(ref("Errors\\AddPlaylistContentsErrors", PHP_CTX))),
    (f"[{PSR}](https://www.php-fig.org/psr/psr-7/#33-psrhttpmessageresponseinterface)", rt(PSR)),
    (f"[?Operations\\Context]({PHP_CTX})", ref("Operations\\Context", PHP_CTX)),
    (f"[Operations\\Context]({PHP_CTX})", ref("Operations\\Context", PHP_CTX)),
    ("[\\DateTime](https://www.php.net/manual/en/class.datetime.php)", DT),
    # The label names the members; `null` only repeats that the row is optional.
    (f"[Operations\\OptimizedForStreaming1\\|bool\\|null]({PHP_UNION})",
     union(named("Operations\\OptimizedForStreaming1", "Operations.OptimizedForStreaming1"), B)),
    ("array<*string*>", arr(S)), ("array<*int*>", arr(INT)),
    ("array<string, array<*string*>>", dct(arr(S))),
]

RB_CTX = "../../models/operations/context.md"
RB_UNION = "../../models/operations/getlibraryitemsoptimizedforstreaming.md"
RUBY = [
    ("*T.nilable(::String)*", S), ("*T.nilable(::Integer)*", INT), ("*::String*", S),
    ("*::Integer*", INT), ("*T.nilable(T::Boolean)*", B), ("*T::Boolean*", B),
    ("*T.nilable(::Float)*", F), ("*::Float*", F), ("*T.nilable(::Object)*", A),
    (f"T::Array<[Models::Errors::AddPlaylistContentsErrors]({RB_CTX})>",
     arr(ref("Models::Errors::AddPlaylistContentsErrors", RB_CTX))),
    ("[Faraday::Response](https://www.rubydoc.info/gems/faraday/Faraday/Response)",
     rt("Faraday::Response")),
    (f"[T.nilable(Models::Operations::Context)]({RB_CTX})",
     ref("Models::Operations::Context", RB_CTX)),
    (f"[Models::Operations::Context]({RB_CTX})", ref("Models::Operations::Context", RB_CTX)),
    ("[DateTime](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/DateTime.html)", DT),
    ("[Date](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/Date.html)", D),
    (f"[T.nilable(T.any(Models::Operations::OptimizedForStreaming1, T::Boolean))]({RB_UNION})",
     union(named("Models::Operations::OptimizedForStreaming1",
                 "Operations.OptimizedForStreaming1"), B)),
    ("T::Array<*::String*>", arr(S)), ("T::Array<*::Integer*>", arr(INT)),
    ("T::Hash[Symbol, T::Array<*::String*>]", dct(arr(S))),
]

J_EV = "../../models/components/ActivityEvent.md"
JAVA = [
    ("*Optional\\<String>*", S), ("*String*", S), ("*Optional\\<Long>*", INT),
    ("*Optional\\<Boolean>*", B), ("*int*", INT), ("*long*", INT), ("*double*", F),
    ("*boolean*", B), ("*float*", F), ("*Optional\\<Double>*", F), ("*Optional\\<Float>*", F),
    ("*Optional\\<Object>*", A), ("*byte[]*", rt("byte[]")),
    ("*JsonNullable\\<String>*", null(S)),
    (f"[Optional\\<ActivityEvent>]({J_EV})", ref("ActivityEvent", J_EV)),
    (f"[JsonNullable\\<ActivityEvent>]({J_EV})", null(ref("ActivityEvent", J_EV))),
    (f"[ActivityEvent]({J_EV})", ref("ActivityEvent", J_EV)),
    (f"List\\<[ActivityEvent]({J_EV})>", arr(ref("ActivityEvent", J_EV))),
    ("[HttpResponse\\<InputStream>](https://docs.oracle.com/en/java/javase/11/docs/api/"
     "java.net.http/java/net/http/HttpResponse.html)", rt("HttpResponse<InputStream>")),
    ("List\\<*String*>", arr(S)), ("List\\<*long*>", arr(INT)),
    ("[OffsetDateTime](https://docs.oracle.com/javase/8/docs/api/java/time/OffsetDateTime.html)",
     DT),
    ("[LocalDate](https://docs.oracle.com/javase/8/docs/api/java/time/LocalDate.html)", D),
    (f"Map\\<String, [ActivityEvent]({J_EV})>", dct(ref("ActivityEvent", J_EV))),
    ("Map\\<String, *Object*>", dct(A)), ("Map\\<String, *long*>", dct(INT)),
    ("Map\\<String, *boolean*>", dct(B)),
    (f"Map\\<String, List\\\\<[ActivityEvent]({J_EV})>>", dct(arr(ref("ActivityEvent", J_EV)))),
]

TYPESCRIPT = [
    ("*string*", S), ("*number*", N), ("*boolean*", B), ("*any*", A),
    ("Record<string, *string*[]>", dct(arr(S))),
    ("[shared.Accepts](../../models/shared/accepts.md)",
     ref("shared.Accepts", "../../models/shared/accepts.md")),
    ("[RFCDate](../../types/rfcdate.md)", D),
    ("*ReadableStream<Uint8Array>*", rt("ReadableStream<Uint8Array>")),
]

CASES = [(name, cell, expected) for name, cases in (
    ("python", PYTHON), ("go", GO), ("csharp", CSHARP), ("php", PHP), ("ruby", RUBY),
    ("java", JAVA), ("typescript", TYPESCRIPT)) for cell, expected in cases]


@pytest.mark.parametrize(("dialect", "cell", "expected"), CASES,
                         ids=[f"{d}:{c}" for d, c, _ in CASES])
def test_type_cells(dialect: str, cell: str, expected: TypeExpr) -> None:
    found = DIALECTS[dialect].parse_cell(cell, AT)
    assert found == expected
    assert DIALECTS[dialect].knows(found)


def test_positions() -> None:
    found = DIALECTS["go"].parse_cell("map[string][]*string*", AT)
    assert isinstance(found, MapType) and isinstance(found.value, ArrayType)
    assert (found.pos.col, found.value.pos.col, found.value.item.pos.col) == (10, 21, 23)
    link = DIALECTS["python"].parse_cell(f"List[[components.ChannelMapping]({PY_CM})]", AT)
    assert isinstance(link, ArrayType) and link.item.pos == Position("x.md", 3, 15)


ERRORS = [
    ("python", "*string*", 1), ("python", "str", 0), ("python", "List[*str*", 10),
    ("python", "[Optional[components.X](x.md)", 0), ("python", "*Optional[str*", 13),
    ("go", "*int65*", 1), ("go", "**string", 8), ("go", "map[int]*string*", 0),
    ("go", f"{ONULL}[`string`", 42),
    ("csharp", "*long", 5), ("csharp", "List<*string*", 13), ("csharp", "*String*", 1),
    ("php", "*?strin*", 2), ("php", "array<*int*", 11), ("php", "[null](x.md)", 1),
    ("ruby", "*String*", 1), ("ruby", "T::Array<*::String*", 19),
    ("ruby", "[Context](x.md)", 1),
    ("java", "*string*", 1), ("java", "Map\\<Long, *long*>", 5),
    ("java", "List\\<*String*", 14),
    ("typescript", "*strin*", 1), ("typescript", "*Optional[str]*", 1),
]


@pytest.mark.parametrize(("dialect", "cell", "offset"), ERRORS,
                         ids=[f"{d}:{c}" for d, c, _ in ERRORS])
def test_malformed_cells_point_at_the_problem(dialect: str, cell: str, offset: int) -> None:
    with pytest.raises(TypeSyntaxError) as info:
        DIALECTS[dialect].parse_cell(cell, AT)
    assert info.value.offset == offset, str(info.value)


@pytest.mark.parametrize(("dialect", "cell"), [
    ("python", "[HttpResponseMessage](https://x)"), ("go", "[Date](https://x)"),
    ("typescript", "[Faraday::Response](https://x)"), ("ruby", "[httpx.Response](https://x)"),
])
def test_another_languages_platform_type_is_no_evidence_for_a_dialect(
        dialect: str, cell: str) -> None:
    """A link outside the specs reads as a platform object in any dialect, but detection
    counts it only for the dialect whose platform has that name."""
    assert not DIALECTS[dialect].knows(DIALECTS[dialect].parse_cell(cell, AT))


def test_go_pointer_on_a_required_row_is_nullable() -> None:
    go = DIALECTS["go"]
    for cell in ("`*float64`", "**string*", f"[*components.X]({GO_X})"):
        expr = go.parse_cell(cell, AT)
        assert go.field_type(expr, cell, required=True) == null(expr)
        assert go.field_type(expr, cell, required=False) == expr  # optional: nothing more
    bare = go.parse_cell("`float64`", AT)
    assert go.field_type(bare, "`float64`", required=True) == F
    runtime = go.parse_cell("[*http.Response](https://pkg.go.dev/net/http#Response)", AT)
    assert go.field_type(runtime, "[*http.Response](x)", required=True) == runtime
    nullable = go.parse_cell(f"{ONULL}[`*string`]", AT)
    assert go.field_type(nullable, f"{ONULL}[`*string`]", required=False) == null(S)


@pytest.mark.parametrize(("dialect", "heading", "fence", "expected"), [
    ("python", "str", [], S), ("python", "float", [], F), ("python", "bool", [], B),
    ("python", "List[components.X]", [], arr(named("components.X", "components.X"))),
    ("csharp", "Str", [], S), ("csharp", "Number", [], F), ("csharp", "Boolean", [], B),
    ("csharp", "Integer", [], INT), ("csharp", "Hub", [], named("Hub", "Hub")),
    ("php", "Operations\\OptimizedForStreaming1", [],
     named("Operations\\OptimizedForStreaming1", "Operations.OptimizedForStreaming1")),
    ("php", "bool", [], B),
    ("go", "", ["default := components.CreateDefaultStr(string{/* values here */})"], S),
    ("go", "", ["x := components.CreateXNumber(float64{/* values here */})"], F),
    ("go", "Y", ["x := components.CreateXY(components.Y{/* values here */})"],
     named("components.Y", "components.Y")),
    ("go", "", ["x := components.CreateXArrayOfY([]components.Y{/* values here */})"],
     arr(named("components.Y", "components.Y"))),
    ("go", "", ["x := components.CreateXArrayOfY([]*components.Y{/* values here */})"],
     arr(named("components.Y", "components.Y"))),
    ("go", "", ["x := components.CreateXMapOfY(map[string]*components.Y{/* values */})"],
     dct(named("components.Y", "components.Y"))),
    ("go", "", ["x := components.CreateXArrayOfArrayOfNumber([][]float64{/* values */})"],
     arr(arr(F))),
    ("go", "", ["x := components.CreateXArrayOfAny([]any{/* values here */})"], arr(A)),
    ("go", "", ["r := operations.CreateREventStream(*stream.EventStream[components.Chunk]"
                "{/* values here */})"],
     StreamType(named("components.Chunk", "components.Chunk"), AT)),
])
def test_union_members(dialect: str, heading: str, fence: list[str], expected: TypeExpr) -> None:
    lines = [(line, AT) for line in fence]
    _, found = DIALECTS[dialect].member(heading, AT, lines)
    assert found == expected
