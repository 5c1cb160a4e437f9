"""What the examples say: Example cells read by their field's type, example data made plain
(enum members by name, runtime objects dropped), and the fields examples show as `null`."""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Mapping
from typing import Any

from ..dates import wire_form
from ..diagnostics import Diagnostics
from ..ir import (
    NESTING_LIMIT,
    ArrayType,
    Doc,
    EnumDoc,
    EnumMemberRef,
    Example,
    FieldSpec,
    LiteralType,
    MapType,
    NullableType,
    ObjectDoc,
    PlatformValue,
    Primitive,
    PrimitiveType,
    RefType,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
    evolve,
    json_problem,
)
from ..naming import folded
from .graph import selected

_DROP = PlatformValue("")  # marks a value that is no JSON data


class Incomplete(Exception):
    """Some docs of a set, resolved alone, need one of the others (see `resolve`'s `part`)."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON data")


def interpret_example(raw: str, expr: TypeExpr, docs: Mapping[str, Doc]) -> tuple[bool, Any]:
    """Read an Example cell by its field's type (`*string*` with `42` is the string "42").

    Returns (ok, value); ok is False when the text does not fit the type. `null` is null
    whatever the type: the docs show nullable fields so.
    """
    if raw == "null":
        return True, None
    if isinstance(expr, NullableType):
        return interpret_example(raw, expr.item, docs)
    if isinstance(expr, RefType):
        assert expr.key is not None
        target = docs[expr.key]
        if isinstance(target, EnumDoc):
            kinds = {type(v.value) for v in target.values}
            if kinds <= {str}:
                return True, raw
            return _number(raw, float in kinds)
    if isinstance(expr, PrimitiveType):
        if expr.kind is Primitive.STRING:
            return True, raw
        if expr.kind in (Primitive.DATE, Primitive.DATETIME):
            return True, wire_form(raw, expr.kind)  # Go's form as the wire writes it
        if expr.kind in (Primitive.NUMBER, Primitive.FLOAT):
            return _number(raw, expr.kind is Primitive.FLOAT)
        if expr.kind is Primitive.INTEGER:
            ok, value = _number(raw, False)
            return (ok, value) if isinstance(value, int) else (False, None)
        if expr.kind is Primitive.BOOLEAN:
            if raw in ("true", "false"):
                return True, raw == "true"
            return False, None
    if isinstance(expr, LiteralType):
        return False, None  # a constant's example adds nothing
    if isinstance(expr, RuntimeType):
        return False, None
    try:
        value = json.loads(raw, parse_constant=_reject_constant)
    except RecursionError:  # nested far deeper than any model
        return False, None
    except ValueError:
        if _accepts_text(expr, docs, set()):
            return True, raw
        return False, None
    return (False, None) if json_problem(value) else (True, value)


def _unwritable(raw: str) -> str | None:
    """Why JSON text the types would read cannot go into the models, if that is why."""
    try:
        problem = json_problem(json.loads(raw, parse_constant=_reject_constant))
    except RecursionError:
        problem = f"a value nested more than {NESTING_LIMIT} deep"
    except ValueError:
        return None
    return f"is {problem}" if problem else None


def _accepts_text(expr: TypeExpr, docs: Mapping[str, Doc], seen: set[str]) -> bool:
    """Whether a bare (unquoted) example can be a string of this type: `*any*`, `*string*`,
    a string enum, or a union with such a member."""
    if isinstance(expr, PrimitiveType):
        return expr.kind in (Primitive.ANY, Primitive.STRING, Primitive.DATE, Primitive.DATETIME)
    if isinstance(expr, NullableType):
        return _accepts_text(expr.item, docs, seen)
    if isinstance(expr, UnionType):
        return any(_accepts_text(m, docs, seen) for m in expr.members)
    if isinstance(expr, RefType) and expr.key is not None and expr.key not in seen:
        seen.add(expr.key)
        target = docs[expr.key]
        if isinstance(target, EnumDoc):
            return all(isinstance(v.value, str) for v in target.values)
        if isinstance(target, UnionDoc):
            return any(_accepts_text(m.type, docs, seen) for m in target.members)
    return False


def _number(raw: str, as_float: bool) -> tuple[bool, Any]:
    try:
        value = int(raw)
        return True, float(value) if as_float else value
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        return False, None
    return (True, number) if math.isfinite(number) else (False, None)


def with_examples(doc: Doc, docs: Mapping[str, Doc], diags: Diagnostics) -> Doc:
    """Read each field's Example cells by the field's type; warn where they do not fit."""
    if not isinstance(doc, ObjectDoc) or not any(f.examples for f in doc.fields):
        return doc
    fields = []
    for spec in doc.fields:
        if not spec.examples:
            fields.append(spec)
            continue
        values = []
        for raw in spec.examples:
            ok, value = interpret_example(raw, spec.type, docs)
            if not ok and isinstance(spec.type, ArrayType):
                # Speakeasy often gives one element as an array's example.
                ok, value = interpret_example(raw, spec.type.item, docs)
                value = [value]
            if ok and value not in ({}, []):  # an empty example shows nothing
                values.append(value)
            elif ok:
                continue
            elif not isinstance(spec.type, (LiteralType, RuntimeType)):
                diags.warning(spec.examples_pos or spec.pos,
                              f"example {raw[:60]!r} of field {spec.name!r} "
                              f"{_unwritable(raw) or 'does not fit its type'}; left out")
        fields.append(evolve(spec, example_values=tuple(values)))
    return evolve(doc, fields=tuple(fields))


# --- Example data ----------------------------------------------------------------------------


class _Members:
    """Enum members by the names examples use for them (`BoolInt.True`)."""

    def __init__(self, docs: Mapping[str, Doc], titles: Mapping[str, str]) -> None:
        self.docs = docs
        self.consulted: set[str] = set()  # keys of the enums looked at, since last cleared
        self.by_title: dict[str, list[EnumDoc]] = {}
        self.keys: dict[str, list[str]] = {}  # doc keys by title, their docs not yet looked up
        # The titles of docs not among `docs`, when they are some of a larger set (`titles`:
        # every doc's): a member of an enum so titled cannot be looked up here.
        self.elsewhere: set[str] = set()
        for key, title in titles.items():  # `docs` are looked up by title when named
            if key in docs:
                self.keys.setdefault(title, []).append(key)
            else:
                self.elsewhere.add(title)

    def enums(self, title: str) -> list[EnumDoc]:
        found = self.by_title.get(title)
        if found is None:
            found = self.by_title[title] = [
                doc for doc in map(self.docs.__getitem__, self.keys.get(title, ()))
                if isinstance(doc, EnumDoc)]
        return found

    def value(self, ref: EnumMemberRef) -> tuple[bool, Any]:
        if ref.enum in self.elsewhere:
            raise Incomplete(f"{ref.enum!r} names docs that are not among those resolved")
        wanted = folded(ref.member)
        self.consulted.update(doc.key for doc in self.enums(ref.enum))
        for doc in self.enums(ref.enum):
            for value in doc.values:
                if value.name == ref.member:
                    return True, value.value
            for value in doc.values:  # fence enums have no names: `Status.InProgress`
                if folded(value.name or str(value.value)) == wanted:
                    return True, value.value
        return False, None


def plain_data(value: Any, members: _Members) -> tuple[Any, str | None]:
    """Example data with enum members replaced by their values and runtime objects left out;
    or the reason it cannot be made plain."""
    if isinstance(value, EnumMemberRef):
        ok, found = members.value(value)
        if not ok:
            return None, f"{value.enum}.{value.member} is no member of an enum in the specs"
        return found, None
    if isinstance(value, PlatformValue):
        return _DROP, None
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            plain, problem = plain_data(item, members)
            if problem:
                return None, problem
            if plain is not _DROP:
                result[key] = plain
        return result, None
    if isinstance(value, list):
        items = []
        for item in value:
            plain, problem = plain_data(item, members)
            if problem:
                return None, problem
            if plain is not _DROP:
                items.append(plain)
        return items, None
    return value, None


def has_placeholders(value: Any) -> bool:
    if isinstance(value, (EnumMemberRef, PlatformValue)):
        return True
    if isinstance(value, dict):
        return any(has_placeholders(v) for v in value.values())
    if isinstance(value, list):
        return any(has_placeholders(v) for v in value)
    return False


def plain_examples(docs: Mapping[str, Doc], diags: Diagnostics, only: Collection[str] | None,
                   titles: Mapping[str, str]) -> tuple[dict[str, Doc], dict[str, set[str]]]:
    """Every doc (of `only`, if given) with its examples as plain JSON-like data; and by doc,
    the enum docs its examples named members of (they shape the doc too). `titles`: every
    doc's title (given, not looked up: no edit moves them), of a larger set when `docs` are
    some of it; a member of an enum whose title a doc outside `docs` has raises
    `Incomplete`."""
    members = _Members(docs, titles)
    influences: dict[str, set[str]] = {}

    def plain(example: Example | None) -> Example | None:
        if example is None or not has_placeholders(example.value):
            return example
        value, problem = plain_data(example.value, members)
        if problem is not None:
            diags.warning(example.pos, f"example left out: {problem}")
            return None
        if value is _DROP:
            return None
        return evolve(example, value=value)

    result: dict[str, Doc] = {}
    for doc in selected(docs, only):
        new: Doc = doc
        example = plain(doc.example)
        if example is not doc.example:
            new = evolve(new, example=example)
        if isinstance(new, UnionDoc):
            union_members = tuple(evolve(m, example=plain(m.example)) for m in new.members)
            new = evolve(new, members=union_members)
        result[doc.key] = new
        if members.consulted:
            influences[doc.key] = set(members.consulted)
            members.consulted.clear()
    return result, influences


def nulls_in_examples(docs: Mapping[str, Doc], only: Collection[str] | None = None
                      ) -> frozenset[tuple[str, str]]:
    """Fields that an example anywhere in the specs (in the docs of `only`, if given) gives
    as `null`.

    The docs never state nullability, but their examples do: the walk follows each example
    through the types (into nested objects, arrays, maps and union members) and notes every
    field it finds `null` in.
    """
    found: set[tuple[str, str]] = set()
    visiting: set[tuple[int, str]] = set()
    fields_of: dict[str, dict[str, FieldSpec | None]] = {}  # doc key -> by name, by letters

    def fields(doc: ObjectDoc) -> dict[str, FieldSpec | None]:
        """A model's fields by their docs names, and by their letters (an Example cell's
        keys are the wire's: `"bytes"` for `Bytes`); None where two fields share letters."""
        by_name = fields_of.get(doc.key)
        if by_name is None:
            by_name = fields_of[doc.key] = {}
            for spec in doc.fields:
                letters = folded(spec.name)
                by_name[letters] = None if letters in by_name else spec
            by_name.update((spec.name, spec) for spec in doc.fields)
        return by_name

    def walk(value: object, expr: TypeExpr) -> None:
        if isinstance(expr, RefType) and expr.key is not None:
            walk_doc(value, docs[expr.key])
        elif isinstance(expr, (ArrayType, StreamType)) and isinstance(value, list):
            for item in value:
                walk(item, expr.item)
        elif isinstance(expr, MapType) and isinstance(value, dict):
            for item in value.values():
                walk(item, expr.value)
        elif isinstance(expr, NullableType):
            walk(value, expr.item)
        elif isinstance(expr, UnionType):
            for member in expr.members:
                walk(value, member)

    def walk_doc(value: object, doc: Doc) -> None:
        marker = (id(value), doc.key)
        if marker in visiting:
            return
        visiting.add(marker)
        if isinstance(doc, ObjectDoc) and isinstance(value, dict):
            by_name = fields(doc)
            specs = [by_name.get(key) or by_name.get(folded(key)) for key in value]
            if all(specs) or any(f.extra for f in doc.fields):
                for item, spec in zip(value.values(), specs, strict=True):
                    if spec is None:
                        continue
                    if item is None:
                        found.add((doc.key, spec.name))
                    else:
                        walk(item, spec.type)
        elif isinstance(doc, UnionDoc):
            for member in doc.members:
                walk(value, member.type)
        visiting.discard(marker)

    for doc in selected(docs, only):
        if isinstance(doc, ObjectDoc):
            for spec in doc.fields:
                for example in spec.example_values:
                    if example is None:
                        found.add((doc.key, spec.name))
                    elif isinstance(example, (dict, list)):  # JSON: nulls further down
                        walk(example, spec.type)
        if doc.example is not None:
            walk_doc(doc.example.value, doc)
        if isinstance(doc, UnionDoc):
            for member in doc.members:
                if member.example is not None:
                    walk(member.example.value, member.type)
    return frozenset(found)
