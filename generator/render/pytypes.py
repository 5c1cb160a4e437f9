"""Python-side types, before any kind of model spells them: what a field or a union holds,
in Python's terms (a scalar, constants, another model, a list, a dict, a union, or null)."""

from __future__ import annotations

from ..records import frozen


@frozen
class Scalar:
    """`str`, `int`, `float`, `number` (int or float: TypeScript's `*number*`), `bool`, `any`,
    `date`, `datetime`."""

    name: str


@frozen
class Constant:
    """One or more literal values (`Literal["a", "b"]`)."""

    values: tuple[str | bool | int | float, ...]


@frozen
class Model:
    """Another doc's class: an object, enum or union (`key`); `cyclic` when the reference
    closes a cycle (imported last, written as a forward reference where needed)."""

    key: str
    cyclic: bool = False
    takes_anything: bool = False  # a union with `Any` among its members, however deep


@frozen
class ListOf:
    item: PyType


@frozen
class DictOf:
    value: PyType


@frozen
class AnyOf:
    """A union of members, constants merged into one `Constant` where the first stands."""

    members: tuple[PyType, ...]


@frozen
class OrNone:
    item: PyType


PyType = Scalar | Constant | Model | ListOf | DictOf | AnyOf | OrNone
ANY = Scalar("any")


def union_of(members: list[PyType]) -> PyType:
    """Members flattened and deduplicated, constants merged where the first constant stands;
    one member is itself. `Any` (or a union holding it) stays a member beside the others, last,
    so pydantic still reads data that fits a model as that model."""
    flat: list[PyType] = []
    for member in members:
        flat += member.members if isinstance(member, AnyOf) else [member]
    result: list[PyType] = []
    constants: list[str | bool | int | float] = []
    for member in dict.fromkeys(flat):
        if isinstance(member, Constant):
            if not constants:
                result.append(member)  # placeholder, replaced below
            constants += [v for v in member.values if v not in constants]
        else:
            result.append(member)
    merged = [Constant(tuple(constants)) if isinstance(m, Constant) else m for m in result]
    # `Any` last: on a tie pydantic takes the leftmost member that reads the data.
    merged = ([m for m in merged if not takes_anything(m)]
              + [m for m in merged if takes_anything(m)])
    return merged[0] if len(merged) == 1 else AnyOf(tuple(merged))


def takes_anything(py: PyType) -> bool:
    """Whether a member reads any data: `Any`, or a union that has it among its members."""
    return py == ANY or (isinstance(py, Model) and py.takes_anything)


def or_none(item: PyType) -> PyType:
    return item if item == ANY or isinstance(item, OrNone) else OrNone(item)
