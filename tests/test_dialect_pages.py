"""Pages in each dialect: dates by example, the additional-properties row, enum markers,
union pages, pages that give only a title, pages that document no model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import (
    ArrayType,
    Doc,
    EnumDoc,
    EnumMemberRef,
    NullableType,
    ObjectDoc,
    Primitive,
    PrimitiveType,
    UnionDoc,
    UnknownType,
)
from specgen_md.parse import parse_document

HEADER = "| Field | Type | Required | Description | Example |\n| - | - | - | - | - |"


def parse(text: str, dialect: str | None = None, key: str = "x.md"
          ) -> tuple[Doc | None, list[str]]:
    diags = Diagnostics()
    doc = parse_document(text.encode(), key, key, diags, dialect)
    return doc, [str(d) for d in diags.sorted()]


def fields(dialect: str, *rows: tuple[str, str, bool, str]) -> ObjectDoc:
    lines = [f"| `{name}` | {cell} | {':heavy_check_mark:' if req else ':heavy_minus_sign:'} "
             f"| N/A | {example} |" for name, cell, req, example in rows]
    doc, problems = parse("# X\n\n## Fields\n\n" + HEADER + "\n" + "\n".join(lines), dialect)
    assert isinstance(doc, ObjectDoc), problems
    return doc


PY_DATE = "[date](https://docs.python.org/3/library/datetime.html#date-objects)"
PY_DATETIME = "[datetime](https://docs.python.org/3/library/datetime.html#datetime-objects)"
PHP_DATETIME = "[\\DateTime](https://www.php.net/manual/en/class.datetime.php)"
RB_DATE = "[Date](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/Date.html)"


@pytest.mark.parametrize(("dialect", "cell", "example", "kind"), [
    ("python", PY_DATETIME, "2022-12-14", Primitive.DATE),
    ("python", PY_DATE, "2019-06-24T11:38:02Z", Primitive.DATETIME),
    ("python", PY_DATE, "", Primitive.DATE),  # no example: the label stands
    ("php", PHP_DATETIME, "2019-06-24", Primitive.DATE),
    ("php", PHP_DATETIME, "2019-06-24T11:38:02.123+02:00", Primitive.DATETIME),
    # Go's `time.Time` at midnight UTC is how these SDKs print a calendar date.
    ("php", PHP_DATETIME, "2005-09-29 00:00:00 +0000 UTC", Primitive.DATE),
    ("php", PHP_DATETIME, "2005-09-29 10:30:00 +0000 UTC", Primitive.DATETIME),
    ("php", PHP_DATETIME, "yesterday", Primitive.DATETIME),
    ("ruby", RB_DATE, "2019-06-24T11:38:02Z", Primitive.DATETIME),
    ("ruby", RB_DATE, "2019-06-24", Primitive.DATE),
    # Reliable labels: the example does not change them.
    ("csharp", "[LocalDate](https://nodatime.org/x)", "2019-06-24T11:38:02Z", Primitive.DATE),
    ("go", "[time.Time](https://pkg.go.dev/time#Time)", "2019-06-24", Primitive.DATETIME),
])
def test_dates_by_example_where_labels_are_unreliable(
        dialect: str, cell: str, example: str, kind: Primitive) -> None:
    doc = fields(dialect, ("when", cell, False, example))
    assert doc.fields[0].type == PrimitiveType(kind, doc.pos)


@pytest.mark.parametrize(("dialect", "name", "cell", "extra"), [
    ("python", "__pydantic_extra__", "Dict[str, *Any*]", True),
    ("go", "AdditionalProperties", "map[string]*any*", True),
    ("go", "AdditionalProperties", "map[string]`string`", True),
    ("csharp", "AdditionalProperties", "Dictionary<String, *object*>", True),
    ("java", "additionalProperties", "Map\\<String, *Object*>", True),
    ("typescript", "additionalProperties", "Record<string, *any*>", True),
    ("ruby", "additional_properties", "T::Hash[Symbol, *::Object*]", True),
    ("typescript", "additionalProperties", "*string*", False),  # not a map: a field
    ("go", "Properties", "map[string]*any*", False),
])
def test_the_additional_properties_row_in_every_spelling(
        dialect: str, name: str, cell: str, extra: bool) -> None:
    doc = fields(dialect, (name, cell, False, ""))
    assert doc.fields[0].extra is extra


def test_nullability_as_the_page_says() -> None:
    doc = fields("python", ("a", "*Nullable[str]*", True, ""), ("b", "*Optional[str]*", False, ""),
                 ("c", "*OptionalNullable[int]*", False, ""), ("d", "List[*int*]", True, ""))
    kinds = [type(f.type) for f in doc.fields]
    assert kinds == [NullableType, PrimitiveType, NullableType, ArrayType]
    doc = fields("go", ("A", "`*string`", True, ""), ("B", "`*string`", False, ""),
                 ("C", "`string`", True, ""))
    assert [type(f.type) for f in doc.fields] == [NullableType, PrimitiveType, PrimitiveType]


def values_page(rows: list[tuple[str, str]], note: str = "", usage: str = "") -> str:
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return f"# E\n\n{usage}## Values\n\n{note}| Name | Value |\n| - | - |\n{table}"


GO_USAGE = ("## Example Usage\n\n```go\nimport (\n\t\"github.com/acme/sdk/models/components\"\n)"
            "\n\nvalue := components.EOne\n{custom}```\n\n")
OPEN = "\n// Open enum: custom values can be created with a direct type cast\n"


@pytest.mark.parametrize(("page", "dialect", "values", "is_open", "guessed"), [
    # TypeScript: the catch-all row is no value; its type gives the kind.
    (values_page([("`Disable`", "0"), ("`Enable`", "1"), ("-", "`Unrecognized<number>`")],
                 "This is an open enum. Unrecognized values will be captured as the "
                 "`Unrecognized<number>` branded type.\n\n"), "typescript", [0, 1], True, False),
    (values_page([("`Zero`", "0"), ("`One`", "1"), ("-", "`Unrecognized<string>`")]),
     "typescript", ["0", "1"], True, False),
    (values_page([("`Zero`", "0"), ("`One`", "1")]), "typescript", [0, 1], False, True),
    (values_page([("`Low`", "low"), ("`High`", "2")]), "typescript", ["low", "2"], False, False),
    (values_page([("`ONE`", "1.5"), ("`TWO`", "2")]), "python", [1.5, 2.0], False, True),
    # Go: `X(999)` says numbers, `X("custom_value")` strings; either says open.
    (values_page([("`EOne`", "1"), ("`ETwo`", "2")], usage=GO_USAGE.format(
        custom=OPEN + "custom := components.E(999)\n")), "go", [1, 2], True, False),
    (values_page([("`EOne`", "1"), ("`ETwo`", "2")], usage=GO_USAGE.format(
        custom=OPEN + 'custom := components.E("custom_value")\n')), "go", ["1", "2"], True,
     False),
    (values_page([("`EOne`", "1"), ("`ETwo`", "2")], usage=GO_USAGE.format(custom="")),
     "go", [1, 2], False, True),
])
def test_enum_tables(page: str, dialect: str, values: list[object], is_open: bool,
                     guessed: bool) -> None:
    doc, problems = parse(page, dialect)
    assert isinstance(doc, EnumDoc), problems
    assert [v.value for v in doc.values] == values
    assert [type(v.value) for v in doc.values] == [type(v) for v in values]
    assert (doc.open, doc.kind_guessed) == (is_open, guessed)
    assert doc.values[0].name is not None and not doc.values[0].name.startswith("`")


def test_enum_members_are_named_as_the_table_names_them(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """The generated enum's members carry the SDK's names from the Name column (Go's
    without their type's title), and read and write the values."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "allowsync.md").write_text(
        "# AllowSync\n\n" + values_page([("`DISABLE`", "0"), ("`ENABLE`", "1")])[4:])
    (specs / "order.md").write_text(
        "# Order\n\n" + values_page([("`OrderAscending`", "asc"),
                                       ("`OrderDescending`", "desc")])[4:])
    package = generate_package(specs, dialect="go")
    assert [(m.name, m.value) for m in package.AllowSync] == [("DISABLE", 0), ("ENABLE", 1)]
    assert [(m.name, m.value) for m in package.Order] == [
        ("ASCENDING", "asc"), ("DESCENDING", "desc")]
    assert package.AllowSync(1) is package.AllowSync.ENABLE


