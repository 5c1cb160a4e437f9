"""Black's layout for the few statement shapes specgen emits, computed while rendering.

Running black on every module is the cost of generation (about 3,000 lines/s). The generated
statements come in a handful of shapes (an annotated field with a call, a call of data
literals, an import, a union alias), and for those black's choices are simple: keep a line that
fits; otherwise split at the last bracket ("right-hand split"), put the body on one line if it
fits, else one element per line with a trailing comma, recursively. This module applies exactly
that. Whatever it cannot decide with certainty raises `NeedsBlack`: that statement is given to
black alone (or, where it is not a whole line, the module). Tests check that black leaves every
module laid out here unchanged.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .pysyntax import python_literal, string_literal
from .syntax import Atom, Chain, Group, NeedsBlack, Node, assignment, expression, flat, item

__all__ = ["Atom", "Chain", "Group", "Layout", "NeedsBlack", "Node", "StatementFormatter",
           "call", "data", "expression", "flat", "reflow", "text_width"]

INDENT = "    "


def text_width(text: str) -> int:
    """Columns `text` takes as black counts them: by black's own table (wide East Asian
    characters count 2)."""
    if text.isascii():
        return len(text)
    table = _width_table()
    if table is None:
        from black.strings import str_width

        return int(str_width(text))
    starts, ranges = table
    width = 0
    for char in text:
        point = ord(char)
        at = bisect.bisect_right(starts, point) - 1
        if at >= 0 and point <= ranges[at][1]:
            width += max(ranges[at][2], 0)
        else:
            width += 1
    return width


@functools.cache
def _width_table() -> tuple[list[int], list[tuple[int, int, int]]] | None:
    """Black's table of the characters whose width is not 1 (sorted ranges: first, last,
    width), read from its file alone: importing black for it costs a tenth of a second.
    None where black keeps it otherwise."""
    import importlib.util

    try:
        black = importlib.util.find_spec("black")
        if black is None or not black.submodule_search_locations:
            return None
        path = Path(list(black.submodule_search_locations)[0]) / "_width_table.py"
        spec = importlib.util.spec_from_file_location("_specgen_black_widths", path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        ranges = sorted(module.WIDTH_TABLE)
    except (OSError, ImportError, AttributeError, SyntaxError):
        return None
    return [first for first, _, _ in ranges], ranges


def data(value: Any) -> Node:
    """JSON-like data as a node: dicts and lists can be split, scalars cannot."""
    if isinstance(value, dict) and value:
        return Group("{", tuple((f"{string_literal(str(k))}: ", data(v))
                                for k, v in value.items()), "}", display=True)
    if isinstance(value, (list, tuple)) and value:
        return Group("[", tuple(("", data(v)) for v in value), "]", display=True)
    return Atom(python_literal(value))


def call(name: str, args: list[tuple[str, Node]]) -> Node:
    if not args:
        return Atom(f"{name}()")
    return Group(f"{name}(", tuple(args), ")")


class Layout:
    """Lays out statements for one module. Where it cannot be sure of black's choice it emits
    the statement on one line and sets `needs_black`: black then formats the module."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.needs_black = False

    def line(self, text: str, depth: int) -> list[str]:
        """A statement with nothing to split (or left to black when too long)."""
        if not self.fits(depth, text):
            self.needs_black = True
        return [INDENT * depth + text]

    def statement(self, head: str, node: Node, depth: int, tail: str = "") -> list[str]:
        """Lines of `head + node + tail` as black lays them out."""
        try:
            return [INDENT * d + text for d, text in self._statement(head, node, tail, depth)]
        except NeedsBlack:
            self.needs_black = True
            return [INDENT * depth + head + flat(node) + tail]

    def fits(self, depth: int, text: str) -> bool:
        return len(INDENT) * depth + text_width(text) <= self.width

    def _statement(self, head: str, node: Node, tail: str, depth: int) -> list[tuple[int, str]]:
        line = head + flat(node) + tail
        if self.fits(depth, line):
            return [(depth, line)]
        if isinstance(node, Atom) and not node.splittable and head.endswith("= ") and not tail:
            # An assignment of one long literal: black wraps it in parentheses when that makes
            # it fit, and leaves it alone when nothing would.
            if self.fits(depth + 1, node.text) and self.fits(depth, head + "("):
                return [(depth, head + "("), (depth + 1, node.text), (depth, ")")]
            return [(depth, line)]
        if not isinstance(node, Group) or not self.fits(depth, head + node.opener):
            raise NeedsBlack(line)
        return [(depth, head + node.opener), *self._body(node, depth + 1),
                (depth, node.closer + tail)]

    def _body(self, group: Group, depth: int) -> list[tuple[int, str]]:
        joined = ", ".join(lead + flat(value) for lead, value in group.items)
        if self.fits(depth, joined) and not (group.display and len(group.items) > 1):
            return [(depth, joined)]
        if len(group.items) == 1:
            lead, value = group.items[0]
            return self._element(lead, value, "", depth)
        lines: list[tuple[int, str]] = []
        for lead, value in group.items:
            lines += self._element(lead, value, ",", depth)
        return lines

    def _element(self, lead: str, node: Node, tail: str, depth: int) -> list[tuple[int, str]]:
        line = lead + flat(node) + tail
        if self.fits(depth, line):
            return [(depth, line)]
        if isinstance(node, Group):
            if not self.fits(depth, lead + node.opener):
                raise NeedsBlack(line)
            return [(depth, lead + node.opener), *self._body(node, depth + 1),
                    (depth, node.closer + tail)]
        if isinstance(node, Chain) and not lead and len(node.operands) > 1:
            lines = [(depth, node.operands[0])]
            lines += [(depth, "| " + operand) for operand in node.operands[1:]]
            if any(not self.fits(d, text) and any(c in text for c in "[({")
                   for d, text in lines):
                raise NeedsBlack(line)
            last_depth, last = lines[-1]
            lines[-1] = (last_depth, last + tail)
            return lines
        if isinstance(node, Chain) or node.splittable:
            raise NeedsBlack(line)
        return [(depth, line)]  # one long literal: black cannot split it either

    def import_from(self, module: str, names: list[str], depth: int = 0) -> list[str]:
        """`from module import a, b`; too long: one name per line with a trailing comma."""
        line = f"from {module} import {', '.join(names)}"
        if self.fits(depth, line):
            return [INDENT * depth + line]
        # Black parenthesizes a long import even when its first line stays too long.
        inner = INDENT * (depth + 1)
        return [INDENT * depth + f"from {module} import (",
                *(inner + name + "," for name in names), INDENT * depth + ")"]

    def union_alias(self, head: str, operands: list[str], depth: int = 0) -> list[str]:
        """`X: TypeAlias = A | B | C`; too long: parenthesized, on one line if it then fits,
        else one operand per line."""
        line = head + " | ".join(operands)
        if self.fits(depth, line):
            return [INDENT * depth + line]
        if not self.fits(depth, head + "(") or (
                len(operands) < 3 and _may_lose_parentheses(operands)):
            # With one `|`, black may split inside an operand's brackets instead.
            return self.line(line, depth)
        pad, inner = INDENT * depth, INDENT * (depth + 1)
        joined = " | ".join(operands)
        if self.fits(depth + 1, joined):
            return [pad + head + "(", inner + joined, pad + ")"]
        try:
            body = self._operands(operands, depth + 1)
        except NeedsBlack:
            return self.line(line, depth)
        return [pad + head + "(", *body, pad + ")"]

    def _operands(self, operands: Sequence[str], depth: int) -> list[str]:
        """A `|` chain split in its parentheses: one operand per line, each after a leading
        `|`; one that does not fit split at its own brackets (a subscript of one item, or a
        parenthesized chain), as black splits the line it is on."""
        if not all(map(_is_operand, operands)):
            raise NeedsBlack(" | ".join(operands))  # a line of a statement, not all of it
        lines = []
        for i, operand in enumerate(operands):
            lead = "" if i == 0 else "| "
            if self.fits(depth, lead + operand) or not any(c in operand for c in "[({"):
                lines.append(INDENT * depth + lead + operand)
                continue
            node = expression(operand)
            if not isinstance(node, Group) or len(node.items) != 1:
                raise NeedsBlack(operand)
            lines += [INDENT * d + t for d, t in self._element(lead, node, "", depth)]
        return lines


