"""A `## Fields` table -> the fields of an object doc, each Type cell read by the
dialect."""

from __future__ import annotations

import re
from dataclasses import replace

from ..dates import date_from_example
from ..ir import (
    ArrayType,
    FieldSpec,
    MapType,
    NullableType,
    Position,
    Primitive,
    PrimitiveType,
    TypeExpr,
    UnknownType,
)
from .dialects import Dialect
from .document import Cell, Page, Section, Table, clean_text

_FIELD_NAME = re.compile(r"^(~~)?`([^`]*)`(~~)?$")
_EXAMPLE_SPLIT = re.compile(r"\*\*Example \d+:\*\*\s*")
# `: warning: ** DEPRECATED **: <why>.<br/><br/><original description>`
_DEPRECATION_NOTICE = re.compile(
    r"^:\s*warning:\s*\*\*\s*DEPRECATED\s*\*\*:?\s*(.*?)(?:\n\n(.*))?$", re.DOTALL
)
REQUIRED = {":heavy_check_mark:": True, ":heavy_minus_sign:": False}


def is_extra_row(name: str, expr: TypeExpr) -> bool:
    """The additional-properties row, however the dialect spells it
    (`additionalProperties`, `AdditionalProperties`, `additional_properties`, Python's
    `__pydantic_extra__`): a map whose keys sit at the top level of the JSON object, not
    under a key of that name."""
    if isinstance(expr, NullableType):
        expr = expr.item
    if not isinstance(expr, MapType):
        return False
    return name == "__pydantic_extra__" or name.replace("_", "").lower() == (
        "additionalproperties"
    )


def settings_table(table: Table) -> bool:
    """A table of SDK settings (`| Name | Type | Description |`, plex-python's
    RetryConfig), not a model's Fields table: it names no Field and says nothing of
    Required."""
    columns = table.columns
    return "Name" in columns and "Field" not in columns and "Required" not in columns


def read_fields(
    page: Page, section: Section, dialect: Dialect
) -> tuple[FieldSpec, ...]:
    table = page.table(section)
    if table is None:
        page.diags.error(section.pos, "'## Fields' has no table")
        return ()
    columns = table.columns
    missing = [c for c in ("Field", "Type", "Required") if c not in columns]
    for name in missing:
        page.diags.error(
            page.pos(table.line0, table.header[0].col if table.header else 1),
            f"the Fields table has no '{name}' column",
        )
    if missing:
        return ()
    result: list[FieldSpec] = []
    seen: dict[str, int] = {}
    for line0, cells in table.rows:
        if len(cells) != len(table.header):
            page.diags.error(
                page.pos(line0, 1),
                f"row has {len(cells)} cells, the header has {len(table.header)}",
            )
            continue
        spec = _field(page, dialect, columns, line0, cells, seen)
        if spec is not None:
            result.append(spec)
    return tuple(result)


def _field(
    page: Page,
    dialect: Dialect,
    columns: dict[str, int],
    line0: int,
    cells: list[Cell],
    seen: dict[str, int],
) -> FieldSpec | None:
    name_cell = cells[columns["Field"]]
    match = _FIELD_NAME.match(name_cell.text)
    name_pos = page.pos(line0, name_cell.col)
    if match is None or bool(match.group(1)) != bool(match.group(3)):
        page.diags.error(
            name_pos,
            f"field name must be `name` or ~~`name`~~, found {name_cell.text!r}",
        )
        return None
    name = match.group(2)
    if not name.strip():
        page.diags.error(name_pos, "empty field name")
        return None
    if name in seen:
        page.diags.error(
            name_pos, f"duplicate field {name!r} (first at line {seen[name]})"
        )
        return None
    seen[name] = name_pos.line
    req_cell = cells[columns["Required"]]
    if req_cell.text not in REQUIRED:
        page.diags.error(
            page.pos(line0, req_cell.col),
            "Required must be :heavy_check_mark: "
            f"or :heavy_minus_sign:, found {req_cell.text!r}",
        )
        return None
    required = REQUIRED[req_cell.text]
    examples, examples_pos = _examples(page, columns, line0, cells)
    type_cell = cells[columns["Type"]]
    expr = _type(page, dialect, type_cell.text, line0, type_cell.col, required)
    if dialect.dates_by_example and examples:
        expr = _date_by_example(expr, examples[0])
    description, note = _description(columns, cells)
    deprecated = bool(match.group(1)) or note is not None
    return FieldSpec(
        name=name,
        type=expr,
        required=required,
        description=description,
        examples=examples,
        deprecated=deprecated,
        deprecation_note=note or None,
        pos=name_pos,
        examples_pos=examples_pos,
        extra=is_extra_row(name, expr),
    )


def _description(
    columns: dict[str, int], cells: list[Cell]
) -> tuple[str | None, str | None]:
    """The Description cell's text, and the deprecation notice it opens with ("" for a
    notice that gives no reason; None without a notice)."""
    description = None
    if "Description" in columns:
        raw = cells[columns["Description"]].text
        if raw and raw != "N/A":
            description = clean_text(raw)
    notice = _DEPRECATION_NOTICE.match(description or "")
    if notice is None:
        return description, None
    # The notice may stand alone, with no original description after it.
    return (notice.group(2) or "").strip() or None, notice.group(1).strip()


def _examples(
    page: Page, columns: dict[str, int], line0: int, cells: list[Cell]
) -> tuple[tuple[str, ...], Position | None]:
    if "Example" not in columns:
        return (), None
    cell = cells[columns["Example"]]
    if not cell.text:
        return (), page.pos(line0, cell.col)
    parts = [p for p in _EXAMPLE_SPLIT.split(cell.text) if p.strip()]
    return tuple(clean_text(p) for p in parts), page.pos(line0, cell.col)


def _type(
    page: Page, dialect: Dialect, text: str, line0: int, col: int, required: bool
) -> TypeExpr:
    """A Type cell's expression; one the grammar cannot read is kept as `UnknownType`,
    for the resolver to report (an error, or with `lenient` a warning)."""
    found = page.cell_type(dialect, text, line0, col)
    if isinstance(found, Exception):
        return UnknownType(text, str(found), page.pos(line0, col + found.offset))
    return dialect.field_type(found, text, required)


def _date_by_example(expr: TypeExpr, example: str) -> TypeExpr:
    """A date or date-time as the example shows it, where the dialect's labels are not
    reliable; the label stands when the example says neither."""
    if isinstance(expr, PrimitiveType) and expr.kind in (
        Primitive.DATE,
        Primitive.DATETIME,
    ):
        said = date_from_example(example)
        return expr if said is None or said is expr.kind else replace(expr, kind=said)
    if isinstance(expr, (NullableType, ArrayType)):
        item = _date_by_example(expr.item, example)
        return expr if item is expr.item else replace(expr, item=item)
    return expr
