"""The page skeleton every dialect shares: title, preamble, `##` sections, tables,
fences.

markdown-it-py gives the structure with line numbers; the text of table cells and
headings is taken from the raw source line, because markdown-it consumes backslash
escapes and reads `*/*` or `<T>` as markup. Problems become diagnostics, never
exceptions.
"""

from __future__ import annotations

import itertools
import re
import textwrap
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics
from ..ir import Example, Position, TypeExpr
from ..records import frozen
from .examples import LiteralError, find_example, parse_literal
from .tables import lean_tables

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

    from .dialects import Dialect, TypeSyntaxError


@cache
def markdown() -> MarkdownIt:
    """The parser, built on first use (imports are kept off the no-op path of a run)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(front_matter_plugin)
    )
    # Structure comes from block tokens and text from raw lines: inline parsing
    # (emphasis, links inside every table cell) would be half of the parsing time, for
    # nothing.
    lean_tables(md)
    return md.disable(["inline", "text_join"])


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Front matter of `key: "text"` lines only (printable ASCII, no escapes), as SDK doc sites
# write it: what YAML reads of it is plain, and reading it so saves loading a YAML parser.
_MATTER_LINE = r'([A-Za-z_][A-Za-z0-9_-]*): "([ !#-\[\]-~]*)"\n'
_PLAIN_ENTRY = re.compile(_MATTER_LINE)
_PLAIN_FRONT_MATTER = re.compile(f"(?:{_MATTER_LINE})+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")
_PIPE_OR_ESCAPE = re.compile(r"\\.|\|")


@frozen
class Cell:
    text: str  # stripped raw text
    col: int  # 1-based column of its first character


@dataclass
class Section:
    title: str
    pos: Position
    tokens: list[Token]


@frozen
class Fence:
    info: str  # the language word after the opening backticks, lowercased
    code: str
    line0: int  # 0-based index of the first content line


@frozen
class Table:
    header: list[Cell]
    line0: int  # 0-based index of the header line
    rows: list[tuple[int, list[Cell]]]  # (0-based line index, cells) per body row

    @property
    def columns(self) -> dict[str, int]:
        return {cell.text: i for i, cell in enumerate(self.header)}


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


@dataclass
class Page:
    """One spec page's text, tokens and sections, and where its diagnostics go."""

    text: str
    key: str
    display: str
    diags: Diagnostics
    lines: list[str] = field(init=False)
    tokens: list[Token] = field(init=False)
    sections: list[Section] = field(init=False)
    preamble_tokens: list[Token] = field(init=False)
    # Type cells already read, by (dialect, line): detection and the page share them.
    cell_types: dict[tuple[str, int], TypeExpr | TypeSyntaxError] = field(init=False)
    tables: dict[Position, Table | None] = field(init=False)  # by section

    def __post_init__(self) -> None:
        self.lines = self.text.split("\n")
        self.tokens = markdown().parse(self.text)
        self.sections, self.preamble_tokens = self._sections()
        self.cell_types = {}
        self.tables = {}

    def pos(self, line0: int, col: int = 1) -> Position:
        """Position from a 0-based line index (markdown-it's `map`) and a 1-based
        column."""
        return Position(self.display, line0 + 1, col)

    def line(self, line0: int) -> str:
        return self.lines[line0] if 0 <= line0 < len(self.lines) else ""

    def _sections(self) -> tuple[list[Section], list[Token]]:
        """Group top-level tokens under their `##` headings; the rest before them is
        preamble."""
        sections: list[Section] = []
        preamble: list[Token] = []
        i = 0
        while i < len(self.tokens):
            tok = self.tokens[i]
            if tok.type == "heading_open" and tok.tag in ("h1", "h2") and tok.map:
                if tok.tag == "h2":
                    name = self.tokens[i + 1].content.strip()
                    sections.append(Section(name, self.pos(tok.map[0], 4), []))
                i += 3
                continue
            if tok.type != "front_matter":
                (sections[-1].tokens if sections else preamble).append(tok)
            i += 1
        return sections, preamble

    @cached_property
    def titles(self) -> list[tuple[str, Position]]:
        """Every title the page gives (front matter `title:`, `# Title`); a YAML error
        is reported and gives none."""
        found: list[tuple[str, Position]] = []
        for i, tok in enumerate(self.tokens):
            if tok.type == "front_matter" and tok.map:
                found += self._front_matter_title(tok)
            elif tok.type == "heading_open" and tok.tag == "h1" and tok.map:
                raw = self.line(tok.map[0])
                col = len(raw) - len(raw.lstrip("# ")) + 1
                found.append(
                    (self.tokens[i + 1].content.strip(), self.pos(tok.map[0], col))
                )
        return found

    def _front_matter_title(self, tok: Token) -> list[tuple[str, Position]]:
        assert tok.map is not None
        content = tok.content if tok.content.endswith("\n") else tok.content + "\n"
        if _PLAIN_FRONT_MATTER.fullmatch(content):
            meta: object = dict(_PLAIN_ENTRY.findall(content))
        else:
            meta = self._yaml(tok)
        if not (isinstance(meta, dict) and meta.get("title") not in (None, "")):
            return []  # `title:` with nothing after it gives none (YAML reads it as null)
        title_pos = self.pos(tok.map[0])
        for n in range(tok.map[0], tok.map[1]):
            if self.line(n).startswith("title:"):
                title_pos = self.pos(n, 8)
        return [(str(meta["title"]), title_pos)]

    def _yaml(self, tok: Token) -> object:
        """The front matter as YAML reads it; None, reported, where it is not valid YAML."""
        import yaml

        assert tok.map is not None
        try:
            return yaml.safe_load(tok.content)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = self.pos(
                tok.map[0] + 1 + (mark.line if mark else 0),
                (mark.column + 1) if mark else 1,
            )
            self.diags.error(where, "front matter is not valid YAML")
            return None

    def preamble(self) -> tuple[str | None, bool]:
        """The model's description (the raw text of the preamble's blocks), and whether
        a `> DEPRECATED` blockquote marks the model deprecated."""
        blocks: list[str] = []
        deprecated = False
        depth = 0
        for tok in self.preamble_tokens:
            if tok.nesting == 1:
                depth += 1
            top = depth == 1 and tok.nesting == 1 or depth == 0 and tok.nesting == 0
            if tok.map and top:
                raw = "\n".join(self.lines[tok.map[0] : tok.map[1]])
                if tok.type == "blockquote_open" and "DEPRECATED" in raw:
                    deprecated = True
                    continue
                blocks.append(raw)
            if tok.nesting == -1:
                depth -= 1
        # A block keeps its lines' indentation relative to one another (a list indented
        # under a paragraph: its first line's is no different from the others')
        text = clean_text("\n\n".join(textwrap.dedent(b).strip() for b in blocks if b.strip()))
        return (text or None), deprecated

    def fences(self, tokens: list[Token]) -> list[Fence]:
        return [
            Fence(tok.info.strip().split(" ")[0].lower(), tok.content, tok.map[0] + 1)
            for tok in tokens
            if tok.type == "fence" and tok.map
        ]

    def table(self, section: Section) -> Table | None:
        """The section's first table: header cells and body rows, from the raw lines."""
        if section.pos not in self.tables:
            self.tables[section.pos] = self._table(section)
        return self.tables[section.pos]

    def _table(self, section: Section) -> Table | None:
        table = next((t for t in section.tokens if t.type == "table_open"), None)
        if table is None or table.map is None:
            return None
        header_line = table.map[0]
        rows: list[tuple[int, list[Cell]]] = []
        in_body = False
        for tok in section.tokens:
            if tok.type == "tbody_open":
                in_body = True
            elif tok.type == "tbody_close":
                in_body = False
            elif in_body and tok.type == "tr_open" and tok.map:
                rows.append((tok.map[0], split_row(self.line(tok.map[0]))))
        header = split_row(self.line(header_line))
        named: set[str] = set()
        for cell in header:
            if cell.text in named:  # which of them would a row's value be?
                self.diags.error(self.pos(header_line, cell.col),
                                 f"the table has two {cell.text!r} columns")
            elif cell.text:
                named.add(cell.text)
        return Table(header, header_line, rows)

    def cell_type(
        self, dialect: Dialect, text: str, line0: int, col: int
    ) -> TypeExpr | TypeSyntaxError:
        """A Type cell read by `dialect` (once per page and dialect), or its syntax
        error."""
        key = (dialect.name, line0)
        found = self.cell_types.get(key)
        if found is None:
            from .dialects import TypeSyntaxError

            try:
                found = dialect.parse_cell(text, self.pos(line0, col))
            except TypeSyntaxError as exc:
                found = exc
            self.cell_types[key] = found
        return found

    # -- TypeScript example literals
    # ------------------------------------------------------

    def literal_at(self, code: str, first_line0: int, offset: int) -> Position:
        before = code[:offset]
        line0 = first_line0 + before.count("\n")
        col = offset - (before.rfind("\n") + 1) + 1
        return self.pos(line0, col)

    def parse_example(self, fence: Fence) -> Example | None:
        """The literal a fence assigns to `value`, or None (a warning if unreadable)."""
        found = find_example(fence.code)
        if found is None:
            return None
        offset, expr = found
        try:
            value, _ = parse_literal(expr)
        except LiteralError as exc:
            where = self.literal_at(fence.code, fence.line0, offset + exc.offset)
            self.diags.warning(
                where, f"example is not a literal this tool can read: {exc}"
            )
            return None
        start = offset + (len(expr) - len(expr.lstrip()))
        return Example(value, self.literal_at(fence.code, fence.line0, start))
