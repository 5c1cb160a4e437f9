"""Edits that change no fact of the whole set: a run that renders only the modules they reach.

Most edits to a doc set are prose: a description, an example's position, wording that
`ir.shape_digest` leaves out. Such an edit changes its page's module and no other (other
modules read a doc's shape only: see render/reads.py), and none of the facts of the whole set
(module paths, class names, cycles, the nulls and wire names examples show): they are made
from the docs' shapes. So a run with a cache keeps those facts (`Facts`), and the next run,
when each page edited since keeps its shape, parses only the edited pages, resolves them with
the docs they reach (parsed earlier: each read from the cache when the examples, or a module,
first go through it), and renders and writes their modules.

An edit that changes a page's shape (a type, a value, a field) reaches the modules of the
pages that refer to it, directly or not, and could change facts of the whole set. The run
resolves those pages (with the docs they reach) twice, as they were and as they are: when
both give the same facts (references, cycles, nulls, runtime-only models, wire-name evidence
record by record) and the same warnings elsewhere, the rest of the set's facts stand, as no
other doc reaches a changed page; the modules of the pages that reach one are rendered again
where what they read changed, and the facts are kept with the new shapes. What a module read
is compared doc by doc: a doc that resolves as it did is unchanged for it, though its hash
(which follows the docs it reaches) moved; the docs it reaches were read on their own, if
at all (a module that names an enum does not read its values).

When in any doubt, the run does the whole job instead: a page added or removed, a title or a
dialect's evidence changed, a fact of the whole set changed, an edited page's warnings not the
ones it had (or named by another warning), facts that do not stand for the output on disk, a
module that reads a doc it was not expected to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .build import usable_options
from .cache import Cache
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, Severity
from .facts import Facts
from .format import format_sources
from .freshness import Specs, disk_matches, output_tag
from .ir import Doc, ObjectDoc
from .reading import Entry, entry_of, parse_one
from .records import frozen
from .resolve import Package, Part, doc_fingerprint, resolve
from .resolve.wire import spelled_apart
from .specfiles import SpecFile, contents
from .stats import StatIndex
from .write import Manifest, recorded_path

if TYPE_CHECKING:
    from .parse import PageEvidence

# Beyond this many edited pages (or docs they reach), the whole job is as quick.
MOST_PAGES = 32
MOST_REACHED = 2000


class _Unsure(Exception):
    """The edit is not what this path can vouch for: the whole job is done instead."""


class _Reached(Mapping[str, Doc]):
    """The docs the edited pages reach; asking for another doc of the set means a module
    depends on more than the facts say."""

    def __init__(self, docs: Mapping[str, Doc], every: Mapping[str, Any]) -> None:
        self._docs, self._every = docs, every

    def __getitem__(self, key: str) -> Doc:
        found = self._docs.get(key)
        if found is None:
            raise _Unsure(key) if key in self._every else KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        if key in self._docs:
            return True
        if key in self._every:
            raise _Unsure(key)
        return False

    def __iter__(self) -> Iterator[str]:
        raise _Unsure("every doc")

    def __len__(self) -> int:
        raise _Unsure("every doc")


class _Stored(Mapping[str, Doc]):
    """Docs of the set as the last run parsed them (`entries`: their parse cache entries),
    each read from the cache when first asked for: the examples of the docs an edit reaches
    read some of the docs these refer to, not all."""

    def __init__(self, cache: Cache, entries: dict[str, Entry],
                 shapes: Mapping[str, str]) -> None:
        self._cache, self._entries, self._shapes = cache, entries, shapes
        self._docs: dict[str, Doc] = {}

    def __getitem__(self, key: str) -> Doc:
        found = self._docs.get(key)
        if found is None:
            earlier = self._cache.parsed.get(self._entries[key])
            if earlier is None or earlier[0] is None or earlier[4] != self._shapes.get(key):
                raise _Unsure("not parsed before as the facts say")  # another dialect's, say
            found = self._docs[key] = earlier[0]
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


def _says(evidence: PageEvidence) -> tuple[Any, ...]:
    """What a page's dialect evidence says, wherever on the page it stands."""
    return (evidence.readable, evidence.likely,
            tuple((a.dialects, a.why) for a in evidence.against))


@frozen
class Edit:
    """What pages edited in their prose change: their modules' new text, and their warnings
    (the last run's others stand)."""

    files: dict[str, bytes]  # by path inside the package
    pages: frozenset[str]  # the edited pages, as the manifest writes warnings' paths
    warnings: list[Diagnostic]  # of the edited pages
    facts: Facts | None  # the whole set's facts, when a page's shape changed them


