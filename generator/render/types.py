"""How a kind of model spells the Python-side types (semantics.py) as annotations.

Each kind names its own scalars (pydantic's strict `bool`, its date-time that writes JSON in the
docs' form; a TypedDict's dates are the wire's strings); the shape of the spelling is shared.
An annotation is `Code`: text, and the names it uses, marked as used (so imported) only when a
template writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..pysyntax import python_literal, string_literal
from ..records import frozen
from ..resolve import Package
from .semantics import (
    AnyOf,
    Constant,
    DictOf,
    ListOf,
    Model,
    OrNone,
    PyType,
    Scalar,
    takes_anything,
)
from .symbols import Symbols

RUNTIME = "<runtime>"  # stands for the package's runtime module, relative to each module
LONG_UNION = 64  # members beyond which a union is written in parenthesised groups


@frozen
class Profile:
    """A kind's spelling of scalars: scalar name -> the (module, name) pairs of its parts
    (`number` is `int | float`); module RUNTIME is the package's own runtime module."""

    scalars: Mapping[str, tuple[tuple[str, str], ...]]
    # Unions with an `Any` member read left to right (pydantic's smart mode may take `Any`
    # for data a model before it reads).
    ordered_any_unions: bool = False
    # Attributes are the wire names themselves (a TypedDict's keys): the module's other names
    # keep clear of them.
    wire_attributes: bool = False


class Code:
    """Generated text that uses some of its module's names; writing it (`str()`, as Jinja
    does) marks them used, so the module imports exactly what its text uses."""

    __slots__ = ("text", "names", "symbols")

    def __init__(self, text: str, names: frozenset[str], symbols: Symbols) -> None:
        self.text = text
        self.names = names
        self.symbols = symbols

    def __str__(self) -> str:
        self.symbols.used.update(self.names)
        return self.text

    def __repr__(self) -> str:
        return f"Code({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Code) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


class Speller:
    """Spells types for one module of one kind."""

    def __init__(self, symbols: Symbols, profile: Profile, package: Package,
                 runtime: str, alias_of: Callable[[str], PyType | None] = lambda key: None
                 ) -> None:
        self.symbols = symbols
        self.profile = profile
        self.package = package
        self.runtime = runtime  # the runtime module, relative to this module
        self.alias_of = alias_of  # what a union doc's alias stands for (Planner.alias_of)
        self._names: set[str] = set()

    def name(self, source: str, name: str) -> str:
        local = self.symbols.name(self.runtime if source == RUNTIME else source, name)
        self._names.add(local)
        return local

    def code(self, text: str) -> Code:
        """`text`, using the names spelled since the last call."""
        names, self._names = frozenset(self._names), set()
        return Code(text, names, self.symbols)

    def annotation(self, py: PyType) -> Code:
        return self.code(self.text(py))

    def text(self, py: PyType) -> str:
        if isinstance(py, Scalar):
            return " | ".join(self.name(module, name)
                              for module, name in self.profile.scalars[py.name])
        if isinstance(py, Constant):
            values = ", ".join(python_literal(v) for v in py.values)
            return f"{self.name('typing', 'Literal')}[{values}]"
        if isinstance(py, Model):
            local = self.model(py)
            return local if local is not None else self.package.class_name_of(py.key)
        if isinstance(py, ListOf):
            return f"{self.name('builtins', 'list')}[{self.text(py.item)}]"
        if isinstance(py, DictOf):
            key = self.name("builtins", "str")
            return f"{self.name('builtins', 'dict')}[{key}, {self.text(py.value)}]"
        if isinstance(py, OrNone):
            return f"{self.text(py.item)} | None"
        assert isinstance(py, AnyOf)
        if not (self.profile.ordered_any_unions and any(map(takes_anything, py.members))):
            return _joined([self.text(m) for m in py.members])
        # A member that reads anything (`Any`, or a union holding it) would take data a model
        # fits: the others are tried first, among themselves as pydantic's smart mode picks
        # (the model the data fits best), and it last.
        field, annotated = self.name("pydantic", "Field"), self.name("typing", "Annotated")
        exact_types = tuple(m for m in py.members if not takes_anything(m))
        exact = [self.text(m) for m in exact_types]
        loose = [self.text(m) for m in py.members if takes_anything(m)]
        if not exact:  # all read anything: nothing to order (and `Any | Any` is one `Any`)
            return _joined(loose)
        if len(exact) > 1 and len(self.runtime_types(AnyOf(exact_types))) > 1:
            exact = [f'{annotated}[{_joined(exact)}, {field}(union_mode="smart")]']
        return f'{annotated}[{_joined(exact + loose)}, {field}(union_mode="left_to_right")]'

    def runtime_types(self, py: PyType) -> frozenset[object]:
        """The distinct types `py` is made of at run time, as `typing` makes a union of them:
        a union alias stands for its members (a union inside a union is flattened) and equal
        types are one. `Literal[""] | A` with `A = Literal[""]` is no union at all, and
        pydantic can give no union mode to it."""
        if isinstance(py, Model):
            alias = None if py.cyclic else self.alias_of(py.key)
            return self.runtime_types(alias) if alias is not None else frozenset({py.key})
        if isinstance(py, AnyOf):
            return frozenset().union(*(self.runtime_types(m) for m in py.members))
        if isinstance(py, OrNone):
            return self.runtime_types(py.item) | {None}
        if isinstance(py, Scalar):
            return frozenset(self.profile.scalars[py.name])
        if isinstance(py, Constant):  # `Literal["a", "b"] == Literal["b", "a"]`; 1 is no True
            return frozenset({("Literal", frozenset((type(v), v) for v in py.values))})
        if isinstance(py, ListOf):
            return frozenset({("list", self.runtime_types(py.item))})
        assert isinstance(py, DictOf)
        return frozenset({("dict", self.runtime_types(py.value))})

    def model(self, py: Model) -> str | None:
        """The local name of a referenced model; None for the module's own class."""
        module = self.package.modules[py.key]
        if module == self.symbols.module:
            return None
        local = self.symbols.model(module, self.package.class_name_of(py.key),
                                   deferred=py.cyclic)
        self._names.add(local)
        return local

    def literal(self, value: object) -> Code:
        return self.code(python_literal(value))

    def string(self, text: str) -> Code:
        return self.code(string_literal(text))


def _joined(members: list[str]) -> str:
    """`A | B | ...`. A long chain of `|` is deeper than type checkers parse (pyright stops at
    256 levels): groups of groups keep it shallow, where `Union[...]` would be flat but is
    what linters rewrite (UP007) into the chain."""
    while len(members) > LONG_UNION:
        members = [f"({' | '.join(members[i:i + LONG_UNION])})"
                   for i in range(0, len(members), LONG_UNION)]
    return " | ".join(members)
