"""Frozen dataclasses, made without compiling a method until one is needed.

For each class, `dataclass` writes the source of every method it adds and compiles it: some
0.1 ms apiece, six methods per frozen class, and a run with work loads some 60 such classes
(a tenth of a one-page change's time), most of which it never makes an instance of (it reads
them from the cache: unpickling calls no `__init__`). Here `dataclass` only gathers the
fields; `__init__` is compiled when the class is first called, as `dataclass` writes it; the
other methods are the same few functions for every class: equality, hashing, ordering and
the repr read the fields `dataclass` would (those with `compare` or `repr` set), in the same
order, and assigning or deleting a field raises `FrozenInstanceError`, so they answer as its
methods do.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

Class = TypeVar("Class", bound=type)
_FACTORY = object()  # a field with a default factory that `__init__` was not given


def _values(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving an instance's values of `names`, as a tuple."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        name = names[0]
        return lambda self: (getattr(self, name),)
    return lambda self: ()


def _init_of(cls: type) -> Callable[..., None]:
    """The `__init__` that `dataclass(frozen=True)` writes for `cls`."""
    names: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    params, body = ["self"], []
    for spec in fields(cls):
        if spec.default_factory is not MISSING:
            names[f"_make_{spec.name}"] = spec.default_factory
            if spec.init:
                params.append(f"{spec.name}=_FACTORY")
                body.append(f"{spec.name} = _make_{spec.name}() if {spec.name} is _FACTORY "
                            f"else {spec.name}")
            else:
                body.append(f"{spec.name} = _make_{spec.name}()")
        elif not spec.init:
            continue  # its default stays the class's
        elif spec.default is not MISSING:
            names[f"_default_{spec.name}"] = spec.default
            params.append(f"{spec.name}=_default_{spec.name}")
        else:
            params.append(spec.name)
        body.append(f"_set(self, {spec.name!r}, {spec.name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__({', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, names)  # made of field names alone, as `dataclass` makes it
    init: Callable[..., None] = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    return init


def _complete(cls: Class, order: bool) -> Class:
    undocumented = cls.__doc__ is None
    if undocumented:  # else `dataclass` writes one from the signature: slow without __init__
        cls.__doc__ = " "
    dataclass(eq=False, repr=False, init=False)(cls)  # the fields alone: nothing compiled
    if undocumented:
        cls.__doc__ = None
    every: tuple[Field[Any], ...] = fields(cls)
    if any(spec.kw_only is True for spec in every):
        raise TypeError(f"{cls.__qualname__}: keyword-only fields are not supported")
    names = frozenset(spec.name for spec in every)
    made: Any = cls  # (mypy: `super` of a type variable)
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

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init = _init_of(cls)  # compiled on first use, then called directly
        setattr(cls, "__init__", init)  # noqa: B010 (mypy: assigning to a method)
        init(self, *args, **kwargs)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is made or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(made, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is made or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(made, self).__delattr__(name)

    methods: dict[str, Callable[..., Any]] = {
        "__init__": __init__, "__setattr__": __setattr__, "__delattr__": __delattr__,
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
