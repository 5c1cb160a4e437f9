"""A `## Values` section -> enum values: a TypeScript `"a" | "b"` fence, or a
`| Name | Value |` table (every dialect), with what the page says of openness and of
the values' kind."""

from __future__ import annotations

import math
import re
from dataclasses import replace

from ..ir import EnumValue
from ..records import frozen
from .dialects import EnumUsage
from .document import Fence, Page, Section, Table, clean_text
from .examples import LiteralError, parse_literal

_OPEN_ENUM_NOTE = re.compile(r"open enum|Unrecognized\\?<(string|number)>")
# The last row of an open TypeScript table: `| - | `Unrecognized<string>` |`, no value.
_UNRECOGNIZED = re.compile(r"`?Unrecognized\\?<(string|number)>`?")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


@frozen
class Values:
    values: tuple[EnumValue, ...]
    open: bool
    kind_guessed: bool


def read_values(page: Page, section: Section, usage: EnumUsage | None) -> Values:
    note = " ".join(t.content for t in section.tokens if t.type == "inline")
    said = _OPEN_ENUM_NOTE.search(note)
    is_open = said is not None or bool(usage and usage.open)
    # What a marker says of the kind: numbers, strings, or nothing (None).
    numeric = (
        (said.group(1) == "number")
        if said and said.group(1)
        else (usage.numeric if usage else None)
    )
    fences = page.fences(section.tokens)
    guessed = False
    errors_before = len(page.diags.errors)
    if fences:
        values, fence_open = _value_union(page, fences[0])
        is_open = is_open or fence_open
    else:
        table = page.table(section)
        if table is None:
            page.diags.error(
                section.pos, "'## Values' has neither a typescript fence nor a table"
            )
            return Values((), False, False)
        if "Value" not in table.columns:
            page.diags.error(
                page.pos(table.line0), "the Values table has no 'Value' column"
            )
            return Values((), False, False)
        values, row_kind = _table_values(page, table)
        if row_kind is not None:
            is_open, numeric = True, row_kind == "number"
        values, guessed = _typed_table_values(page, values, numeric)
    _check(page, section, values, len(page.diags.errors) > errors_before)
    return Values(tuple(values), is_open, guessed)


def _check(page: Page, section: Section, values: list[EnumValue], said: bool) -> None:
    """Errors for what the values are as a whole (`said`: the values have errors already)."""
    if not values and not said:
        page.diags.error(section.pos, "enum has no values")
    for v in values:
        if isinstance(v.value, float) and not math.isfinite(v.value):
            page.diags.error(v.pos, "enum value beyond a float's range")
    text = next((v for v in values if isinstance(v.value, str)), None)
    number = next((v for v in values if not isinstance(v.value, str)), None)
    if text is not None and number is not None:
        later = max(text, number, key=lambda v: (v.pos.line, v.pos.col))
        page.diags.error(later.pos, f"enum values mix strings and numbers ({text.value!r} "
                         f"and {number.value!r}): an enum holds values of one kind")
    seen: dict[str | int | float, EnumValue] = {}
    for v in values:
        if v.value in seen:
            page.diags.error(
                v.pos,
                f"duplicate enum value {v.value!r} "
                f"(first at line {seen[v.value].pos.line})",
            )
        seen.setdefault(v.value, v)


def _table_values(page: Page, table: Table) -> tuple[list[EnumValue], str | None]:
    """The table's values (text), and the kind an `Unrecognized<...>` row gives."""
    columns = table.columns
    values: list[EnumValue] = []
    kind = None
    for line0, cells in table.rows:
        if len(cells) != len(table.header):
            page.diags.error(
                page.pos(line0),
                f"row has {len(cells)} cells, the header has {len(table.header)}",
            )
            continue
        cell = cells[columns["Value"]]
        name = cells[columns["Name"]].text.strip("`") if "Name" in columns else ""
        unrecognized = _UNRECOGNIZED.fullmatch(cell.text)
        if unrecognized and name in ("-", ""):
            kind = unrecognized.group(1)  # the open enum's catch-all: no value
            continue
        values.append(
            EnumValue(clean_text(cell.text), page.pos(line0, cell.col), name or None)
        )
    return values, kind


def _typed_table_values(
    page: Page, values: list[EnumValue], numeric: bool | None
) -> tuple[list[EnumValue], bool]:
    """Tables write every value unquoted (`| `True` | 1 |`, `| `Enable` | enable |`).
    Where no marker says the kind, a table of numbers is read as numbers, and that is a
    guess; any other table is of strings."""
    texts = [str(v.value) for v in values]
    if numeric is False or not texts:
        return values, False
    if all(_INTEGER.fullmatch(t) for t in texts):
        read = []
        for v, t in zip(values, texts, strict=True):
            try:
                read.append(replace(v, value=int(t)))
            except ValueError:  # beyond Python's limit on the digits of an int read
                page.diags.error(v.pos, f"enum value of {len(t)} digits: too long a number")
        return read, numeric is None
    if all(_FLOAT.fullmatch(t) for t in texts):
        return [
            replace(v, value=float(t)) for v, t in zip(values, texts, strict=True)
        ], (numeric is None)
    return values, False


def _value_union(page: Page, fence: Fence) -> tuple[list[EnumValue], bool]:
    """`"a" | "b" | 3 | Unrecognized<string>` -> values, and whether it is open."""
    code, first = fence.code, fence.line0
    values: list[EnumValue] = []
    is_open = False
    offset = 0
    while True:
        rest = code[offset:]
        stripped = rest.lstrip()
        offset += len(rest) - len(stripped)
        if not stripped:
            break
        match = re.match(r"Unrecognized<(string|number)>", stripped)
        if match:
            is_open = True
            offset += match.end()
        else:
            try:
                value, end = parse_literal(stripped)
            except LiteralError as exc:
                page.diags.error(
                    page.literal_at(code, first, offset + exc.offset),
                    f"enum value: {exc}",
                )
                return values, is_open
            if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                page.diags.error(
                    page.literal_at(code, first, offset),
                    "enum values must be string or number literals",
                )
                return values, is_open
            values.append(EnumValue(value, page.literal_at(code, first, offset)))
            offset += end
        rest = code[offset:].lstrip()
        offset = len(code) - len(rest)
        if rest.startswith("|"):
            offset += 1
        elif rest.strip(" \n;"):
            page.diags.error(
                page.literal_at(code, first, offset),
                f"expected '|' between enum values, found {rest[:1]!r}",
            )
            return values, is_open
        else:
            break
    return values, is_open
