"""Stage 2: link references across docs, place every doc in a module, and read what the
examples say.

- links.py: references by link target or `ns.Title` name;
- names.py: module paths and class names;
- examples.py: Example cells by type, plain example data, fields shown as `null`;
- graph.py: the reference graph (cycles, runtime-only models).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import field
from typing import Any

from ..diagnostics import Diagnostic, Diagnostics
from ..ir import Doc, EnumDoc, Position, RefType, UnionDoc, shape_digest
from ..records import frozen
from .checks import checked_examples
from .examples import nulls_in_examples, plain_examples, with_examples
from .graph import (
    Reads,
    all_references,
    cycles,
    doc_references,
    fingerprints,
    references,
    runtime_only,
    selected,
    ungrounded_unions,
)
from .links import Linker, LinkTables
from .names import place
from .wire import WireEvidence, wire_evidence

__all__ = ["Form", "Package", "Part", "doc_fingerprint", "doc_references", "form_of", "references",
           "resolve"]


@frozen
class Package:
    """The resolved specs: every doc with its references' `key` filled, and where it lives."""

    docs: Mapping[str, Doc]  # by key, in key order
    modules: Mapping[str, tuple[str, ...]]  # doc key -> module path inside the package
    class_names: Mapping[str, str] = field(default_factory=dict)  # doc key -> Python class
    # (doc key, field name) of fields that some example in the specs shows as `null`
    null_in_examples: frozenset[tuple[str, str]] = frozenset()
    # doc key -> its reference cycle's number, for docs that can reach themselves
    cycle_of: Mapping[str, int] = field(default_factory=dict)
    # object docs holding only SDK runtime objects (`HTTPMetadata`)
    runtime_only: frozenset[str] = frozenset()
    wire: WireEvidence = field(default_factory=WireEvidence)  # wire names examples show
    # doc key -> a hash of what the resolved doc is made from: its page's bytes, and the shapes
    # (what is left without descriptions and positions) of the docs it refers to, transitively
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    # doc key -> the same with its own shape instead of its page's bytes: what a module
    # rendered from another doc may read of it
    shape_prints: Mapping[str, str] = field(default_factory=dict)
    # doc key -> the docs its resolution and modules may read: those it refers to, and the
    # enums its examples name (what `fingerprints` follow, one step)
    reaches: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # doc key -> the other docs the reading of its examples looked up (see `graph.Reads`;
    # "" for lookups of no doc's examples): an edit that changes none of them leaves what
    # its examples say as it was
    example_reads: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def cyclic(self, source: str, target: str) -> bool:
        """Whether a reference from `source` to `target` closes a cycle (both in one cycle)."""
        cycle = self.cycle_of.get(source)
        return cycle is not None and cycle == self.cycle_of.get(target)

    def target(self, ref: RefType) -> Doc:
        assert ref.key is not None, "references are resolved before rendering"
        return self.docs[ref.key]

    def class_name(self, doc: Doc) -> str:
        return self.class_names.get(doc.key, doc.title)

    def class_name_of(self, key: str) -> str:
        """The class name of the doc keyed `key`, read without reading the doc (see
        render/reads.py) when the names are known."""
        name = self.class_names.get(key)
        return name if name is not None else self.docs[key].title

    def form(self, key: str) -> Form:
        """What a reference to the doc keyed `key` renders by, besides its names."""
        return form_of(self.docs[key])


@frozen
class Form:
    """What a reference to a doc shows of it, without its fields, values or members: the
    kind of doc, and the value of an enum that is a constant (closed, with one value), with
    the value's type (`1`, `1.0` and `True` are equal in Python, not in the output)."""

    kind: str  # "object", "enum" or "union"
    constant: tuple[str, Any] | None = None  # (type name, value)


_KINDS = {kind: Form(kind) for kind in ("object", "enum", "union")}  # one of each: modules
# record many, and their logs are pickled (a form said twice in one pickle is stored once)


def form_of(doc: Doc) -> Form:
    if isinstance(doc, EnumDoc):
        if not doc.open and len(doc.values) == 1:
            value = doc.values[0].value
            return Form("enum", (type(value).__name__, value))
        return _KINDS["enum"]
    return _KINDS["union" if isinstance(doc, UnionDoc) else "object"]


@frozen
class Part:
    """Docs resolved as some of a larger set (see incremental.py): every doc's title in it,
    for links by name; the other docs the resolved ones reach (`stored`: parsed, looked up
    when their examples, or a module, first read them); what those reach, and which of them
    are runtime-only, as the whole set found it; and the docs whose examples are read
    (`examples_of`: the others' say what they said, as none of the docs those look up
    changed), or all of them."""

    titles: Mapping[str, str]
    stored: Mapping[str, Doc]
    reaches: Mapping[str, tuple[str, ...]]
    runtime_only: frozenset[str]
    examples_of: frozenset[str] | None = None
    # doc key -> (a parsed doc, it linked, what linking it said): linking a doc depends on
    # it and every doc's title alone, so parts resolved from one set share this, and the
    # tables links are looked up in
    linked: dict[str, tuple[Doc, Doc, list[Diagnostic]]] = field(default_factory=dict,
                                                               compare=False)
    link_tables: LinkTables = field(default_factory=LinkTables, compare=False)


