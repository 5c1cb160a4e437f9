"""Stage 3: resolved IR -> Python source, through Jinja2 templates.

All decisions are made here, in Python: class and attribute names, annotations, defaults,
imports, escaped literals. Templates receive ready-made strings and only lay them out.
"""

from __future__ import annotations

import hashlib
import os
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

from . import __version__
from .config import FieldOverride
from .diagnostics import Diagnostics
from .ir import (
    ArrayType,
    Doc,
    EnumDoc,
    FieldSpec,
    LiteralType,
    MapType,
    ObjectDoc,
    NullableType,
    Primitive,
    PrimitiveType,
    RefType,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
)
from .layout import Atom, Chain, Group, Layout, Node, call, data
from .naming import BUILTINS, enum_member_names, unique_attribute_names
from .pysyntax import comment_text, docstring, python_literal, string_literal
from .resolve import Package, doc_references
from .resolve.graph import carries_runtime

RUNTIME_MODULE = "_runtime"
MANIFEST_NAME = ".specgen-manifest.json"


def builtin_templates() -> Path:
    """The built-in templates: inside the installed package, or `templates/` of a checkout."""
    installed = Path(__file__).parent / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).parent.parent / "templates"


@lru_cache(maxsize=8)
def environment(
    template_dirs: tuple[Path, ...] = (), bytecode_dir: Path | None = None
) -> jinja2.Environment:
    """Jinja environment: user template folders first, then the built-in ones. With a
    `bytecode_dir`, compiled templates are kept there between runs."""
    import jinja2

    bytecode = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    loader = jinja2.FileSystemLoader([*map(str, template_dirs), str(builtin_templates())])
    return jinja2.Environment(
        loader=loader,
        autoescape=False,  # the output is Python, escaped by pysyntax before it gets here
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode,
    )


def runtime_module(doc: Doc) -> str:
    """The relative import path of the package's runtime helpers, seen from a doc's module."""
    return "." * (len(doc.namespace) + 1) + RUNTIME_MODULE


# --- Imports -----------------------------------------------------------------------------------