def test_a_go_enum_page_names_its_example_member() -> None:
    page = values_page([("`EOne`", "1")], usage=GO_USAGE.format(custom=""))
    doc, _ = parse(page, "go")
    assert isinstance(doc, EnumDoc) and doc.example is not None
    assert doc.example.value == EnumMemberRef("E", "EOne")
    assert (doc.example.pos.line, doc.example.pos.col) == (10, 21)


def test_go_union_members_come_from_the_fences() -> None:
    page = ("---\ntitle: \"U\"\n---\n\n## Supported Types\n\n### Y\n\n```go\n"
            "u := components.CreateUY(components.Y{/* values here */})\n```\n\n### \n\n```go\n"
            "u := components.CreateUStr(string{/* values here */})\n```\n\n### \n\nno fence\n\n"
            "## Union Discrimination\n\nUse the `Type` field.\n")
    doc, problems = parse(page, "go", "u.mdx")
    assert problems == []
    assert isinstance(doc, UnionDoc)
    assert [m.heading for m in doc.members] == ["components.Y", "string", ""]
    assert doc.members[1].type == PrimitiveType(Primitive.STRING, doc.pos)
    missing = doc.members[2].type
    assert isinstance(missing, UnknownType) and "no `x := ns.CreateX(T{...})` fence" in (
        missing.message)
    assert (doc.members[1].type.pos.line, doc.members[1].type.pos.col) == (16, 28)


