"""Stage 2: link references across docs and place every doc in a module.

Links resolve by target, not text: users copy an SDK's `models/` folder into their spec root, so
the part of a target below `models/` is read against the spec root, and the plain relative path
is the fallback. Unlinked `ns.X` names (union pages) resolve to namespace folder + lower(X).
"""

from __future__ import annotations

import json
import math
import posixpath
from typing import Any
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from .diagnostics import Diagnostics
from .ir import (
    ArrayType,
    LiteralType,
    Primitive,
    PrimitiveType,
    RuntimeType,
    Doc,
    EnumDoc,
    MapType,
    ObjectDoc,
    RefType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
)
from .naming import module_name

SPEC_SUFFIXES = (".md", ".mdx")


@dataclass(frozen=True)
class Package:
    """The resolved specs: every doc with its references' `key` filled, and where it lives."""

    docs: Mapping[str, Doc]  # by key, in key order
    modules: Mapping[str, tuple[str, ...]]  # doc key -> module path inside the package
    # (doc key, field name) of fields that some example in the specs shows as `null`
    null_in_examples: frozenset[tuple[str, str]] = frozenset()
    # doc key -> its reference cycle's number, for docs that can reach themselves
    cycle_of: Mapping[str, int] = field(default_factory=dict)

    def cyclic(self, source: str, target: str) -> bool:
        """Whether a reference from `source` to `target` closes a cycle (both in one cycle)."""
        cycle = self.cycle_of.get(source)
        return cycle is not None and cycle == self.cycle_of.get(target)

    def target(self, ref: RefType) -> Doc:
        assert ref.key is not None, "references are resolved before rendering"
        return self.docs[ref.key]


def _lookup_keys(path: str) -> list[str]:
    """The spec keys a link path may mean: as written, then with the other spec suffix."""
    stem, suffix = posixpath.splitext(path)
    keys = [path]
    if suffix in SPEC_SUFFIXES:
        keys += [stem + s for s in SPEC_SUFFIXES if s != suffix]
    return keys


class _Resolver:
    def __init__(
        self, docs: Mapping[str, Doc], diags: Diagnostics, failed: set[str] | frozenset[str]
    ) -> None:
        self.docs = docs
        self.diags = diags
        self.failed = failed  # spec files that exist but did not parse
        self.by_stem: dict[tuple[str, ...], dict[str, str]] = {}
        for key in sorted({*docs, *failed}):
            stem = posixpath.splitext(posixpath.basename(key))[0].lower()
            namespace = tuple(key.split("/")[:-1])
            self.by_stem.setdefault(namespace, {}).setdefault(stem, key)

    def link(self, doc: Doc, ref: RefType) -> str | None:
        target = (ref.target or "").split("#", 1)[0]
        candidates: list[str] = []
        parts = target.split("/")
        if "models" in parts:
            below = parts[len(parts) - 1 - parts[::-1].index("models") + 1 :]
            candidates += _lookup_keys("/".join(below))
        relative = posixpath.normpath(posixpath.join(posixpath.dirname(doc.key), target))
        candidates += _lookup_keys(relative)
        for key in candidates:
            if key in self.docs:
                return key
        if any(key in self.failed for key in candidates):
            return None  # its own errors are reported
        self.diags.error(ref.pos, f"link target {ref.target!r} does not exist in the specs")
        return None

    def qname(self, ref: RefType) -> str | None:
        assert ref.qname is not None
        namespace, _, name = ref.qname.partition(".")
        folder: tuple[str, ...] = () if namespace == "models" else (namespace,)
        key = self.by_stem.get(folder, {}).get(name.lower())
        if key is None:
            # SDKs that keep components in `models/components/` still write `components.X`.
            for ns, stems in sorted(self.by_stem.items()):
                if ns and ns[-1] == namespace and name.lower() in stems:
                    key = stems[name.lower()]
                    break
        if key in self.failed:
            return None  # its own errors are reported
        if key is None:
            self.diags.error(ref.pos, f"{ref.qname!r} resolves to no spec "
                             f"(looked for {'/'.join(folder + (name.lower(),))}.md)")
        return key

    def type(self, doc: Doc, expr: TypeExpr) -> TypeExpr:
        """`expr` with its references resolved; the same object when it holds none (most
        fields are primitives: copying them would cost a third of a no-op run)."""
        if isinstance(expr, RefType):
            key = self.link(doc, expr) if expr.target is not None else self.qname(expr)
            return replace(expr, key=key)
        if isinstance(expr, (ArrayType, StreamType)):
            item = self.type(doc, expr.item)
            return expr if item is expr.item else replace(expr, item=item)
        if isinstance(expr, MapType):
            value = self.type(doc, expr.value)
            return expr if value is expr.value else replace(expr, value=value)
        if isinstance(expr, UnionType):
            members = tuple(self.type(doc, m) for m in expr.members)
            if all(a is b for a, b in zip(members, expr.members)):
                return expr
            return replace(expr, members=members)
        return expr

    def doc(self, doc: Doc) -> Doc:
        if isinstance(doc, ObjectDoc):
            fields = []
            for spec in doc.fields:
                resolved = self.type(doc, spec.type)
                fields.append(spec if resolved is spec.type else replace(spec, type=resolved))
            if all(a is b for a, b in zip(fields, doc.fields)):
                return doc
            return replace(doc, fields=tuple(fields))
        if isinstance(doc, UnionDoc):
            members = tuple(replace(m, type=self.type(doc, m.type)) for m in doc.members)
            return replace(doc, members=members)
        assert isinstance(doc, EnumDoc)
        return doc