def _kind(name: str) -> int:
    """isort's `order_by_type`: CONSTANTS (two characters or more), Classes, the rest."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


def _natural(text: str) -> tuple[tuple[str, int], ...]:
    """Natural order: `Model2` before `Model10`."""
    parts = re.split(r"(\d+)", text)
    return tuple((part, int(number or 0)) for part, number in zip(parts[::2], [*parts[1::2], ""]))


def _name_order(name: str) -> tuple[int, tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    """How isort (and ruff) order imported names: by type, then naturally, ignoring case."""
    bare = name.split(" as ")[0]
    return _kind(bare), _natural(bare.lower()), _natural(bare)


def dunder_all_order(name: str) -> tuple[int, tuple[tuple[str, int], ...]]:
    """How ruff orders `__all__` (RUF022): by type, then naturally, minding case."""
    return _kind(name), _natural(name)


def _module_order(module: str) -> tuple[int, str]:
    """Relative modules, farthest first (`..a` before `.b`), then by name."""
    dots = len(module) - len(module.lstrip("."))
    return -dots, module.lower()


@dataclass
class Imports:
    """What one module imports, and under which local names; rendered sorted (deterministic).

    One namespace per module: the class it defines, its attributes (a class attribute named
    like an annotation's name breaks pydantic's reading of that annotation) and everything it
    imports. A name already taken is imported under an alias (`from pydantic import Field as
    Field_` in a module whose model is titled `Field`), so no title can shadow an import.
    """

    module: tuple[str, ...]
    # local name -> (source module, name); source "builtins" for unimported builtins
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    # local name -> (module path, class name) of the package's own models
    models: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    deferred: set[str] = field(default_factory=set)  # local names imported at the end
    reserved: set[str] = field(default_factory=set)  # defined by the module itself

    def reserve(self, names: Iterable[str]) -> None:
        self.reserved.update(names)

    def _free(self, name: str) -> str:
        local = name
        while local in self.reserved or local in self.names or local in self.models:
            local += "_"
        return local

    def find(self, source: str, name: str) -> str | None:
        """The local name of `name` from `source`, if the module imports it."""
        for local, imported in self.names.items():
            if imported == (source, name):
                return local
        return None

    def add(self, source: str, name: str) -> str:
        """Import `name` from `source` (a library, or a relative module); the local name."""
        found = self.find(source, name)
        if found is not None:
            return found
        local = self._free(name)
        self.names[local] = (source, name)
        return local

    def local(self, name: str) -> str:
        """A module-level name the module defines itself, free of every other name."""
        local = self._free(name)
        self.reserved.add(local)
        return local

    def builtin(self, name: str) -> str:
        """A builtin (`str`, `list`), imported from `builtins` under an alias only when the
        module's own names hide it."""
        return self.add("builtins", name)

    def model(self, module: tuple[str, ...], name: str, deferred: bool = False) -> str:
        """Import class `name` from `module`; return the local name to use for it.

        A deferred import goes at the end of the module, after its own class: that is how
        modules on a reference cycle import each other without a circular-import error.
        """
        for local, (mod, cls) in self.models.items():
            if mod == module and cls == name:
                if deferred:
                    self.deferred.add(local)
                return local
        local = name
        if (local in self.reserved or local in self.names or local in self.models
                or local in BUILTINS):
            # The same title in another namespace: qualify by the namespace's folders.
            prefix = "".join(part.capitalize() for part in module[:-1]) or "Models"
            local = self._free(prefix + name)
        self.models[local] = (module, name)
        if deferred:
            self.deferred.add(local)
        return local

    def relative(self, target: tuple[str, ...]) -> str:
        here = self.module[:-1]
        common = 0
        while common < min(len(here), len(target) - 1) and here[common] == target[common]:
            common += 1
        return "." * (len(here) - common + 1) + ".".join(target[common:])

    def model_imports(self, deferred: bool) -> list[tuple[str, list[str]]]:
        result = []
        for local_name, (mod, cls) in sorted(self.models.items(), key=lambda i: (i[1], i[0])):
            if (local_name in self.deferred) != deferred:
                continue
            alias = f" as {local_name}" if local_name != cls else ""
            result.append((self.relative(mod), [cls + alias]))
        return result

    def deferred_lines(self, layout: Layout) -> list[str]:
        lines = []
        imports = sorted(self.model_imports(deferred=True), key=lambda i: _module_order(i[0]))
        for module, names in imports:
            lines += layout.import_from(module, names)
        return lines

    def text(self, layout: Layout) -> str:
        """The import block as isort (and ruff) order it: standard library, third party, this
        package (farthest first); names by type (CONSTANTS, Classes, functions); an aliased
        name in a statement of its own, ordered by its name."""
        by_source: dict[str, list[str]] = {}
        for local, (source, name) in self.names.items():
            if source == "builtins" and local == name:
                continue  # a builtin under its own name needs no import
            by_source.setdefault(source, []).append(name if local == name else
                                                    f"{name} as {local}")
        stdlib = sorted(s for s in by_source if s in _STDLIB)
        third = sorted(s for s in by_source if s not in stdlib and not s.startswith("."))
        local_sources = [s for s in by_source if s.startswith(".")]
        groups: list[list[tuple[str, list[str]]]] = []
        for sources in (stdlib, third):
            group = [statement for s in sources for statement in _statements(s, by_source[s])]
            if group:
                groups.append(group)
        package = [statement for s in local_sources
                   for statement in _statements(s, by_source[s])]
        package += self.model_imports(deferred=False)
        if package:
            groups.append(sorted(package, key=lambda item: (_module_order(item[0]),
                                                            _name_order(item[1][0]))))
        return "\n\n".join(
            "\n".join(line for module, names in group for line in layout.import_from(module, names))
            for group in groups
        )


def _statements(source: str, names: list[str]) -> list[tuple[str, list[str]]]:
    """`from source import ...` statements for `names`: the plain ones together, each aliased
    one alone, ordered by first name (isort's default, `combine_as_imports` off)."""
    plain = sorted((n for n in names if " as " not in n), key=_name_order)
    statements = [(source, [n]) for n in names if " as " in n]
    if plain:
        statements.append((source, plain))
    return sorted(statements, key=lambda item: _name_order(item[1][0]))


_STDLIB = frozenset({"builtins", "datetime", "enum", "importlib", "typing"})


# --- Types -------------------------------------------------------------------------------------


