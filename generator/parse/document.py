"""One spec page -> one IR doc.

markdown-it-py gives the structure (title, sections, tables, rows, fences) with line numbers; the
text of table cells and headings is taken from the raw source line, because markdown-it consumes
backslash escapes and reads `*/*` or `<T>` as markup. Problems become diagnostics, never
exceptions: a page with errors yields `None`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

from ..diagnostics import Diagnostics
from ..ir import (
    Doc,
    EnumDoc,
    EnumValue,
    Example,
    FieldSpec,
    ObjectDoc,
    Position,
    TypeExpr,
    UnionDoc,
    UnionMember,
    UnknownType,
)
from .examples import LiteralError, find_example, parse_literal
from .types import TypeSyntaxError, parse_heading_type, parse_type_cell


@cache
def markdown() -> MarkdownIt:
    """The parser, built on first use (imports are kept off the no-op path of a run)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    # Structure comes from block tokens and text from raw lines: inline parsing (emphasis,
    # links inside every table cell) would be half of the parsing time, for nothing.
    return md.disable(["inline", "text_join"])

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FIELD_NAME = re.compile(r"^(~~)?`([^`]*)`(~~)?$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_EXAMPLE_SPLIT = re.compile(r"\*\*Example \d+:\*\*\s*")
_OPEN_ENUM_NOTE = re.compile(r"open enum|Unrecognized<(string|number)>")
# `: warning: ** DEPRECATED **: <why>.<br/><br/><original description>`
_DEPRECATION_NOTICE = re.compile(
    r"^:\s*warning:\s*\*\*\s*DEPRECATED\s*\*\*:?\s*(.*?)(?:\n\n(.*))?$", re.DOTALL
)
_REQUIRED = {":heavy_check_mark:": True, ":heavy_minus_sign:": False}
_SECTIONS = ("Example Usage", "Fields", "Values", "Supported Types", "Usage")


@dataclass(frozen=True)
class Cell:
    text: str  # stripped raw text
    col: int  # 1-based column of its first character


@dataclass
class _Section:
    title: str
    pos: Position
    tokens: list[Token]


def read_text(data: bytes, display: str, diags: Diagnostics) -> str | None:
    """Decode a spec's bytes: UTF-8 (a BOM is accepted), any line ending."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if b"\x00" in data[:8000]:  # git's test for a binary file
            diags.error(Position(display), "file is binary, not a markdown spec")
            return None
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(Position(display, line, col), "file is not valid UTF-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


_PIPE_OR_ESCAPE = re.compile(r"\\.|\|")


def split_row(line: str) -> list[Cell]:
    """Split a raw table row on unescaped pipes; keep each cell's column."""
    cells: list[Cell] = []
    bounds = [m.start() for m in _PIPE_OR_ESCAPE.finditer(line) if m.group() == "|"]
    stripped = line.strip()
    # Leading and trailing pipes are optional in GFM.
    if not stripped.startswith("|"):
        bounds.insert(0, -1)
    if not (stripped.endswith("|") and not _escaped(line, len(line.rstrip()) - 1)):
        bounds.append(len(line))
    for left, right in itertools.pairwise(bounds):
        raw = line[left + 1 : right]
        lead = len(raw) - len(raw.lstrip())
        cells.append(Cell(raw.strip(), left + 2 + lead))
    return cells


def _escaped(line: str, i: int) -> bool:
    backslashes = 0
    while i - 1 - backslashes >= 0 and line[i - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def clean_text(raw: str) -> str:
    """Cell or preamble markdown -> plain text: `<br/>` to newlines, escapes undone."""
    text = _BR.sub("\n", raw)
    text = _MD_ESCAPE.sub(r"\1", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


class _PageParser:
    def __init__(self, text: str, key: str, display: str, diags: Diagnostics) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.key = key
        self.display = display
        self.diags = diags

    def pos(self, line0: int, col: int = 1) -> Position:
        """Position from a 0-based line index (markdown-it's `map`) and a 1-based column."""
        return Position(self.display, line0 + 1, col)

    def error(self, pos: Position, message: str) -> None:
        self.diags.error(pos, message)

    def line(self, line0: int) -> str:
        return self.lines[line0] if 0 <= line0 < len(self.lines) else ""

    # -- page -----------------------------------------------------------------------------

    def parse(self) -> Doc | None:
        if not self.text.strip():
            self.error(self.pos(0), "empty spec file")
            return None
        errors_before = len(self.diags.errors)
        tokens = markdown().parse(self.text)
        title_info = self.title(tokens)
        sections, preamble = self.sections(tokens)
        if title_info is None:
            return None
        title, deprecated, title_pos = title_info
        description, preamble_deprecated = self.preamble(preamble)
        by_name: dict[str, _Section] = {}
        for section in sections:
            if section.title in by_name:
                self.error(section.pos, f"duplicate section '## {section.title}'")
            elif section.title not in _SECTIONS:
                self.diags.warning(section.pos, f"unknown section '## {section.title}' is ignored")
            by_name.setdefault(section.title, section)
        kinds = [name for name in ("Fields", "Values", "Supported Types") if name in by_name]
        if not kinds and "Usage" in by_name:
            # SDK helper types such as `types/rfcdate.md`: links to them are read by their label.
            self.diags.warning(title_pos, f"{title!r} documents an SDK helper type "
                               "('## Usage'), not a model: skipped")
            return None
        if not kinds:
            self.error(
                title_pos,
                "no '## Fields', '## Values' or '## Supported Types' section: not a model doc",
            )
            return None
        if len(kinds) > 1:
            self.error(by_name[kinds[1]].pos, f"a doc has one kind, but '## {kinds[0]}' "
                       f"and '## {kinds[1]}' both appear")
            return None
        example = None
        if "Example Usage" in by_name:
            example = self.example_usage(by_name["Example Usage"])
        namespace = tuple(self.key.split("/")[:-1])
        common: dict[str, Any] = dict(
            key=self.key,
            title=title,
            namespace=namespace,
            description=description,
            deprecated=deprecated or preamble_deprecated,
            example=example,
            pos=title_pos,
        )
        kind = kinds[0]
        doc: Doc
        if kind == "Fields":
            doc = ObjectDoc(**common, fields=self.fields(by_name["Fields"]))
        elif kind == "Values":
            values, is_open = self.values(by_name["Values"])
            doc = EnumDoc(**common, values=values, open=is_open)
        else:
            doc = UnionDoc(**common, members=self.members(by_name["Supported Types"]))
        if len(self.diags.errors) > errors_before:
            return None
        return doc

    def title(self, tokens: list[Token]) -> tuple[str, bool, Position] | None:
        found: list[tuple[str, Position]] = []
        for i, tok in enumerate(tokens):
            if tok.type == "front_matter" and tok.map:
                title_pos = self.pos(tok.map[0])
                import yaml

                try:
                    meta = yaml.safe_load(tok.content)
                except yaml.YAMLError as exc:
                    mark = getattr(exc, "problem_mark", None)
                    where = self.pos(tok.map[0] + 1 + (mark.line if mark else 0),
                                     (mark.column + 1) if mark else 1)
                    self.error(where, "front matter is not valid YAML")
                    return None
                if isinstance(meta, dict) and "title" in meta:
                    for n in range(tok.map[0], tok.map[1]):
                        if self.line(n).startswith("title:"):
                            title_pos = self.pos(n, 8)
                    found.append((str(meta["title"]), title_pos))
            elif tok.type == "heading_open" and tok.tag == "h1" and tok.map:
                raw = self.line(tok.map[0])
                col = len(raw) - len(raw.lstrip("# ")) + 1
                found.append((tokens[i + 1].content.strip(), self.pos(tok.map[0], col)))
        if not found:
            self.error(self.pos(0), "no title: expected '# Name' or front matter 'title: \"Name\"'")
            return None
        if len(found) > 1:
            self.error(found[1][1], f"second title {found[1][0]!r} (the first is {found[0][0]!r})")
            return None
        title, title_pos = found[0]
        deprecated = title.startswith("~~") and title.endswith("~~") and len(title) > 4
        if deprecated:
            title = title[2:-2]
        if not _IDENTIFIER.fullmatch(title):
            self.error(title_pos, f"title {title!r} is not an identifier")
            return None
        # Keywords, `None` and names Python reserves are fine here: the renderer gives such
        # a class another Python name (and says so).
        return title, deprecated, title_pos

    def sections(self, tokens: list[Token]) -> tuple[list[_Section], list[Token]]:
        """Group top-level tokens under their `##` headings; the rest before them is preamble."""
        sections: list[_Section] = []
        preamble: list[Token] = []
        seen_title = False
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "heading_open" and tok.tag == "h2" and tok.map:
                name = tokens[i + 1].content.strip()
                sections.append(_Section(name, self.pos(tok.map[0], 4), []))
                i += 3
                continue
            if tok.type == "heading_open" and tok.tag == "h1":
                seen_title = True
                i += 3
                continue
            if tok.type == "front_matter":
                seen_title = True
            elif sections:
                sections[-1].tokens.append(tok)
            elif seen_title or tok.type != "front_matter":
                preamble.append(tok)
            i += 1
        return sections, preamble

    def preamble(self, tokens: list[Token]) -> tuple[str | None, bool]:
        """The model's description: the raw text of the preamble's blocks."""
        blocks: list[str] = []
        deprecated = False
        depth = 0
        for tok in tokens:
            if tok.nesting == 1:
                depth += 1
            if tok.map and (depth == 1 and tok.nesting == 1 or depth == 0 and tok.nesting == 0):
                raw = "\n".join(self.lines[tok.map[0] : tok.map[1]])
                if tok.type == "blockquote_open" and "DEPRECATED" in raw:
                    deprecated = True
                    continue
                blocks.append(raw)
            if tok.nesting == -1:
                depth -= 1
        text = clean_text("\n\n".join(b.strip() for b in blocks if b.strip()))
        return (text or None), deprecated

    # -- sections -------------------------------------------------------------------------

    def fence(self, tok: Token) -> tuple[str, int]:
        """A fence's content and the 0-based line index of its first content line."""
        assert tok.map is not None
        return tok.content, tok.map[0] + 1

    def literal_at(self, code: str, first_line0: int, offset: int) -> Position:
        before = code[:offset]
        line0 = first_line0 + before.count("\n")
        col = offset - (before.rfind("\n") + 1) + 1
        return self.pos(line0, col)

    def parse_example(self, code: str, first_line0: int) -> Example | None:
        found = find_example(code)
        if found is None:
            return None
        offset, expr = found
        try:
            value, _ = parse_literal(expr)
        except LiteralError as exc:
            where = self.literal_at(code, first_line0, offset + exc.offset)
            self.diags.warning(where, f"example is not a literal this tool can read: {exc}")
            return None
        start = offset + (len(expr) - len(expr.lstrip()))
        return Example(value, self.literal_at(code, first_line0, start))

    def example_usage(self, section: _Section) -> Example | None:
        for tok in section.tokens:
            if tok.type == "fence":
                return self.parse_example(*self.fence(tok))
        return None

    def table(self, section: _Section
              ) -> tuple[list[Cell], int, list[tuple[int, list[Cell]]]] | None:
        """Header cells, header line index, and (line index, cells) per body row."""
        table = next((t for t in section.tokens if t.type == "table_open"), None)
        if table is None or table.map is None:
            return None
        header_line = table.map[0]
        header = split_row(self.line(header_line))
        rows: list[tuple[int, list[Cell]]] = []
        in_body = False
        for tok in section.tokens:
            if tok.type == "tbody_open":
                in_body = True
            elif tok.type == "tbody_close":
                in_body = False
            elif in_body and tok.type == "tr_open" and tok.map:
                rows.append((tok.map[0], split_row(self.line(tok.map[0]))))
        return header, header_line, rows

    def fields(self, section: _Section) -> tuple[FieldSpec, ...]:
        parsed = self.table(section)
        if parsed is None:
            self.error(section.pos, "'## Fields' has no table")
            return ()
        header, header_line, rows = parsed
        columns = {cell.text: i for i, cell in enumerate(header)}
        for required_column in ("Field", "Type", "Required"):
            if required_column not in columns:
                self.error(self.pos(header_line, header[0].col if header else 1),
                           f"the Fields table has no '{required_column}' column")
        if any(c not in columns for c in ("Field", "Type", "Required")):
            return ()
        result: list[FieldSpec] = []
        seen: dict[str, Position] = {}
        for line0, cells in rows:
            if len(cells) != len(header):
                self.error(self.pos(line0, 1),
                           f"row has {len(cells)} cells, the header has {len(header)}")
                continue
            name_cell = cells[columns["Field"]]
            match = _FIELD_NAME.match(name_cell.text)
            name_pos = self.pos(line0, name_cell.col)
            if match is None or bool(match.group(1)) != bool(match.group(3)):
                self.error(name_pos, f"field name must be `name` or ~~`name`~~, "
                           f"found {name_cell.text!r}")
                continue
            name = match.group(2)
            if not name.strip():
                self.error(name_pos, "empty field name")
                continue
            if name in seen:
                self.error(name_pos, f"duplicate field {name!r} (first at line {seen[name].line})")
                continue
            seen[name] = name_pos
            type_cell = cells[columns["Type"]]
            type_expr = self.type_cell(type_cell.text, line0, type_cell.col)
            req_cell = cells[columns["Required"]]
            if req_cell.text not in _REQUIRED:
                self.error(self.pos(line0, req_cell.col),
                           "Required must be :heavy_check_mark: or :heavy_minus_sign:, "
                           f"found {req_cell.text!r}")
                continue
            description = None
            if "Description" in columns:
                raw = cells[columns["Description"]].text
                if raw and raw != "N/A":
                    description = clean_text(raw)
            examples: tuple[str, ...] = ()
            examples_pos = None
            if "Example" in columns:
                raw = cells[columns["Example"]].text
                examples_pos = self.pos(line0, cells[columns["Example"]].col)
                if raw:
                    parts = [p for p in _EXAMPLE_SPLIT.split(raw) if p.strip()]
                    examples = tuple(clean_text(p) for p in parts)
            deprecated = bool(match.group(1))
            note = None
            notice = _DEPRECATION_NOTICE.match(description or "")
            if notice:
                # The notice may stand alone, with no original description after it.
                deprecated = True
                note = notice.group(1).strip() or None
                description = (notice.group(2) or "").strip() or None
            result.append(FieldSpec(
                name=name,
                type=type_expr,
                required=_REQUIRED[req_cell.text],
                description=description,
                examples=examples,
                deprecated=deprecated,
                deprecation_note=note,
                pos=name_pos,
                examples_pos=examples_pos,
            ))
        return tuple(result)

    def type_cell(self, text: str, line0: int, col: int) -> TypeExpr:
        """A Type cell's expression; one the grammar cannot read is kept as `UnknownType`, for
        the resolver to report (an error, or with `lenient` a warning)."""
        try:
            return parse_type_cell(text, self.pos(line0, col))
        except TypeSyntaxError as exc:
            return UnknownType(text, str(exc), self.pos(line0, col + exc.offset))

    def values(self, section: _Section) -> tuple[tuple[EnumValue, ...], bool]:
        note = " ".join(t.content for t in section.tokens if t.type == "inline")
        is_open = bool(_OPEN_ENUM_NOTE.search(note))
        fence = next((t for t in section.tokens if t.type == "fence"), None)
        values: list[EnumValue] = []
        if fence is not None:
            code, first = self.fence(fence)
            values, fence_open = self.value_union(code, first)
            is_open = is_open or fence_open
        else:
            parsed = self.table(section)
            if parsed is None:
                self.error(section.pos, "'## Values' has neither a typescript fence nor a table")
                return (), False
            header, header_line, rows = parsed
            columns = {cell.text: i for i, cell in enumerate(header)}
            if "Value" not in columns:
                self.error(self.pos(header_line), "the Values table has no 'Value' column")
                return (), False
            for line0, cells in rows:
                if len(cells) != len(header):
                    self.error(self.pos(line0), f"row has {len(cells)} cells, the header has "
                               f"{len(header)}")
                    continue
                cell = cells[columns["Value"]]
                name = None
                if "Name" in columns:
                    name = cells[columns["Name"]].text.strip("`") or None
                values.append(EnumValue(clean_text(cell.text), self.pos(line0, cell.col), name))
            values = _typed_table_values(values)
        if not values:
            self.error(section.pos, "enum has no values")
        seen: dict[str | int | float, EnumValue] = {}
        for v in values:
            if v.value in seen:
                self.error(v.pos, f"duplicate enum value {v.value!r} "
                           f"(first at line {seen[v.value].pos.line})")
            seen.setdefault(v.value, v)
        return tuple(values), is_open

    def value_union(self, code: str, first_line0: int) -> tuple[list[EnumValue], bool]:
        """`"a" | "b" | 3 | Unrecognized<string>` -> values, and whether the enum is open."""
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
                    self.error(self.literal_at(code, first_line0, offset + exc.offset),
                               f"enum value: {exc}")
                    return values, is_open
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    self.error(self.literal_at(code, first_line0, offset),
                               "enum values must be string or number literals")
                    return values, is_open
                values.append(EnumValue(value, self.literal_at(code, first_line0, offset)))
                offset += end
            rest = code[offset:].lstrip()
            offset = len(code) - len(rest)
            if rest.startswith("|"):
                offset += 1
            elif rest.strip(" \n;"):
                self.error(self.literal_at(code, first_line0, offset),
                           f"expected '|' between enum values, found {rest[:1]!r}")
                return values, is_open
            else:
                break
        return values, is_open

    def members(self, section: _Section) -> tuple[UnionMember, ...]:
        members: list[UnionMember] = []
        current: tuple[str, Position, Any] | None = None
        example: Example | None = None

        def flush() -> None:
            if current is not None:
                members.append(UnionMember(current[0], current[2], example, current[1]))

        headings = 0
        for tok in section.tokens:
            if tok.type == "heading_open" and tok.tag == "h3" and tok.map:
                headings += 1
                flush()
                current, example = None, None
                raw = self.line(tok.map[0])
                start = raw.find("`")
                end = raw.rfind("`")
                if start < 0 or end <= start:
                    self.error(self.pos(tok.map[0], 5), "union member heading must be ### `Type`")
                    continue
                heading = raw[start + 1 : end]
                pos = self.pos(tok.map[0], start + 2)
                try:
                    type_expr = parse_heading_type(heading, pos)
                except TypeSyntaxError as exc:
                    type_expr = UnknownType(heading, str(exc),
                                            self.pos(tok.map[0], start + 2 + exc.offset))
                current = (heading, pos, type_expr)
            elif tok.type == "fence" and current is not None and example is None:
                example = self.parse_example(*self.fence(tok))
        flush()
        if not headings:
            self.error(section.pos, "union has no members (no ### `Type` headings)")
        return tuple(members)


_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _typed_table_values(values: list[EnumValue]) -> list[EnumValue]:
    """Values tables write every value unquoted (`| `True` | 1 |`, `| `Enable` | enable |`):
    a table whose values are all numbers is a numeric enum, any other a string enum."""
    texts = [str(v.value) for v in values]
    if texts and all(_INTEGER.fullmatch(t) for t in texts):
        return [replace(v, value=int(t)) for v, t in zip(values, texts, strict=True)]
    if texts and all(_FLOAT.fullmatch(t) for t in texts):
        return [replace(v, value=float(t)) for v, t in zip(values, texts, strict=True)]
    return values


def parse_document(data: bytes, key: str, display: str, diags: Diagnostics) -> Doc | None:
    """Parse one spec file's bytes. `key` is its spec-relative path, `display` its shown path."""
    text = read_text(data, display, diags)
    if text is None:
        return None
    return _PageParser(text, key, display, diags).parse()
