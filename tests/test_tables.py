"""The lean table rule reads any page as markdown-it's own table rule does: the same tables,
rows, lines and cell texts (see generator/parse/tables.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from specgen_md.parse.document import markdown
from specgen_md.parse.tables import _PAGE_SAMPLES, _openers, _reading

# Lines that start, continue, end or interrupt tables, in any order.
LINES = ["| a | b |", "|a|b|c|", "| - | - |", "|:-|-:|", "| --- |", "-|-", ":-: | :--", "|---",
         "| 1 | 2 |", "| 1 |", "| 1 | 2 | 3 |", "| x \\| y | `a|b` |", "||", "| |", "a | b",
         "", "text", "    | code |", "  | two |", "> | quote |", ">", "- | item |", "- item",
         "1. | n |", "# Heading", "## Fields", "```ts", "```", "***", "---", "<div>", "</div>",
         "| `Unrecognized<string>` |", "\t| tab |", "| a \\\\| b |"]


def stock() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def test_the_parser_uses_the_lean_rule() -> None:
    rules = {rule.name: rule for rule in markdown().block.ruler.__rules__}
    assert rules["table"].fn.__qualname__.startswith("_lean_rule")
    assert rules["table"].alt == ["paragraph", "reference"]  # a table may end a paragraph
    # Rows that begin with `|` are not offered to the rules that may end a table.
    assert _openers(markdown().block.ruler.getRules("blockquote")) == "-`~>*-_*-+0123456789<#"


def test_it_makes_fewer_tokens_than_the_stock_rule() -> None:
    page = "| a | b | c |\n| - | - | - |\n" + "| 1 | 2 | 3 |\n" * 10
    assert len(markdown().parse(page)) * 3 < len(stock().parse(page))


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=2, max_size=14))
def test_any_page_reads_as_with_markdown_its_own_rule(lines: list[str]) -> None:
    page = "\n".join(lines)
    assert _reading(markdown().parse(page)) == _reading(_with_stock_tables().parse(page))


def test_the_samples_read_alike_and_hold_tables() -> None:
    for page in _PAGE_SAMPLES:
        read = _reading(markdown().parse(page))
        assert read == _reading(_with_stock_tables().parse(page))
        assert any(kind == "table_open" for kind, _, _ in read)


def _with_stock_tables() -> MarkdownIt:
    """The parser as specgen builds it, with markdown-it's own table rule."""
    from markdown_it.rules_block import table

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    from mdit_py_plugins.front_matter import front_matter_plugin

    md.use(front_matter_plugin).disable(["inline", "text_join"])
    md.block.ruler.at("table", table, {"alt": ["paragraph", "reference"]})
    return md