def constant_of(expr: TypeExpr, package: Package) -> LiteralType | None:
    """The single value of a constant type (`*"x"*`, or a closed one-value enum), if it is one."""
    if isinstance(expr, LiteralType):
        return expr
    if isinstance(expr, RefType) and expr.key is not None:
        doc = package.target(expr)
        if isinstance(doc, EnumDoc) and not doc.open and len(doc.values) == 1:
            return LiteralType(doc.values[0].value, doc.values[0].pos)
    return None


def is_runtime(expr: TypeExpr, package: Package) -> bool:
    """An SDK runtime object (upload, stream, HTTP object), alone, among union members, or
    a model of nothing else (`HTTPMetadata`): never in real JSON payloads."""
    return carries_runtime(expr, package.runtime_only)


@dataclass
class _ModuleContext:
    package: Package
    doc: Doc
    imports: Imports
    options: RenderOptions
    layout: Layout
    number: str | None = None  # the field's `*number*` as configured, while rendering it

    def override(self, spec: FieldSpec) -> FieldOverride | None:
        return self.options.fields.get(field_key(self.doc, spec.name))

    def nullable(self, spec: FieldSpec) -> bool:
        override = self.override(spec)
        if override is not None and override.nullable is not None:
            return override.nullable
        policy = self.options.nullable
        if policy == "all":
            return True
        return policy == "examples" and (self.doc.key, spec.name) in self.package.null_in_examples

    def annotation(self, expr: TypeExpr) -> str:
        if isinstance(expr, PrimitiveType):
            return self.primitive(expr.kind)
        if isinstance(expr, LiteralType):
            return self.literal(expr.value)
        if isinstance(expr, RefType):
            constant = constant_of(expr, self.package)
            if constant is not None:
                return self.literal(constant.value)
            target = self.package.target(expr)
            cyclic = self.package.cyclic(self.doc.key, target.key)
            name = self.package.class_name(target)
            if target is self.doc:
                return name
            module = self.package.modules[target.key]
            return self.imports.model(module, name, deferred=cyclic)
        if isinstance(expr, (ArrayType, StreamType)):
            # An event stream is a sequence of events when read as data.
            return f"{self.imports.builtin('list')}[{self.annotation(expr.item)}]"
        if isinstance(expr, MapType):
            key = self.imports.builtin("str")
            return f"{self.imports.builtin('dict')}[{key}, {self.annotation(expr.value)}]"
        if isinstance(expr, UnionType):
            if is_runtime(expr, self.package):  # an upload: File | Blob | a model of it
                return self.any()
            return self.union([self.annotation(m) for m in expr.members])
        if isinstance(expr, NullableType):
            item = self.annotation(expr.item)
            return item if self.is_any(item) else self.union([item, "None"])
        assert isinstance(expr, RuntimeType), expr
        # SDK runtime objects (uploads, streams, HTTP objects) carry no JSON shape.
        return self.imports.add("typing", "Any")

    def any(self) -> str:
        return self.imports.add("typing", "Any")

    def is_any(self, annotation: str) -> bool:
        return annotation == self.imports.find("typing", "Any")

    def primitive(self, kind: Primitive) -> str:
        builtin = self.imports.builtin
        if kind is Primitive.STRING:
            return builtin("str")
        if kind is Primitive.NUMBER:
            # `float` alone would turn 100 into 100.0; configuration may say which it is.
            number = self.number or "int | float"
            return " | ".join(builtin(name) for name in number.split(" | "))
        if kind is Primitive.INTEGER:
            return builtin("int")
        if kind is Primitive.FLOAT:
            return builtin("float")
        if kind is Primitive.BOOLEAN:
            # Strict: JSON's true and false only. A lax bool would take "on" or "1", and let a
            # plain union pick the wrong member for a string.
            return self.imports.add("pydantic", "StrictBool")
        if kind is Primitive.DATETIME:
            # A datetime written back as the docs write it (`...T07:07:24.821Z`).
            return self.imports.add(runtime_module(self.doc), "DateTime")
        if kind is Primitive.DATE:
            return self.imports.add("datetime", "date")
        return self.imports.add("typing", "Any")

    def literal(self, value: str | bool | int | float) -> str:
        return f"{self.imports.add('typing', 'Literal')}[{python_literal(value)}]"

    def union(self, members: Iterable[str]) -> str:
        return " | ".join(self.union_members(members))

    def union_members(self, members: Iterable[str]) -> list[str]:
        """Distinct members; constants merge into one `Literal[...]` where the first of them
        stands (`Literal["a"] | Literal["b"]` is `Literal["a", "b"]`)."""
        members = list(members)  # annotated first: they import what they use
        literal = (self.imports.find("typing", "Literal") or "\0") + "["
        parts: list[str] = []
        literals: list[str] = []
        for member in dict.fromkeys(members):
            if member.startswith(literal) and member.endswith("]"):
                if not literals:
                    parts.append("")  # the merged Literal goes here
                literals.append(member[len(literal):-1])
            else:
                parts.append(member)
        if literals:
            parts[parts.index("")] = f"{literal}{', '.join(literals)}]"
        return parts


