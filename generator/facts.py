"""What a run found of the whole doc set, kept in the cache for the runs after it (see
incremental.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .merge import DocSet
from .records import frozen
from .resolve import Package


@frozen
class Facts:
    """What a run found of the whole doc set, for the runs after it."""

    package: Package  # without its docs (nor their fingerprints: made of each page's hash)
    shapes: Mapping[str, str]  # doc key -> its shape digest
    titles: Mapping[str, str]  # doc key -> its title, for links by name
    failed: frozenset[str]  # pages with errors
    skipped: frozenset[str]  # pages that document no model


def facts_of(package: Package, docs: DocSet) -> Facts:
    return Facts(replace(package, docs={}, fingerprints={}, wire=replace(package.wire, records=())),
                 docs.shapes,
                 {key: doc.title for key, doc in package.docs.items()}, docs.failed,
                 docs.skipped)
