"""A `## Supported Types` section -> union members: one `###` heading each, with the
fence below it. The dialect reads each member's type, from the heading (`### `str``,
`### Str`) or from the fence (Go: `components.CreateXY(components.Y{...})`)."""

from __future__ import annotations

from ..ir import Example, Position, UnionMember, UnknownType
from .dialects import Dialect, TypeSyntaxError
from .document import Fence, Page, Section


def read_members(
    page: Page, section: Section, dialect: Dialect
) -> tuple[UnionMember, ...]:
    groups: list[tuple[int, list[Fence]]] = []  # (heading line, fences below it)
    for tok in section.tokens:
        if tok.type == "heading_open" and tok.tag == "h3" and tok.map:
            groups.append((tok.map[0], []))
        elif tok.type == "fence" and tok.map and groups:
            groups[-1][1].extend(page.fences([tok]))
    if not groups:
        page.diags.error(section.pos, "union has no members (no ### `Type` headings)")
    members: list[UnionMember] = []
    for line0, fences in groups:
        member = _member(page, dialect, line0, fences[0] if fences else None)
        if member is not None:
            members.append(member)
    return tuple(members)


def _member(
    page: Page, dialect: Dialect, line0: int, fence: Fence | None
) -> UnionMember | None:
    raw = page.line(line0)
    start, end = raw.find("`"), raw.rfind("`")
    if start >= 0 and end > start:
        heading, col = raw[start + 1 : end], start + 2
    elif dialect.backtick_headings:
        page.diags.error(page.pos(line0, 5), "union member heading must be ### `Type`")
        return None
    else:
        text = raw.lstrip("#")
        heading = text.strip()
        col = len(raw) - len(text.lstrip()) + 1
    pos = page.pos(line0, col)
    lines: list[tuple[str, Position]] = []
    if fence is not None:
        lines = [
            (text, page.pos(fence.line0 + i, 1))
            for i, text in enumerate(fence.code.split("\n"))
        ]
    try:
        shown, expr = dialect.member(heading, pos, lines)
    except TypeSyntaxError as exc:
        shown, expr = (
            heading,
            UnknownType(heading, str(exc), page.pos(line0, col + exc.offset)),
        )
    example = _example(page, dialect, fence)
    return UnionMember(shown, expr, example, pos)


def _example(page: Page, dialect: Dialect, fence: Fence | None) -> Example | None:
    """A member's example: only TypeScript fences hold one (`const value: T = ...;`);
    the others show a placeholder (`/* values here */`)."""
    if fence is None or not dialect.literal_examples:
        return None
    return page.parse_example(fence)
