"""One spec page -> one IR doc, in a dialect; pages that document no model are skipped.

What a page is comes from its sections: `## Fields` an object, `## Values` an enum,
`## Supported Types` a union. A page with sections but none of those documents the SDK
(`## Usage` of a helper type, `## Options`), and a Fields table without Field and
Required columns SDK settings: both are skipped with a warning. A page with a title and
no section at all is a union whose members the docs do not give in dialects that write
unions so (Ruby, Java), and an error elsewhere.
"""

from __future__ import annotations

import re
from typing import Any

from ..diagnostics import Diagnostics
from ..ir import Doc, EnumDoc, EnumMemberRef, Example, ObjectDoc, Position, UnionDoc
from .dialects import DIALECTS, Dialect, EnumUsage
from .dialects.detect import PageEvidence, Row, page_evidence
from .document import Fence, Page, Section, read_text
from .enums import read_values
from .fields import REQUIRED, read_fields, settings_table
from .unions import read_members

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FIELD_NAME = re.compile(r"^(?:~~)?`([^`]*)`(?:~~)?$")
MODEL_SECTIONS = ("Fields", "Values", "Supported Types")
_KNOWN_SECTIONS = (*MODEL_SECTIONS, "Example Usage", "Usage", "Union Discrimination")


def read_page(
    data: bytes, key: str, display: str, diags: Diagnostics, dialect: str | None = None
) -> tuple[Doc | None, PageEvidence | None]:
    """Parse one spec file's bytes: the doc (None for a page that documents no model, or
    has none to give for its errors; see `build`) and what the page says of its dialect
    (None for a page that is no model's).
    `dialect` forces one; without it the page's own evidence picks."""
    text = read_text(data, display, diags)
    if text is None:
        return None, None
    if not text.strip():
        diags.error(Position(display), "empty spec file")
        return None, None
    page = Page(text, key, display, diags)
    if _not_a_model(page):
        return None, None
    evidence = page_evidence(page, _rows(page), _enum_names(page))
    return build(page, DIALECTS[dialect or evidence.guess]), evidence


def parse_document(
    data: bytes, key: str, display: str, diags: Diagnostics, dialect: str | None = None
) -> Doc | None:
    """Parse one spec file's bytes. `key` is its spec-relative path, `display` its shown
    path."""
    return read_page(data, key, display, diags, dialect)[0]


def _section(page: Page, name: str) -> Section | None:
    return next((s for s in page.sections if s.title == name), None)


def _not_a_model(page: Page) -> bool:
    """Whether the page documents something else than a model (warned and skipped)."""
    titles = page.titles
    named = repr(titles[0][0]) if titles else "this page"
    where = (
        titles[0][1]
        if titles
        else (page.sections[0].pos if page.sections else page.pos(0))
    )
    present = [s.title for s in page.sections]
    if page.sections and not set(present) & set(MODEL_SECTIONS):
        if "Usage" in present:
            # SDK helper types such as `types/rfcdate.md`: links to them are read by
            # label.
            page.diags.warning(
                where,
                f"{named} documents an SDK helper type ('## Usage'), "
                "not a model: skipped",
            )
        else:
            shown = ", ".join(f"'## {name}'" for name in present[:3])
            page.diags.warning(
                where,
                f"{named} documents no model (its sections are "
                f"{shown}{', ...' if len(present) > 3 else ''}): skipped",
            )
        return True
    fields = _section(page, "Fields")
    table = page.table(fields) if fields is not None else None
    if (
        table is not None
        and settings_table(table)
        and present.count("Fields") == 1
        and not (set(present) & {"Values", "Supported Types"})
    ):
        header = ", ".join(cell.text for cell in table.header)
        page.diags.warning(
            page.pos(table.line0, 1),
            f"{named} documents SDK settings, not a "
            f"model (its Fields table has no Field and Required columns, but "
            f"{header}): skipped",
        )
        return True
    return False


def _rows(page: Page) -> list[Row]:
    section = _section(page, "Fields")
    table = page.table(section) if section is not None else None
    if table is None or "Type" not in table.columns:
        return []
    columns = table.columns
    rows: list[Row] = []
    for line0, cells in table.rows:
        if len(cells) != len(table.header):
            continue
        name_cell = cells[columns["Field"]].text if "Field" in columns else ""
        match = _FIELD_NAME.match(name_cell)
        required = cells[columns["Required"]].text if "Required" in columns else ""
        type_cell = cells[columns["Type"]]
        rows.append(
            (
                line0,
                type_cell.col,
                match.group(1) if match else name_cell,
                type_cell.text,
                REQUIRED.get(required, True),
            )
        )
    return rows