@pytest.mark.parametrize(("dialect", "page", "members"), [
    ("python", "# U\n\n## Supported Types\n\n### `str`\n\n```python\nvalue: str = /* values "
               "here */\n```\n\n### `float`\n\n```python\nvalue: float = /* values here */\n```",
     [Primitive.STRING, Primitive.FLOAT]),
    ("csharp", "# U\n\n## Supported Types\n\n### Str\n\n```csharp\nU.CreateStr(/* values here "
               "*/);\n```\n\n### Boolean\n\n```csharp\nU.CreateBoolean(/* values here */);\n```",
     [Primitive.STRING, Primitive.BOOLEAN]),
    ("php", "# U\n\n## Supported Types\n\n### `bool`\n\n```php\n/**\n* @var bool\n*/\nbool "
            "$value = /* values here */\n```", [Primitive.BOOLEAN]),
])
def test_union_pages(dialect: str, page: str, members: list[Primitive]) -> None:
    doc, problems = parse(page, dialect)
    assert problems == [] and isinstance(doc, UnionDoc)
    assert [m.type for m in doc.members] == [PrimitiveType(k, doc.pos) for k in members]
    assert all(m.example is None for m in doc.members)  # `/* values here */`


@pytest.mark.parametrize("dialect", ["ruby", "java"])
def test_a_title_alone_is_a_union_whose_members_are_unknown(dialect: str) -> None:
    doc, problems = parse("# Choice\n\nOne of several things.\n", dialect)
    assert isinstance(doc, UnionDoc) and doc.members == ()
    assert doc.description == "One of several things." and doc.dialect == dialect
    assert problems == [f"x.md:1:3: warning: 'Choice' gives a title and no section: a union "
                        f"whose members the {dialect} docs do not give; generated as Any"]


def test_a_title_alone_is_an_error_in_the_other_dialects() -> None:
    doc, problems = parse("# Choice\n\nOne of several things.\n", "python")
    assert doc is None
    assert problems == ["x.md:1:3: error: no '## Fields', '## Values' or '## Supported Types' "
                        "section: not a model doc"]


@pytest.mark.parametrize(("page", "warning"), [
    ("## Options\n\n### WithServerURL\n\n```go\noperations.WithServerURL(\"http://x\")\n```\n\n"
     "## WithTemplatedServerURL\n\nText.\n",
     "x.md:1:4: warning: this page documents no model (its sections are '## Options', "
     "'## WithTemplatedServerURL'): skipped"),
    ("---\ntitle: \"Options\"\n---\n\n## Global Options\n\nText.\n\n## Per-Method Options\n\n"
     "Text.\n",
     "x.md:2:8: warning: 'Options' documents no model (its sections are '## Global Options', "
     "'## Per-Method Options'): skipped"),
    ("# RetryConfig\n\n## Fields\n\n| Name | Type | Description | Example |\n| - | - | - | - |\n"
     "| `strategy` | `*str*` | The strategy. | `backoff` |\n\n## BackoffStrategy\n\n### Fields\n",
     "x.md:5:1: warning: 'RetryConfig' documents SDK settings, not a model (its Fields table "
     "has no Field and Required columns, but Name, Type, Description, Example): skipped"),
])
def test_pages_that_document_no_model_are_skipped(page: str, warning: str) -> None:
    doc, problems = parse(page)
    assert doc is None and problems == [warning]
