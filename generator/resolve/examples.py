"""What the examples say: Example cells read by their field's type, example data made plain
(enum members by name, runtime objects dropped), and the fields examples show as `null`."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..diagnostics import Diagnostics
from ..ir import (
    ArrayType,
    Doc,
    EnumDoc,
    EnumMemberRef,
    Example,
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
    UnknownType,
)
from .graph import carries_runtime

_DROP = PlatformValue("")  # marks a value that is no JSON data


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
        if expr.kind in (Primitive.STRING, Primitive.DATE, Primitive.DATETIME):
            return True, raw
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
        return True, json.loads(raw, parse_constant=_reject_constant)
    except ValueError:
        if _accepts_text(expr, docs, set()):
            return True, raw
        return False, None


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
                              f"example {raw[:60]!r} of field {spec.name!r} does not fit its "
                              "type; left out")
        fields.append(replace(spec, example_values=tuple(values)))
    return replace(doc, fields=tuple(fields))


# --- Example data ----------------------------------------------------------------------------


class _Members:
    """Enum members by the names examples use for them (`BoolInt.True`)."""

    def __init__(self, docs: Mapping[str, Doc]) -> None:
        self.by_title: dict[str, list[EnumDoc]] = {}
        for doc in docs.values():
            if isinstance(doc, EnumDoc):
                self.by_title.setdefault(doc.title, []).append(doc)

    def value(self, ref: EnumMemberRef) -> tuple[bool, Any]:
        wanted = _folded(ref.member)
        for doc in self.by_title.get(ref.enum, []):
            for value in doc.values:
                if value.name == ref.member:
                    return True, value.value
            for value in doc.values:  # fence enums have no names: `Status.InProgress`
                if _folded(value.name or str(value.value)) == wanted:
                    return True, value.value
        return False, None


def _folded(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


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


def plain_examples(docs: Mapping[str, Doc], diags: Diagnostics) -> dict[str, Doc]:
    """Every doc with its examples as plain JSON-like data."""
    members = _Members(docs)

    def plain(example: Example | None) -> Example | None:
        if example is None or not has_placeholders(example.value):
            return example
        value, problem = plain_data(example.value, members)
        if problem is not None:
            diags.warning(example.pos, f"example left out: {problem}")
            return None
        if value is _DROP:
            return None
        return replace(example, value=value)

    result: dict[str, Doc] = {}
    for key, doc in docs.items():
        new: Doc = doc
        example = plain(doc.example)
        if example is not doc.example:
            new = replace(new, example=example)
        if isinstance(new, UnionDoc):
            union_members = tuple(replace(m, example=plain(m.example)) for m in new.members)
            new = replace(new, members=union_members)
        result[key] = new
    return result


def nulls_in_examples(docs: Mapping[str, Doc]) -> frozenset[tuple[str, str]]:
    """Fields that an example anywhere in the specs gives as `null`.

    The docs never state nullability, but their examples do: the walk follows each example
    through the types (into nested objects, arrays, maps and union members) and notes every
    field it finds `null` in.
    """
    found: set[tuple[str, str]] = set()
    visiting: set[tuple[int, str]] = set()

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
            by_name = {f.name: f for f in doc.fields}
            if set(value) <= set(by_name) or any(f.extra for f in doc.fields):
                for name, item in value.items():
                    spec = by_name.get(name)
                    if spec is None:
                        continue
                    if item is None:
                        found.add((doc.key, name))
                    else:
                        walk(item, spec.type)
        elif isinstance(doc, UnionDoc):
            for member in doc.members:
                walk(value, member.type)
        visiting.discard(marker)

    for doc in docs.values():
        if isinstance(doc, ObjectDoc):
            found.update((doc.key, f.name) for f in doc.fields if None in f.example_values)
        if doc.example is not None:
            walk_doc(doc.example.value, doc)
        if isinstance(doc, UnionDoc):
            for member in doc.members:
                if member.example is not None:
                    walk(member.example.value, member.type)
    return frozenset(found)


# --- Examples against the docs' own types ------------------------------------------------------


class _Checker:
    """Whether example data fits the types the docs give, and where not. Null is accepted
    anywhere (nullability is a policy, decided later) and numbers as the type allows; beyond
    that the check is what the generated models check: constants, closed enums, kinds of
    scalar, required fields, unknown keys."""

    def __init__(self, docs: Mapping[str, Doc], runtime_docs: frozenset[str]) -> None:
        self.docs = docs
        self.runtime_docs = runtime_docs
        self.active: set[tuple[int, str]] = set()  # (value id, doc key) being checked

    def problem(self, value: Any, expr: TypeExpr, path: str) -> str | None:
        if value is None or isinstance(expr, (RuntimeType, UnknownType)):
            return None
        if isinstance(expr, NullableType):
            return self.problem(value, expr.item, path)
        if isinstance(expr, LiteralType):
            if value == expr.value and type(value) is type(expr.value):
                return None
            return f"{path} is {value!r}, but the docs make it the constant {expr.value!r}"
        if isinstance(expr, PrimitiveType):
            return self.primitive(value, expr.kind, path)
        if isinstance(expr, (ArrayType, StreamType)):
            if not isinstance(value, list):
                return f"{path} should be an array, not {_kind(value)}"
            for i, item in enumerate(value):
                found = self.problem(item, expr.item, f"{path}[{i}]")
                if found:
                    return found
            return None
        if isinstance(expr, MapType):
            if not isinstance(value, dict):
                return f"{path} should be an object, not {_kind(value)}"
            for key, item in value.items():
                found = self.problem(item, expr.value, f"{path}[{key!r}]")
                if found:
                    return found
            return None
        if isinstance(expr, UnionType):
            return self.first_fit([self.problem(value, m, path) for m in expr.members])
        if isinstance(expr, RefType) and expr.key is not None:
            return self.doc(value, self.docs[expr.key], path)
        return None

    @staticmethod
    def first_fit(problems: list[str | None]) -> str | None:
        if any(p is None for p in problems):
            return None
        return problems[0] if len(problems) == 1 else (
            f"{problems[0]} (nor does it fit the union's other members)")

    def primitive(self, value: Any, kind: Primitive, path: str) -> str | None:
        if kind is Primitive.ANY:
            return None
        if kind in (Primitive.STRING, Primitive.DATE, Primitive.DATETIME):
            ok = isinstance(value, str)
        elif kind is Primitive.BOOLEAN:
            ok = isinstance(value, bool)
        elif kind is Primitive.INTEGER:
            ok = isinstance(value, int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"{path} should be {kind.value}, not {_kind(value)}"

    def doc(self, value: Any, doc: Doc, path: str) -> str | None:
        marker = (id(value), doc.key)
        if marker in self.active:
            return None
        self.active.add(marker)
        try:
            return self._doc(value, doc, path)
        finally:
            self.active.discard(marker)

    def _doc(self, value: Any, doc: Doc, path: str) -> str | None:
        if isinstance(doc, EnumDoc):
            values = [v.value for v in doc.values]
            if doc.open:
                kinds = {type(v) for v in values} | ({float} if int in {type(v) for v in values}
                                                      else set())
                if type(value) in kinds or (isinstance(value, int) and float in kinds
                                            and not isinstance(value, bool)):
                    return None
                return f"{path} should be a value of {doc.title}, not {_kind(value)}"
            if any(value == v and type(value) is type(v) for v in values):
                return None
            return f"{path} is {value!r}, which is no value of the enum {doc.title}"
        if isinstance(doc, UnionDoc):
            return self.first_fit([self.problem(value, m.type, path) for m in doc.members])
        assert isinstance(doc, ObjectDoc)
        if not isinstance(value, dict):
            return f"{path} should be an object ({doc.title}), not {_kind(value)}"
        by_name = {f.name: f for f in doc.fields}
        extra = next((f for f in doc.fields if f.extra), None)
        for key, item in value.items():
            spec = by_name.get(key)
            if spec is None or spec is extra:
                if extra is None:
                    return f"{path} has the key {key!r}, which {doc.title} does not have"
                continue
            found = self.problem(item, spec.type, f"{path}.{key}")
            if found:
                return found
        for spec in doc.fields:
            if (spec.required and spec.name not in value and spec is not extra
                    and not carries_runtime(spec.type, self.runtime_docs)
                    and not _is_constant(spec.type, self.docs)):
                return f"{path} lacks {spec.name!r}, which {doc.title} requires"
        return None


def _is_constant(expr: TypeExpr, docs: Mapping[str, Doc]) -> bool:
    if isinstance(expr, LiteralType):
        return True
    if isinstance(expr, RefType) and expr.key is not None:
        target = docs[expr.key]
        return isinstance(target, EnumDoc) and not target.open and len(target.values) == 1
    return False


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return "an array" if isinstance(value, list) else "an object"


def checked_examples(docs: Mapping[str, Doc], runtime_docs: frozenset[str],
                     diags: Diagnostics) -> dict[str, Doc]:
    """Every doc without the examples that contradict the docs' own types, each reported."""
    checker = _Checker(docs, runtime_docs)

    def keep(example: Example | None, problem: str | None) -> Example | None:
        if example is None or problem is None:
            return example
        diags.warning(example.pos, f"example left out: {problem}")
        return None

    result: dict[str, Doc] = {}
    for key, doc in docs.items():
        new: Doc = doc
        if doc.example is not None:
            example = keep(doc.example, checker.doc(doc.example.value, doc, doc.title))
            if example is not doc.example:
                new = replace(new, example=example)
        if isinstance(new, UnionDoc):
            members = tuple(
                m if m.example is None else replace(m, example=keep(
                    m.example, checker.problem(m.example.value, m.type, doc.title)))
                for m in new.members)
            new = replace(new, members=members)
        result[key] = new
    return result