def _enum_names(page: Page) -> list[str]:
    section = _section(page, "Values")
    table = page.table(section) if section is not None else None
    if table is None or "Name" not in table.columns:
        return []
    column = table.columns["Name"]
    names = [
        cells[column].text.strip("`") for _, cells in table.rows if len(cells) > column
    ]
    return [name for name in names if name not in ("", "-")]


def _title(page: Page) -> tuple[str, bool, Position] | None:
    found = page.titles
    if not found:
        page.diags.error(
            page.pos(0), "no title: expected '# Name' or front matter 'title: \"Name\"'"
        )
        return None
    if len(found) > 1:
        page.diags.error(
            found[1][1], f"second title {found[1][0]!r} (the first is {found[0][0]!r})"
        )
        return None
    title, title_pos = found[0]
    deprecated = title.startswith("~~") and title.endswith("~~") and len(title) > 4
    if deprecated:
        title = title[2:-2]
    if not _IDENTIFIER.fullmatch(title):
        page.diags.error(title_pos, f"title {title!r} is not an identifier")
        return None
    # Keywords, `None` and names Python reserves are fine here: the renderer gives such
    # a class another Python name (and says so).
    return title, deprecated, title_pos


def _sections(page: Page) -> dict[str, Section]:
    by_name: dict[str, Section] = {}
    for section in page.sections:
        if section.title in by_name:
            page.diags.error(section.pos, f"duplicate section '## {section.title}'")
        elif section.title not in _KNOWN_SECTIONS:
            page.diags.warning(
                section.pos, f"unknown section '## {section.title}' is ignored"
            )
        by_name.setdefault(section.title, section)
    return by_name


def build(page: Page, dialect: Dialect) -> Doc | None:
    """The page's doc as `dialect` reads it, without the rows, values or members that have
    errors (the run that reports them writes nothing: the doc is resolved for the errors
    it has beyond them, an unknown type, a broken link); None when it has no model to give
    (no title, no model section, two kinds)."""
    title_info = _title(page)
    if title_info is None:
        return None
    title, deprecated, title_pos = title_info
    description, preamble_deprecated = page.preamble()
    by_name = _sections(page)
    kinds = [name for name in MODEL_SECTIONS if name in by_name]
    common: dict[str, Any] = dict(
        key=page.key,
        title=title,
        namespace=tuple(page.key.split("/")[:-1]),
        description=description,
        deprecated=deprecated or preamble_deprecated,
        example=None,
        pos=title_pos,
        dialect=dialect.name,
    )
    if not kinds:
        if not dialect.title_only_union:
            page.diags.error(
                title_pos,
                "no '## Fields', '## Values' or '## Supported Types' "
                "section: not a model doc",
            )
            return None
        page.diags.warning(
            title_pos,
            f"{title!r} gives a title and no section: a union "
            f"whose members the {dialect.name} docs do not give; generated "
            "as Any",
        )
        return UnionDoc(**common)
    if len(kinds) > 1:
        page.diags.error(
            by_name[kinds[1]].pos,
            f"a doc has one kind, but '## {kinds[0]}' and '## {kinds[1]}' both appear",
        )
        return None
    usage = by_name.get("Example Usage")
    fences = page.fences(usage.tokens) if usage is not None else []
    return _doc(page, dialect, kinds[0], by_name[kinds[0]], common, fences[:1])


def _doc(
    page: Page,
    dialect: Dialect,
    kind: str,
    section: Section,
    common: dict[str, Any],
    usage: list[Fence],
) -> Doc:
    if dialect.literal_examples and usage:
        common["example"] = page.parse_example(usage[0])
    if kind == "Fields":
        return ObjectDoc(**common, fields=read_fields(page, section, dialect))
    if kind == "Values":
        markers = (
            dialect.usage_markers(usage[0].code, common["title"]) if usage else None
        )
        if markers is not None and markers.member is not None:
            common["example"] = _member_example(
                page, usage[0], common["title"], markers
            )
        values = read_values(page, section, markers)
        return EnumDoc(
            **common,
            values=values.values,
            open=values.open,
            kind_guessed=values.kind_guessed,
        )
    return UnionDoc(**common, members=read_members(page, section, dialect))


def _member_example(
    page: Page, fence: Fence, title: str, markers: EnumUsage
) -> Example:
    """An enum page's example naming one member (`value := components.StatusActive`)."""
    assert markers.member is not None
    offset = fence.code.find(markers.member)
    return Example(
        EnumMemberRef(title, markers.member),
        page.literal_at(fence.code, fence.line0, max(offset, 0)),
    )
