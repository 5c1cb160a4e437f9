"""The dialects: how each SDK language writes the same model pages.

Speakeasy publishes one page per model for every SDK language; the page skeleton (title,
preamble, `## Fields` / `## Values` / `## Supported Types`, tables) is shared and read
by `..document`, while each dialect has its own Type-cell grammar, union-member form,
platform words, date rules and optional/nullable markers (`base.Dialect`). `detect`
tells which dialect a doc set is written in.
"""

from __future__ import annotations

from .base import Dialect, EnumUsage, TypeSyntaxError
from .csharp import CSharpDialect
from .go import GoDialect
from .java import JavaDialect
from .php import PhpDialect
from .python import PythonDialect
from .ruby import RubyDialect
from .typescript import TypeScript

# In order of preference, where several dialects read a doc set alike: TypeScript, the
# format's original dialect, first.
DIALECTS: dict[str, Dialect] = {
    d.name: d
    for d in (
        TypeScript(),
        PythonDialect(),
        GoDialect(),
        CSharpDialect(),
        PhpDialect(),
        RubyDialect(),
        JavaDialect(),
    )
}
NAMES = tuple(DIALECTS)
DEFAULT = "typescript"

__all__ = ["DEFAULT", "DIALECTS", "NAMES", "Dialect", "EnumUsage", "TypeSyntaxError"]