class _Joined(Mapping[str, Doc]):
    """The docs resolved here, and the other docs of the part, each linked when first looked
    up (what linking them says is the whole set's, said before)."""

    def __init__(self, own: Mapping[str, Doc], part: Part, linker: Linker) -> None:
        self._own, self._part, self._linker = own, part, linker

    def __getitem__(self, key: str) -> Doc:
        found = self._own.get(key)
        if found is not None:
            return found
        doc = self._part.stored[key]
        earlier = self._part.linked.get(key)
        if earlier is None or earlier[0] is not doc:
            earlier = self._part.linked[key] = (doc, self._linker.doc(doc), [])
        return earlier[1]

    def __contains__(self, key: object) -> bool:
        return key in self._own or key in self._part.stored

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        yield from (key for key in self._part.stored if key not in self._own)

    def __len__(self) -> int:
        return len(self._own) + sum(1 for key in self._part.stored if key not in self._own)


def doc_fingerprint(source: str, shape_print: str) -> str:
    """`Package.fingerprints`' entry of a doc: its page's hash and its shape print."""
    return hashlib.sha256(f"{source}\0{shape_print}".encode()).hexdigest()


class _Guard:
    """Turns an unexpected exception while handling one doc into that doc's error, so the
    run goes on and reports the others."""

    def __init__(self, diags: Diagnostics, where: Position, what: str) -> None:
        self.diags, self.where, self.what = diags, where, what

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> bool:
        if exc is None or not isinstance(exc, Exception):
            return False
        self.diags.internal(self.where, self.what, exc)
        return True


def resolve(
    docs: list[Doc], diags: Diagnostics, failed: set[str] | frozenset[str] = frozenset(),
    lenient: bool = False, skipped: set[str] | frozenset[str] = frozenset(),
    sources: Mapping[str, str] | None = None, shapes: Mapping[str, str] | None = None,
    part: Part | None = None,
) -> Package | None:
    """Resolve every reference and assign modules; `None` when any error was found.

    With `lenient`, a reference to a page that does not exist (or documents no model: the
    `skipped` helper pages) and a type the grammar cannot read become `Any`, each with a
    warning. `sources` gives each doc's source hash (the page's bytes), `shapes` its shape
    digest, for fingerprints. `part`: `docs` are only some docs of the set (those whose
    pages an edit reaches), with the others they reach in `part.stored`, whose examples are
    not read; the facts of the package are then those of these docs (cycles: among `docs`).
    An example that names a member of an enum by a title that docs outside them have raises
    `Incomplete`: they may be the ones it means.
    """
    by_key = {doc.key: doc for doc in sorted(docs, key=lambda d: d.key)}
    modules, names = place(by_key, diags)
    tables = part.link_tables if part is not None else LinkTables()
    linker = Linker(by_key, diags, failed, lenient, skipped, part.titles if part else None,
                    tables)
    resolved: dict[str, Doc] = {}  # the docs of `docs`, as each step leaves them
    linked = part.linked if part is not None else None
    for key, doc in by_key.items():
        earlier = linked.get(key) if linked is not None else None
        if earlier is not None and earlier[0] is doc:
            resolved[key] = earlier[1]
            diags.items.extend(earlier[2])
            continue
        mark = len(diags.items)
        with _Guard(diags, doc.pos, "resolving"):
            resolved[key] = linker.doc(doc)
            if linked is not None:
                linked[key] = (doc, resolved[key], diags.items[mark:])
    # What the steps look up: every doc, or with a part, these and the others it reaches
    # (linked as they are looked up, what that says left out: the whole set's, said before)
    every: Mapping[str, Doc] = resolved if part is None else _Joined(resolved, part, Linker(
        by_key, Diagnostics(), failed, lenient, skipped, part.titles, tables))
    docs_read = Reads(every)
    examined = None if part is None else [
        key for key in resolved if part.examples_of is None or key in part.examples_of]
    for union in ungrounded_unions(docs_read, examined):
        diags.error(union.members[0].pos, f"union {union.title!r} has no member but unions "
                    "that lead back to it: it describes no data")
    if diags.has_errors:
        return None
    plain, influences = plain_examples(docs_read, diags, examined, linker.titles)
    resolved.update(plain)
    for key, found in influences.items():  # named by title: looked up once for all
        docs_read.note(key, found)
    for doc in selected(docs_read, examined):
        with _Guard(diags, doc.pos, "reading the examples of"):
            resolved[doc.key] = with_examples(doc, docs_read, diags)
    if diags.has_errors:
        return None
    runtime_docs = runtime_only(resolved, part.runtime_only - resolved.keys()
                                if part is not None else frozenset())
    # The keys of an example that a value of it keeps out of the models (a string in a
    # number field) still show how the API spells them
    wire = wire_evidence(docs_read, diags, examined)
    resolved.update(checked_examples(docs_read, runtime_docs, diags, examined))
    nulls = nulls_in_examples(docs_read, examined)
    own = sources if sources is not None else {
        key: hashlib.sha256(repr(doc).encode()).hexdigest() for key, doc in by_key.items()}
    shaped = shapes if shapes is not None else {
        key: shape_digest(doc) for key, doc in by_key.items()}
    refs = all_references(resolved)
    reaches = {key: tuple(sorted(targets | influences[key])) if key in influences
               else tuple(sorted(targets)) for key, targets in refs.items()}
    if part is not None:  # the others' examples were not read: what they reach is known
        reaches.update((key, part.reaches[key]) for key in part.stored
                       if key not in resolved)
        reaches.update((key, part.reaches[key]) for key in resolved.keys() - set(examined or ()))
        refs = {key: targets & resolved.keys() for key, targets in refs.items()}
    shape = fingerprints(reaches, shaped)
    whole = {key: doc_fingerprint(own.get(key, ""), print_) for key, print_ in shape.items()}
    return Package(every, modules, names, nulls, cycles(refs), runtime_docs, wire, whole,
                   shape, reaches, docs_read.noted())