# --- Docs -> template contexts -----------------------------------------------------------------


@dataclass(frozen=True)
class RenderOptions:
    package: str = "models"
    template_dirs: tuple[Path, ...] = ()
    # Which required fields accept null (optional ones always do): those an example shows as
    # null ("examples"), none ("optional"), or all ("all").
    nullable: str = "examples"
    field_names: str = "snake"  # attribute names: "snake" case, or the "spec"'s own
    fields: Mapping[str, FieldOverride] = field(default_factory=dict)
    line_length: int = 88
    bytecode_dir: Path | None = None  # where compiled templates are cached, if anywhere


def field_key(doc: Doc, name: str) -> str:
    """How configuration names a field: `Title.field`, `operations.Title.field`."""
    return ".".join((*doc.namespace, doc.title, name))


def _header(doc: Doc) -> str:
    return comment_text(f"Generated by specgen from {doc.key}. Do not edit: regenerate instead.")


def _field_lines(ctx: _ModuleContext, spec: FieldSpec, attr: str) -> list[str]:
    constant = constant_of(spec.type, ctx.package)
    override = ctx.override(spec) or FieldOverride()
    # SDK runtime objects are left out of real payloads, whatever the table says.
    required = spec.required and not is_runtime(spec.type, ctx.package)
    ctx.number = override.number
    annotation = ctx.annotation(spec.type)
    ctx.number = None
    default: str | None = None
    # A nullable type (`Nullable[T]`, a Go pointer on a required row) already takes None.
    takes_none = ctx.is_any(annotation) or isinstance(spec.type, NullableType)
    if required and ctx.nullable(spec):
        # Required, yet shown as null: it must be given, and may be null.
        if not takes_none:
            annotation = ctx.union([annotation, "None"])
        constant = None
    elif not required:
        if not takes_none and override.nullable is not False:
            annotation = ctx.union([annotation, "None"])
        default = "None"
    elif constant is not None:
        default = python_literal(constant.value)
    kwargs: list[tuple[str, Node]] = []
    alias = override.alias or spec.name
    if attr != alias:
        kwargs.append(("alias=", Atom(string_literal(alias))))
    if spec.description:
        kwargs.append(("description=", Atom(string_literal(spec.description))))
    if spec.example_values:
        kwargs.append(("examples=", data(list(spec.example_values))))
    if spec.deprecated:
        note = spec.deprecation_note
        kwargs.append(("deprecated=", Atom(string_literal(note) if note else "True")))
    head = f"{attr}: {annotation}"
    if kwargs:
        field_call = ctx.imports.add("pydantic", "Field")
        args = ([("", Atom(default))] if default is not None else []) + kwargs
        return ctx.layout.statement(head + " = ", call(field_call, args), 1)
    if default is not None:
        return ctx.layout.statement(head + " = ", Atom(default), 1)
    return ctx.layout.line(head, 1)


def extra_field(doc: ObjectDoc) -> FieldSpec | None:
    """The `additionalProperties` row (in the dialect's spelling, `FieldSpec.extra`): extra
    keys sit at the top level of the JSON object, not under an `additionalProperties` key,
    so it is no attribute but `extra="allow"`."""
    return next((f for f in doc.fields if f.extra), None)


def attribute_names(doc: ObjectDoc, options: RenderOptions) -> dict[str, str]:
    """Spec field name -> attribute name, for the fields that become attributes."""
    extra = extra_field(doc)
    fields = [f.name for f in doc.fields if f is not extra]
    fixed = {}
    for name in fields:
        override = options.fields.get(field_key(doc, name))
        if override is not None and override.name:
            fixed[name] = override.name
    return dict(zip(fields, unique_attribute_names(fields, options.field_names, fixed)))