_PLAIN_OPERAND = re.compile(r'[A-Za-z_][A-Za-z0-9_.]*|"(?:[^"\\\n]|\\.)*"')


def _is_operand(text: str) -> bool:
    """Whether `text` is one operand of a type's `|` chain: a name, a string, a subscript or
    call, or a parenthesized chain (not, say, `str, tag: str` of a signature's line)."""
    if _PLAIN_OPERAND.fullmatch(text):
        return True
    node = expression(text)
    return isinstance(node, Group) and not node.display


def _may_lose_parentheses(operands: Sequence[str]) -> bool:
    """Whether black may split `A | B`, one `|`, at a bracket of its own rather than in the
    parentheses it can put around it: when it begins with a bracket, or ends with one that is
    no subscript's (black keeps them around a name, a string or `X[...]` at the end)."""
    first, last = operands[0], operands[-1]
    return first[:1] in "([{" or last[-1:] in ")}" or last[:1] == "["


# --- Statements written by templates, one per line ---------------------------------------------


# Lays out one complete statement (its text on one line, its depth) with black; None when it
# cannot (see format.format_statement).
StatementFormatter = Callable[[str, int], "list[str] | None"]


def reflow(source: str, width: int,
           by_black: StatementFormatter | None = None) -> tuple[str, bool]:
    """Templates write every statement on one line; split those longer than `width` as black
    does. Returns the text, and whether black must still format it (a shape this module does
    not lay out). Lines inside triple-quoted strings and comments are left as they are.

    With `by_black`, a statement of a shape this module does not lay out is given to black
    alone, when it stands on a line of its own (not an element of a display written one per
    line): black lays out each logical line by itself, so the module need not go to black."""
    layout = Layout(width)
    lines: list[str] = []
    in_string = False
    whole: set[int] | None = None  # numbers of the lines that are statements of their own
    for number, line in enumerate(source.split("\n"), 1):
        if '"""' not in line and (in_string or layout.fits(0, line)):
            lines.append(line)  # most lines: inside a docstring, or short
            continue
        # Docstrings open a line with `"""` and hold no other (pysyntax escapes quotes); a
        # `"""` inside a string literal of a statement is no delimiter.
        opens = not in_string and line.lstrip().startswith('"""') and line.count('"""') == 1
        closes = in_string and '"""' in line
        docstring = line.lstrip().startswith('"""')
        if in_string or docstring or layout.fits(0, line) or line.lstrip().startswith("#"):
            lines.append(line)
            in_string = (in_string or opens) and not closes
            continue
        text = line.lstrip(" ")
        depth, extra = divmod(len(line) - len(text), len(INDENT))
        settled = layout.needs_black
        laid_out: Sequence[str]
        laid_out, black = ((line,), True) if extra else _laid_out(text, depth, width)
        layout.needs_black = layout.needs_black or black
        if layout.needs_black and not settled and by_black is not None:
            if whole is None:
                whole = _statement_lines_of(source)
            formatted = by_black(text, depth) if (
                number in whole and not text.endswith(":") and not text.startswith("@")
                and not extra) else None
            if formatted is not None:
                laid_out = formatted
                layout.needs_black = False  # that statement was its only reason
        lines += laid_out
    return "\n".join(lines), layout.needs_black


