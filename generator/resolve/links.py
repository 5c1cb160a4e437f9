"""References between docs: links by their target, unlinked `ns.Title` names by folder.

Links resolve by target, not text (C# pages label a link `Accepts`, TypeScript ones
`shared.Accepts`). Targets are relative to the SDK's own docs tree (`../../models/shared/x.md`)
while users copy some folder of it into their spec root, so a target is tried as written
(relative to the page), then by ever shorter tails of its path against the spec root. An
unlinked `ns.Title` (a union page) is the page of that title in a folder named `ns`, else at
the root, else the only page of that title.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from urllib.parse import unquote

from ..diagnostics import Diagnostics
from ..ir import (
    ArrayType,
    Doc,
    EnumDoc,
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
    UnknownType,
    evolve,
)
from ..specfiles import SPEC_SUFFIXES

LENIENT_HINT = "generated as Any with --lenient"
MISSING = "\0missing"  # what a lookup returns for a page that does not exist (never a key)


def _with_suffixes(path: str) -> list[str]:
    """The spec keys a link path may mean: as written, then with the other spec suffix."""
    stem, suffix = posixpath.splitext(path)
    keys = [path]
    if suffix in SPEC_SUFFIXES:
        keys += [stem + s for s in SPEC_SUFFIXES if s != suffix]
    return keys


def _stem(key: str) -> str:
    return posixpath.splitext(posixpath.basename(key))[0]


class LinkTables:
    """The tables of a doc set's pages that links are looked up in, made on first use (a run
    that resolves a few pages seldom needs them) and shared by the linkers of one set: those
    of the parts an edit resolves (incremental.py)."""

    def __init__(self) -> None:
        self.folded: dict[str, str] | None = None
        self.by_name: dict[str, list[str]] | None = None


class Linker:
    """Resolves the references of docs against all the specs of a run."""

    def __init__(self, docs: Mapping[str, Doc], diags: Diagnostics,
                 failed: set[str] | frozenset[str], lenient: bool,
                 skipped: set[str] | frozenset[str] = frozenset(),
                 titles: Mapping[str, str] | None = None,
                 tables: LinkTables | None = None) -> None:
        # Every doc's title by key: of `docs`, or of the whole set when `docs` is a part of it
        self.titles = titles if titles is not None else {k: d.title for k, d in docs.items()}
        self.diags = diags
        self.failed = failed  # spec files that exist but did not parse
        self.skipped = skipped  # spec files that document no model (SDK helper types)
        self.lenient = lenient
        self._tables = tables if tables is not None else LinkTables()  # of these pages

    @property
    def folded(self) -> dict[str, str]:
        """Keys by their lower case; the first in key order wins."""
        if self._tables.folded is None:
            keys = sorted({*self.titles, *self.failed, *self.skipped})
            self._tables.folded = {key.lower(): key for key in reversed(keys)}
        return self._tables.folded

    @property
    def by_name(self) -> dict[str, list[str]]:
        """The keys of pages by their file's stem and their doc's title, in lower case."""
        if self._tables.by_name is None:
            by_name: dict[str, list[str]] = {}
            for key in sorted({*self.titles, *self.failed, *self.skipped}):
                names = {_stem(key).lower()}
                if key in self.titles:
                    names.add(self.titles[key].lower())
                for name in names:
                    by_name.setdefault(name, []).append(key)
            self._tables.by_name = by_name
        return self._tables.by_name

    def exists(self, key: str) -> str | None:
        if key in self.titles or key in self.failed or key in self.skipped:
            return key
        return self.folded.get(key.lower())  # links written in another case than the files

    def link(self, doc: Doc, ref: RefType) -> str | None:
        """The key a link points to; MISSING (reported) when there is no such page, None
        for a page that failed to parse (its own errors are reported)."""
        target = unquote((ref.target or "").split("#", 1)[0].split("?", 1)[0])
        candidates: list[str] = []
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(doc.key), target))
        if not joined.startswith("../") and joined not in ("..", "."):
            candidates.append(joined)
        parts = [p for p in target.split("/") if p not in ("", ".", "..")]
        candidates += ["/".join(parts[i:]) for i in range(len(parts))]
        for candidate in candidates:
            for key in _with_suffixes(candidate):
                found = self.exists(key)
                if found is not None:
                    return self.found(ref, found)
        return self.missing(ref, f"link target {ref.target!r} does not exist in the specs")

    def qname(self, ref: RefType) -> str | None:
        assert ref.qname is not None
        *namespace, name = ref.qname.split(".")
        matches = self.by_name.get(name.lower(), [])
        folder = [n.lower() for n in namespace]

        def in_folder(key: str) -> bool:
            parts = key.lower().split("/")[:-1]
            return parts[len(parts) - len(folder):] == folder if folder else not parts

        ranked = ([k for k in matches if in_folder(k)],  # the folder the name says
                  [k for k in matches if "/" not in k],  # the root: users copy `models/`
                  matches)
        key = next((keys[0] for keys in ranked if len(keys) == 1), None)
        if key is None and matches:
            self.diags.error(ref.pos, f"{ref.qname!r} is ambiguous: it may be any of "
                             f"{', '.join(matches)}")
            return None
        if key is None:
            return self.missing(ref, f"{ref.qname!r} resolves to no spec (looked for "
                                f"{name.lower()}.md)")
        return self.found(ref, key)

    def found(self, ref: RefType, key: str) -> str | None:
        if key in self.skipped:
            return self.missing(ref, f"{ref.text!r} links to {key}, which documents an SDK "
                                "helper type, not a model")
        return None if key in self.failed else key

    def missing(self, ref: RefType, message: str) -> str:
        if self.lenient:
            self.diags.warning(ref.pos, f"{message}; {LENIENT_HINT}")
        else:
            self.diags.error(ref.pos, message, lenient=True)
        return MISSING

    def type(self, doc: Doc, expr: TypeExpr) -> TypeExpr:
        """`expr` with its references resolved; the same object when it holds none (most
        fields are primitives: copying them would cost a third of a no-op run)."""
        if isinstance(expr, RefType):
            key = self.link(doc, expr) if expr.target is not None else self.qname(expr)
            if key is MISSING:
                if self.lenient:
                    return PrimitiveType(Primitive.ANY, expr.pos)
                key = None
            return evolve(expr, key=key)
        if isinstance(expr, UnknownType):
            if self.lenient:
                self.diags.warning(expr.pos, f"{expr.message}; {LENIENT_HINT}")
                return PrimitiveType(Primitive.ANY, expr.pos)
            self.diags.error(expr.pos, expr.message, lenient=True)
            return expr
        if isinstance(expr, (ArrayType, StreamType, NullableType)):
            item = self.type(doc, expr.item)
            return expr if item is expr.item else evolve(expr, item=item)
        if isinstance(expr, MapType):
            value = self.type(doc, expr.value)
            return expr if value is expr.value else evolve(expr, value=value)
        if isinstance(expr, UnionType):
            members = tuple(self.type(doc, m) for m in expr.members)
            if all(a is b for a, b in zip(members, expr.members, strict=True)):
                return expr
            return evolve(expr, members=members)
        return expr

    def doc(self, doc: Doc) -> Doc:
        if isinstance(doc, ObjectDoc):
            fields = []
            for spec in doc.fields:
                resolved = self.type(doc, spec.type)
                fields.append(spec if resolved is spec.type else evolve(spec, type=resolved))
            if all(a is b for a, b in zip(fields, doc.fields, strict=True)):
                return doc
            return evolve(doc, fields=tuple(fields))
        if isinstance(doc, UnionDoc):
            members = tuple(evolve(m, type=self.type(doc, m.type)) for m in doc.members)
            return evolve(doc, members=members)
        assert isinstance(doc, EnumDoc)
        return doc
