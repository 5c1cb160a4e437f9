"""The model kinds beside pydantic, checked against it: each reads the wire JSON the pydantic
models dump for the docs' examples, and writes it back unchanged.

- dataclass and msgspec: the package's runtime `from_wire` / `to_wire`;
- typeddict: the data is the TypedDict itself: `fits` checks it against the annotations, as a
  type checker would (required keys, literals, union members, JSON's kinds of scalar).
"""

from __future__ import annotations

import importlib
import sys
import types
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from specgen_md.build import build_package
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import UnionDoc
from specgen_md.pipeline import generate
from specgen_md.resolve import Package

KINDS = ("dataclass", "typeddict", "msgspec")


@dataclass
class RoundTrips:
    """What a kind made of the pydantic models' wire JSON."""

    models: int = 0  # modules imported
    examples: int = 0  # wire JSON documents (a validated example each)
    exact: int = 0  # read and written back unchanged
    failures: list[str] = field(default_factory=list)


@contextmanager
def importable(folder: Path, package: str) -> Iterator[None]:
    """`package` (under `folder`) importable for the duration; forgotten afterwards."""
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for module in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[module]


def generated(config: Config) -> Package:
    """Generate `config`'s package; the resolved specs it came from."""
    diags = Diagnostics()
    result = generate(config, diags)
    assert result.files is not None, "\n".join(map(str, diags.sorted()[:20]))
    package = build_package(config, Diagnostics())
    assert package is not None
    return package


def wire_json(config: Config, package: Package) -> dict[str, list[Any]]:
    """Doc key -> the JSON the pydantic models dump of each of its examples that validates
    (`model_dump(mode="json", by_alias=True, exclude_unset=True)`)."""
    result: dict[str, list[Any]] = {}
    with importable(config.out, config.package):
        for key, doc in package.docs.items():
            module = importlib.import_module(".".join((config.package, *package.modules[key])))
            adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, package.class_name(doc)))
            data = [doc.example.value] if doc.example is not None else []
            if isinstance(doc, UnionDoc):
                data += [m.example.value for m in doc.members if m.example is not None]
            for value in data:
                try:
                    parsed = adapter.validate_python(value)
                except ValueError:
                    continue
                result.setdefault(key, []).append(adapter.dump_python(
                    parsed, mode="json", by_alias=True, exclude_unset=True))
    return result


def _codec(kind: str, package: str) -> Callable[[Any, Any], Any]:
    """kind -> a function reading wire JSON as a type and writing it back."""
    if kind == "typeddict":
        def through(tp: Any, data: Any) -> Any:
            if not fits(tp, data, strict=False):
                raise ValueError("does not fit its TypedDict")
            return data
        return through
    runtime = importlib.import_module(f"{package}._runtime")
    return lambda tp, data: runtime.to_wire(runtime.from_wire(tp, data))


def round_trips(kind: str, config: Config, wire: dict[str, list[Any]]) -> RoundTrips:
    """Generate `config`'s specs as `kind` and pass each wire JSON document through them."""
    config = replace(config, model_kind=kind, package=f"{config.package}_{kind}")
    package = generated(config)
    found = RoundTrips()
    with importable(config.out, config.package):
        codec = _codec(kind, config.package)
        for key, doc in package.docs.items():
            name = ".".join((config.package, *package.modules[key]))
            try:
                module = importlib.import_module(name)
            except Exception as exc:  # reported with the page
                found.failures.append(f"{key}: import failed: {exc!r}")
                continue
            found.models += 1
            tp = getattr(module, package.class_name(doc))
            for data in wire.get(key, []):
                found.examples += 1
                try:
                    back = codec(tp, data)
                except Exception as exc:
                    found.failures.append(f"{key}: {data!r} not read: {exc!r}"[:2000])
                    continue
                if back == data and _same_types(back, data):
                    found.exact += 1
                else:
                    found.failures.append(f"{key}: {data!r} -> {back!r}"[:2000])
    return found


def _same_types(a: Any, b: Any) -> bool:
    """Equal data is not enough: 1 == 1.0 == True."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_types(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same_types, a, b))
    return True


def fits(tp: Any, value: Any, strict: bool = True) -> bool:
    """Whether JSON data fits a type of the typeddict kind; `strict`: a TypedDict does not
    take keys it does not name (union members are tried strictly first)."""
    if isinstance(tp, typing.ForwardRef):
        assert tp.__forward_module__ is not None
        tp = eval(tp.__forward_arg__, vars(sys.modules[tp.__forward_module__]))
    if tp is Any:
        return True
    if tp is None or tp is type(None):
        return value is None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Literal:
        return any(value == a and type(value) is type(a) for a in args)
    if origin is typing.Union or origin is types.UnionType:
        return any(fits(m, value, True) for m in args) or (
            not strict and any(fits(m, value, False) for m in args))
    if origin is list:
        return isinstance(value, list) and all(fits(args[0], v, strict) for v in value)
    if origin is dict:
        return isinstance(value, dict) and all(fits(args[1], v, strict)
                                               for v in value.values())
    if typing.is_typeddict(tp):
        if not isinstance(value, dict) or not tp.__required_keys__ <= value.keys():
            return False
        hints = typing.get_type_hints(tp)
        if strict and not value.keys() <= hints.keys():
            return False
        return all(fits(hints[k], v, strict) for k, v in value.items() if k in hints)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(tp, type) and isinstance(value, tp)