def edited_pages(config: Config, cache: Cache, specs: Specs, index: StatIndex) -> Edit | None:
    """What the pages edited since the last run change, when every such page keeps its shape
    (the rest of the output stands); None otherwise."""
    manifest = specs.manifest
    if (cache.path is None or len(config.spec_folders) != 1 or specs.unreadable
            or manifest.fingerprint != specs.fingerprint):
        return None
    current = {spec.key: spec for spec in specs.files}
    if current.keys() != manifest.specs.keys():
        return None
    edited = [spec for spec in specs.files if manifest.specs[spec.key] != spec.sha]
    if not edited or len(edited) > MOST_PAGES:
        return None
    facts = cache.facts(output_tag(manifest.specs))
    if not isinstance(facts, Facts) or not disk_matches(config.package_dir, manifest, index):
        return None
    try:
        return _render_edited(config, cache, facts, current, edited, manifest)
    except _Unsure:
        return None


def _render_edited(config: Config, cache: Cache, facts: Facts, current: Mapping[str, SpecFile],
                   edited: list[SpecFile], manifest: Manifest) -> Edit:
    from .render import render_doc  # looked up at each run: tests watch it
    from .render.reads import renewed, still_true

    folders: dict[str, str] = {}
    base = os.path.abspath(config.package_dir)
    docs: dict[str, Doc] = {}  # the edited pages' docs, as they are now
    before: dict[str, Doc] = {}  # and as the last run parsed them
    shapes: dict[str, str] = {}  # of the edited pages whose shape changed
    new_entries: dict[Entry, tuple[Any, ...]] = {}
    stale: list[Entry] = []  # the edited pages' entries as the last run parsed them
    found: list[Diagnostic] = []  # the edited pages' warnings, as this run finds them
    shown_paths: dict[str, str] = {}  # the edited pages' shown paths -> in the manifest
    for spec in edited:
        entry = entry_of(spec, config, folders)
        shown_paths[entry[1]] = recorded_path(entry[1], base)
        earlier = cache.parsed.get((*entry[:2], manifest.specs[spec.key], entry[3]))
        data = contents(spec, Diagnostics())
        if (earlier is None or earlier[0] is None or data is None
                or earlier[4] != facts.shapes.get(spec.key)):
            raise _Unsure("not parsed before as the facts say")
        result = parse_one((data, *entry[:2], earlier[0].dialect))
        doc, warnings, crash, evidence, shape = result
        if (doc is None or crash or evidence is None or shape is None
                or _says(evidence) != _says(earlier[3])):
            raise _Unsure("the page's dialect evidence changed")
        if shape != earlier[4]:
            if doc.title != facts.titles.get(spec.key):
                raise _Unsure("the page's title changed")
            if (config.fields or config.models) and _named(doc) != _named(earlier[0]):
                raise _Unsure("what the configuration may name changed")  # checked by all
            shapes[spec.key] = shape
        docs[spec.key] = doc
        before[spec.key] = earlier[0]
        found += warnings
        new_entries[entry] = result
        stale.append((*entry[:2], manifest.specs[spec.key], entry[3]))
    if shapes and config.wire_names == "auto" and facts.package.wire.style("") is None and any(
            spelled_apart(spec.name, doc.dialect) for doc in (*docs.values(), *before.values())
            if isinstance(doc, ObjectDoc) for spec in doc.fields):
        # The warning that wire names are guessed stands at the first field they are guessed
        # for (see build.py): a field of an edited page may now come first, or no longer
        raise _Unsure("the wire names are guessed")
    reaches = facts.package.reaches
    # The modules that may read what changed: the edited pages' own, and where a shape
    # changed, those of every doc that reaches one of them.
    affected = _closure(_reversed(reaches), docs) if shapes else set(docs)
    reached = _closure(reaches, affected)
    if len(reached) > MOST_REACHED:
        raise _Unsure("too many docs reached")
    def stored(keys: Iterable[str]) -> _Stored:
        return _Stored(cache, {key: entry_of(current[key], config, folders) for key in keys},
                       facts.shapes)

    unedited = stored(affected - docs.keys())  # the other modules that may read a change
    others = [unedited[key] for key in sorted(unedited)]
    local = Diagnostics()
    examples_of = _examples_of(facts.package.example_reads, affected, docs, shapes)
    split = Part(facts.titles, stored(reached - affected), facts.package.reaches,
                 facts.package.runtime_only, examples_of)
    part = _resolved([*others, *docs.values()], local, config, facts, shapes, split)
    shape_prints = facts.package.shape_prints
    last_package: Package | None = None  # the docs as they were, when a shape changed
    kept_docs: frozenset[str] = frozenset()  # the docs that resolve as they did
    if shapes:
        earlier_diags = Diagnostics()
        last = _resolved([*others, *before.values()], earlier_diags, config, facts, {},
                         split)  # the others are linked as they were just now
        _same_facts(last, part, affected, facts)
        if _elsewhere(earlier_diags, shown_paths) != _elsewhere(local, shown_paths):
            raise _Unsure("warnings of other pages changed")
        shape_prints = {**shape_prints, **{key: part.shape_prints[key] for key in affected}}
        last_package = replace(facts.package, docs=_Reached(last.docs, facts.titles),
                               fingerprints={key: doc_fingerprint(
                                   manifest.specs[key], facts.package.shape_prints.get(key, ""))
                                   for key in last.docs})
        kept_docs = frozenset(key for key in affected if last.docs[key] == part.docs[key])
    found += [d for d in local.items if d.pos.path in shown_paths]
    _same_warnings(found, manifest, shown_paths)
    package = replace(facts.package, docs=_Reached(part.docs, facts.titles),
                      shape_prints=shape_prints, fingerprints={
                          key: doc_fingerprint(current[key].sha, shape_prints.get(key, ""))
                          for key in part.docs})
    options = usable_options(config)
    standing = _Outside(affected)  # no edit reaches them: their docs are as they were
    rendered = {}
    kept_modules = {}  # modules that hold, with what they read of the package as it is now
    to_render: dict[str, str] = {}  # doc key -> its module's path
    for key in sorted(affected):
        path = "/".join(package.modules[key]) + ".py"
        if key not in docs:  # another page's module: rendered again unless it still holds
            earlier = cache.rendered.get(path)
            if earlier is not None and still_true(earlier[0], package, standing=standing):
                continue
            if earlier is not None and last_package is not None and still_true(
                    earlier[0], package, last_package, kept_docs, standing):
                kept_modules[path] = (renewed(earlier[0], package, standing), earlier[1])
                continue
        to_render[key] = path
    if examples_of is not None and not examples_of.issuperset(to_render):
        # A module rendered shows its doc's examples: those are read too (they say what they
        # said; the facts compared above stand)
        examples_of |= to_render.keys()
        part = _resolved([*others, *docs.values()], Diagnostics(), config, facts, shapes,
                         replace(split, examples_of=examples_of))
        package = replace(package, docs=_Reached(part.docs, facts.titles))
    for key, path in to_render.items():
        try:
            rendered[path] = render_doc(part.docs[key], package, options, record=True)
        except _Unsure:
            raise
        except Exception as exc:  # reported by the whole job, at its page
            raise _Unsure("rendering failed") from exc
    formatted, failures = format_sources(rendered, config.line_length, config.target_version)
    if failures:
        raise _Unsure("a module does not parse")
    for entry in stale:  # what the whole job would drop too: no run asks for them again
        cache.parsed.drop(entry)
    for entry, parsed in new_entries.items():
        cache.parsed.put(entry, parsed)
    for path, module in rendered.items():
        cache.rendered.put(path, (module.reads, formatted[path]))
    for path, kept_module in kept_modules.items():
        cache.rendered.put(path, kept_module)
    kept = None if not shapes else replace(
        facts, package=replace(facts.package, shape_prints=shape_prints,
                               example_reads=_renewed_reads(facts.package.example_reads,
                                                            part.example_reads, examples_of
                                                            or affected)),
        shapes={**facts.shapes, **shapes})
    return Edit({path: text.encode("utf-8") for path, text in formatted.items()},
                frozenset(shown_paths.values()), found, kept)


