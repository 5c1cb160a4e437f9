"""Plans -> the data templates receive: names, annotations, defaults and escaped literals, per
model, per field, per member. The shape of each context is a TypedDict (documented in the
README); templates write every statement from it, and call `use(module, name)` for each name
they write that the module must import.
"""

from __future__ import annotations

import keyword
from typing import TypedDict

from ..naming import is_python_name
from ..pysyntax import comment_text, docstring, python_literal, string_literal
from .semantics import (
    AnyOf,
    ConstantPlan,
    DictOf,
    EnumPlan,
    FieldPlan,
    ListOf,
    Model,
    ObjectPlan,
    OrNone,
    Plan,
    PyType,
    UnionPlan,
)
from .types import Code, Speller

# --- The contexts (what a template may read) --------------------------------------------------


class FieldContext(TypedDict):
    attribute: str  # the Python attribute
    annotation: Code  # its type, null included where accepted
    annotation_literal: Code  # the same as a string (a forward reference)
    forward: bool  # the type names the model itself or one on its reference cycle
    required: bool  # must be given (no default)
    default: Code | None  # the default value as Python source (`None`, `"x"`), if any
    wire: str  # the wire (JSON) name, as a string literal
    renamed: bool  # the wire name differs from the attribute
    aliases: list[str]  # string literals of every key validation accepts besides the
    # attribute: the wire name first, then the docs' own name; empty when only the attribute
    description: str | None  # string literal
    docstring: str | None  # the description as an attribute docstring
    examples: str | None  # a list literal of the Example column's values
    deprecated: bool
    deprecation: str | None  # string literal of why, if the docs say
    runtime: bool  # an SDK runtime object, never in JSON
    optional: bool  # the data may leave it out (default None): not required by the docs
    wire_identifier: str | None  # the wire name, when it can be written as an attribute


class ModelContext(TypedDict):
    name: str
    name_literal: str
    docstring: str | None
    module_docstring: str | None  # the same at the top level (after an assignment)
    deprecated: bool
    deprecation: str  # string literal of the deprecation message
    fields: list[FieldContext]
    extra: Code | None  # the type of extra keys, when the model accepts them
    examples: str | None  # a list literal of the page's examples, in wire form
    extra_attribute: str  # an attribute free for the extra keys (kinds that keep them in one)
    wire_identifiers: bool  # every field's wire name can be written as an attribute


class MemberContext(TypedDict):
    name: str  # the member's Python name
    value: str  # its value as a literal


class EnumContext(TypedDict):
    name: str
    docstring: str | None
    module_docstring: str | None  # the same at the top level (after an assignment)
    members: list[MemberContext]
    value_type: str  # "str", "int" or "float"
    open: bool  # unknown values are accepted and kept


class ConstantContext(TypedDict):
    name: str
    docstring: str | None
    value: str  # literal


class UnionContext(TypedDict):
    name: str
    name_literal: str
    docstring: str | None
    members: list[Code]  # each member's annotation
    annotation: Code  # the members joined with `|`
    annotation_literal: Code  # the same as a string (a forward reference)
    discriminator: str | None  # string literal of the tag field's attribute
    discriminator_wire: str | None  # string literal of the tag field's wire name
    # Where the tag field is read under more than one key (its wire name and the docs' name):
    # string literals of the attribute and of every key, wire name first (pydantic's
    # `discriminator` reads one key: the runtime's `tag_of` reads these), and the members each
    # marked with its tag (`Annotated[Dog, Tag("dog")] | ...`), as code and as a string
    discriminator_keys: list[str]
    tagged: Code | None
    tagged_literal: Code | None
    cyclic: bool  # on a reference cycle: a lazily resolved alias


class ModuleContext(TypedDict, total=False):
    header: str  # the first line's comment text
    runtime: str  # the package's runtime module, relative to this one
    imports: str  # where the import block goes
    deferred_imports: str  # where imports of modules on a reference cycle go (at the end)
    has_deferred: bool  # whether there are any
    model: ModelContext
    enum: EnumContext
    constant: ConstantContext
    union: UnionContext


# --- Building them ----------------------------------------------------------------------------


def _docstring(text: str | None, indent: str) -> str | None:
    return docstring(text, indent) if text else None


def field_context(plan: FieldPlan, speller: Speller, own: str) -> FieldContext:
    """A field's context; `own`: the key of the model's doc."""
    spec = plan.spec
    annotation = speller.annotation(plan.type)
    aliases: list[str] = []
    if plan.wire_name != plan.attribute or plan.accepted:
        aliases = [string_literal(n) for n in (plan.wire_name, *plan.accepted)]
    examples = [v for v in spec.example_values]
    return FieldContext(
        attribute=plan.attribute,
        annotation=annotation,
        annotation_literal=Code(string_literal(annotation.text), annotation.names,
                                speller.symbols),
        forward=_cyclic(plan.type, own, itself=True),
        required=plan.required,
        default=speller.literal(plan.default) if plan.has_default else None,
        wire=string_literal(plan.wire_name),
        renamed=plan.wire_name != plan.attribute,
        aliases=aliases,
        description=string_literal(spec.description) if spec.description else None,
        docstring=_docstring(spec.description, "    "),
        examples=python_literal(examples) if examples else None,
        deprecated=spec.deprecated,
        deprecation=string_literal(spec.deprecation_note) if spec.deprecation_note else None,
        runtime=plan.runtime,
        optional=plan.has_default and plan.default is None,
        wire_identifier=plan.wire_name if is_attribute(plan.wire_name) else None,
    )


