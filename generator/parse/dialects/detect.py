"""Which dialect a doc set is written in, by candidate elimination.

Each page keeps the dialects that can have written it (`PageEvidence`):
- `readable`: what every fence language (```python) and every Type cell allows, a cell
  allowing the dialects whose grammar reads it and who know each platform type it names.
  Evidence that no remaining dialect accepts (a typo, a cell no grammar reads) is no
  evidence: the cell is reported later, as the chosen dialect reads it.
- `likely`: `readable` narrowed by conventions, each applied only where it leaves some
  dialect: field-name case, enum member names, link-target folders and file names, Go's
  pointers on optional rows, TypeScript's fences.

The doc set's dialect is the one every page can be read in (`decide`). Where several are
left, TypeScript (the format's original dialect) if it is one, else the conventions
decide, else the first in `NAMES` order, with a warning. Where none is left, the dialect
that reads the most pages, each other page warned; an even split is an error naming the
evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ...diagnostics import Diagnostics
from ...ir import NullableType, Position, Primitive, PrimitiveType, RefType
from ...records import frozen
from ..document import Page
from . import DEFAULT, DIALECTS, NAMES

ALL = frozenset(NAMES)
_FENCES = {word: d.name for d in DIALECTS.values() for word in d.fence_words}
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+_?|[a-z][a-z0-9]*_")
_PASCAL = re.compile(r"[A-Z][A-Za-z0-9]*")
_CAMEL = re.compile(r"[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*")
_UPPER_SNAKE = re.compile(r"[A-Z][A-Z0-9_]*")
_SHOUTED = re.compile(
    r"[A-Z][A-Z0-9]*[A-Z]|_"
)  # two capitals in a row, or an underscore
_TARGET = re.compile(r"\]\((\.\./[^)\s]*)\)")


@frozen
class Against:
    """Evidence that rules `dialects` out: where, and what it is."""

    dialects: frozenset[str]
    pos: Position
    why: str


@frozen
class PageEvidence:
    pos: Position
    readable: frozenset[str] = ALL
    likely: frozenset[str] = ALL
    against: tuple[Against, ...] = ()

    @property
    def guess(self) -> str:
        """The dialect to read the page in before the doc set's is known."""
        if DEFAULT in self.readable:
            return DEFAULT
        return next(name for name in NAMES if name in self.likely)

    def why_not(self, dialect: str) -> str:
        found = next((a for a in self.against if dialect in a.dialects), None)
        return f"{found.why} at {found.pos}" if found else "its naming conventions"


@dataclass
class _Narrowing:
    """The dialects left, and what ruled the others out."""

    left: frozenset[str] = ALL
    against: list[Against] = field(default_factory=list)

    def keep(
        self,
        allowed: set[str] | frozenset[str],
        page: Page,
        line0: int,
        col: int,
        why: str,
    ) -> None:
        kept = self.left & allowed
        if kept and kept != self.left:
            self.against.append(Against(self.left - kept, page.pos(line0, col), why))
            self.left = kept


def _narrowed(left: frozenset[str], allowed: frozenset[str]) -> frozenset[str]:
    """A convention applied where it leaves some dialect."""
    kept = left & allowed
    return kept or left


# A Fields row as detection sees it: (line index, Type cell column, field name, Type
# cell text, required).
Row = tuple[int, int, str, str, bool]


def page_evidence(
    page: Page, rows: Sequence[Row], enum_names: Sequence[str]
) -> PageEvidence:
    """What a page says of its dialect, from its fences, its Fields rows and the Name
    column of its Values table."""
    hard = _Narrowing()
    fences = [
        (t.map[0], t.info.strip().split(" ")[0].lower())
        for t in page.tokens
        if t.type == "fence" and t.map
    ]
    for line0, info in fences:
        if info in _FENCES:
            hard.keep({_FENCES[info]}, page, line0, 1, f"a ```{info} fence")
    for line0, col, _, text, _ in rows:
        if len(hard.left) == 1 and _reads(
            page, next(iter(hard.left)), text, line0, col
        ):
            continue  # the common case: one dialect left, and it reads the cell
        allowed = {name for name in hard.left if _reads(page, name, text, line0, col)}
        hard.keep(allowed, page, line0, col, f"the Type cell {text!r}")
    readable = hard.left
    if len(readable) == 1:  # nothing left to narrow (most pages)
        return PageEvidence(page.pos(0), readable, readable, tuple(hard.against))
    return PageEvidence(
        page.pos(0),
        readable,
        _conventions(page, readable, fences, rows, enum_names),
        tuple(hard.against),
    )


