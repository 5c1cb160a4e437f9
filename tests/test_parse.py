"""The parser: example literals, the Type-cell and heading grammars, pages with positions."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import (
    ArrayType,
    Doc,
    EnumDoc,
    EnumMemberRef,
    LiteralType,
    MapType,
    ObjectDoc,
    PlatformValue,
    Position,
    Primitive,
    PrimitiveType,
    RefType,
    RuntimeType,
    StreamType,
    UnionDoc,
    UnionType,
)
from specgen_md.parse import parse_document
from specgen_md.parse.dialects import TypeSyntaxError
from specgen_md.parse.dialects.typescript import parse_heading_type, parse_type_cell
from specgen_md.parse.document import markdown
from specgen_md.parse.examples import LiteralError, find_example, parse_literal
from specgen_md.parse.tables import _split_cells

from .conftest import enum_page, object_page

AT = Position("x.md", 3, 10)


def test_literal_subset_of_javascript() -> None:
    text = """{
      id: "a\\"b\\\\c\\u00e9",
      'single': 'q',
      "quoted-key": [1, -2, 3.5, 1e3, null, true, false,],
      when: new Date("2025-01-02T03:04:05.000Z"), // a comment
      nested: { deep: [ {}, [] ] },
    }"""
    value, _ = parse_literal(text, allow_rest=False)
    assert value == {
        "id": 'a"b\\cé', "single": "q", "quoted-key": [1, -2, 3.5, 1000.0, None, True, False],
        "when": "2025-01-02T03:04:05.000Z", "nested": {"deep": [{}, []]},
    }
    assert type(value["quoted-key"][0]) is int and type(value["quoted-key"][2]) is float


@pytest.mark.parametrize("text", ["{ a: }", "[1 2]", '"open', "{ a: foo }", "new Map(",
                                  "{ a: 1,", "[1,", "", "{ a: { b: 2, }", "new Date(", "-",
                                  "1.5n", "{ a: 0x_ }", "[0123n]", "/* open", "'a\nb'"])
def test_literal_errors_have_offsets(text: str) -> None:
    with pytest.raises(LiteralError) as info:
        parse_literal(text, allow_rest=False)
    assert 0 <= info.value.offset <= len(text)


def test_literals_read_strings_and_comments_whole() -> None:
    text = "{ /* a\n comment */ a: 'it\\'s', // to the end\n b: `two\nlines`, c: \"\\u00e9\\n\" }"
    assert parse_literal(text, allow_rest=False)[0] == {"a": "it's", "b": "two\nlines",
                                                        "c": "é\n"}
    assert parse_literal("12n", allow_rest=False)[0] == 12


def test_find_example_skips_the_import_and_annotation() -> None:
    code = 'import { A } from "x";\n\nlet value: A = {\n  b: 1,\n};\n'
    found = find_example(code)
    assert found is not None
    assert parse_literal(found[1])[0] == {"b": 1}
    assert find_example("// No examples available for this model\n") is None


def test_type_cells() -> None:
    assert parse_type_cell("*string*", AT) == PrimitiveType(Primitive.STRING, AT)
    assert parse_type_cell("*number*[][]", AT) == ArrayType(
        ArrayType(PrimitiveType(Primitive.NUMBER, AT), AT), AT)
    nested = parse_type_cell("Record\\<string, Record<string, *any*>>", AT)
    assert nested == MapType(MapType(PrimitiveType(Primitive.ANY, AT), AT), AT)
    assert parse_type_cell('*"text/plain"*', AT) == LiteralType("text/plain", AT)
    assert parse_type_cell("*true*", AT) == LiteralType(True, AT)
    ref = parse_type_cell("[models.Foo](../models/foo.md)", AT)
    assert ref == RefType("models.Foo", AT, target="../models/foo.md")
    assert parse_type_cell("*operations.Bar*", AT) == RefType("operations.Bar", AT,
                                                            qname="operations.Bar")
    date = "[Date](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Date)"
    assert parse_type_cell(date, AT) == PrimitiveType(Primitive.DATETIME, AT)
    assert parse_type_cell("[RFCDate](../../types/rfcdate.md)", AT) == PrimitiveType(
        Primitive.DATE, AT)
    upload = parse_type_cell("[File](https://x) \\| [Blob](https://y) \\| [models.F](f.md)", AT)
    assert isinstance(upload, UnionType) and len(upload.members) == 3
    assert parse_type_cell("*ReadableStream\\<Uint8Array>*", AT) == RuntimeType(
        "ReadableStream<Uint8Array>", AT)
    # A link outside the specs names a platform object, whatever its label.
    assert parse_type_cell("[HttpResponseMessage](https://learn.microsoft.com/x)", AT) == (
        RuntimeType("HttpResponseMessage", AT))
    # Links resolve by target: the label need not carry a namespace.
    assert parse_type_cell("[Accepts](../../Models/Components/Accepts.md)", AT) == RefType(
        "Accepts", AT, target="../../Models/Components/Accepts.md")
    assert parse_type_cell("*shared.Value*", AT) == RefType("shared.Value", AT,
                                                           qname="shared.Value")


@pytest.mark.parametrize(("cell", "offset"), [
    ("*strin*", 1), ("string", 0), ("*string", 0), ("Record<number, *any*>", 7),
    ("[models.Foo]()", 0), ("*string* extra", 9),
])
def test_type_cell_errors_point_at_the_problem(cell: str, offset: int) -> None:
    with pytest.raises(TypeSyntaxError) as info:
        parse_type_cell(cell, AT)
    assert info.value.offset == offset


def test_union_headings() -> None:
    assert parse_heading_type("number[][]", AT) == ArrayType(
        ArrayType(PrimitiveType(Primitive.NUMBER, AT), AT), AT)
    assert parse_heading_type("{ [k: string]: models.X }", AT) == MapType(
        RefType("models.X", AT, qname="models.X"), AT)
    assert parse_heading_type("EventStream<models.Ev>", AT) == StreamType(
        RefType("models.Ev", AT, qname="models.Ev"), AT)


def parse(text: str, key: str = "thing.md") -> tuple[Doc | None, Diagnostics]:
    diags = Diagnostics()
    return parse_document(text.encode(), key, key, diags), diags


def test_object_page() -> None:
    page = object_page("Thing", [("id", "*string*", True, "The id.<br/>More."),
                                 ("count", "*number*", False, "N/A")], "{ id: \"a\" }")
    doc, diags = parse(page)
    assert not diags.items
    assert isinstance(doc, ObjectDoc)
    assert doc.title == "Thing" and doc.example is not None and doc.example.value == {"id": "a"}
    assert [(f.name, f.required, f.description) for f in doc.fields] == [
        ("id", True, "The id.\nMore."), ("count", False, None)]
    assert doc.fields[0].pos.line == 15 and doc.fields[0].pos.col == 3


def test_enum_pages_open_and_closed() -> None:
    doc, _ = parse(enum_page("Status", '"a" | "b" | Unrecognized<string>'))
    assert isinstance(doc, EnumDoc) and doc.open and [v.value for v in doc.values] == ["a", "b"]
    doc, _ = parse(enum_page("Code", "0 | -1 | 200"))
    assert isinstance(doc, EnumDoc) and not doc.open
    assert [v.value for v in doc.values] == [0, -1, 200]


def test_front_matter_title_and_deprecated_title() -> None:
    doc, diags = parse('---\ntitle: "~~Old~~"\n---\n\n## Values\n\n```typescript\n"x"\n```',
                       "old.mdx")
    assert not diags.items
    assert isinstance(doc, EnumDoc) and doc.title == "Old" and doc.deprecated


def test_union_page() -> None:
    page = "# U\n\n## Supported Types\n\n### `string`\n\n```typescript\nconst value: string = " \
           '"s";\n```\n\n### `models.A[]`\n'
    doc, diags = parse(page)
    assert not diags.items
    assert isinstance(doc, UnionDoc)
    assert [m.heading for m in doc.members] == ["string", "models.A[]"]
    assert doc.members[0].example is not None and doc.members[0].example.value == "s"


@pytest.mark.parametrize(("text", "where", "message"), [
    ("", "1:1", "empty spec file"),
    ("# A\n\n# B\n\n## Values\n\n```typescript\n\"x\"\n```", "3:3", "second title"),
    ("# not-an-id\n\n## Fields\n", "1:3", "not an identifier"),
    ("# A\n\n## Fields\n\nno table", "3:4", "has no table"),
    ("# A\n\n## Fields\n\n| Field | Required |\n| - | - |\n| `a` | :heavy_check_mark: |", "5:3",
     "no 'Type' column"),
    ("# A\n\n## Fields\n\n| Field | Type | Required |\n| - | - | - |\n| `a` | *string* |", "7:1",
     "row has 2 cells, the header has 3"),
    ("# A\n\n## Fields\n\n| Field | Type | Required |\n| - | - | - |\n"
     "| `a` | *string* | :heavy_check_mark: |\n| `a` | *string* | :heavy_check_mark: |", "8:3",
     "duplicate field 'a'"),
    ("# A\n\n## Values\n\n```typescript\n\"x\" | \"x\"\n```", "6:7", "duplicate enum value"),
    ("# A\n\n## Supported Types\n\nnothing", "3:4", "union has no members"),
    ("# A\n\nJust text.", "1:3", "not a model doc"),
])
def test_page_errors(text: str, where: str, message: str) -> None:
    _, diags = parse(text)  # a doc without what has errors, if any: see test_errors.py
    shown = [str(d) for d in diags.sorted()]
    assert any(s.startswith(f"thing.md:{where}: error: ") and message in s for s in shown), shown


def test_undecodable_and_binary_files() -> None:
    diags = Diagnostics()
    assert parse_document(b"# A\n\xff\xfe", "a.md", "a.md", diags) is None
    assert str(diags.items[0]) == "a.md:2:1: error: file is not valid UTF-8"
    diags = Diagnostics()
    assert parse_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff", "a.md", "a.md",
                          diags) is None
    assert "binary" in str(diags.items[0])


def test_helper_type_pages_are_skipped_with_a_warning() -> None:
    page = "# RFCDate\n\n## Usage\n\n```typescript\nnew RFCDate(\"2025-01-01\")\n```"
    doc, diags = parse(page, "types/rfcdate.md")
    assert doc is None and not diags.has_errors
    assert [str(d) for d in diags.items] == [
        "types/rfcdate.md:1:3: warning: 'RFCDate' documents an SDK helper type ('## Usage'), "
        "not a model: skipped"]


def test_crlf_tabs_and_bom_are_accepted() -> None:
    page = object_page("Thing", [("id", "*string*", True, "N/A")]).replace("\n", "\r\n")
    diags = Diagnostics()
    doc = parse_document(b"\xef\xbb\xbf" + page.encode(), "t.md", "t.md", diags)
    assert isinstance(doc, ObjectDoc) and doc.fields[0].name == "id", diags.sorted()
    tabbed = object_page("Thing", [("id", "*string*", True, "N/A")]).replace(
        "| `id` |", "|\t`id`\t|")
    doc, diags = parse(tabbed)
    assert isinstance(doc, ObjectDoc) and doc.fields[0].name == "id", diags.sorted()


def test_example_literals_name_enum_members_and_runtime_objects() -> None:
    value, _ = parse_literal('{ relative: BoolInt.True, response: new Response("{}", '
                             '{ headers: { "Content-Type": "x" } }), d: new Date("2020") }')
    assert value == {"relative": EnumMemberRef("BoolInt", "True"),
                     "response": PlatformValue("Response"), "d": "2020"}


TABLE_RULE = importlib.import_module("markdown_it.rules_block.table")


def original_split() -> Callable[[str], list[str]]:
    """markdown-it's own `escapedSplit`, from a fresh copy of its module (specgen's parser
    puts its faster one in the module it uses)."""
    origin = TABLE_RULE.__file__
    spec = importlib.util.spec_from_file_location("markdown_it.rules_block._table_copy", origin)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    split: Callable[[str], list[str]] = module.escapedSplit
    return split


ORIGINAL_SPLIT = original_split()


@given(st.text(alphabet="|\\` a", max_size=40))
@settings(max_examples=500, deadline=None)
def test_table_rows_split_as_markdown_it_splits_them(row: str) -> None:
    """The parser splits table rows by regular expression: exactly as markdown-it's own
    character loop does, which it replaces."""
    markdown()  # the parser, as specgen builds it
    assert _split_cells(row) == ORIGINAL_SPLIT(row)
    assert ORIGINAL_SPLIT is not _split_cells
    assert TABLE_RULE.escapedSplit is _split_cells  # the one in use


def test_evolve_copies_a_node_as_dataclasses_replace_does() -> None:
    from dataclasses import replace

    from specgen_md.ir import evolve

    ref = RefType("[models.A](a.md)", AT, target="a.md")
    copy = evolve(ref, key="a.md")
    assert copy == replace(ref, key="a.md") and hash(copy) == hash(replace(ref, key="a.md"))
    assert ref.key is None and copy is not ref  # the original stays as it was
    with pytest.raises(TypeError, match="RefType has no field"):
        evolve(ref, kee="a.md")


_KEYS = st.sampled_from(["title", "Title", "sidebar_title", "description", "true", "null",
                         "a-b", "title "])
# (markdown-it reads NUL as U+FFFD and CR as a line break: not the text YAML would read)
_TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"],
                               exclude_characters="\0\r"), max_size=12) | \
    st.text(st.sampled_from('aZ 09#:"\\\'-{}[]&*!|>%@`,?\t'), max_size=12)


@given(st.lists(st.tuples(_KEYS, _TEXTS, st.sampled_from(['"', "", "'"])), max_size=4))
@settings(max_examples=300, deadline=None)
def test_front_matter_titles_are_what_yaml_reads(entries: list[tuple[str, str, str]]) -> None:
    """Front matter of plain `key: "text"` lines is read without a YAML parser: the title
    (and the errors) are what YAML makes of any front matter."""
    import yaml
    from specgen_md.parse.document import Page

    matter = "".join(f"{key}: {quote}{text}{quote}\n" for key, text, quote in entries)
    diags = Diagnostics()
    titles = Page(f"---\n{matter}---\n\n## Fields\n", "p.md", "p.md", diags).titles
    try:
        meta = yaml.safe_load(matter)
    except yaml.YAMLError:
        assert titles == [] and diags.has_errors
        return
    # A title YAML reads as null (`title:`) or as the empty string gives none
    expected = [str(meta["title"])] if isinstance(meta, dict) and meta.get("title") not in (
        None, "") else []
    assert [title for title, _ in titles] == expected and not diags.has_errors


def test_plain_front_matter_is_read_without_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from specgen_md.parse.document import Page

    asked: list[str] = []
    read = Page._yaml

    def spy(self: Page, tok: Any) -> object:
        asked.append(tok.content)
        return read(self, tok)

    monkeypatch.setattr(Page, "_yaml", spy)
    page = Page('---\ntitle: "Plain"\nsidebar-title: "#1: x"\n---\n\n## Fields\n', "p.md",
                "p.md", Diagnostics())
    assert [title for title, _ in page.titles] == ["Plain"] and asked == []
    page = Page("---\ntitle: 2024-01-02\n---\n\n## Fields\n", "p.md", "p.md", Diagnostics())
    assert [title for title, _ in page.titles] == ["2024-01-02"] and len(asked) == 1


def test_a_list_indented_under_the_preamble_keeps_its_items_aligned() -> None:
    doc, diags = parse('# S\n\nStream type:\n  - VIDEO = 1 (Video)\n  - AUDIO = 2 (Audio)\n'
                       '    - nested\n\n## Values\n\n```typescript\n1 | 2\n```\n')
    assert doc is not None and not diags.items
    assert doc.description == "Stream type:\n\n- VIDEO = 1 (Video)\n- AUDIO = 2 (Audio)\n  - nested"
