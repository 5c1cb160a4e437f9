"""Edits that keep every doc's shape: a run that renders only the edited pages' modules.

Most edits to a doc set are prose: a description, an example's position, wording that
`ir.shape_digest` leaves out. Such an edit changes its page's module and no other (other
modules read a doc's shape only: see render/reads.py), and none of the facts of the whole set
(module paths, class names, cycles, the nulls and wire names examples show): they are made
from the docs' shapes. So a run with a cache keeps those facts (`Facts`), and the next run,
when each page edited since keeps its shape, parses only the edited pages, resolves them with
the docs they reach (parsed earlier: from the cache), and renders and writes their modules.

When in any doubt, the run does the whole job instead: a page added or removed, a shape or a
dialect's evidence changed, an edited page's warnings not the ones it had (or named by another
warning), facts that do not stand for the output on disk, a module that reads a doc it was not
expected to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .build import usable_options
from .cache import Cache
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, Severity
from .facts import Facts
from .format import format_sources
from .freshness import Specs, disk_matches, output_tag
from .ir import Doc
from .reading import Entry, entry_of, parse_one
from .resolve import doc_fingerprint, resolve
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


def _says(evidence: PageEvidence) -> tuple[Any, ...]:
    """What a page's dialect evidence says, wherever on the page it stands."""
    return (evidence.readable, evidence.likely,
            tuple((a.dialects, a.why) for a in evidence.against))


@dataclass(frozen=True)
class Edit:
    """What pages edited in their prose change: their modules' new text, and their warnings
    (the last run's others stand)."""

    files: dict[str, bytes]  # by path inside the package
    pages: frozenset[str]  # the edited pages, as the manifest writes warnings' paths
    warnings: list[Diagnostic]  # of the edited pages


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

    folders: dict[str, str] = {}
    base = os.path.abspath(config.package_dir)
    docs: dict[str, Doc] = {}
    new_entries: dict[Entry, tuple[Any, ...]] = {}
    stale: list[Entry] = []  # the edited pages' entries as the last run parsed them
    found: list[Diagnostic] = []  # the edited pages' warnings, as this run finds them
    shown_paths: dict[str, str] = {}  # the edited pages' shown paths -> in the manifest
    for spec in edited:
        entry = entry_of(spec, config, folders)
        shown_paths[entry[1]] = recorded_path(entry[1], base)
        earlier = cache.parsed.get((*entry[:2], manifest.specs[spec.key], entry[3]))
        data = contents(spec, Diagnostics())
        if earlier is None or data is None:
            raise _Unsure("not parsed before")
        doc, warnings, crash, evidence, shape = parse_one((data, *entry[:2], earlier[0].dialect))
        if (doc is None or crash or evidence is None or shape != facts.shapes.get(spec.key)
                or _says(evidence) != _says(earlier[2])):
            raise _Unsure("the page's shape changed")
        docs[spec.key] = doc
        found += warnings
        new_entries[entry] = (doc, warnings, evidence, shape)
        stale.append((*entry[:2], manifest.specs[spec.key], entry[3]))
    reached = set(docs)
    todo = list(docs)
    while todo:
        for key in facts.package.reaches.get(todo.pop(), ()):
            if key not in reached:
                reached.add(key)
                todo.append(key)
    if len(reached) > MOST_REACHED:
        raise _Unsure("too many docs reached")
    for key in sorted(reached - docs.keys()):
        earlier = cache.parsed.get(entry_of(current[key], config, folders))
        if earlier is None or earlier[3] != facts.shapes.get(key):  # another dialect's, say
            raise _Unsure("not parsed before as the facts say")
        docs[key] = earlier[0]
    local = Diagnostics()
    part = resolve(list(docs.values()), local, facts.failed, config.lenient, facts.skipped,
                   {}, facts.shapes, facts.titles)
    if part is None or local.has_errors:
        raise _Unsure("resolving the edited pages failed")
    found += [d for d in local.items if d.pos.path in shown_paths]
    _same_warnings(found, manifest, shown_paths)
    package = replace(facts.package, docs=_Reached(part.docs, facts.titles), fingerprints={
        key: doc_fingerprint(current[key].sha, facts.package.shape_prints.get(key, ""))
        for key in part.docs})
    options = usable_options(config)
    rendered = {}
    for spec in edited:
        path = "/".join(package.modules[spec.key]) + ".py"
        try:
            rendered[path] = render_doc(part.docs[spec.key], package, options, record=True)
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
    return Edit({path: text.encode("utf-8") for path, text in formatted.items()},
                frozenset(shown_paths.values()), found)


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