def _statement_lines_of(source: str) -> set[int]:
    """Numbers of the lines of `source` that hold one whole logical line each (none of a
    statement spread over several lines); none at all when Python cannot read it."""
    import io
    import tokenize

    whole: set[int] = set()
    skip = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}
    first: int | None = None  # the line where the current logical line began
    readable = source.replace("\0", "#")  # the renderer's import marks
    try:
        for token in tokenize.generate_tokens(io.StringIO(readable).readline):
            if token.type == tokenize.NEWLINE:
                if first == token.start[0]:
                    whole.add(first)
                first = None
            elif first is None and token.type not in skip:
                first = token.start[0]
    except (tokenize.TokenError, SyntaxError):
        return set()
    return whole


# Modules of one set repeat whole statements (a field of the same name, type and alias in
# many models): each is laid out once per process.
@functools.lru_cache(maxsize=4096)
def _laid_out(text: str, depth: int, width: int) -> tuple[tuple[str, ...], bool]:
    """The lines of one statement as black lays them out, and whether black must still
    format it."""
    layout = Layout(width)
    try:
        lines = _statement_lines(layout, text, depth)
    except NeedsBlack:
        return (INDENT * depth + text,), True
    return tuple(lines), layout.needs_black


def _statement_lines(layout: Layout, text: str, depth: int) -> list[str]:
    if text.startswith("from ") and " import " in text and "(" not in text:
        module, names = text[len("from "):].split(" import ", 1)
        return layout.import_from(module, [n.strip() for n in names.split(",")], depth)
    if text.endswith(",") and depth > 0:
        # An element of a display the template wrote one per line: with nothing to split
        # (a string, a name, `"key": "value"`), black leaves it as it is.
        element = item(text[:-1])[1]
        if isinstance(element, Atom) and not element.splittable:
            return [INDENT * depth + text]
        raise NeedsBlack(text)
    header = _CLASS.fullmatch(text)
    if header is not None:
        return _class_lines(layout, header.group(1), header.group(2), depth)
    if text.startswith("@"):
        return layout.statement("@", expression(text[1:]), depth)
    annotated = _ANNOTATED.match(text)
    if annotated is not None:
        return _annotated_lines(layout, annotated.group(1), text[annotated.end():], depth)
    split = assignment(text)
    if split is None:
        raise NeedsBlack(text)
    head, node = split
    if isinstance(node, Chain):
        return layout.union_alias(head, list(node.operands), depth)
    return layout.statement(head, node, depth)