def _object_context(ctx: _ModuleContext, doc: ObjectDoc) -> dict[str, Any]:
    config: list[tuple[str, Node]] = []
    if extra_field(doc) is not None:
        config.append(("extra=", Atom('"allow"')))
    if doc.example is not None:
        config.append(("json_schema_extra=", data({"examples": [doc.example.value]})))
    names = attribute_names(doc, ctx.options)
    ctx.imports.reserve(names.values())
    rendered = [_field_lines(ctx, f, names[f.name]) for f in doc.fields if f.name in names]
    config_lines: list[str] = []
    if config:
        config_call = call(ctx.imports.add("pydantic", "ConfigDict"), config)
        config_lines = ctx.layout.statement("model_config = ", config_call, 1)
    base = ctx.imports.add(runtime_module(doc), "SpecModel")
    return {"config": config_lines, "fields": rendered, "base": base}


def _enum_context(ctx: _ModuleContext, doc: EnumDoc) -> dict[str, Any]:
    values = [v.value for v in doc.values]
    kinds = {type(v) for v in values}
    if kinds <= {str}:
        mixin = "Str"
    elif kinds <= {int}:
        mixin = "Int"
    else:
        mixin = "Float"
    if doc.open:
        bases = ctx.imports.add(runtime_module(doc), f"Open{mixin}Enum")
    else:
        bases = f"{ctx.imports.builtin(mixin.lower())}, {ctx.imports.add('enum', 'Enum')}"
    members = [
        ctx.layout.statement(f"{name} = ", Atom(python_literal(value)), 1)
        for name, value in zip(enum_member_names(values), values)
    ]
    return {"bases": bases, "members": members, "open": doc.open}


def _discriminator(doc: UnionDoc, package: Package) -> str | None:
    """A field every member has, with one distinct constant per member; None when there is none."""
    members = [m.type for m in doc.members]
    if len(members) < 2 or not all(isinstance(m, RefType) for m in members):
        return None
    objects = [package.target(m) for m in members if isinstance(m, RefType)]
    if not all(isinstance(o, ObjectDoc) for o in objects):
        return None
    candidates: list[str] | None = None
    for obj in objects:
        assert isinstance(obj, ObjectDoc)
        names = [f.name for f in obj.fields if f.required and constant_of(f.type, package)]
        candidates = names if candidates is None else [n for n in candidates if n in names]
    for name in candidates or []:
        values = []
        for obj in objects:
            assert isinstance(obj, ObjectDoc)
            spec = next(f for f in obj.fields if f.name == name)
            constant = constant_of(spec.type, package)
            assert constant is not None
            values.append(constant.value)
        if len(set(values)) == len(values) and all(isinstance(v, str) for v in values):
            return name
    return None


def _attribute_of(ctx: _ModuleContext, union: UnionDoc, field_name: str) -> str:
    """The attribute name the members give `field_name` (the same in all of them)."""
    member = union.members[0].type
    assert isinstance(member, RefType)
    target = ctx.package.target(member)
    assert isinstance(target, ObjectDoc)
    return attribute_names(target, ctx.options)[field_name]


def _union_context(ctx: _ModuleContext, doc: UnionDoc) -> dict[str, Any]:
    on_cycle = doc.key in ctx.package.cycle_of
    parts = ctx.union_members(ctx.annotation(m.type) for m in doc.members)
    if not parts:  # the page does not give the members (Ruby, Java): anything goes
        parts = [ctx.any()]
    discriminator = _discriminator(doc, ctx.package)
    type_alias = ctx.imports.add("typing", "TypeAlias")
    members = " | ".join(parts)
    # A union on a reference cycle is one forward reference (a string), which pydantic
    # resolves in this module on first use, once the deferred imports at the end have run.
    union: Node = Atom(string_literal(members)) if on_cycle else Chain(tuple(parts))
    node: Node = union
    if discriminator is not None:
        annotated = ctx.imports.add("typing", "Annotated")
        # The discriminator names the attribute; all members name it the same way.
        attr = _attribute_of(ctx, doc, discriminator)
        field_call = call(ctx.imports.add("pydantic", "Field"),
                          [("discriminator=", Atom(string_literal(attr)))])
        node = Group(f"{annotated}[", (("", union), ("", field_call)), "]")
    name = ctx.package.class_name(doc)
    head = f"{name}: {type_alias} = "
    if on_cycle:
        alias_type = ctx.imports.add("typing_extensions", "TypeAliasType")
        checking = ctx.imports.add("typing", "TYPE_CHECKING")
        alias = call(alias_type, [("", Atom(string_literal(name))), ("", node)])
        return {"alias_type": True, "type_checking": checking,
                "checking_lines": ctx.layout.statement(head, node, 1),
                "alias_lines": ctx.layout.statement(f"{name} = ", alias, 1)}
    if discriminator is None and len(parts) > 1:
        lines = ctx.layout.union_alias(head, parts)
    else:
        lines = ctx.layout.statement(head, node, 0)
    return {"alias_type": False, "alias_lines": lines}


