"""Black's layout without running black on whole modules: statements of shapes layout.py does
not lay out go to black one by one, and only where they stand on lines of their own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from specgen_md.cli import main
from specgen_md.format import format_source, format_statement
from specgen_md.layout import (
    Atom,
    Group,
    _width_table,
    call,
    data,
    expression,
    reflow,
    text_width,
)
from specgen_md.pysyntax import python_literal

from .conftest import object_page

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
LONG = "CreateIntegrationStoreDirectPropertiesIntegrationsResponse200ApplicationJSONResponseBody"


def test_statements_of_large_doc_sets_are_laid_out_without_black() -> None:
    """The shapes the Vercel docs' modules left to black: an annotation, or a union alias,
    split one operand per line with a subscript split at its brackets; a call after a name
    too long for its line; a string too long for a line of its own, in parentheses all the
    same; a union of parenthesized groups."""
    groups = " | ".join(f"({' | '.join(f'{LONG}{i}{j}' for j in range(3))})" for i in range(3))
    source = "\n".join([
        "class Model(BaseModel):",
        f"    builds: list[{LONG}Builds] | None = None",
        f"    options: {LONG}Options = Field(description=\"Configuration input options for "
        "decreasing plan item quantity.\")",
        '    Value: TypeAlias = "str | StrictInt | StrictFloat | list[Value] | dict[str, Value]'
        ' | StrictBool"',
        "",
        "",
        f"{LONG}Value: TypeAlias = list[{LONG[:40]}1] | dict[str, {LONG[:40]}2]",
        f"Payload: TypeAlias = {groups}",
        "",
    ])
    text, needs_black = reflow(source, 88)
    assert not needs_black
    assert text == format_source("m.py", source)


def test_a_statement_layout_cannot_decide_is_laid_out_by_black_alone() -> None:
    source = "\n".join([
        "class Model(BaseModel):",
        f"    builds: dict[str, {LONG}Builds] | None = None",
        f"    options: {LONG}Options = Field(default_factory=lambda: [{LONG}Options(name=\"x\")])",
        "",
        "",
        f"{LONG}Value: TypeAlias = ({LONG}Value1 | {LONG}Value3) | {LONG}Value2",
        "",
    ])
    asked: list[tuple[str, int]] = []

    def by_black(text: str, depth: int) -> list[str] | None:
        asked.append((text, depth))
        return format_statement(text, depth)

    text, needs_black = reflow(source, 88, by_black)
    assert not needs_black  # the module need not go to black
    assert [depth for _, depth in asked] == [1, 1, 0]
    assert text == format_source("m.py", source)  # as black lays out the whole module
    assert reflow(source, 88) == (source, True)  # without black at hand: the module goes


def test_a_line_that_is_part_of_a_statement_is_not_given_to_black_alone() -> None:
    """An element of a display written one per line (`x,` alone would be a tuple to black),
    or a statement spread over lines: the module goes to black whole."""
    element = f'    "{LONG}{LONG}": {LONG}({LONG}),'
    source = "\n".join(["VALUES = {", element, "}", ""])
    asked: list[str] = []

    def by_black(text: str, depth: int) -> list[str] | None:
        asked.append(text)
        return format_statement(text, depth)

    text, needs_black = reflow(source, 88, by_black)
    assert needs_black and asked == [] and text == source


def test_format_statement_declines_what_black_cannot_read_alone() -> None:
    assert format_statement("x = (", 0) is None
    assert format_statement("y = 1", 2) == ["        y = 1"]


def test_generated_modules_with_long_names_skip_whole_module_black(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose field types have names longer than a line: its module is laid out by
    black statement by statement, black-clean, and never formatted whole."""
    specs = tmp_path / "specs"
    specs.mkdir()
    title = f"{LONG}UiOptions"
    (specs / "item.md").write_text(object_page(title, [("a", "*string*", True, "N/A")]))
    (specs / "holder.md").write_text(object_page("Holder", [
        ("uiOptions", f"[models.{title}](../models/item.md)[]", True, "N/A"),
        ("maybe", f"[models.{title}](../models/item.md)[]", False, "N/A")]))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    whole: list[str] = []

    def spy(path: str, source: str, *rest: Any) -> str:
        whole.append(path)
        return format_source(path, source, *rest)

    monkeypatch.setattr("specgen_md.format.format_source", spy)
    assert main(["generate", "--no-cache"]) == 0
    assert whole == []
    module = (tmp_path / "out" / "p" / "holder.py").read_text()
    assert format_source("holder.py", module) == module
    assert f"    ui_options: list[\n        {title}\n    ] = Field(" in module


