"""Between parse and resolve: several doc sets of one API (`--specs a --specs b`) become one.

Each doc set is a folder of pages in one SDK language, parsed on its own. Pages that describe
the same model are merged into one doc; every other page is kept as it is. The rules:

- Folders are paired by the titles they share (TypeScript docs keep models at the root, Go
  docs in `components/`; `errors/` and `sdkerrors/` hold the same errors): each folder of a
  later set goes with the folder of the base set that shares most of its titles, or keeps its
  own name when none does. Pages of paired folders whose titles are equal, compared by letters
  and digits only and case-insensitively (`AgenticIndex`, `agentic_index`), describe one model.
- The base is the first TypeScript doc set, else the first given: its pages keep their keys,
  field names, order and examples (TypeScript examples are JSON in wire form, which the wire
  name rules read). Pages only in another set join under the paired folder; their links are
  rewritten to point at the merged pages.
- Fields are matched by letters and digits, case-insensitively; union members by their place
  when both pages list as many and none contradicts. A type takes what the other
  page states more precisely: `integer` or `float` where the base says `number`, null where
  the base does not show it, a type where the base says `any`. Descriptions, examples and
  deprecations come from the base when it has them, else from the other page. A field is
  required when both pages say so.
- A field on one page only is kept, optional, with a warning. Contradictions (a string here,
  an integer there; different enum values; an object here, an enum there) are warnings at
  the base's position naming the other's; `--strict` makes them errors. An enum keeps the
  values of both (the kind the typed page states, when the other only guessed it).

Plain data in and out: `DocSet`s (keys relative to their own folder) -> one `DocSet`.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Mapping
from dataclasses import field, replace

from .diagnostics import Diagnostics
from .ir import (
    ArrayType,
    Doc,
    EnumDoc,
    EnumValue,
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
    UnionMember,
    UnionType,
)
from .naming import folded
from .records import frozen

Namespace = tuple[str, ...]


@frozen
class DocSet:
    """The parsed pages of one doc set (or of several, merged), keyed by spec-relative path."""

    docs: tuple[Doc, ...]
    failed: frozenset[str] = frozenset()  # pages with errors
    skipped: frozenset[str] = frozenset()  # pages that document no model
    sources: Mapping[str, str] = field(default_factory=dict)  # key -> hash of what it says
    shapes: Mapping[str, str] = field(default_factory=dict)  # key -> the doc's shape digest


def merge(sets: list[DocSet], diags: Diagnostics) -> DocSet:
    """One doc set from several of one API; the base (see the module's notes) first."""
    dialects = [s.docs[0].dialect if s.docs else "" for s in sets]
    base = next((i for i, dialect in enumerate(dialects) if dialect == "typescript"), 0)
    merged = sets[base]
    for number, other in enumerate(sets):
        if number != base:
            merged = _merge_two(merged, other, diags)
    return merged


def _merge_two(base: DocSet, other: DocSet, diags: Diagnostics) -> DocSet:
    folders = pair_folders(base.docs, other.docs)
    mine = {(d.namespace, folded(d.title)): d for d in base.docs}
    docs = {d.key: d for d in base.docs}
    taken = {*docs, *base.failed, *base.skipped}
    keys: dict[str, str] = {}  # other's key -> merged key
    for doc in other.docs:
        twin = mine.pop((folders.get(doc.namespace, doc.namespace), folded(doc.title)), None)
        keys[doc.key] = twin.key if twin is not None else _free_key(doc.key, folders, taken)
    failed = {*base.failed, *(_free_key(k, folders, taken) for k in sorted(other.failed))}
    skipped = {*base.skipped, *(_free_key(k, folders, taken) for k in sorted(other.skipped))}
    relink = _Relinker(other, keys)
    sources, shapes = dict(base.sources), dict(base.shapes)
    for doc in other.docs:
        key = keys[doc.key]
        theirs = relink.doc(doc, key)
        if key in docs:
            docs[key] = merge_docs(docs[key], theirs, diags)
            for table, hashes in ((sources, other.sources), (shapes, other.shapes)):
                table[key] = _both(table.get(key, ""), hashes.get(doc.key, ""))
        else:
            docs[key] = replace(theirs, key=key, namespace=tuple(key.split("/")[:-1]))
            sources[key] = other.sources.get(doc.key, "")
            shapes[key] = other.shapes.get(doc.key, "")
    return DocSet(tuple(docs[k] for k in sorted(docs)), frozenset(failed),
                  frozenset(skipped), sources, shapes)


def _both(mine: str, theirs: str) -> str:
    """One hash of two pages' hashes (sources or shapes): a merged doc depends on both."""
    return hashlib.sha256(f"{mine}\0{theirs}".encode()).hexdigest()


def pair_folders(base: tuple[Doc, ...], other: tuple[Doc, ...]) -> dict[Namespace, Namespace]:
    """Each folder of `other` -> the folder of `base` sharing most titles with it (itself
    when none shares any)."""
    titles: dict[Namespace, set[str]] = {}
    for doc in base:
        titles.setdefault(doc.namespace, set()).add(folded(doc.title))
    theirs: dict[Namespace, set[str]] = {}
    for doc in other:
        theirs.setdefault(doc.namespace, set()).add(folded(doc.title))
    pairs = {}
    for namespace, names in theirs.items():
        best = max(sorted(titles), key=lambda ns: (len(titles[ns] & names), ns == namespace),
                   default=namespace)
        pairs[namespace] = best if titles.get(best, set()) & names else namespace
    return pairs


def _free_key(key: str, folders: dict[Namespace, Namespace], taken: set[str]) -> str:
    """Where a page of another set goes: its paired folder, else its own, else beside it
    under a new name; the key is then taken."""
    *folder, name = key.split("/")
    paired = "/".join((*folders.get(tuple(folder), tuple(folder)), name))
    stem, suffix = posixpath.splitext(key)
    candidates = [paired, key, *(f"{stem}_{n}{suffix}" for n in range(2, 1000))]
    free = next(c for c in candidates if c not in taken)
    taken.add(free)
    return free


class _Relinker:
    """Rewrites the references of another set's pages to the merged keys, as links relative
    to where each page now lives. A reference this set cannot resolve is left as written: the
    resolver reports it, at its own position."""

    def __init__(self, docs: DocSet, keys: dict[str, str]) -> None:
        from .resolve.links import Linker  # resolve imports nothing of this module

        self.linker = Linker({d.key: d for d in docs.docs}, Diagnostics(), docs.failed,
                             False, docs.skipped)
        self.keys = keys

    def doc(self, doc: Doc, key: str) -> Doc:
        def relinked(ref: RefType) -> TypeExpr:
            found = (self.linker.link(doc, ref) if ref.target is not None
                     else self.linker.qname(ref))
            target = self.keys.get(found or "")
            if target is None:
                return ref
            return replace(ref, target=posixpath.relpath(target, posixpath.dirname(key) or "."),
                           qname=None)

        if isinstance(doc, ObjectDoc):
            return replace(doc, fields=tuple(replace(f, type=map_refs(f.type, relinked))
                                             for f in doc.fields))
        if isinstance(doc, UnionDoc):
            return replace(doc, members=tuple(replace(m, type=map_refs(m.type, relinked))
                                              for m in doc.members))
        return doc


def map_refs(expr: TypeExpr, change: Callable[[RefType], TypeExpr]) -> TypeExpr:
    """`expr` with each reference replaced by `change(ref)`."""
    if isinstance(expr, RefType):
        return change(expr)
    if isinstance(expr, (ArrayType, StreamType, NullableType)):
        return replace(expr, item=map_refs(expr.item, change))
    if isinstance(expr, MapType):
        return replace(expr, value=map_refs(expr.value, change))
    if isinstance(expr, UnionType):
        return replace(expr, members=tuple(map_refs(m, change) for m in expr.members))
    return expr


# --- One model from two pages -----------------------------------------------------------------


def merge_docs(mine: Doc, theirs: Doc, diags: Diagnostics) -> Doc:
    """The model two pages describe: `mine` (the base) with what `theirs` says better."""
    if type(mine) is not type(theirs):
        diags.warning(mine.pos, f"{mine.title!r} is {_kind(mine)} here but {_kind(theirs)} "
                      f"at {theirs.pos}: kept as {_kind(mine)}")
        return mine
    merged: Doc
    if isinstance(mine, ObjectDoc):
        assert isinstance(theirs, ObjectDoc)
        merged = replace(mine, fields=_merge_fields(mine, theirs, diags))
    elif isinstance(mine, EnumDoc):
        assert isinstance(theirs, EnumDoc)
        merged = _merge_enums(mine, theirs, diags)
    else:
        assert isinstance(mine, UnionDoc) and isinstance(theirs, UnionDoc)
        merged = replace(mine, members=_merge_members(mine.members, theirs.members))
    # Examples: a TypeScript page's first (its JSON is in wire form).
    prefer_theirs = theirs.dialect == "typescript" and mine.dialect != "typescript"
    first, second = (theirs, mine) if prefer_theirs else (mine, theirs)
    return replace(merged, description=mine.description or theirs.description,
                   deprecated=mine.deprecated or theirs.deprecated,
                   example=first.example or second.example)


def _merge_members(mine: tuple[UnionMember, ...],
                   theirs: tuple[UnionMember, ...]) -> tuple[UnionMember, ...]:
    """The base's members (another page's where it gives none), each made precise by the
    other page's member at the same place when the two lists agree member for member (the
    pages may list them in another order: then they are left as they are)."""
    if not mine or len(mine) != len(theirs):
        return mine or theirs
    merged = [merge_types(a.type, b.type) for a, b in zip(mine, theirs, strict=True)]
    if any(problem is not None for _, problem in merged):
        return mine
    return tuple(replace(member, type=kind, example=member.example or other.example)
                 for member, (kind, _), other in zip(mine, merged, theirs, strict=True))


def _kind(doc: Doc) -> str:
    return {ObjectDoc: "an object", EnumDoc: "an enum"}.get(type(doc), "a union")


def _merge_fields(mine: ObjectDoc, theirs: ObjectDoc,
                  diags: Diagnostics) -> tuple[FieldSpec, ...]:
    by_name = {folded(f.name): f for f in theirs.fields}
    fields = []
    for spec in mine.fields:
        twin = by_name.pop(folded(spec.name), None)
        if twin is None:
            fields.append(_lone(spec, theirs, diags))
        else:
            fields.append(_merge_field(spec, twin, diags))
    fields += [_lone(spec, mine, diags) for spec in by_name.values()]
    return tuple(fields)


def _lone(spec: FieldSpec, without: Doc, diags: Diagnostics) -> FieldSpec:
    diags.warning(spec.pos, f"field {spec.name!r} is not on {without.pos}, the same model in "
                  "another doc set: kept, optional")
    return replace(spec, required=False)


def _merge_field(mine: FieldSpec, theirs: FieldSpec, diags: Diagnostics) -> FieldSpec:
    kind, problem = merge_types(mine.type, theirs.type)
    if problem is not None:
        diags.warning(mine.pos, f"field {mine.name!r} is {problem} at {theirs.pos}: kept as "
                      "written here")
    examples = mine if mine.examples else theirs
    return replace(
        mine, type=kind, required=mine.required and theirs.required,
        description=mine.description or theirs.description,
        examples=examples.examples, examples_pos=examples.examples_pos,
        deprecated=mine.deprecated or theirs.deprecated,
        deprecation_note=mine.deprecation_note or theirs.deprecation_note)


def _merge_enums(mine: EnumDoc, theirs: EnumDoc, diags: Diagnostics) -> EnumDoc:
    """Both pages' values; their kind from a page that states it (the other guessed)."""
    ours = {str(v.value): v for v in mine.values}
    other = {str(v.value): v for v in theirs.values}
    values = list(mine.values)
    if mine.kind_guessed and not theirs.kind_guessed:
        values = [replace(v, value=other[str(v.value)].value) if str(v.value) in other
                  else v for v in values]
    elif not theirs.kind_guessed and any(
            type(ours[t].value) is not type(other[t].value) for t in ours.keys() & other):
        diags.warning(mine.pos, f"enum {mine.title!r} has values of another kind at "
                      f"{theirs.pos} ({_values(mine.values)} here, {_values(theirs.values)} "
                      "there): kept as written here")
    only_here = [t for t in ours if t not in other]
    only_there = [v for t, v in other.items() if t not in ours]
    if only_here or only_there:
        diags.warning(mine.pos, f"enum {mine.title!r} has other values at {theirs.pos} "
                      f"(only here: {', '.join(only_here) or 'none'}; only there: "
                      f"{', '.join(str(v.value) for v in only_there) or 'none'}): the model "
                      "accepts both")
    return replace(mine, values=(*values, *only_there), open=mine.open or theirs.open,
                   kind_guessed=mine.kind_guessed and theirs.kind_guessed)


def _values(values: tuple[EnumValue, ...]) -> str:
    return ", ".join(repr(v.value) for v in values[:3]) + (", ..." if len(values) > 3 else "")


# --- Types ------------------------------------------------------------------------------------

_NUMBERS = {Primitive.NUMBER, Primitive.INTEGER, Primitive.FLOAT}


def merge_types(mine: TypeExpr, theirs: TypeExpr) -> tuple[TypeExpr, str | None]:
    """`mine` refined by `theirs` (number -> integer or float, null, any -> a type), and what
    contradicts it (`None` when nothing does)."""
    null_here, inner = (True, mine.item) if isinstance(mine, NullableType) else (False, mine)
    null_there, other = ((True, theirs.item) if isinstance(theirs, NullableType)
                         else (False, theirs))
    kind, problem = _merge_inner(inner, other)
    if problem is not None:
        return mine, f"{describe(mine)} here but {describe(theirs)}"
    if null_here or null_there:
        return NullableType(kind, mine.pos), None
    return kind, None


def _merge_inner(mine: TypeExpr, theirs: TypeExpr) -> tuple[TypeExpr, str | None]:
    if isinstance(mine, PrimitiveType) and mine.kind is Primitive.ANY:
        return theirs, None
    if isinstance(mine, PrimitiveType) and isinstance(theirs, PrimitiveType):
        if {mine.kind, theirs.kind} == {Primitive.INTEGER, Primitive.FLOAT}:
            return mine, "contradiction"
        if mine.kind is Primitive.NUMBER and theirs.kind in _NUMBERS:
            return PrimitiveType(theirs.kind, mine.pos), None
    if isinstance(mine, ArrayType) and isinstance(theirs, ArrayType):
        item, problem = merge_types(mine.item, theirs.item)
        return replace(mine, item=item), problem
    if isinstance(mine, MapType) and isinstance(theirs, MapType):
        value, problem = merge_types(mine.value, theirs.value)
        return replace(mine, value=value), problem
    if isinstance(mine, LiteralType) and isinstance(theirs, LiteralType):
        return mine, None if mine.value == theirs.value else "contradiction"
    here, there = _shape(mine), _shape(theirs)
    if here is not None and there is not None and here != there:
        return mine, "contradiction"
    return mine, None


def _shape(expr: TypeExpr) -> str | None:
    """The JSON kind of a type where it is plain (`None`: a reference, a union, any)."""
    if isinstance(expr, LiteralType):
        value = expr.value
        return ("boolean" if isinstance(value, bool) else "string" if isinstance(value, str)
                else "number")
    if isinstance(expr, PrimitiveType):
        if expr.kind in _NUMBERS:
            return "number"
        return {Primitive.BOOLEAN: "boolean", Primitive.ANY: None}.get(expr.kind, "string")
    return {ArrayType: "array", MapType: "map"}.get(type(expr))


def describe(expr: TypeExpr) -> str:
    """A type in a few words, for messages."""
    if isinstance(expr, PrimitiveType):
        return expr.kind.value
    if isinstance(expr, LiteralType):
        return f"the constant {expr.value!r}"
    if isinstance(expr, NullableType):
        return f"{describe(expr.item)} or null"
    if isinstance(expr, ArrayType):
        return f"an array of {describe(expr.item)}"
    if isinstance(expr, MapType):
        return f"a map of {describe(expr.value)}"
    if isinstance(expr, RefType):
        return repr(expr.text)
    return "a union" if isinstance(expr, UnionType) else type(expr).__name__