@dataclass(frozen=True)
class Rendered:
    """A generated file, and whether black must still format it (see layout.py)."""

    source: str
    needs_black: bool = True


def render_doc(doc: Doc, package: Package, options: RenderOptions) -> Rendered:
    module = package.modules[doc.key]
    name = package.class_name(doc)
    imports = Imports(module, reserved={name})
    layout = Layout(options.line_length)
    ctx = _ModuleContext(package, doc, imports, options, layout)
    common: dict[str, Any] = {
        "header": _header(doc),
        "name": name,
        "name_literal": string_literal(name),
        "docstring": docstring(doc.description, "    ") if doc.description else "",
        "deprecated": "",
    }
    if isinstance(doc, ObjectDoc):
        template = "object.py.jinja"
        common.update(_object_context(ctx, doc))
        if doc.deprecated:
            # Only classes: `deprecated` replaces `__new__`, which an Enum must keep.
            decorator = imports.add("typing_extensions", "deprecated")
            message = Atom(string_literal(f"{name} is deprecated."))
            common["deprecated"] = layout.statement("@", call(decorator, [("", message)]), 0)
    elif isinstance(doc, EnumDoc) and constant_of_doc(doc):
        template = "constant.py.jinja"
        type_alias = imports.add("typing", "TypeAlias")
        literal_name = imports.add("typing", "Literal")
        literal = Group(f"{literal_name}[", (("", Atom(python_literal(doc.values[0].value))),),
                        "]")
        common["alias_lines"] = layout.statement(f"{name}: {type_alias} = ", literal, 0)
        common["docstring"] = docstring(doc.description) if doc.description else ""
    elif isinstance(doc, EnumDoc):
        template = "enum.py.jinja"
        common.update(_enum_context(ctx, doc))
    else:
        assert isinstance(doc, UnionDoc)
        template = "union.py.jinja"
        common.update(_union_context(ctx, doc))
        common["docstring"] = docstring(doc.description) if doc.description else ""
    common["imports"] = imports.text(layout)
    common["deferred_imports"] = imports.deferred_lines(layout)
    source = environment(options.template_dirs, options.bytecode_dir).get_template(template).render(common)
    return Rendered(source, needs_black=layout.needs_black or bool(options.template_dirs))


def constant_of_doc(doc: EnumDoc) -> bool:
    """A closed one-value enum is a constant: rendered as a `Literal` alias, not an Enum."""
    return not doc.open and len(doc.values) == 1


def render_init(package: Package, folder: tuple[str, ...], options: RenderOptions) -> Rendered:
    exports = sorted(
        ((package.class_name(doc), package.modules[key][-1])
         for key, doc in package.docs.items() if package.modules[key][:-1] == folder),
        key=lambda export: dunder_all_order(export[0]))
    dotted = ".".join((options.package, *folder))
    layout = Layout(options.line_length)
    # The models are exported under their names; whatever the module itself uses gets a name
    # no model has (a model may be titled `Any` or `globals`).
    # Submodules and subpackages become attributes of the package when imported: the
    # package's own names must differ from them too.
    submodules = {module[len(folder)] for module in package.modules.values()
                  if module[:len(folder)] == folder}
    imports = Imports((*folder, "__init__"), reserved={name for name, _ in exports} | submodules)
    names = {name: imports.builtin(name) for name in (
        "AttributeError", "dict", "getattr", "globals", "list", "sorted", "str")}
    names["Any"] = imports.add("typing", "Any")
    names["import_module"] = imports.add("importlib", "import_module")
    if exports:
        names["TYPE_CHECKING"] = imports.add("typing", "TYPE_CHECKING")
    names["exports"] = imports.local("_EXPORTS")
    source = environment(options.template_dirs, options.bytecode_dir).get_template(
        "package_init.py.jinja").render(
        header=comment_text(f"Generated by specgen: the models of {dotted}. Do not edit."),
        docstring=docstring(f"Models generated by specgen for {dotted}."),
        imports=imports.text(layout),
        names=names,
        exports=[{"name_literal": string_literal(name), "module": string_literal("." + mod)}
                 for name, mod in exports],
        checking_imports=[line for name, mod in sorted(exports, key=lambda e: e[1].lower())
                          for line in layout.import_from("." + mod, [f"{name} as {name}"], 1)],
    )
    return Rendered(source, needs_black=layout.needs_black or bool(options.template_dirs))


