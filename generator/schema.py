"""The specs as JSON Schema (draft 2020-12), for tools that do not read Python.

It describes the same data the generated models accept: property names are the wire names
(the spec's field names, or configured aliases), fields with a default (constants, SDK runtime
objects) are not required, and nullability follows the configured policy.
"""

from __future__ import annotations

from typing import Any

from .config import Config, FieldOverride
from .ir import (
    ArrayType,
    Doc,
    EnumDoc,
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
)
from .render import constant_of, extra_field, field_key, is_runtime
from .resolve import Package

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_PRIMITIVES: dict[Primitive, dict[str, Any]] = {
    Primitive.STRING: {"type": "string"},
    Primitive.NUMBER: {"type": "number"},
    Primitive.INTEGER: {"type": "integer"},
    Primitive.FLOAT: {"type": "number"},
    Primitive.BOOLEAN: {"type": "boolean"},
    Primitive.ANY: {},
    Primitive.DATETIME: {"type": "string", "format": "date-time"},
    Primitive.DATE: {"type": "string", "format": "date"},
}


def definition_name(doc: Doc, package: Package) -> str:
    """`Widget`, `operations.Widget`: the model's import path below the package."""
    return ".".join((*doc.namespace, package.class_name(doc)))


def json_schema(package: Package, config: Config) -> dict[str, Any]:
    defs = {definition_name(doc, package): _doc(doc, package, config)
            for doc in sorted(package.docs.values(), key=lambda d: definition_name(d, package))}
    return {"$schema": DIALECT, "title": config.package, "$defs": defs}


def _type(expr: TypeExpr, package: Package) -> dict[str, Any]:
    if isinstance(expr, PrimitiveType):
        return dict(_PRIMITIVES[expr.kind])
    if isinstance(expr, LiteralType):
        return {"const": expr.value}
    if isinstance(expr, RefType):
        return {"$ref": f"#/$defs/{definition_name(package.target(expr), package)}"}
    if isinstance(expr, (ArrayType, StreamType)):
        return {"type": "array", "items": _type(expr.item, package)}
    if isinstance(expr, MapType):
        return {"type": "object", "additionalProperties": _type(expr.value, package)}
    if isinstance(expr, NullableType):
        return _nullable(_type(expr.item, package))
    if isinstance(expr, UnionType):
        if is_runtime(expr, package):
            return {}
        return {"anyOf": [_type(m, package) for m in expr.members]}
    assert isinstance(expr, RuntimeType)
    return {}  # an SDK runtime object: no JSON shape


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return schema if not schema else {"anyOf": [schema, {"type": "null"}]}


def _doc(doc: Doc, package: Package, config: Config) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": doc.title}
    if doc.description:
        schema["description"] = doc.description
    if doc.deprecated:
        schema["deprecated"] = True
    if isinstance(doc, EnumDoc):
        values = [v.value for v in doc.values]
        kind = "string" if all(isinstance(v, str) for v in values) else "number"
        if len(values) == 1 and not doc.open:
            schema["const"] = values[0]
        elif doc.open:
            schema["anyOf"] = [{"enum": values}, {"type": kind}]
        else:
            schema["enum"] = values
        return schema
    if isinstance(doc, UnionDoc):
        if doc.members:  # none: the page does not say (Ruby, Java), anything goes
            schema["anyOf"] = [_type(m.type, package) for m in doc.members]
        return schema
    assert isinstance(doc, ObjectDoc)
    schema["type"] = "object"
    properties: dict[str, Any] = {}
    required: list[str] = []
    extra = extra_field(doc)
    for spec in doc.fields:
        if spec is extra:
            assert isinstance(spec.type, MapType)
            schema["additionalProperties"] = _type(spec.type.value, package)
            continue
        override = config.fields.get(field_key(doc, spec.name)) or FieldOverride()
        wire = override.alias or spec.name
        field = _type(spec.type, package)
        runtime = is_runtime(spec.type, package)
        constant = constant_of(spec.type, package)
        nullable = override.nullable
        if nullable is None:
            nullable = (not spec.required or runtime or config.nullable == "all"
                        or config.nullable == "examples"
                        and (doc.key, spec.name) in package.null_in_examples)
        if nullable:
            field = _nullable(field)
        if spec.description:
            field["description"] = spec.description
        if spec.example_values:
            field["examples"] = list(spec.example_values)
        if spec.deprecated:
            field["deprecated"] = True
        if spec.required and not runtime and (constant is None or nullable):
            required.append(wire)
        elif constant is not None and spec.required:
            field["default"] = constant.value
        properties[wire] = field
    schema["properties"] = properties
    if required:
        schema["required"] = required
    if doc.example is not None:
        schema["examples"] = [doc.example.value]
    return schema