class _Outside(Container[str]):
    """The keys not among `keys`."""

    def __init__(self, keys: Container[str]) -> None:
        self._keys = keys

    def __contains__(self, key: object) -> bool:
        return key not in self._keys


def _examples_of(reads: Mapping[str, frozenset[str]], affected: set[str],
                 edited: Mapping[str, Doc], shapes: Mapping[str, str]) -> frozenset[str] | None:
    """The docs whose examples may say something new: the edited pages', and those whose
    reading looked up a doc whose shape changed (the others look up what they did, as it
    was); None for every doc, as when a lookup of no doc's examples read one."""
    if not shapes or not reads.get("", frozenset()).isdisjoint(shapes):
        return None
    return frozenset(edited).union(
        key for key in affected if not reads.get(key, frozenset()).isdisjoint(shapes))


def _renewed_reads(reads: Mapping[str, frozenset[str]], found: Mapping[str, frozenset[str]],
                   examined: Iterable[str]) -> dict[str, frozenset[str]]:
    """The whole set's example reads, those of the docs whose examples were read again as
    this run found them."""
    renewed = dict(reads)
    for key in examined:
        renewed.pop(key, None)
    renewed.update((key, keys) for key, keys in found.items() if key)
    return renewed


def _named(doc: Doc) -> tuple[bool, frozenset[str]]:
    """What `[tool.specgen.fields]` and `[tool.specgen.models]` may name of a doc: whether it
    is a model, and its fields."""
    if isinstance(doc, ObjectDoc):
        return True, frozenset(spec.name for spec in doc.fields)
    return False, frozenset()


