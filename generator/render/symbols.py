"""A module's names: what it defines, what it imports and under which local names, and the
import block as isort (and ruff) order it.

One namespace per module: the class it defines, its attributes (a class attribute named like
an annotation's name breaks pydantic's reading of that annotation) and everything it imports.
A name already taken is imported under an alias (`from pydantic import Field as Field_` in a
module whose model is titled `Field`), so no title can shadow an import. Names are decided
when the context is built; an import is written only if the template used the name, so a
custom template can leave none missing or unused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..naming import BUILTINS

_STDLIB = frozenset({"builtins", "dataclasses", "datetime", "enum", "importlib", "typing"})


@dataclass
class Symbols:
    """The names of one generated module (`module`: its path inside the package)."""

    module: tuple[str, ...]
    # local name -> (source module, name); source "builtins" for builtins
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    # local name -> (module path, class name) of the package's own models
    models: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    deferred: set[str] = field(default_factory=set)  # local names imported at the end
    reserved: set[str] = field(default_factory=set)  # defined by the module itself
    used: set[str] = field(default_factory=set)  # local names the rendered text uses

    def reserve(self, names: Iterable[str]) -> None:
        self.reserved.update(names)

    def _free(self, name: str) -> str:
        local = name
        while local in self.reserved or local in self.names or local in self.models:
            local += "_"
        return local

    def local(self, name: str) -> str:
        """A module-level name the module defines itself, free of every other name."""
        local = self._free(name)
        self.reserved.add(local)
        return local

    def find(self, source: str, name: str) -> str | None:
        for local, imported in self.names.items():
            if imported == (source, name):
                return local
        return None

    def name(self, source: str, name: str) -> str:
        """The local name of `name` from `source` (a library or a relative module)."""
        found = self.find(source, name)
        if found is None:
            found = self._free(name)
            self.names[found] = (source, name)
        return found

    def use(self, source: str, name: str) -> str:
        """`name` as the rendered text uses it: imported."""
        local = self.name(source, name)
        self.used.add(local)
        return local

    def model(self, module: tuple[str, ...], name: str, deferred: bool = False) -> str:
        """The local name of class `name` of `module`. A deferred import goes at the end of
        the module: that is how modules on a reference cycle import each other. A model is
        never imported under a builtin's name: while its import is deferred, its annotations
        would read the builtin."""
        for local, imported in self.models.items():
            if imported == (module, name):
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

    # -- the import block ---------------------------------------------------------------------

    def statements(self, deferred: bool = False) -> list[list[tuple[str, list[str]]]]:
        """The import statements, grouped as isort groups them: standard library, third
        party, this package (farthest first); `(module, names)` each. With `deferred`, only
        the imports that go at the end."""
        if deferred:
            return [sorted(self._model_statements(True), key=_package_order)] \
                if any(local in self.used for local in self.deferred) else []
        by_source: dict[str, list[str]] = {}
        for local, (source, name) in self.names.items():
            if local not in self.used or (source == "builtins" and local == name):
                continue  # unused, or a builtin under its own name: no import
            by_source.setdefault(source, []).append(name if local == name else
                                                    f"{name} as {local}")
        stdlib = sorted((s for s in by_source if s in _STDLIB), key=module_order)
        third = sorted((s for s in by_source if s not in stdlib and not s.startswith(".")),
                       key=module_order)
        groups = []
        for sources in (stdlib, third):
            group = [statement for s in sources for statement in _statements(s, by_source[s])]
            if group:
                groups.append(group)
        package = [statement for s in by_source if s.startswith(".")
                   for statement in _statements(s, by_source[s])]
        package += self._model_statements(False)
        if package:
            groups.append(sorted(package, key=_package_order))
        return groups

    def _model_statements(self, deferred: bool) -> list[tuple[str, list[str]]]:
        result = []
        for local, (module, name) in self.models.items():
            if local not in self.used or (local in self.deferred) != deferred:
                continue
            result.append((self.relative(module), [name if local == name else
                                                   f"{name} as {local}"]))
        return result


def _statements(source: str, names: list[str]) -> list[tuple[str, list[str]]]:
    """`from source import ...` statements for `names`: the plain ones together, each aliased
    one alone, ordered by first name (isort's default, `combine_as_imports` off)."""
    plain = sorted((n for n in names if " as " not in n), key=name_order)
    statements = [(source, [n]) for n in names if " as " in n]
    if plain:
        statements.append((source, plain))
    return sorted(statements, key=lambda item: name_order(item[1][0]))


def _package_order(item: tuple[str, list[str]]) -> tuple[object, ...]:
    """Relative modules, farthest first (`..a` before `.b`), then by name."""
    module = item[0]
    dots = len(module) - len(module.lstrip("."))
    return -dots, module_order(module), name_order(item[1][0])


def module_order(module: str) -> Natural:
    """How isort (and ruff) order module names: naturally, ignoring case."""
    return _natural(module.lower())


def _kind(name: str) -> int:
    """isort's `order_by_type`: CONSTANTS (two characters or more), Classes, the rest."""
    return 0 if len(name) > 1 and name.isupper() else 1 if name[:1].isupper() else 2


Natural = tuple[tuple[str, int], ...]


@lru_cache(maxsize=1024)  # the same names are ordered in module after module
def _natural(text: str) -> Natural:
    """Natural order: `Model2` before `Model10`."""
    parts = re.split(r"(\d+)", text)
    numbers = [*parts[1::2], ""]
    return tuple((part, int(number or 0))
                 for part, number in zip(parts[::2], numbers, strict=True))


def name_order(name: str) -> tuple[int, Natural, Natural]:
    """How isort (and ruff) order imported names: by type, then naturally, ignoring case."""
    bare = name.split(" as ")[0]
    return _kind(bare), _natural(bare.lower()), _natural(bare)


def dunder_all_order(name: str) -> tuple[int, Natural]:
    """How ruff orders `__all__` (RUF022): by type, then naturally, minding case."""
    return _kind(name), _natural(name)
