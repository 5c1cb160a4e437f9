"""What the docs show of wire (JSON) names.

The Field column holds the SDK language's names (`createdAt`, `CreatedAt`, `created_at`); the
JSON keys the API uses show only in the Example column of object-typed fields, whose JSON is
the wire form (`{"ephemeral_1h_input_tokens": 0}` for a field `ephemeral1hInputTokens`). Each
key is matched to a field of the model the example describes, comparing letters and digits
only; nested objects, arrays, maps and union members are followed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping
from dataclasses import field
from typing import Any

from ..diagnostics import Diagnostics
from ..ir import (
    ArrayType,
    Doc,
    EnumDoc,
    FieldSpec,
    MapType,
    NullableType,
    ObjectDoc,
    Position,
    RefType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
)
from ..naming import RESHAPED_CAPITALS, folded, wire_camel_case, wire_snake_case
from ..records import frozen
from .graph import selected


@frozen
class WireEvidence:
    """Wire names the examples show, by (doc key, field name), and how the doc set's keys are
    spelled where the spelling tells (the docs' own name, its snake_case or its camelCase)."""

    names: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # doc key (or "" for the whole doc set) -> Counter of "spec" / "snake" / "camel" spellings
    styles: Mapping[str, Counter[str]] = field(default_factory=dict)
    # (docs name, kind of value) -> wire name, where every example that shows the name on a
    # field of that kind (`value_kind`) spells it one way that no naming policy gives (`shape`
    # -> `_shape`): the API's own rule for that name, where it holds such a value
    irregular: Mapping[tuple[str, str], str] = field(default_factory=dict)
    # What the above were made from, in order: each example key matched to a field (the doc
    # whose example it is, the field's doc key and name, the key) and each group of sibling
    # models: which doc's example comes first decides a name two examples spell apart. Docs
    # that give the same records give the same evidence; a run that resolves some docs again
    # compares them (see incremental.py). Not kept beyond the run that made them.
    records: tuple[tuple[str, ...], ...] = ()

    def style(self, key: str) -> str | None:
        """The spelling the evidence shows most for a doc (or "" for the set), if any."""
        return leading_style(self.styles.get(key))


# The spellings a wire name may follow, in the order that breaks a tie between them.
SPELLINGS = ("spec", "snake", "camel")


def spelled(name: str, style: str, dialect: str) -> str:
    """A field's docs name (in `dialect`'s docs) as a spelling makes its wire name."""
    if style == "snake":
        return wire_snake_case(name)
    return wire_camel_case(name, dialect) if style == "camel" else name


def value_kind(expr: TypeExpr, kind_of: Callable[[str], str]) -> str:
    """What a field holds, as far as its name's spelling goes: a name the API spells its own
    way for one kind of value (`"Location": {...}`) need not be spelled so for another (an
    enum `location`). `kind_of` gives a referenced doc's kind ("object", "enum", "union")."""
    while isinstance(expr, NullableType):
        expr = expr.item
    if isinstance(expr, (ArrayType, StreamType)):
        return "list of " + value_kind(expr.item, kind_of)
    if isinstance(expr, MapType):
        return "map of " + value_kind(expr.value, kind_of)
    if isinstance(expr, RefType) and expr.key is not None:
        return "value" if kind_of(expr.key) == "enum" else "object"
    return "object" if isinstance(expr, UnionType) else "value"


def spelled_apart(name: str, dialect: str) -> bool:
    """Whether the spellings make different wire names of a docs name (`createdAt`; not
    `id`): only such names show, or need, a spelling."""
    return len({spelled(name, style, dialect) for style in SPELLINGS}) > 1


def leading_style(counts: Counter[str] | None) -> str | None:
    """The spelling counted most (ties: the first of SPELLINGS), if any was counted."""
    if not counts:
        return None
    return max(SPELLINGS, key=lambda style: (counts[style], -SPELLINGS.index(style)))


class _Collector:
    def __init__(self, docs: Mapping[str, Doc], diags: Diagnostics) -> None:
        self.docs = docs
        self.diags = diags
        self.names: dict[tuple[str, str], tuple[str, Position]] = {}
        self.styles: dict[str, Counter[str]] = {}
        self.seen: set[tuple[int, str]] = set()
        self.fields: dict[str, dict[str, list[FieldSpec]]] = {}  # doc key -> by folded name
        # (docs name, dialect) -> wire name by spelling
        self.spellings: dict[tuple[str, str], dict[str, str]] = {}
        self.records: list[tuple[str, ...]] = []
        self.root = ""  # the doc whose examples are being read
        self.kinds: dict[tuple[str, str], str] = {}  # (doc key, field name) -> its value_kind
        self.counted: set[tuple[str, str, str]] = set()  # (doc key or "", name, key) counted

    def kind_of(self, key: str) -> str:
        return "enum" if isinstance(self.docs[key], EnumDoc) else "object"

    def value(self, value: Any, expr: TypeExpr, where: Position) -> None:
        if isinstance(expr, RefType) and expr.key is not None:
            self.doc(value, self.docs[expr.key], where)
        elif isinstance(expr, (ArrayType, StreamType)) and isinstance(value, list):
            for item in value:
                self.value(item, expr.item, where)
        elif isinstance(expr, MapType) and isinstance(value, dict):
            for item in value.values():
                self.value(item, expr.value, where)
        elif isinstance(expr, NullableType):
            self.value(value, expr.item, where)
        elif isinstance(expr, UnionType):
            for member in expr.members:
                self.value(value, member, where)

    def doc(self, value: Any, doc: Doc, where: Position) -> None:
        marker = (id(value), doc.key)
        if marker in self.seen:
            return
        self.seen.add(marker)
        if isinstance(doc, UnionDoc):
            for member in doc.members:
                self.value(value, member.type, where)
        elif isinstance(doc, ObjectDoc) and isinstance(value, dict):
            self.object(value, doc, where)

    def object(self, value: dict[str, Any], doc: ObjectDoc, where: Position) -> None:
        by_folded = self.fields.get(doc.key)
        if by_folded is None:
            by_folded = self.fields[doc.key] = {}
            for spec in doc.fields:
                by_folded.setdefault(folded(spec.name), []).append(spec)
        matches = {key: by_folded.get(folded(key), []) for key in value}
        if any(len(specs) != 1 for specs in matches.values()):
            return  # keys this model does not have: the example is of another model
        for key, (spec,) in matches.items():
            self.record(doc, spec, key, where)
            self.value(value[key], spec.type, where)

    def record(self, doc: ObjectDoc, spec: FieldSpec, key: str, where: Position) -> None:
        self.records.append((self.root, doc.key, spec.name, key))
        self.kinds[doc.key, spec.name] = value_kind(spec.type, self.kind_of)
        earlier = self.names.setdefault((doc.key, spec.name), (key, where))
        if earlier[0] != key:
            self.diags.warning(where, f"examples give {doc.title}.{spec.name} two wire names, "
                               f"{earlier[0]!r} (at {earlier[1]}) and {key!r}; the first is "
                               "used")
            return
        spellings = self.spellings.get((spec.name, doc.dialect))
        if spellings is None:
            spellings = self.spellings[spec.name, doc.dialect] = {
                style: spelled(spec.name, style, doc.dialect) for style in SPELLINGS}
        if len(set(spellings.values())) > 1:  # spelled apart: only such names tell
            for style, name in spellings.items():
                if key == name:
                    # A name counts once however many examples show it: one example copied
                    # onto many pages is one piece of evidence, not many
                    for counted in (doc.key, ""):
                        if (counted, spec.name, key) not in self.counted:
                            self.counted.add((counted, spec.name, key))
                            self.styles.setdefault(counted, Counter())[style] += 1


def wire_evidence(docs: Mapping[str, Doc], diags: Diagnostics,
                  only: Collection[str] | None = None) -> WireEvidence:
    """The wire names the Example columns show (those of the docs of `only`, if given)."""
    collector = _Collector(docs, diags)
    for doc in selected(docs, only):
        if not isinstance(doc, ObjectDoc):
            continue
        collector.root = doc.key
        for spec in doc.fields:
            for example in spec.example_values:
                if isinstance(example, (dict, list)):
                    collector.value(example, spec.type, spec.examples_pos or spec.pos)
    names = {k: name for k, (name, _) in collector.names.items()}
    styles = dict(collector.styles)
    groups = _sibling_groups(docs, only)
    for key, style in _sibling_styles(groups, collector.styles).items():
        styles[key] = Counter({style: 1})
    spellings: dict[tuple[str, str], set[str]] = {}
    for (doc_key, spec_name), wire in names.items():
        kind = collector.kinds[doc_key, spec_name]
        spellings.setdefault((spec_name, kind), set()).add(wire)
    irregular = {named: next(iter(wires)) for named, wires in spellings.items()
                 if len(wires) == 1 and not wires & {
                     spelled(named[0], s, d) for s in SPELLINGS
                     for d in ("", *RESHAPED_CAPITALS)}}
    return WireEvidence(names, styles, irregular, (*collector.records, *groups))


def _sibling_groups(docs: Mapping[str, Doc], only: Collection[str] | None
                    ) -> list[tuple[str, ...]]:
    """Models that are variants of one thing, by doc key: the members of one union (of
    `only`, if given), and the models their same-named fields refer to (each destination's
    `config`)."""
    found: list[tuple[str, ...]] = []
    for union in selected(docs, only):
        if not isinstance(union, UnionDoc):
            continue
        members = [docs[m.type.key] for m in union.members
                   if isinstance(m.type, RefType) and m.type.key is not None
                   and m.type.key in docs]
        objects = [m for m in members if isinstance(m, ObjectDoc)]
        found.append(tuple(m.key for m in objects))
        by_field: dict[str, list[str]] = {}
        for member in objects:
            for spec in member.fields:
                target = spec.type.key if isinstance(spec.type, RefType) else None
                if target is not None and isinstance(docs.get(target), ObjectDoc):
                    by_field.setdefault(spec.name, []).append(target)
        found += [tuple(keys) for keys in by_field.values() if len(keys) > 1]
    return found


def _sibling_styles(groups: list[tuple[str, ...]], styles: Mapping[str, Counter[str]]
                    ) -> dict[str, str]:
    """Styles for models without examples of their own, from their siblings (`groups`):
    where the siblings with examples agree by majority, the others are spelled so too."""
    def style(key: str) -> str | None:
        return leading_style(styles.get(key))

    derived: dict[str, str] = {}
    for group in groups:
        counts = Counter(s for s in map(style, group) if s is not None)
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            continue
        for key in group:
            if style(key) is None:
                derived.setdefault(key, ranked[0][0])
    return derived