_ANNOTATED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CLASS = re.compile(r"class ([A-Za-z_][A-Za-z0-9_]*)\(([A-Za-z0-9_., ]+)\):")


def _class_lines(layout: Layout, name: str, bases: str, depth: int) -> list[str]:
    """`class Name(Base, Other):`, too long: black splits at the parentheses, whether or not
    the first line then fits, the bases on one line when they fit."""
    if not layout.fits(depth + 1, bases):
        raise NeedsBlack(bases)
    return [INDENT * depth + f"class {name}(", INDENT * (depth + 1) + bases, INDENT * depth + "):"]


def _long_alias_lines(layout: Layout, name: str, annotation: str, node: Node,
                      depth: int) -> list[str]:
    """`Name: Annotation = value` where even `Name: (` is too long: black first
    splits the value, then the annotation into parentheses of its own."""
    pad, inner = INDENT * depth, INDENT * (depth + 1)
    lines = _name_in_parentheses(name, annotation, depth)
    if isinstance(node, Chain) and layout.fits(depth + 1, flat(node)):
        return [*lines, pad + ") = (", inner + flat(node), pad + ")"]
    if isinstance(node, Chain):
        return [*lines, *_union_in_parentheses(layout, node, depth)]
    if isinstance(node, Group) and layout.fits(depth, ") = " + node.opener):
        body = [INDENT * d + t for d, t in layout._body(node, depth + 1)]
        return [*lines, pad + ") = " + node.opener, *body, pad + node.closer]
    raise NeedsBlack(name)


def _name_in_parentheses(name: str, annotation: str, depth: int) -> list[str]:
    """`name: (` / `annotation`: the head of an annotated statement whose annotation black
    puts in parentheses (the closing one opens the value's line)."""
    return [INDENT * depth + f"{name}: (", INDENT * (depth + 1) + annotation]


def _union_in_parentheses(layout: Layout, chain: Chain, depth: int) -> list[str]:
    """`) = (` / a `|` chain one operand per line, each after a leading `|` / `)`; an operand
    that does not fit and has brackets black may split: NeedsBlack."""
    lines = [INDENT * depth + ") = ("]
    for i, operand in enumerate(chain.operands):
        text = operand if i == 0 else "| " + operand
        if not layout.fits(depth + 1, text) and any(c in operand for c in "[({"):
            raise NeedsBlack(operand)
        lines.append(INDENT * (depth + 1) + text)
    return [*lines, INDENT * depth + ")"]


def _bracketed_annotation_lines(layout: Layout, name: str, annotation: str, wrapped: Node,
                                node: Node | None, depth: int) -> list[str]:
    """`name: list[T] [= value]` or `name: list[T] | None [= value]`, too long, where the
    value cannot split after the whole head. A subscript: black splits its own brackets when
    the line up to them fits, the value after the closing one. Otherwise, and for a `|`
    chain, the annotation in parentheses when it fits on a line of its own; a call after
    them, or a plain value after a chain's."""
    pad = INDENT * depth
    if (isinstance(wrapped, Group) and not wrapped.display
            and layout.fits(depth, f"{name}: {wrapped.opener}")):
        body = [INDENT * d + t for d, t in layout._body(wrapped, depth + 1)]
        tail = ([pad + wrapped.closer] if node is None
                else layout.statement(wrapped.closer + " = ", node, depth))
        return [pad + f"{name}: {wrapped.opener}", *body, *tail]
    if (isinstance(wrapped, (Group, Chain)) and layout.fits(depth, f"{name}: (")
            and (layout.fits(depth + 1, annotation) or isinstance(wrapped, Chain))):
        if node is None:
            closing = [pad + ")"]
        elif isinstance(wrapped, Chain):
            closing = layout.statement(") = ", node, depth)
        elif isinstance(node, Group):  # after a subscript, black splits a call that fits
            closing = [pad + ") = " + node.opener,
                       *(INDENT * d + t for d, t in layout._body(node, depth + 1)),
                       pad + node.closer]
        else:  # `) = (None)`, on one line, as black writes it after a subscript
            raise NeedsBlack(annotation)
        if layout.fits(depth + 1, annotation):
            return [*_name_in_parentheses(name, annotation, depth), *closing]
        # A chain too long for a line of its own: one operand per line (black keeps the
        # parentheses around a chain of names and subscripts)
        assert isinstance(wrapped, Chain)
        if len(wrapped.operands) < 3 and _may_lose_parentheses(wrapped.operands):
            raise NeedsBlack(annotation)
        return [pad + f"{name}: (", *layout._operands(wrapped.operands, depth + 1), *closing]
    raise NeedsBlack(annotation)


