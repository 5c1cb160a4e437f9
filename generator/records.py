"""Frozen dataclasses, made with half the code `dataclass` compiles for them.

For each class, `dataclass` writes the source of every method it adds and compiles it: some
0.1 ms apiece, six methods per frozen class, and a run with work loads some 60 such classes
(a tenth of a one-page change's time). Here only `__init__`, `__setattr__` and `__delattr__`
are compiled, as `dataclass(frozen=True)` makes them; equality, hashing, ordering and the
repr are the same few functions for every class, reading the fields `dataclass` would (those
with `compare` or `repr` set), in the same order, so they answer as its methods do.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

Class = TypeVar("Class", bound=type)


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving an instance's values of `names`, as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        name = names[0]
        return lambda self: (getattr(self, name),)
    return lambda self: ()


def _complete(cls: Class, order: bool) -> Class:
    dataclass(frozen=True, eq=False, repr=False)(cls)  # in place: no slots
    every: tuple[Field[Any], ...] = fields(cls)
    key = _values(tuple(f.name for f in every if f.compare))
    shown = tuple(f.name for f in every if f.repr)

    def __hash__(self: Any) -> int:
        return hash(key(self))

    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{self.__class__.__qualname__}({values})"

    def compared(operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def method(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return operation(key(self), key(other))
            return NotImplemented
        return method

    methods: dict[str, Callable[..., Any]] = {
        "__eq__": compared(operator.eq), "__hash__": __hash__, "__repr__": __repr__}
    if order:
        methods.update(__lt__=compared(operator.lt), __le__=compared(operator.le),
                       __gt__=compared(operator.gt), __ge__=compared(operator.ge))
    for name, method in methods.items():
        if name in vars(cls):  # written by the class itself
            continue
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def frozen(cls: Class) -> Class:
    """`@dataclass(frozen=True)`, with the same methods."""
    return _complete(cls, order=False)


@dataclass_transform(frozen_default=True, order_default=True, field_specifiers=(field,))
def ordered(cls: Class) -> Class:
    """`@dataclass(frozen=True, order=True)`, with the same methods."""
    return _complete(cls, order=True)