@given(st.text(st.characters(blacklist_categories=["Cs"]), max_size=12))
@settings(max_examples=400, deadline=None)
def test_text_width_counts_as_black_does(text: str) -> None:
    from black.strings import str_width

    assert text_width(text) == str_width(text)
    assert _width_table() is not None  # black's table, read without importing black


def test_the_width_of_wide_and_combining_characters() -> None:
    assert text_width("名前") == 4 and text_width("ab") == 2 and text_width("é") == 1


@pytest.mark.parametrize("kind", ["pydantic", "dataclass", "typeddict", "msgspec"])
@pytest.mark.parametrize("width", [40, 64])
def test_narrow_lines_are_laid_out_as_black_lays_them_out(
        kind: str, width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every module of every kind, runtime included, at a short line length: black leaves
    it as it is (a comprehension in a runtime was once split at its commas)."""
    shutil.copytree(SNAPSHOTS / "references" / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\nline_length = {width}\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q", "--no-cache", "--model-kind", kind]) == 0
    for module in sorted((tmp_path / "out" / "p").rglob("*.py")):
        text = module.read_text()
        assert format_source(module.name, text, width) == text, module.name


def _name(size: int, first: str) -> str:
    return first + "x" * size


_ANNOTATIONS = ["{t}", "list[{t}]", "list[{t}] | None", "dict[str, {t}] | None", "{t} | None",
                "list[{t}] | dict[str, {t}]", "TypeAlias", "dict[str, {t}]", "list[list[{t}]]"]
_VALUES = [None, "None", '"{a}"', "{t} | {u}", "str | StrictInt | StrictFloat",
           'Field(validation_alias="{a}", serialization_alias="{a}")',
           'Field(default=None, validation_alias="{a}", serialization_alias="{a}")',
           'Field(description="{a} {a}")']


@given(name=st.integers(0, 110), model=st.integers(0, 110), other=st.integers(0, 60),
       alias=st.integers(0, 60), annotation=st.sampled_from(_ANNOTATIONS),
       value=st.sampled_from(_VALUES), depth=st.integers(0, 2), width=st.sampled_from([88, 60]))
@settings(max_examples=int(os.environ.get("SPECGEN_LAYOUT_EXAMPLES", "300")), deadline=None)
def test_annotated_statements_are_laid_out_as_black_lays_them_out_or_left_to_it(
        name: int, model: int, other: int, alias: int, annotation: str, value: str | None,
        depth: int, width: int) -> None:
    """`name: annotation [= value]` of any length: whatever the layout lays out itself is
    what black makes of the statement alone."""
    names = {"t": _name(model, "M"), "u": _name(other, "N"), "a": _name(alias, "a")}
    text = f"{_name(name, 'f')}: {annotation.format(**names)}"
    if value is not None:
        text += " = " + value.format(**names)
    laid_out, needs_black = reflow("    " * depth + text, width)
    if not needs_black:
        assert laid_out.split("\n") == format_statement(text, depth, width), text


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False,
                     allow_infinity=False), st.text(max_size=8))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, min_size=1, max_size=4),
    st.dictionaries(st.text(max_size=6), inner, min_size=1, max_size=4)), max_leaves=40)


@given(_DATA)
@settings(max_examples=300, deadline=None)
def test_data_read_back_from_its_text_is_the_node_made_from_the_data(value: Any) -> None:
    """Each level of a nested literal is read at its own depth (brackets, commas, `: ` and
    `|` inside strings or deeper brackets are not that level's): the text a template writes
    reads back as the node made from the data itself."""
    assert expression(python_literal(value)) == data(value)
    assert expression(f"Field(default={python_literal(value)})") == call(
        "Field", [("default=", data(value))])


def test_empty_groups_and_keyword_leads_read_as_nodes() -> None:
    assert expression("[]") == Group("[", (), "]", display=True)
    assert expression("f()") == Group("f(", (), ")")
    assert expression("a.b[c]") == Group("a.b[", (("", Atom("c")),), "]")
    assert expression("f(name=)") == Group("f(", (("name=", Atom("")),), ")")
    assert expression("f(a==b, x=1)") == Group("f(", (("", Atom("a==b")), ("x=", Atom("1"))), ")")
    assert expression("f(a)(b)") == Atom("f(a)(b)", splittable=True)  # not one group