def dependencies(doc: Doc, package: Package, spec_hashes: Mapping[str, str]) -> str:
    """A hash of everything `render_doc` reads for `doc`: its spec and the specs it refers to
    (two levels for unions, whose discriminator looks into members' fields), where they live,
    their cycles, the nulls other examples show in its fields. Same hash, same module."""
    keys = set(doc_references(doc))
    if isinstance(doc, UnionDoc):
        for key in list(keys):
            keys |= doc_references(package.docs[key])
    parts = [doc.key, spec_hashes.get(doc.key, ""), str(package.cycle_of.get(doc.key)),
             package.class_name(doc)]
    for key in sorted(keys):
        parts += [key, spec_hashes.get(key, ""), "/".join(package.modules.get(key, ())),
                  str(package.cycle_of.get(key)), package.class_names.get(key, ""),
                  str(key in package.runtime_only)]
    if isinstance(doc, ObjectDoc):
        parts += [repr(f.example_values) for f in doc.fields]
        parts += sorted(name for k, name in package.null_in_examples if k == doc.key)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def template_position(exc: BaseException) -> Position | None:
    """Where in a template an error arose (its file and line), if it arose in one."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Position(_shown(exc.filename), exc.lineno or 1)
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".jinja"):
            found = Position(_shown(frame.f_code.co_filename), line)
    return found


def _shown(path: str) -> str:
    relative = os.path.relpath(path)
    return relative if len(relative) < len(path) else path


def _attempt(diags: Diagnostics | None, page: Position | None,
             make: Callable[[], Rendered]) -> Rendered | None:
    """`make()`, or None with the failure reported: at the template line where it arose in a
    template, else as the page's error. Failures with nowhere to report them are raised."""
    try:
        return make()
    except Exception as exc:
        where = template_position(exc)
        if diags is None or (where is None and page is None):
            raise
        if where is not None:
            diags.error(where, f"template error: {type(exc).__name__}: {exc}")
        elif page is not None:
            diags.error(page, f"specgen failed while rendering this page "
                        f"({type(exc).__name__}: {exc}); please report it")
        return None


def render(
    package: Package,
    options: RenderOptions,
    reuse: Callable[[str, Doc], Rendered | None] = lambda path, doc: None,
    diags: Diagnostics | None = None,
) -> dict[str, Rendered]:
    """Every file of the output package, by path relative to the package directory.

    `reuse(path, doc)` may return a module rendered earlier from the same inputs. With
    `diags`, a module that fails to render is its page's error (or its template's) and the
    others are still rendered.
    """
    files: dict[str, Rendered] = {}
    folders: set[tuple[str, ...]] = {()}
    for key, doc in package.docs.items():
        module = package.modules[key]
        folders.update(module[:i] for i in range(1, len(module)))
        path = "/".join(module) + ".py"
        rendered = _attempt(diags, doc.pos, lambda: reuse(path, doc) or render_doc(
            doc, package, options))
        if rendered is not None:
            files[path] = rendered
    for folder in sorted(folders):
        init = _attempt(diags, None, lambda: render_init(package, folder, options))
        if init is not None:
            files["/".join((*folder, "__init__.py"))] = init
    env = environment(options.template_dirs, options.bytecode_dir)
    runtime = _attempt(diags, None, lambda: Rendered(env.get_template("runtime.py.jinja").render(
        version=string_literal(__version__)), needs_black=bool(options.template_dirs)))
    if runtime is not None:
        files[f"{RUNTIME_MODULE}.py"] = runtime
    files["py.typed"] = Rendered("", needs_black=False)
    return dict(sorted(files.items()))
