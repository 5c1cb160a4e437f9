"""Example data in wire form: the docs' examples are keyed by the docs' field names; the models
read and write wire names. The walk follows the docs' types, and at a union takes the member
the data fits best, as pydantic's smart union does: the most keys known, none unknown, no
required field missing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..ir import (
    ArrayType,
    Doc,
    EnumDoc,
    FieldSpec,
    LiteralType,
    MapType,
    NullableType,
    ObjectDoc,
    Primitive,
    PrimitiveType,
    RefType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
)
from .pytypes import ANY, AnyOf, Model, OrNone, PyType

if TYPE_CHECKING:
    from .semantics import Planner

# Below any score a fit can reach: a member that fits with unknown keys scores below zero.
_NO_FIT = float("-inf")


def _is_any(expr: TypeExpr) -> bool:
    return isinstance(expr, PrimitiveType) and expr.kind is Primitive.ANY


def _scalar_fit(value: Any, kind: Primitive) -> float:
    """Whether a scalar type reads the value (strictly: JSON's kinds of value)."""
    if kind is Primitive.ANY:
        return 0.0
    if kind in (Primitive.STRING, Primitive.DATE, Primitive.DATETIME):
        ok = isinstance(value, str)
    elif kind is Primitive.BOOLEAN:
        ok = isinstance(value, bool)
    elif kind is Primitive.INTEGER:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return 1.0 if ok else _NO_FIT


def _may_be_null(py: PyType, docs: Mapping[str, Doc]) -> bool:
    if isinstance(py, OrNone) or py == ANY:
        return True
    if isinstance(py, AnyOf):
        return any(_may_be_null(member, docs) for member in py.members)
    return isinstance(py, Model) and isinstance(docs.get(py.key), UnionDoc)


class WireForm:
    def __init__(self, planner: Planner) -> None:
        self.planner = planner
        self.docs = planner.package.docs
        self.active: set[tuple[int, str]] = set()

    def value(self, value: Any, expr: TypeExpr) -> Any:
        if isinstance(expr, RefType) and expr.key is not None:
            return self.doc(value, self.docs[expr.key])
        if isinstance(expr, (ArrayType, StreamType)) and isinstance(value, list):
            return [self.value(item, expr.item) for item in value]
        if isinstance(expr, MapType) and isinstance(value, dict):
            return {key: self.value(item, expr.value) for key, item in value.items()}
        if isinstance(expr, NullableType):
            return self.value(value, expr.item)
        if isinstance(expr, UnionType):
            return self.best(value, list(expr.members))
        return value

    def best(self, value: Any, members: list[TypeExpr]) -> Any:
        """The value as the member it fits best reads it (the first, on a tie). `Any` members
        come last, as rendered: they read the value (as it is) only when no other member
        does; the others are weighed among themselves, as pydantic's smart mode does."""
        exact = [m for m in members if not _is_any(m)]
        scores = [self.fit(value, m, 3) for m in exact]
        top = max(scores, default=_NO_FIT)
        if top == _NO_FIT:
            return value
        return self.value(value, exact[scores.index(top)])

    def fit(self, value: Any, expr: TypeExpr, depth: int) -> float:
        """How well `value` fits `expr`: _NO_FIT, or higher for closer fits."""
        if isinstance(expr, NullableType):
            return 1.0 if value is None else self.fit(value, expr.item, depth)
        if isinstance(expr, (ArrayType, StreamType)):
            if not isinstance(value, list):
                return _NO_FIT
            return 1.0 + (self.fit(value[0], expr.item, depth - 1) if value and depth else 0)
        if isinstance(expr, MapType):
            return 0.5 if isinstance(value, dict) else _NO_FIT
        if isinstance(expr, UnionType):
            return max((self.fit(value, m, depth) for m in expr.members), default=_NO_FIT)
        if isinstance(expr, LiteralType):
            return 2.0 if value == expr.value else _NO_FIT
        if isinstance(expr, PrimitiveType):
            return _scalar_fit(value, expr.kind)
        if isinstance(expr, RefType) and expr.key is not None:
            return self.fit_doc(value, self.docs[expr.key], depth)
        return 0.0

    def fit_doc(self, value: Any, doc: Doc, depth: int) -> float:
        if isinstance(doc, UnionDoc):
            if depth <= 0:
                return 0.0
            return max((self.fit(value, m.type, depth - 1) for m in doc.members),
                       default=_NO_FIT)
        if isinstance(doc, EnumDoc):
            return 2.0 if any(value == v.value for v in doc.values) else (
                0.5 if doc.open and not isinstance(value, (dict, list)) else _NO_FIT)
        assert isinstance(doc, ObjectDoc)
        if not isinstance(value, dict):
            return _NO_FIT
        by_name = {f.name: f for f in doc.fields}
        score = 1.0
        for key, item in value.items():
            spec = by_name.get(key)
            if spec is None:
                score -= 2  # a key this model does not have
            elif depth > 0:
                fits = (self.fit(item, spec.type, depth - 1) if item is not None
                        else 1.0 if self.takes_null(doc, spec) else _NO_FIT)
                if fits == _NO_FIT:
                    return _NO_FIT  # this member would not read the value
                score += 1 + fits
            else:
                score += 1
        return score - sum(1 for f in doc.fields if f.required and f.name not in value)

    def takes_null(self, doc: ObjectDoc, spec: FieldSpec) -> bool:
        """Whether the model's field reads a null, as rendered (optional, nullable, `Any`);
        a model of a union may, by its members: it counts as taking one."""
        return _may_be_null(self.planner.field(doc, spec).type, self.docs)

    def doc(self, value: Any, doc: Doc) -> Any:
        marker = (id(value), doc.key)
        if marker in self.active:
            return value
        self.active.add(marker)
        try:
            if isinstance(doc, UnionDoc):
                return self.best(value, [m.type for m in doc.members])
            if not isinstance(doc, ObjectDoc) or not isinstance(value, dict):
                return value
            names = self.planner.names(doc)
            by_name = {f.name: f for f in doc.fields}
            result = {}
            for key, item in value.items():
                spec = by_name.get(key)
                if spec is None or key not in names:
                    result[key] = item  # an extra key: as it is
                else:
                    result[names[key][1]] = self.value(item, spec.type)
            return result
        finally:
            self.active.discard(marker)
