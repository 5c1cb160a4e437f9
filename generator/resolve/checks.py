"""Examples against the docs' own types: an example that contradicts its page (a constant it
does not have, a value no enum holds, a required field missing) is reported and left out, so
the models' JSON Schema never shows data they reject."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ..dates import fits
from ..diagnostics import Diagnostics
from ..ir import (
    ArrayType,
    Doc,
    EnumDoc,
    Example,
    FieldSpec,
    LiteralType,
    MapType,
    NullableType,
    ObjectDoc,
    Primitive,
    PrimitiveType,
    RefType,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
    UnknownType,
    evolve,
)
from ..naming import folded
from .graph import carries_runtime, selected

# A model's fields by name, by their letters (`folded`), and its extra-keys field, if any.
_Fields = tuple[dict[str, FieldSpec], dict[str, FieldSpec], FieldSpec | None]


class _Checker:
    """Whether example data fits the types the docs give, and where not. Null is accepted
    anywhere (nullability is a policy, decided later) and numbers as the type allows; beyond
    that the check is what the generated models check: constants, closed enums, kinds of
    scalar, required fields, unknown keys."""

    def __init__(self, docs: Mapping[str, Doc], runtime_docs: frozenset[str],
                 wire_keys: bool = False) -> None:
        self.docs = docs
        self.runtime_docs = runtime_docs
        # Keys as the wire spells them (Example cells are the API's JSON, `client_id` for
        # the field `clientId`): matched to fields by their letters, and only the values
        # of the keys that match are checked (wire names are not known yet here).
        self.wire_keys = wire_keys
        self._fields: dict[str, tuple[ObjectDoc, _Fields]] = {}
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
            return self.first_fit(self.problem(value, m, path) for m in expr.members)
        if isinstance(expr, RefType) and expr.key is not None:
            return self.doc(value, self.docs[expr.key], path)
        return None

    @staticmethod
    def first_fit(problems: Iterable[str | None]) -> str | None:
        """None once a member fits (the members after it are not checked: a union's check
        reads only the docs it needs), else the first member's problem."""
        found = []
        for problem in problems:
            if problem is None:
                return None
            found.append(problem)
        return found[0] if len(found) == 1 else (
            f"{found[0]} (nor does it fit the union's other members)")

    def primitive(self, value: Any, kind: Primitive, path: str) -> str | None:
        if kind is Primitive.ANY:
            return None
        if kind is Primitive.STRING:
            ok = isinstance(value, str)
        elif kind in (Primitive.DATE, Primitive.DATETIME):
            if isinstance(value, str) and not fits(value, kind):
                return f"{path} is {value[:40]!r}, which is no {kind.value} as the wire writes it"
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

    def _fields_of(self, doc: ObjectDoc) -> _Fields:
        """A model's fields by name and by their letters, and its extra-keys field: made
        once per model (examples go through the same models again and again)."""
        found = self._fields.get(doc.key)
        if found is None or found[0] is not doc:
            extra = next((f for f in doc.fields if f.extra), None)
            found = self._fields[doc.key] = (doc, (
                {f.name: f for f in doc.fields},
                {folded(f.name): f for f in doc.fields if f is not extra}, extra))
        return found[1]

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
            return self.first_fit(self.problem(value, m.type, path) for m in doc.members)
        assert isinstance(doc, ObjectDoc)
        if not isinstance(value, dict):
            return f"{path} should be an object ({doc.title}), not {_kind(value)}"
        by_name, by_letters, extra = self._fields_of(doc)
        if self.wire_keys:
            for key, item in value.items():
                spec = by_name.get(key) or by_letters.get(folded(key))
                found = None if spec is None else self.problem(item, spec.type, f"{path}.{key}")
                if found:
                    return found
            return None
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
                     diags: Diagnostics, only: Collection[str] | None = None
                     ) -> dict[str, Doc]:
    """Every doc (of `only`, if given) without the examples that contradict the docs' own
    types, each reported."""
    checker = _Checker(docs, runtime_docs)

    def keep(example: Example | None, problem: str | None) -> Example | None:
        if example is None or problem is None:
            return example
        diags.warning(example.pos, f"example left out: {problem}")
        return None

    cells = _Checker(docs, runtime_docs, wire_keys=True)

    def field_examples(doc: ObjectDoc) -> ObjectDoc:
        """The doc without the field examples (Example cells) its types do not read."""
        fields = []
        for spec in doc.fields:
            values = []
            for value in spec.example_values:
                problem = cells.problem(value, spec.type, f"{doc.title}.{spec.name}")
                if problem is None:
                    values.append(value)
                else:
                    diags.warning(spec.examples_pos or spec.pos,
                                  f"example of field {spec.name!r} left out: {problem}")
            fields.append(spec if len(values) == len(spec.example_values)
                          else evolve(spec, example_values=tuple(values)))
        return doc if all(a is b for a, b in zip(fields, doc.fields, strict=True)) else evolve(
            doc, fields=tuple(fields))

    result: dict[str, Doc] = {}
    for doc in selected(docs, only):
        new: Doc = doc
        if isinstance(new, ObjectDoc) and any(f.example_values for f in new.fields):
            new = field_examples(new)
        if new.example is not None:
            example = keep(new.example, checker.doc(new.example.value, new, new.title))
            if example is not new.example:
                new = evolve(new, example=example)
        if isinstance(new, UnionDoc):
            members = tuple(
                m if m.example is None else evolve(m, example=keep(
                    m.example, checker.problem(m.example.value, m.type, doc.title)))
                for m in new.members)
            new = evolve(new, members=members)
        result[doc.key] = new
    return result