def _annotated_lines(layout: Layout, name: str, rest: str, depth: int) -> list[str]:
    """`name: annotation [= value]`, too long. Black splits the value's brackets when the line
    up to them fits; wraps a value that cannot split in parentheses when that fits; else
    wraps the annotation in parentheses, the value after them."""
    split = assignment(rest)
    annotation, node = (split[0][:-3], split[1]) if split else (rest, None)
    head = f"{name}: {annotation} = "
    if (node is not None and not layout.fits(depth, f"{name}: (")
            and _IDENTIFIER.fullmatch(annotation) and layout.fits(depth + 1, annotation)):
        return _long_alias_lines(layout, name, annotation, node, depth)
    if isinstance(node, Chain):
        if (not layout.fits(depth, head + "(") and _IDENTIFIER.fullmatch(annotation)
                and layout.fits(depth, f"{name}: (") and layout.fits(depth + 1, annotation)):
            # `X: (` / `TypeAlias` / `) = (A | B)`: the union on that line when it fits there,
            # else one operand per line.
            lines = _name_in_parentheses(name, annotation, depth)
            if layout.fits(depth, f") = ({flat(node)})"):
                return [*lines, INDENT * depth + f") = ({flat(node)})"]
            if layout.fits(depth + 1, flat(node)):
                raise NeedsBlack(flat(node))  # black's choice between the two: not known here
            return [*lines, *_union_in_parentheses(layout, node, depth)]
        return layout.union_alias(head, list(node.operands), depth)
    if isinstance(node, Group) and layout.fits(depth, head + node.opener):
        return layout.statement(head, node, depth)
    if node is not None and layout.fits(depth, head + "("):
        # The value in parentheses, split within them if it must; a value that cannot split
        # goes in them even when it does not fit there, after an annotation of one name
        # (black would rather not split that instead).
        if (isinstance(node, Atom) and not layout.fits(depth + 1, node.text)
                and (node.splittable or not _IDENTIFIER.fullmatch(annotation))):
            raise NeedsBlack(rest)
        body = layout._element("", node, "", depth + 1)
        return [INDENT * depth + head + "(", *(INDENT * d + t for d, t in body),
                INDENT * depth + ")"]
    wrapped = expression(annotation)
    if any(c in annotation for c in "[({"):
        return _bracketed_annotation_lines(layout, name, annotation, wrapped, node, depth)
    if not layout.fits(depth, f"{name}: ("):
        raise NeedsBlack(annotation)
    pad = INDENT * depth
    if isinstance(wrapped, Atom) and not layout.fits(depth + 1, annotation):
        # Parentheses would not make the name fit: black leaves a lone name as it is, wraps
        # it all the same when the value fits after them, else splits the value alone.
        if node is None:
            return [pad + f"{name}: {annotation}"]
        if isinstance(node, Atom):
            # `name: Annotation = (None)`: black shows the value's parentheses, on one line.
            raise NeedsBlack(annotation)
        if layout.fits(depth, " = " + flat(node)):
            pass
        elif not isinstance(node, Group):
            raise NeedsBlack(annotation)
        else:
            return [pad + head + node.opener, *(INDENT * d + t for d, t in layout._body(
                node, depth + 1)), pad + node.closer]
    if layout.fits(depth + 1, annotation):
        inner = [INDENT * (depth + 1) + annotation]
    else:
        inner = [INDENT * d + t for d, t in layout._element("", wrapped, "", depth + 1)]
    closing = [pad + ")"] if node is None else layout.statement(") = ", node, depth)
    return [pad + f"{name}: (", *inner, *closing]