def _resolved(docs: list[Doc], diags: Diagnostics, config: Config, facts: Facts,
              shapes: Mapping[str, str], split: Part) -> Package:
    """Some docs of the set resolved, the examples of `split.examined` read (see `resolve`'s
    `part`); unsure on any error, and when a doc refers to one not among them (a link added:
    it fails there)."""
    try:
        part = resolve(docs, diags, facts.failed, config.lenient, facts.skipped, {},
                       {**facts.shapes, **shapes}, split)
    except Exception as exc:  # the whole job reports it, if it is more than that
        raise _Unsure("resolving the edited pages failed") from exc
    if part is None or diags.has_errors:
        raise _Unsure("resolving the edited pages failed")
    return part


def _reversed(graph: Mapping[str, tuple[str, ...]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, targets in graph.items():
        for target in targets:
            found.setdefault(target, []).append(key)
    return found


def _closure(graph: Mapping[str, Sequence[str]], start: Iterable[str]) -> set[str]:
    """`start` and every doc it reaches in `graph`."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for key in graph.get(todo.pop(), ()):
            if key not in seen:
                seen.add(key)
                todo.append(key)
    return seen


def _same_facts(last: Package, part: Package, affected: set[str], facts: Facts) -> None:
    """Unsure unless the docs resolved again give the facts of the whole set that the last
    run's versions of them gave: the same references, cycles, nulls, runtime-only models and
    wire-name evidence (record by record, as the whole set's is made of each doc's). The
    other docs of the set give theirs as before: none of them reaches a changed page. And the
    docs that do not reach one keep their shape prints (the facts are of these docs)."""
    if (last.reaches != part.reaches or last.null_in_examples != part.null_in_examples
            or last.runtime_only != part.runtime_only or last.wire != part.wire
            or _cycles(last) != _cycles(part)):
        raise _Unsure("a fact of the whole set changed")
    if any(last.shape_prints[key] != facts.package.shape_prints.get(key)
           or (key not in affected and part.shape_prints[key] != last.shape_prints[key])
           for key in part.shape_prints):
        raise _Unsure("the facts are not of these docs")


def _cycles(package: Package) -> set[frozenset[str]]:
    """The reference cycles, as sets of doc keys (their numbers differ from the whole set's)."""
    by_number: dict[int, set[str]] = {}
    for key, number in package.cycle_of.items():
        by_number.setdefault(number, set()).add(key)
    return {frozenset(keys) for keys in by_number.values()}


def _elsewhere(diags: Diagnostics, shown_paths: Mapping[str, str]) -> list[Diagnostic]:
    """The diagnostics not on the edited pages, in order."""
    return sorted(d for d in diags.items if d.pos.path not in shown_paths)


def _same_warnings(found: list[Diagnostic], manifest: Manifest,
                   shown_paths: Mapping[str, str]) -> None:
    """Unsure unless the edited pages' warnings say what the last run's said of them, at
    their new places: the whole job could find more (one that looks at every doc, say), but
    none that the last run did not. No other warning may name an edited page (`... at
    page.md:12:3`): that place may have moved. Warnings are compared as the manifest keeps
    them, a set: one said twice at one place is kept once."""
    if any(d.severity is not Severity.WARNING for d in found):
        raise _Unsure("an edited page has errors")
    naming = re.compile("|".join(rf"(?<![\w./\\-]){re.escape(shown)}:\d"
                                 for shown in shown_paths))
    now = {(shown_paths[d.pos.path], d.message) for d in found}
    before = set()
    for path, _, _, message in manifest.warnings:
        if path in shown_paths.values():
            before.add((path, message))
        elif naming.search(message):
            raise _Unsure("a warning names an edited page")
    if any(naming.search(d.message) for d in found):
        raise _Unsure("a warning names an edited page")
    if now != before:
        raise _Unsure("the edited pages' warnings changed")
