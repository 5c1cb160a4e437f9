"""The reference graph between docs: what a type refers to, cycles, runtime-only models."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence

from ..ir import (
    ArrayType,
    Doc,
    MapType,
    NullableType,
    ObjectDoc,
    RefType,
    RuntimeType,
    StreamType,
    TypeExpr,
    UnionDoc,
    UnionType,
)


def selected(docs: Mapping[str, Doc], only: Iterable[str] | None) -> Iterator[Doc]:
    """The docs of `only` (keys of `docs`), or every doc: what a resolving step goes over
    (the others of a part are there to be looked up). Over `Reads`, each doc's lookups are
    noted as its own while it is the one gone over."""
    if isinstance(docs, Reads):
        return docs.going_over(only)
    return iter(docs.values()) if only is None else map(docs.__getitem__, only)


class Reads(Mapping[str, Doc]):
    """The docs the steps that read examples look up, noting by doc which others the reading
    of its examples looked up: what they mean depends on those docs alone (and on the set's
    titles and runtime-only models), so an edit that changes none of them leaves them as
    they were (see incremental.py). A lookup while no doc is gone over is noted under ""."""

    def __init__(self, docs: Mapping[str, Doc]) -> None:
        self.docs = docs
        self._noted: dict[str, set[str]] = {}
        self._current: set[str] | None = None  # what the doc gone over looked up, so far
        self._root = ""

    def __getitem__(self, key: str) -> Doc:
        found = self.docs[key]
        current = self._current
        if current is None:
            current = self._current = self._noted.setdefault(self._root, set())
        current.add(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self.docs  # which docs there are: no edit changes that alone

    def __iter__(self) -> Iterator[str]:
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)

    def going_over(self, only: Iterable[str] | None) -> Iterator[Doc]:
        docs = self.docs
        try:
            for key in docs if only is None else only:
                self._root, self._current = key, None
                yield docs[key]
        finally:
            self._root, self._current = "", None

    def note(self, key: str, keys: Iterable[str]) -> None:
        """Docs the reading of `key`'s examples depends on, found otherwise than by lookup."""
        self._noted.setdefault(key, set()).update(keys)

    def noted(self) -> dict[str, frozenset[str]]:
        """By doc, the other docs the reading of its examples looked up."""
        return {key: frozenset(keys - {key}) for key, keys in sorted(self._noted.items())
                if keys - {key}}


def references(expr: TypeExpr) -> Iterator[str]:
    """Keys of the docs a type expression refers to."""
    if isinstance(expr, RefType):
        if expr.key is not None:
            yield expr.key
    elif isinstance(expr, (ArrayType, StreamType, NullableType)):
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


def components(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """Strongly connected components of a graph (Tarjan, iterative), each sorted, in the
    order Tarjan finds them: a component comes after every component it reaches."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
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
                found.append(sorted(component))
    return found


def all_references(docs: Mapping[str, Doc]) -> dict[str, set[str]]:
    """Each doc's `doc_references`, found once for the graphs below."""
    return {key: doc_references(doc) for key, doc in docs.items()}


def cycles(references: Mapping[str, set[str]]) -> dict[str, int]:
    """Docs on a reference cycle (a component of two or more, or a self-reference), numbered
    by their component in key order (`references`: see `all_references`)."""
    graph = {key: sorted(refs) for key, refs in references.items()}
    on_cycle = sorted(c for c in components(graph) if len(c) > 1 or c[0] in graph[c[0]])
    return {key: number for number, component in enumerate(on_cycle) for key in component}


def fingerprints(graph: Mapping[str, Sequence[str]], own: Mapping[str, str]) -> dict[str, str]:
    """A hash per doc of something of its own (`own`: its shape digest, say) and the same of
    every doc it reaches (`graph`: the docs it refers to and the enums its examples name, see
    `Package.reaches`), transitively. Docs on one cycle share one."""
    result: dict[str, str] = {}
    for component in components(graph):
        members = set(component)
        h = hashlib.sha256()
        for key in component:
            h.update(f"{key}\0{own.get(key, '')}\0".encode())
            for ref in graph[key]:
                h.update(f"{ref}\0{result.get(ref, '') if ref not in members else ''}\0"
                         .encode())
        digest = h.hexdigest()
        for key in component:
            result[key] = digest
    return result


def runtime_only(docs: Mapping[str, Doc], known: frozenset[str] = frozenset()
                 ) -> frozenset[str]:
    """Object docs that hold nothing but SDK runtime objects, directly or through other such
    docs: `HTTPMetadata` (a `Response` and a `Request`). Real JSON payloads never carry them,
    so fields of these types are treated like runtime objects themselves. `known`: such docs
    among those `docs` refer to, found before (when `docs` are some of a larger set)."""
    found: set[str] = set(known)
    changed = True
    while changed:  # a fixed point: runtime-only docs may nest
        changed = False
        for key, doc in docs.items():
            if key in found or not isinstance(doc, ObjectDoc) or not doc.fields:
                continue
            if all(carries_runtime(f.type, found) for f in doc.fields):
                found.add(key)
                changed = True
    return frozenset(found)


def carries_runtime(expr: TypeExpr, runtime_docs: frozenset[str] | set[str]) -> bool:
    """An SDK runtime object: directly, as a member of an upload union (`File | Blob | X`),
    or a model holding only such objects."""
    if isinstance(expr, RuntimeType):
        return True
    if isinstance(expr, UnionType):
        return any(carries_runtime(m, runtime_docs) for m in expr.members)
    if isinstance(expr, NullableType):
        return carries_runtime(expr.item, runtime_docs)
    return isinstance(expr, RefType) and expr.key in runtime_docs


def ungrounded_unions(docs: Mapping[str, Doc], only: Iterable[str] | None = None
                      ) -> list[UnionDoc]:
    """Unions (of `only`, if given) whose members are only unions leading back to themselves
    (`A` of `A`): they describe no data at all."""
    grounded: dict[str, bool] = {}

    def grounds(key: str, seen: frozenset[str]) -> bool:
        doc = docs.get(key)  # looked up before the verdict kept: `Reads` notes it
        if key in grounded:
            return grounded[key]
        if not isinstance(doc, UnionDoc) or not doc.members:
            return True
        result = any(not isinstance(m.type, RefType) or m.type.key is None
                     or (m.type.key not in seen and grounds(m.type.key, seen | {key}))
                     for m in doc.members)
        if not seen:  # a verdict from a partial walk could depend on where it started
            grounded[key] = result
        return result

    return [doc for doc in selected(docs, only)
            if isinstance(doc, UnionDoc) and not grounds(doc.key, frozenset())]