# --- Examples ----------------------------------------------------------------------------------


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON data")


def interpret_example(raw: str, expr: TypeExpr, docs: Mapping[str, Doc]) -> tuple[bool, Any]:
    """Read an Example cell by its field's type (`*string*` with `42` is the string "42").

    Returns (ok, value); ok is False when the text does not fit the type.
    """
    if isinstance(expr, RefType):
        assert expr.key is not None
        target = docs[expr.key]
        if isinstance(target, EnumDoc):
            kinds = {type(v.value) for v in target.values}
            if kinds <= {str}:
                return True, raw
            return _number(raw)
    if isinstance(expr, PrimitiveType):
        if expr.kind in (Primitive.STRING, Primitive.DATE, Primitive.DATETIME):
            return True, raw
        if expr.kind is Primitive.NUMBER:
            return _number(raw)
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


def _number(raw: str) -> tuple[bool, Any]:
    try:
        return True, int(raw)
    except ValueError:
        pass
    try:
        value = float(raw)
    except ValueError:
        return False, None
    return (True, value) if math.isfinite(value) else (False, None)


def _with_examples(doc: Doc, docs: Mapping[str, Doc], diags: Diagnostics) -> Doc:
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
            if ok:
                values.append(value)
            elif not isinstance(spec.type, (LiteralType, RuntimeType)):
                diags.warning(spec.examples_pos or spec.pos,
                              f"example {raw[:60]!r} of field {spec.name!r} does not fit its "
                              "type; left out")
        fields.append(replace(spec, example_values=tuple(values)))
    return replace(doc, fields=tuple(fields))


def resolve(
    docs: list[Doc], diags: Diagnostics, failed: set[str] | frozenset[str] = frozenset()
) -> Package | None:
    """Resolve every reference and assign modules; `None` when any error was found."""
    by_key = {doc.key: doc for doc in sorted(docs, key=lambda d: d.key)}
    # Titles are exported by name from their namespace's package: they must be unique there.
    modules: dict[str, tuple[str, ...]] = {}
    titles: dict[tuple[tuple[str, ...], str], Doc] = {}
    module_owner: dict[tuple[str, ...], Doc] = {}
    folders = {doc.namespace[: i + 1] for doc in by_key.values() for i in range(len(doc.namespace))}
    for doc in by_key.values():
        first = titles.setdefault((doc.namespace, doc.title), doc)
        if first is not doc:
            diags.error(doc.pos, f"duplicate title {doc.title!r} in this namespace "
                        f"(also in {first.pos})")
            continue
        module = doc.namespace + (module_name(doc.title),)
        owner = module_owner.setdefault(module, doc)
        if owner is not doc:
            diags.error(doc.pos, f"titles {owner.title!r} and {doc.title!r} map to the same "
                        f"module {module[-1]!r}")
            continue
        if module in folders:
            diags.error(doc.pos, f"module {module[-1]!r} would clash with the namespace folder "
                        f"of the same name")
            continue
        modules[doc.key] = module
    resolver = _Resolver(by_key, diags, failed)
    resolved = {key: resolver.doc(doc) for key, doc in by_key.items()}
    if diags.has_errors:
        return None
    resolved = {key: _with_examples(doc, resolved, diags) for key, doc in resolved.items()}
    return Package(resolved, modules, _nulls_in_examples(resolved), _cycles(resolved))


def references(expr: TypeExpr) -> Iterator[str]:
    """Keys of the docs a type expression refers to."""
    if isinstance(expr, RefType):
        if expr.key is not None:
            yield expr.key
    elif isinstance(expr, (ArrayType, StreamType)):
        yield from references(expr.item)
    elif isinstance(expr, MapType):
        yield from references(expr.value)
    elif isinstance(expr, UnionType):
        for member in expr.members:
            yield from references(member)


def doc_references(doc: Doc) -> set[str]:
    if isinstance(doc, ObjectDoc):
        return {key for f in doc.fields for key in references(f.type)}
    if isinstance(doc, UnionDoc):
        return {key for m in doc.members for key in references(m.type)}
    return set()


def _cycles(docs: Mapping[str, Doc]) -> dict[str, int]:
    """Strongly connected components of the reference graph (Tarjan, iterative), numbered in
    key order; only docs on a cycle (a component of two or more, or a self-reference)."""
    graph = {key: sorted(doc_references(doc)) for key, doc in docs.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            advanced = False
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(graph[nxt])))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    components.append(sorted(component))
    components.sort()
    return {key: number for number, component in enumerate(components) for key in component}


def _nulls_in_examples(docs: Mapping[str, Doc]) -> frozenset[tuple[str, str]]:
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
            if set(value) <= set(by_name) or "additionalProperties" in by_name:
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
        if doc.example is not None:
            walk_doc(doc.example.value, doc)
        if isinstance(doc, UnionDoc):
            for member in doc.members:
                if member.example is not None:
                    walk(member.example.value, member.type)
    return frozenset(found)
