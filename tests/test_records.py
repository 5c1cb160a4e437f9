"""`records.frozen` and `records.ordered` answer as `dataclass(frozen=True)` does."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from specgen_md.ir import EnumValue, ObjectDoc, Position, Primitive, PrimitiveType
from specgen_md.records import frozen, ordered


def pair(decorate: Any, order: bool) -> tuple[type, type]:
    """The same class made by `decorate` and by `dataclass`."""
    made = []
    for make in (decorate, dataclass(frozen=True, order=order)):
        class Point:
            """A point."""

            x: int
            name: str = "a"
            tag: tuple[int, ...] = ()
            at: int = field(default=0, compare=False)
            secret: str = field(default="", repr=False)

        made.append(make(Point))
    return made[0], made[1]


values = st.tuples(st.integers(-2, 2), st.sampled_from(["a", "b", "é'\"\n"]),
                   st.lists(st.integers(0, 2), max_size=2).map(tuple), st.integers(0, 2),
                   st.sampled_from(["", "s"]))


ORDERED, DATACLASS = pair(ordered, order=True)


@settings(max_examples=200)
@given(values, values)
def test_the_same_answers_as_dataclass(first: tuple[Any, ...], second: tuple[Any, ...]) -> None:
    ours, theirs = ORDERED, DATACLASS
    a, b, c, d = ours(*first), ours(*second), theirs(*first), theirs(*second)
    assert repr(a) == repr(c).replace(theirs.__qualname__, ours.__qualname__)
    assert (a == b) == (c == d)
    assert hash(a) == hash(c)  # the very value: a hash of the compared fields' tuple
    for compare in ("__lt__", "__le__", "__gt__", "__ge__"):
        assert getattr(a, compare)(b) == getattr(c, compare)(d)
    assert sorted([b, a]) == sorted([a, b])


def test_compare_false_fields_are_left_out() -> None:
    ours, _ = pair(frozen, order=False)
    assert ours(1, at=1) == ours(1, at=2)
    assert hash(ours(1, at=1)) == hash(ours(1, at=2))
    assert ours(1) != ours(2)
    assert ours(1).__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        _ = ours(1) < ours(2)  # not ordered


def test_frozen_and_still_a_dataclass() -> None:
    ours, _ = pair(frozen, order=False)
    point = ours(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x
    assert dataclasses.replace(point, x=3) == ours(3)
    assert [f.name for f in dataclasses.fields(ours)] == ["x", "name", "tag", "at", "secret"]
    assert "secret" not in repr(ours(1, secret="hidden"))


def test_other_classes_are_not_equal() -> None:
    """Two classes with the same fields compare unequal, as dataclasses do."""
    ours, _ = pair(frozen, order=False)
    other, _ = pair(frozen, order=False)
    assert ours(1) != other(1)


def test_schema_nodes() -> None:
    """The schema's nodes: positions left out of equality, copies that pickle to equals."""
    here, there = Position("a.md", 1, 2), Position("b.md", 3, 4)
    assert PrimitiveType(Primitive.STRING, here) == PrimitiveType(Primitive.STRING, there)
    assert PrimitiveType(Primitive.STRING, here) != PrimitiveType(Primitive.ANY, here)
    assert Position("a.md", 1, 2) < Position("a.md", 2, 1) < Position("b.md", 1, 1)
    value = EnumValue("x", here, "X")
    assert pickle.loads(pickle.dumps(value)) == value
    assert repr(here) == "Position(path='a.md', line=1, col=2)"
    assert ObjectDoc.__eq__.__qualname__ == "ObjectDoc.__eq__"


def test_init_as_dataclass_writes_it() -> None:
    """`__init__`, compiled on first use: positional and keyword arguments, defaults, a
    fresh value from each default factory, fields left out of `__init__`, `__post_init__`,
    and the errors of a call that does not fit."""
    made: list[Any] = []
    for make in (frozen, dataclass(frozen=True)):
        class Box:
            """A box."""

            size: int
            label: str = "box"
            items: list[int] = field(default_factory=list)
            seen: dict[str, int] = field(default_factory=dict, init=False)
            area: int = field(default=0, init=False)

            def __post_init__(self) -> None:
                object.__setattr__(self, "area", self.size * self.size)

        made.append(make(Box))
    ours, theirs = made
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((2,), {}), ((3, "b"), {}), ((), {"size": 1, "items": [1]}), ((4,), {"label": "c"})]
    for args, kwargs in calls:
        a, b = ours(*args, **kwargs), theirs(*args, **kwargs)
        assert repr(a) == repr(b).replace(theirs.__qualname__, ours.__qualname__)
        assert (a.seen, a.area) == (b.seen, b.area)
    assert ours(1).items is not ours(1).items  # a fresh list each time
    calls = [((), {}), ((1, "a", [], 2), {}), ((1,), {"area": 2}), ((1,), {"size": 2})]
    for args, kwargs in calls:
        with pytest.raises(TypeError):
            theirs(*args, **kwargs)
        with pytest.raises(TypeError):
            ours(*args, **kwargs)
    assert ours.__init__.__qualname__ == f"{ours.__qualname__}.__init__"


def test_subclasses() -> None:
    """A record made from another has the fields of both, frozen; its base stays as it was."""
    @frozen
    class Base:
        """A base."""

        a: int
        b: str = "b"

    @frozen
    class Derived(Base):
        """Derived."""

        c: int = 0

    derived = Derived(1, "x", 2)
    assert (derived.a, derived.b, derived.c) == (1, "x", 2)
    assert Base(1) == Base(1, "b") != Derived(1, "b")
    assert repr(derived) == "test_subclasses.<locals>.Derived(a=1, b='x', c=2)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(derived, "a", 2)  # noqa: B010 (mypy: a frozen field)
    with pytest.raises(TypeError):
        cast(Any, Base)(1, "b", 3)
