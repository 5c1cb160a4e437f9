"""The specs as JSON Schema (draft 2020-12), for tools that do not read Python.

It describes the data the generated models read and write, from the same plans the templates
render: properties are the wire names, a field with a default is not required, null is
accepted where the models accept it.
"""

from __future__ import annotations

from typing import Any

from .config import Config
from .ir import Doc
from .render.semantics import (
    AnyOf,
    Constant,
    ConstantPlan,
    DictOf,
    EnumPlan,
    ListOf,
    Model,
    ObjectPlan,
    OrNone,
    Planner,
    Policy,
    PyType,
    Scalar,
    UnionPlan,
)
from .resolve import Package

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_SCALARS: dict[str, dict[str, Any]] = {
    "str": {"type": "string"},
    "int": {"type": "integer"},
    "float": {"type": "number"},
    "number": {"type": "number"},
    "bool": {"type": "boolean"},
    "any": {},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}


def definition_name(doc: Doc, package: Package) -> str:
    """`Widget`, `operations.Widget`: the model's import path below the package."""
    return ".".join((*package.modules[doc.key][:-1], package.class_name(doc)))


def json_schema(package: Package, config: Config) -> dict[str, Any]:
    planner = Planner(package, Policy(config.nullable, config.field_names, config.wire_names,
                                      config.fields, config.models))
    docs = sorted(package.docs.values(), key=lambda d: definition_name(d, package))
    defs = {definition_name(doc, package): _doc(planner, doc, package) for doc in docs}
    return {"$schema": DIALECT, "title": config.package, "$defs": defs}


def _type(py: PyType, package: Package) -> dict[str, Any]:
    if isinstance(py, Scalar):
        return dict(_SCALARS[py.name])
    if isinstance(py, Constant):
        return {"const": py.values[0]} if len(py.values) == 1 else {"enum": list(py.values)}
    if isinstance(py, Model):
        return {"$ref": f"#/$defs/{definition_name(package.docs[py.key], package)}"}
    if isinstance(py, ListOf):
        return {"type": "array", "items": _type(py.item, package)}
    if isinstance(py, DictOf):
        return {"type": "object", "additionalProperties": _type(py.value, package)}
    if isinstance(py, OrNone):
        return {"anyOf": [_type(py.item, package), {"type": "null"}]}
    assert isinstance(py, AnyOf)
    return {"anyOf": [_type(m, package) for m in py.members]}


def _doc(planner: Planner, doc: Doc, package: Package) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": doc.title}
    if doc.description:
        schema["description"] = doc.description
    if doc.deprecated:
        schema["deprecated"] = True
    plan = planner.plan(doc)
    if isinstance(plan, ConstantPlan):
        schema["const"] = plan.value
    elif isinstance(plan, EnumPlan):
        kind = "string" if plan.value_type == "str" else "number"
        if plan.open:
            schema["anyOf"] = [{"enum": list(plan.values)}, {"type": kind}]
        else:
            schema["enum"] = list(plan.values)
    elif isinstance(plan, UnionPlan):
        schema["anyOf"] = [_type(m, package) for m in plan.members]
    else:
        assert isinstance(plan, ObjectPlan)
        schema.update(_object(plan, package))
    return schema


def _object(plan: ObjectPlan, package: Package) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object"}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in plan.fields:
        spec = field.spec
        prop = _type(field.type, package)
        if spec.description:
            prop["description"] = spec.description
        if spec.example_values:
            prop["examples"] = list(spec.example_values)
        if spec.deprecated:
            prop["deprecated"] = True
        if field.required:
            required.append(field.wire_name)
        elif field.has_default and field.default is not None:
            prop["default"] = field.default
        properties[field.wire_name] = prop
    if plan.extra is not None:
        schema["additionalProperties"] = _type(plan.extra, package)
    schema["properties"] = properties
    if required:
        schema["required"] = required
    if plan.examples:
        schema["examples"] = list(plan.examples)
    return schema
