"""markdown-it's GFM tables, with fewer tokens.

Pages are read from markdown-it's block structure and their raw lines (document.py): of a table
they need its lines, each body row's line and the text of its cells (an enum's note may stand
in one). markdown-it's table rule makes five tokens for every cell besides; on SDK docs, where
most of a page is tables, making them was a third of the parsing time. The rule here decides
what is a table exactly as markdown-it's own does (it asks that rule, then follows its row loop)
and makes one `inline` token per row, its cells joined by spaces, as a space-joined list of
the cells' own tokens would read.

Both rules are run on sample pages when the parser is built; if a markdown-it release makes
them differ, its own rule is kept.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# Rows that tell markdown-it's way of splitting cells from a naive one.
_SPLIT_SAMPLES = ("| a | b |", r"| a \| b | c |", r"| a \\| b |", r"\|x|\\|", "||", "| `a|b` |",
                  r"| a\\\| b |")
# Pages whose tables end, or do not begin, in every way a table can: both rules must read
# them alike.
_PAGE_SAMPLES = (
    "| a | b |\n| - | - |\n| 1 | 2 |\n| 3 |\n| 4 | 5 | 6 |\n\ntext",
    "Intro\n| a | b |\n|:-|-:|\n| x \\| y | `z` |\n# Heading",
    "| a |\n|---|\n| 1 |\n```ts\ncode\n```\n| b |\n| - |\n",
    "| a | b |\n| --- | --- |\n> quote\n\n| a | b |\n| - |\n| 1 | 2 |",
    "| a | b |\n| - | - |\n- item\n\n| a |\n| - |\n    code\n\n***\n| x |\n| :-: |\n---",
    "- | a | b |\n  | - | - |\n  | 1 | 2 |\n  not a row\n- next\n\n> | a |\n> | - |\n> | 1 |",
    "| a | b |\n| - | - |\n<div>\n\n|a|b|\n|-|-|\n|1|2|\n## H\n| a |\n| - |",
    "a | b\n- | -\n1 | 2\n\n| a |\n|-\n\n| a | b |\n|--|--|\n||\n| |",
    "| `Unrecognized<string>` | x |\n| - | - |\n| \\| | \t |\n\n|a|\n|-|\n|b|\n    |c|",
)


def _split_cells(row: str) -> list[str]:
    r"""markdown-it's `escapedSplit` (a row's cells: split at each `|` that no backslash
    precedes, `\|` read as `|`), by regular expression instead of a Python loop over every
    character: SDK docs pad their table cells to hundreds of columns, and that loop took
    half of the parsing time."""
    return [cell.replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(row)]


Rule = Callable[["StateBlock", int, int, bool], bool]


def _lean_rule(stock: Rule, table: Any) -> Rule:
    """The table rule, making a row's cells one token; `stock` decides where a table starts,
    `table` is markdown-it's table module (its helpers and limits)."""
    trim: Callable[[str], str] = table.mdTrim
    line_text: Callable[[StateBlock, int], str] = table.getLine
    most: int = table.MAX_AUTOCOMPLETED_CELLS
    split: Callable[[str], list[str]] = table.escapedSplit  # `_split_cells` where it agrees

    def cells(state: StateBlock, line: int) -> list[str]:
        found = split(trim(line_text(state, line)))
        if found and found[0] == "":
            found.pop(0)
        if found and found[-1] == "":
            found.pop()
        return found

    def row(state: StateBlock, line: int, texts: list[str]) -> None:
        state.push("tr_open", "tr", 1).map = [line, line + 1]
        token = state.push("inline", "", 0)
        token.map = [line, line + 1]
        token.content = " ".join(texts)
        token.children = []
        state.push("tr_close", "tr", -1)

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent:  # whether a table starts here: markdown-it's own rule says
            return stock(state, start, end, True)
        if not stock(state, start, end, True):
            return False
        header = [trim(cell) for cell in cells(state, start)]
        count = len(header)
        terminators = state.md.block.ruler.getRules("blockquote")
        parent, state.parentType = state.parentType, "table"
        opened = state.push("table_open", "table", 1)
        opened.map = [start, 0]
        state.push("thead_open", "thead", 1).map = [start, start + 1]
        row(state, start, header)
        state.push("thead_close", "thead", -1)
        body: list[int] | None = None
        autocompleted = 0
        line = start + 2
        openers = _openers(terminators)
        while line < end:
            if state.sCount[line] < state.blkIndent:
                break
            at = state.bMarks[line] + state.tShift[line]  # the line's first character
            if (openers is None or (at < state.eMarks[line] and state.src[at] in openers)) and any(
                    terminates(state, line, end, True) for terminates in terminators):
                break
            if not trim(line_text(state, line)) or state.is_code_block(line):
                break
            found = cells(state, line)
            autocompleted += count - len(found)
            if autocompleted > most:
                break
            if body is None:
                state.push("tbody_open", "tbody", 1).map = body = [start + 2, 0]
            texts = [trim(cell) for cell in found[:count]]
            row(state, line, texts + [""] * (count - len(texts)))
            line += 1
        if body is not None:
            state.push("tbody_close", "tbody", -1)
            body[1] = line
        state.push("table_close", "table", -1)
        opened.map[1] = line
        state.parentType = parent
        state.line = line
        return True

    return rule


