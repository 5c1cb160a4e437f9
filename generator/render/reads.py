"""What rendering one module read of the package, so a later run knows whether the module it
rendered then is still right.

Rendering reads the package through recording views: every doc it looks at (compared later by
fingerprints: the module's own doc by its page's bytes, the others by their shape, as no
module shows another doc's descriptions or positions; both with the shapes of the docs they
refer to), the form of each doc it refers to (`Package.form`: a reference to an enum shows
whether it is a constant, not its values), and every fact of the whole set it consults (a
module path, a class name, a cycle, a null an example shows, a wire name the examples show).
A module rendered earlier can be reused when each of its reads gives the same value in the
new package.

A module's reads are kept pickled (`Reads`), made so where the module is rendered: a cold run
renders in worker processes, and the parent that saves the cache then copies bytes rather than
unpickling and pickling the logs of 11,000 modules again.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Container, Iterator, Mapping
from dataclasses import field, fields
from typing import Any, TypeVar

from ..records import frozen
from ..resolve import Form, Package
from ..resolve.wire import WireEvidence

K = TypeVar("K")
V = TypeVar("V")
Log = dict[tuple[str, Any], Any]
Reads = bytes  # a pickled Log


def packed(log: Log) -> Reads:
    return pickle.dumps(log, protocol=pickle.HIGHEST_PROTOCOL)


def unpacked(reads: Reads) -> Log:
    log: Log = pickle.loads(reads)
    return log

_ABSENT = "\0absent"


class _Recording(Mapping[K, V]):
    """A mapping that logs each key looked up, with the value `value(key)` stands for."""

    def __init__(self, data: Mapping[K, V], log: Log, what: str,
                 value: Callable[[Any], Any]) -> None:
        self._data, self._log, self._what, self._value = data, log, what, value

    def _note(self, key: Any) -> None:
        entry = (self._what, key)
        if entry not in self._log:  # read once, logged once: the value stands while rendering
            self._log[entry] = self._value(key)

    def __getitem__(self, key: K) -> V:
        self._note(key)
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        self._note(key)
        return key in self._data

    def get(self, key: K, default: Any = None) -> Any:
        self._note(key)
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[K]:
        raise TypeError("a module's rendering may not depend on every doc of the package")

    def __len__(self) -> int:
        return len(self._data)


class _DocRecording(_Recording[str, Any]):
    """The docs, logged by what a module may depend on: all of its own doc (its
    fingerprint), of the others their shape only (`shape_prints`)."""

    def __init__(self, package: Package, log: Log, own: str) -> None:
        super().__init__(package.docs, log, "doc", lambda key: None)
        self._own = own
        tables = _tables(package)
        self._own_table, self._others_table = tables["doc"], tables["shape"]

    def _note(self, key: Any) -> None:
        own = key == self._own
        entry = ("doc" if own else "shape", key)
        if entry not in self._log:
            table = self._own_table if own else self._others_table
            self._log[entry] = table.get(key, _ABSENT)


class _RecordingSet(frozenset[Any]):
    """A set that logs each membership test."""

    _log: Log
    _what: str

    def __new__(cls, data: frozenset[Any], log: Log, what: str) -> _RecordingSet:
        made = super().__new__(cls, data)
        made._log, made._what = log, what
        return made

    def __contains__(self, item: object) -> bool:
        found = super().__contains__(item)
        self._log[(self._what, item)] = found
        return found


@frozen
class _RecordingPackage(Package):
    """The package, with each doc's form (`Package.form`) logged as read on its own: a module
    that refers to an enum depends on whether it is a constant, not on its values."""

    source: Package | None = None
    log: Log = field(default_factory=dict)

    def form(self, key: str) -> Form:
        assert self.source is not None
        entry = ("form", key)
        found: Form | None = self.log.get(entry)
        if found is None:
            found = self.log[entry] = self.source.form(key)
        return found


def recording(package: Package, log: Log, own: str) -> Package:
    """A view of `package` that logs what is read of it into `log`, rendering the module of
    the doc keyed `own`."""
    tables = _tables(package)

    def value_of(what: str) -> Callable[[Any], Any]:
        table = tables.get(what)
        if table is not None:  # looked up directly, as `current` would
            return lambda key: table.get(key, _ABSENT)
        return lambda key: current(package, what, key)

    wire = WireEvidence(
        _Recording(package.wire.names, log, "wire", value_of("wire")),
        _Recording(package.wire.styles, log, "style", value_of("style")),
        _Recording(package.wire.irregular, log, "irregular", value_of("irregular")))
    views: dict[str, Any] = {
        "docs": _DocRecording(package, log, own),
        "modules": _Recording(package.modules, log, "module", value_of("module")),
        "class_names": _Recording(package.class_names, log, "class", value_of("class")),
        "cycle_of": _Recording(package.cycle_of, log, "cycle", value_of("cycle")),
        "null_in_examples": _RecordingSet(package.null_in_examples, log, "null"),
        "runtime_only": _RecordingSet(package.runtime_only, log, "runtime"),
        "wire": wire,
    }
    return _RecordingPackage(
        **{f.name: views.get(f.name, getattr(package, f.name)) for f in fields(Package)},
        source=package, log=log)


def folder_contents(package: Package, folder: tuple[str, ...]) -> tuple[Any, ...]:
    """What a package `__init__` shows of its folder: (class name, module) of each of its
    models, in key order, and the names of its submodules, sorted."""
    exports = tuple((package.class_name(doc), package.modules[key][-1])
                    for key, doc in package.docs.items() if package.modules[key][:-1] == folder)
    submodules = tuple(sorted({module[len(folder)] for module in package.modules.values()
                               if module[:len(folder)] == folder}))
    return exports, submodules


def current(package: Package, what: str, key: Any) -> Any:
    """What a logged read gives in `package`."""
    table = _tables(package).get(what)
    if table is not None:
        return table.get(key, _ABSENT)
    if what == "folder":
        return folder_contents(package, key)
    if what == "form":
        return package.form(key) if key in package.docs else _ABSENT
    if what == "null":
        return key in package.null_in_examples
    if what == "runtime":
        return key in package.runtime_only
    if what == "style":
        counts = package.wire.styles.get(key)
        return tuple(sorted(counts.items())) if counts else _ABSENT
    raise KeyError(what)


def _tables(package: Package) -> dict[str, Mapping[Any, Any]]:
    """The reads that are a table's entries, by kind: looked up directly, without `current`
    (a large run logs and checks hundreds of thousands)."""
    return {"doc": package.fingerprints, "shape": package.shape_prints,
            "module": package.modules, "class": package.class_names, "cycle": package.cycle_of,
            "wire": package.wire.names, "irregular": package.wire.irregular}


def still_true(reads: Reads, package: Package, before: Package | None = None,
               kept: frozenset[str] = frozenset(), standing: Container[str] = ()) -> bool:
    """Whether every one of a module's `reads` gives the same value in `package`. With
    `before` (the package they were last true of) and `kept` (the docs that are equal in
    both): a doc read whose hash changed, through docs it reaches, stands when the doc itself
    is kept and the read was true of `before`; the docs it reaches are read on their own, if
    at all. The forms of the docs `standing` (as they were when the module was rendered) are
    not looked up again."""
    tables = _tables(package)
    for (what, key), value in unpacked(reads).items():
        table = tables.get(what)
        if table is not None:
            found = table.get(key, _ABSENT)
        elif what == "form" and key in standing:
            continue
        else:
            found = current(package, what, key)
        if found != value and not (before is not None and what in ("doc", "shape")
                                   and key in kept and current(before, what, key) == value):
            return False
    return True


def renewed(reads: Reads, package: Package, standing: Container[str] = ()) -> Reads:
    """A module's `reads` as reading `package` gives them: for a module that `still_true`
    found right for `package` through `before` (its docs' hashes moved), so that the next
    change is checked against this package, not the one the module was rendered from. The
    forms of the docs `standing` are as they were."""
    return packed({read: value if read[0] == "form" and read[1] in standing
                   else current(package, *read) for read, value in unpacked(reads).items()})
