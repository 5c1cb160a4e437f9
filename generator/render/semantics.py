"""What each model means in Python, whatever kind of model renders it: the one place for the
field policy (attribute and wire names, required, nullable, default), constants, discriminators
and the wire form of examples. Every template kind and `specgen schema` read these plans.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any, TypeVar

from ..config import FieldOverride, ModelOverride
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
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
)
from ..naming import unique_attribute_names
from ..records import frozen
from ..resolve import Package, form_of
from ..resolve.graph import carries_runtime
from ..resolve.wire import spelled, value_kind
from .pytypes import (
    ANY,
    AnyOf,
    Constant,
    DictOf,
    ListOf,
    Model,
    OrNone,
    PyType,
    Scalar,
    or_none,
    takes_anything,
    union_of,
)

__all__ = ["ANY", "AnyOf", "Constant", "ConstantPlan", "DictOf", "EnumPlan", "FieldPlan",
           "ListOf", "Model", "ObjectPlan", "OrNone", "Plan", "Planner", "Policy", "PyType",
           "Scalar", "UnionPlan", "configured", "constant_of", "extra_field", "field_key",
           "is_constant", "model_key", "or_none", "short_key", "takes_anything", "union_of"]

# --- Plans -------------------------------------------------------------------------------------


@frozen
class FieldPlan:
    spec: FieldSpec
    attribute: str  # the Python attribute
    wire_name: str  # the JSON key it is read from and written to
    accepted: tuple[str, ...]  # other keys validation accepts (the docs' name), besides both
    type: PyType  # as declared, null included when accepted
    required: bool  # must be given
    has_default: bool
    default: Any  # the default value (None, or a constant's value) when has_default
    runtime: bool  # an SDK runtime object: never in JSON


@frozen
class ObjectPlan:
    doc: ObjectDoc
    name: str
    fields: tuple[FieldPlan, ...]
    extra: PyType | None  # the type of extra keys (an `additionalProperties` row), if allowed
    examples: tuple[Any, ...]  # the page's example, in wire form


@frozen
class EnumPlan:
    doc: EnumDoc
    name: str
    values: tuple[str | int | float, ...]
    value_type: str  # "str", "int" or "float"
    open: bool


@frozen
class ConstantPlan:
    """A closed one-value enum: a constant, rendered as a `Literal` alias."""

    doc: EnumDoc
    name: str
    value: str | int | float


@frozen
class UnionPlan:
    doc: UnionDoc
    name: str
    members: tuple[PyType, ...]
    discriminator: FieldPlan | None  # the members' shared tag field (as the first names it)
    cyclic: bool  # on a reference cycle: a lazily resolved alias
    tags: Mapping[str, str] = field(default_factory=dict)  # member doc key -> its tag value


Plan = ObjectPlan | EnumPlan | ConstantPlan | UnionPlan


@frozen
class Policy:
    """What configuration says where the docs are silent."""

    nullable: str = "examples"  # required fields accepting null: "examples", "optional", "all"
    field_names: str = "snake"  # attributes: "snake" case of the wire name, or the "spec"'s
    wire_names: str = "auto"  # wire names: "auto" (the docs' evidence), "snake", "spec"
    fields: Mapping[str, FieldOverride] = field(default_factory=dict)
    models: Mapping[str, ModelOverride] = field(default_factory=dict)


Setting = TypeVar("Setting")


def field_key(doc: Doc, name: str) -> str:
    """How configuration names a field: `Title.field`, `operations.Title.field`."""
    return ".".join((*doc.namespace, doc.title, name))


def model_key(doc: Doc) -> str:
    """How configuration names a model: `Title`, `operations.Title`."""
    return ".".join((*doc.namespace, doc.title))


def short_key(doc: Doc, name: str | None = None) -> str | None:
    """A namespaced model (or its field) by its title alone, as configuration may name it
    (`Link.url` for `components.Link.url`: it names the title in every namespace); None for
    a model outside namespaces, whose key is that already."""
    if not doc.namespace:
        return None
    return doc.title if name is None else f"{doc.title}.{name}"


def configured(table: Mapping[str, Setting], doc: Doc, name: str | None = None
               ) -> Setting | None:
    """What configuration says of a model (of its field `name`): under its key, or else its
    short key."""
    found = table.get(model_key(doc) if name is None else field_key(doc, name))
    short = short_key(doc, name)
    return table.get(short) if found is None and short is not None else found


def extra_field(doc: ObjectDoc) -> FieldSpec | None:
    """The row for extra keys (`additionalProperties`, in the dialect's spelling): in JSON they
    sit at the top level of the object, so it is no attribute."""
    return next((f for f in doc.fields if f.extra), None)


def constant_of(expr: TypeExpr, package: Package) -> LiteralType | None:
    """The single value of a constant type (`*"x"*`, or a closed one-value enum), if it is one."""
    if isinstance(expr, LiteralType):
        return expr
    if isinstance(expr, RefType) and expr.key is not None:
        constant = package.form(expr.key).constant  # not the enum's values: see reads.py
        if constant is not None:
            return LiteralType(constant[1], expr.pos)
    return None


def is_constant(doc: EnumDoc) -> bool:
    return form_of(doc).constant is not None


class Planner:
    """Plans for the docs of one package under one policy; names cached per object doc, since
    unions and examples look into their members' fields."""

    def __init__(self, package: Package, policy: Policy) -> None:
        self.package = package
        self.policy = policy
        self._names: dict[str, dict[str, tuple[str, str]]] = {}
        self._anything: dict[str, bool] = {}
        self._aliases: dict[str, PyType | None] = {}  # union doc key -> what its alias is

    # -- names --------------------------------------------------------------------------------

    def names(self, doc: ObjectDoc) -> dict[str, tuple[str, str]]:
        """Field name -> (attribute, wire name), for the fields that become attributes."""
        found = self._names.get(doc.key)
        if found is None:
            found = self._names[doc.key] = self._field_names(doc)
        return found

    def _field_names(self, doc: ObjectDoc) -> dict[str, tuple[str, str]]:
        extra = extra_field(doc)
        specs = [f for f in doc.fields if f is not extra]
        wires = self._unique_wires(doc, specs)
        fixed = {}
        for spec in specs:
            override = configured(self.policy.fields, doc, spec.name)
            if override is not None and override.name:
                fixed[spec.name] = override.name
        # Attributes follow the wire name (`b64_json`, `_shape` -> `shape`), or keep the docs'
        # own spelling with `field_names = "spec"`.
        sources = [f.name if self.policy.field_names == "spec" else wire
                   for f, wire in zip(specs, wires, strict=True)]
        renamed = {src: fixed[f.name] for f, src in zip(specs, sources, strict=True)
                   if f.name in fixed}
        attributes = unique_attribute_names(sources, self.policy.field_names, renamed)
        return {f.name: (attr, wire)
                for f, attr, wire in zip(specs, attributes, wires, strict=True)}

    def _unique_wires(self, doc: ObjectDoc, specs: list[FieldSpec]) -> list[str]:
        """Each field's wire name; where a naming policy would give two fields one name
        (`modelConfig` and `model_config`), a field whose name the policy changed keeps its
        own."""
        wires = [self.wire_name(doc, f) for f in specs]
        decided = [w for f, (w, given) in zip(specs, wires, strict=True) if given or w == f.name]
        result = []
        for spec, (wire, given) in zip(specs, wires, strict=True):
            if not given and wire != spec.name and (wire in decided or wires.count(
                    (wire, given)) > 1):
                wire = spec.name
            result.append(wire)
        return result

    def wire_name(self, doc: ObjectDoc, spec: FieldSpec) -> tuple[str, bool]:
        """First that applies: configuration, what the examples show, the naming policy; and
        whether the name was given (configured or shown) rather than derived."""
        override = configured(self.policy.fields, doc, spec.name)
        if override is not None and override.alias:
            return override.alias, True
        shown = self.package.wire.names.get((doc.key, spec.name))
        if shown is None:  # another model's examples spell this name in a way of its own
            shown = self.package.wire.irregular.get(
                (spec.name, value_kind(spec.type, lambda key: self.package.form(key).kind)))
        if shown is not None:
            return shown, True
        return spelled(spec.name, self.style(doc), doc.dialect), False

    def style(self, doc: ObjectDoc) -> str:
        """How this model's wire names are spelled: configured for the model, shown by its
        examples, configured for the run, or shown by the doc set's examples (else snake)."""
        model = configured(self.policy.models, doc)
        if model is not None and model.wire_names:
            return model.wire_names
        shown = self.package.wire.style(doc.key)
        if shown is not None:
            return shown
        if self.policy.wire_names != "auto":
            return self.policy.wire_names
        return self.package.wire.style("") or "snake"

    # -- fields -------------------------------------------------------------------------------

    def field(self, doc: ObjectDoc, spec: FieldSpec) -> FieldPlan:
        attribute, wire = self.names(doc)[spec.name]
        override = configured(self.policy.fields, doc, spec.name) or FieldOverride()
        runtime = carries_runtime(spec.type, self.package.runtime_only)
        # SDK runtime objects are left out of real payloads, whatever the table says.
        required = spec.required and not runtime
        py = self.type(doc, spec.type, override.number)
        constant = constant_of(spec.type, self.package)
        nullable = self.nullable(doc, spec, override)
        has_default, default = False, None
        if required and nullable:
            py = or_none(py)  # required, yet shown as null: it must be given, and may be null
        elif not required:
            if override.nullable is not False:
                py = or_none(py)
            has_default = True
        elif constant is not None:
            has_default, default = True, constant.value  # callers need not pass a constant
        accepted = tuple(n for n in dict.fromkeys((wire, spec.name)) if n != attribute)
        return FieldPlan(spec, attribute, wire, tuple(n for n in accepted if n != wire), py,
                         required and not has_default, has_default, default, runtime)

    def nullable(self, doc: ObjectDoc, spec: FieldSpec, override: FieldOverride) -> bool:
        """Whether a required field accepts null: the page says so, configuration says so, or
        (policy "examples") an example shows it null."""
        if override.nullable is not None:
            return override.nullable
        if isinstance(spec.type, NullableType):
            return True
        if self.policy.nullable == "all":
            return True
        return (self.policy.nullable == "examples"
                and (doc.key, spec.name) in self.package.null_in_examples)

    def type(self, doc: Doc, expr: TypeExpr, number: str | None = None) -> PyType:
        """The Python-side type of a spec type (`number` narrows `*number*` as configured)."""
        if isinstance(expr, PrimitiveType):
            if expr.kind is Primitive.NUMBER and number:
                return union_of([Scalar(n) for n in number.split(" | ")])
            return Scalar(_SCALARS[expr.kind])
        if isinstance(expr, LiteralType):
            return Constant((expr.value,))
        if isinstance(expr, RefType):
            constant = constant_of(expr, self.package)
            if constant is not None:
                return Constant((constant.value,))
            assert expr.key is not None
            return Model(expr.key, self.package.cyclic(doc.key, expr.key),
                         self.takes_anything(expr.key))
        if isinstance(expr, (ArrayType, StreamType)):
            # A stream is a sequence of items when read as data.
            return ListOf(self.type(doc, expr.item, number))
        if isinstance(expr, MapType):
            return DictOf(self.type(doc, expr.value, number))
        if isinstance(expr, NullableType):
            return or_none(self.type(doc, expr.item, number))
        if isinstance(expr, UnionType):
            if carries_runtime(expr, self.package.runtime_only):
                return ANY  # an upload: File | Blob | a model of it, not JSON data
            return union_of([self.type(doc, m, number) for m in expr.members])
        assert isinstance(expr, RuntimeType), expr
        return ANY  # SDK runtime objects carry no JSON shape

    def takes_anything(self, key: str) -> bool:
        """Whether the doc is a union that reads any data (`Any` among its members, or a
        union that has it); a cycle back to a union being asked about adds nothing."""
        found = self._anything.get(key)
        if found is None:
            self._anything[key] = False  # while its members are asked
            found = False
            if self.package.form(key).kind == "union":  # others are read no further
                doc = self.package.docs[key]
                assert isinstance(doc, UnionDoc)
                found = not doc.members or any(
                    takes_anything(self.type(doc, m.type)) for m in doc.members)
            self._anything[key] = found
        return found

    def alias_of(self, key: str) -> PyType | None:
        """What the alias a union doc's module defines stands for, where it is a plain union
        of its members (or its one member); None for a model or an enum (a class of its own),
        a union on a reference cycle (a forward reference), one with a discriminator or one
        that reads anything (an `Annotated` type of its own)."""
        if key in self._aliases:
            return self._aliases[key]
        self._aliases[key] = None  # while its members are asked
        found = None
        if (self.package.form(key).kind == "union" and key not in self.package.cycle_of
                and not self.takes_anything(key)):
            doc = self.package.docs[key]
            assert isinstance(doc, UnionDoc)
            if doc.members and self.tagged(doc) is None:
                found = union_of([self.type(doc, m.type) for m in doc.members])
        self._aliases[key] = found
        return found

    # -- docs ---------------------------------------------------------------------------------

    def plan(self, doc: Doc) -> Plan:
        name = self.package.class_name(doc)
        if isinstance(doc, ObjectDoc):
            extra = extra_field(doc)
            extra_type = None
            if extra is not None:
                assert isinstance(extra.type, MapType)
                extra_type = self.type(doc, extra.type.value)
            elif not doc.fields:
                # An object whose docs list no field is free-form (JSON Schema's `object`
                # without properties): its keys are kept, not dropped
                extra_type = ANY
            fields = tuple(self.field(doc, f) for f in doc.fields if f is not extra)
            examples = () if doc.example is None else (
                self.to_wire(doc.example.value, doc),)
            return ObjectPlan(doc, name, fields, extra_type, examples)
        if isinstance(doc, EnumDoc):
            if is_constant(doc):
                return ConstantPlan(doc, name, doc.values[0].value)
            values = tuple(v.value for v in doc.values)
            kinds = {type(v) for v in values}
            value_type = "str" if kinds <= {str} else "int" if kinds <= {int} else "float"
            return EnumPlan(doc, name, values, value_type, doc.open)
        assert isinstance(doc, UnionDoc)
        members = union_of([self.type(doc, m.type) for m in doc.members]) if doc.members \
            else ANY
        parts = members.members if isinstance(members, AnyOf) else (members,)
        tagged = self.tagged(doc)
        return UnionPlan(doc, name, parts, tagged[0] if tagged else None,
                         doc.key in self.package.cycle_of, tagged[1] if tagged else {})

    def tagged(self, doc: UnionDoc) -> tuple[FieldPlan, dict[str, str]] | None:
        """A field every member has, with one distinct string constant per member and the same
        attribute and wire name in all of them, with each member's constant (by doc key);
        None when there is none."""
        members = [m.type for m in doc.members]
        if len(members) < 2 or not all(isinstance(m, RefType) for m in members):
            return None
        objects = [self.package.target(m) for m in members if isinstance(m, RefType)]
        if not all(isinstance(o, ObjectDoc) for o in objects):
            return None
        candidates: list[str] | None = None
        for obj in objects:
            assert isinstance(obj, ObjectDoc)
            names = [f.name for f in obj.fields
                     if f.required and constant_of(f.type, self.package)]
            candidates = names if candidates is None else [n for n in candidates if n in names]
        for name in candidates or []:
            values, plans = [], []
            for obj in objects:
                assert isinstance(obj, ObjectDoc)
                spec = next(f for f in obj.fields if f.name == name)
                constant = constant_of(spec.type, self.package)
                assert constant is not None
                values.append(constant.value)
                plans.append(self.field(obj, spec))
            same_names = len({(p.attribute, p.wire_name, p.accepted) for p in plans}) == 1
            tags = {obj.key: value for obj, value in zip(objects, values, strict=True)
                    if obj is not None and isinstance(value, str)}
            if same_names and len(set(tags.values())) == len(values):
                return plans[0], tags
        return None

    # -- examples -----------------------------------------------------------------------------

    def to_wire(self, value: Any, doc: Doc) -> Any:
        """Example data keyed by the docs' field names -> keyed by wire names."""
        from .wire import WireForm

        return WireForm(self).doc(value, doc)


_SCALARS = {
    Primitive.STRING: "str", Primitive.NUMBER: "number", Primitive.INTEGER: "int",
    Primitive.FLOAT: "float", Primitive.BOOLEAN: "bool", Primitive.ANY: "any",
    Primitive.DATE: "date", Primitive.DATETIME: "datetime",
}