def _conventions(
    page: Page,
    left: frozenset[str],
    fences: list[tuple[int, str]],
    rows: Sequence[Row],
    enum_names: Sequence[str],
) -> frozenset[str]:
    """`left` narrowed by what the dialects' conventions say of the page."""
    if not any(_FENCES.get(info) == DEFAULT for _, info in fences):
        left = _narrowed(left, ALL - {DEFAULT})
    for line0, _, name, text, required in rows:
        left = _narrowed(left, _name_case(name))
        if not required and "go" in left and _go_impossible(page, text, line0):
            left = _narrowed(left, ALL - {"go"})
    for name in enum_names:
        left = _narrowed(left, _enum_name_case(name, page))
    for _, _, _, text, _ in rows:
        for target in _TARGET.findall(text):
            left = _narrowed(left, _target_case(target))
    stem = page.key.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    capital = frozenset({"csharp", "php", "java"})
    return _narrowed(left, capital if stem != stem.lower() else ALL - capital)


def _reads(page: Page, dialect: str, text: str, line0: int, col: int) -> bool:
    found = page.cell_type(DIALECTS[dialect], text, line0, col)
    return not isinstance(found, Exception) and DIALECTS[dialect].knows(found)


def _name_case(name: str) -> frozenset[str]:
    if name == "__pydantic_extra__" or _SNAKE.fullmatch(name):
        return frozenset({"python", "ruby"})
    if _PASCAL.fullmatch(name):
        return frozenset({"go", "csharp"})
    if _CAMEL.fullmatch(name):
        return frozenset({"php", "java", "typescript"})
    return ALL


def _enum_name_case(name: str, page: Page) -> frozenset[str]:
    if _UPPER_SNAKE.fullmatch(name) and _SHOUTED.search(name):
        return frozenset({"python", "ruby", "java"})
    if _PASCAL.fullmatch(name) and any(c.islower() for c in name):
        titles = [t.strip("~") for t, _ in page.titles]
        prefixed = any(name.startswith(t) and name != t for t in titles)
        return frozenset(
            {"csharp", "php", "typescript"} | ({"go"} if prefixed else set())
        )
    return ALL


def _target_case(target: str) -> frozenset[str]:
    if "/Models/" in target:
        return frozenset({"csharp", "php"})
    if "/models/" in target:
        stem = target.rsplit("/", 1)[-1]
        return frozenset({"java"}) if stem[:1].isupper() else ALL - {"csharp", "php"}
    return ALL


def _go_impossible(page: Page, text: str, line0: int) -> bool:
    """An optional row Go would have written with a pointer, written without one."""
    if text.startswith(("**", "`*", "[*")):
        return False
    found = page.cell_types.get(("go", line0))
    if isinstance(found, NullableType) or not isinstance(
        found, (PrimitiveType, RefType)
    ):
        return False
    return not (isinstance(found, PrimitiveType) and found.kind is Primitive.ANY)


def decide(
    pages: Sequence[PageEvidence],
    forced: str | None,
    where: Position,
    diags: Diagnostics,
) -> str | None:
    """The doc set's dialect (`forced` if given); None when the pages disagree evenly
    (an error). Pages that cannot be read in it are warned."""
    chosen: str | None = forced
    if chosen is None:
        common = set(ALL).intersection(*(p.readable for p in pages))
        chosen = (
            _among(common, pages, where, diags)
            if common
            else _most(pages, where, diags)
        )
    if chosen is None:
        return None
    for page in pages:
        if chosen not in page.readable:
            diags.warning(
                page.pos,
                f"this page is not written in the {chosen} dialect of "
                f"the doc set ({page.why_not(chosen)}); it reads as "
                f"{_names(page.readable)}",
            )
    return chosen


def _among(
    common: set[str], pages: Sequence[PageEvidence], where: Position, diags: Diagnostics
) -> str:
    if len(common) == 1 or DEFAULT in common:
        return DEFAULT if DEFAULT in common else next(iter(common))
    left = set(common)
    for page in pages:
        if left & page.likely:
            left &= page.likely
    chosen = next(name for name in NAMES if name in left)
    if len(left) > 1:
        diags.warning(
            where,
            f"the pages read alike in {_names(left)} (no Type cell, fence or "
            f"naming convention tells them apart): read as {chosen}; set "
            "--dialect (or `dialect` in [tool.specgen]) to choose",
        )
    return chosen


def _most(
    pages: Sequence[PageEvidence], where: Position, diags: Diagnostics
) -> str | None:
    counts = {name: sum(name in p.readable for p in pages) for name in NAMES}
    best = max(counts.values())
    leaders = [name for name, count in counts.items() if count == best]
    if len(leaders) == 1:
        return leaders[0]
    evidence = "; ".join(_split(name, counts[name], pages) for name in leaders)
    diags.error(
        where,
        f"the pages are written in different dialects: {evidence}; set "
        "--dialect (or `dialect` in [tool.specgen]) to choose",
    )
    return None


def _split(name: str, count: int, pages: Sequence[PageEvidence]) -> str:
    """One side of an even split: how many pages a dialect reads, one it does not."""
    other = next(p for p in pages if name not in p.readable)
    return (
        f"{name} reads {count} page{'s' if count != 1 else ''}, but not "
        f"{other.pos.path} ({other.why_not(name)})"
    )


def _names(dialects: set[str] | frozenset[str]) -> str:
    ordered = [name for name in NAMES if name in dialects]
    return " or ".join(ordered) if ordered else "no dialect"
