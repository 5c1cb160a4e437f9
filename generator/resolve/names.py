"""Where every doc lives in the generated package, and the Python name of its class."""

from __future__ import annotations

from collections.abc import Mapping

from ..diagnostics import Diagnostics
from ..ir import Doc
from ..naming import class_name, module_name, package_name


def place(docs: Mapping[str, Doc], diags: Diagnostics
          ) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """Module paths and class names by doc key. Titles are exported by name from their
    namespace's package, so they must be unique there; a title Python cannot use as a class
    name (`None`, `class`) gets another name, with a warning."""
    modules: dict[str, tuple[str, ...]] = {}
    names: dict[str, str] = {}
    titles: dict[tuple[tuple[str, ...], str], Doc] = {}
    placed: list[Doc] = []
    taken_names = {(doc.namespace, doc.title) for doc in docs.values()}
    for doc in docs.values():
        first = titles.setdefault((doc.namespace, doc.title), doc)
        if first is not doc:
            diags.error(doc.pos, f"duplicate title {doc.title!r} in this namespace "
                        f"(also in {first.pos})")
            continue
        name = class_name(doc.title)
        if name != doc.title:
            while (doc.namespace, name) in taken_names:
                name += "_"
            taken_names.add((doc.namespace, name))
            diags.warning(doc.pos, f"title {doc.title!r} cannot name a Python class: the "
                          f"class is named {name!r}")
        names[doc.key] = name
        placed.append(doc)
    # A module's name must differ from every class its package exports (importing the module
    # sets an attribute of that name on the package), from the package's folders, and from
    # the other modules (`DateTime` and `datetime`): the first in key order keeps the plain
    # name, the others take a `_` suffix.
    packages = _packages({doc.namespace[: i + 1] for doc in docs.values()
                          for i in range(len(doc.namespace))})
    taken = set(packages.values()) | {(*packages.get(docs[key].namespace, ()), name)
                                      for key, name in names.items()}
    for doc in placed:
        module = packages.get(doc.namespace, ()) + (module_name(doc.title),)
        while module in taken:
            module = (*module[:-1], module[-1] + "_")
        taken.add(module)
        modules[doc.key] = module
    return modules, names


def _packages(folders: set[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """The package path of each folder of the specs (see `package_name`); folders that
    would share one (`Models` and `models`) take a `_` suffix, after the first in order."""
    found: dict[tuple[str, ...], tuple[str, ...]] = {}
    taken: set[tuple[str, ...]] = set()
    for folder in sorted(folders, key=lambda path: (len(path), path)):
        path = (*found.get(folder[:-1], ()), package_name(folder[-1]))
        while path in taken:
            path = (*path[:-1], path[-1] + "_")
        taken.add(path)
        found[folder] = path
    return found