@cache
def _stock_openers() -> dict[object, str]:
    """markdown-it's rules that may end a table at a row (those that end a blockquote's
    lines), and the characters a line they take can begin with (after its indentation): a
    row that begins otherwise, as rows do (`|`), need not be offered to them. The front
    matter is only ever the first line."""
    rules = importlib.import_module("markdown_it.rules_block")
    front = importlib.import_module("mdit_py_plugins.front_matter.index")
    pairs = ((rules, "fence", "`~"), (rules, "blockquote", ">"), (rules, "hr", "*-_"),
             (rules, "list_block", "*-+0123456789"), (rules, "html_block", "<"),
             (rules, "heading", "#"), (front, "_front_matter_rule", "-"))
    return {getattr(module, name): chars for module, name, chars in pairs
            if hasattr(module, name)}


def _openers(terminators: list[Rule]) -> str | None:
    """The characters a line that one of `terminators` takes can begin with; None when a
    rule is not one of markdown-it's own as it comes (any line may be its)."""
    known = _stock_openers()
    found = ""
    for rule in terminators:
        chars = known.get(rule)
        if chars is None:
            return None
        found += chars
    return found


_CELL_TOKENS = frozenset({"th_open", "th_close", "td_open", "td_close"})


def _reading(tokens: list[Token]) -> list[tuple[str, Any, str]]:
    """What a page reads of tokens: each one's type, lines and text, a row's cells' texts
    joined as one."""
    read: list[tuple[str, Any, str]] = []
    row: list[str] | None = None
    for token in tokens:
        if token.type in _CELL_TOKENS:
            continue
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            read.append(("row", None, " ".join(row)))
            row = None
        elif token.type == "inline" and row is not None:
            row.append(token.content)
            continue
        read.append((token.type, token.map, token.content))
    return read


def lean_tables(md: MarkdownIt) -> None:
    """Give `md` the lean table rule (and the faster cell split) when markdown-it's own
    rule reads the sample pages as it does."""
    from markdown_it import MarkdownIt

    table = importlib.import_module("markdown_it.rules_block.table")  # the module, not the rule
    if all(table.escapedSplit(row) == _split_cells(row) for row in _SPLIT_SAMPLES):
        setattr(table, "escapedSplit", _split_cells)  # noqa: B010 (mypy: ModuleType)
    needed = ("mdTrim", "getLine", "MAX_AUTOCOMPLETED_CELLS", "table")
    if not all(hasattr(table, name) for name in needed):
        return
    lean = _lean_rule(table.table, table)
    stock = MarkdownIt("commonmark").enable("table")
    trial = MarkdownIt("commonmark").enable("table")
    trial.block.ruler.at("table", lean, {"alt": ["paragraph", "reference"]})
    for page in _PAGE_SAMPLES:
        if _reading(stock.parse(page)) != _reading(trial.parse(page)):
            return
    md.block.ruler.at("table", lean, {"alt": ["paragraph", "reference"]})