def model_context(plan: ObjectPlan, speller: Speller) -> ModelContext:
    return ModelContext(
        name=plan.name,
        name_literal=string_literal(plan.name),
        docstring=_docstring(plan.doc.description, "    "),
        module_docstring=_docstring(plan.doc.description, ""),
        deprecated=plan.doc.deprecated,
        deprecation=string_literal(f"{plan.name} is deprecated."),
        fields=[field_context(f, speller, plan.doc.key) for f in plan.fields],
        extra=speller.annotation(plan.extra) if plan.extra is not None else None,
        examples=python_literal(list(plan.examples)) if plan.examples else None,
        extra_attribute=extra_attribute(plan),
        wire_identifiers=all(is_attribute(f.wire_name) for f in plan.fields),
    )


def is_attribute(name: str) -> bool:
    """Whether a name can be written as a class attribute as it is: an identifier, not a
    keyword, not mangled (`__x`), not one Python reads as another (`ﬁx` is `fix`: NFKC)."""
    return is_python_name(name) and not keyword.iskeyword(name) and not name.startswith("__")


def extra_attribute(plan: ObjectPlan) -> str:
    """A name for the attribute holding a model's extra keys, free of its fields' names."""
    taken = {f.attribute for f in plan.fields}
    name = "additional_properties"
    while name in taken:
        name += "_"
    return name


def enum_context(plan: EnumPlan, member_names: list[str]) -> EnumContext:
    return EnumContext(
        name=plan.name,
        docstring=_docstring(plan.doc.description, "    "),
        module_docstring=_docstring(plan.doc.description, ""),
        members=[MemberContext(name=n, value=python_literal(v))
                 for n, v in zip(member_names, plan.values, strict=True)],
        value_type=plan.value_type,
        open=plan.open,
    )


def constant_context(plan: ConstantPlan) -> ConstantContext:
    return ConstantContext(name=plan.name, docstring=_docstring(plan.doc.description, ""),
                           value=python_literal(plan.value))


def union_context(plan: UnionPlan, speller: Speller) -> UnionContext:
    members = [speller.annotation(m) for m in plan.members]
    whole = speller.annotation(plan.members[0] if len(plan.members) == 1
                               else AnyOf(plan.members))
    joined, names = whole.text, whole.names
    keys: list[str] = []
    tagged = tagged_literal = None
    tag = plan.discriminator
    if tag is not None and tag.accepted:
        keys = [string_literal(key) for key in (tag.attribute, *dict.fromkeys(
            (tag.wire_name, *tag.accepted, tag.attribute)))]
        marked = " | ".join(
            f"{speller.name('typing', 'Annotated')}[{speller.text(member)}, "
            f"{speller.name('pydantic', 'Tag')}({string_literal(plan.tags[member.key])})]"
            for member in plan.members if isinstance(member, Model))
        tagged = speller.code(marked)
        tagged_literal = Code(string_literal(marked), tagged.names, speller.symbols)
    return UnionContext(
        name=plan.name,
        name_literal=string_literal(plan.name),
        docstring=_docstring(plan.doc.description, ""),
        members=members,
        annotation=Code(joined, names, speller.symbols),
        # A union on a reference cycle is one forward reference, resolved lazily by pydantic
        # in this module once the deferred imports at its end have run.
        annotation_literal=Code(string_literal(joined), names, speller.symbols),
        discriminator=(string_literal(plan.discriminator.attribute)
                       if plan.discriminator is not None else None),
        discriminator_wire=(string_literal(plan.discriminator.wire_name)
                            if plan.discriminator is not None else None),
        discriminator_keys=keys,
        tagged=tagged,
        tagged_literal=tagged_literal,
        cyclic=plan.cyclic,
    )


def has_cyclic_reference(plan: Plan) -> bool:
    """Whether the module imports a model on its own reference cycle (deferred imports): a
    reference to another doc of the cycle, not to itself."""
    types: list[PyType] = []
    if isinstance(plan, ObjectPlan):
        types = [f.type for f in plan.fields] + ([plan.extra] if plan.extra else [])
    elif isinstance(plan, UnionPlan):
        types = list(plan.members)
    return any(_cyclic(t, plan.doc.key) for t in types)


def _cyclic(py: PyType, own: str, itself: bool = False) -> bool:
    """Whether `py` names another doc of `own`'s reference cycle (or, with `itself`, `own`)."""
    if isinstance(py, Model):
        return py.cyclic and py.key != own or itself and py.key == own
    if isinstance(py, (ListOf, OrNone)):
        return _cyclic(py.item, own, itself)
    if isinstance(py, DictOf):
        return _cyclic(py.value, own, itself)
    if isinstance(py, AnyOf):
        return any(_cyclic(m, own, itself) for m in py.members)
    return False


def header(key: str) -> str:
    return comment_text(f"Generated by specgen from {key}. Do not edit: regenerate instead.")
