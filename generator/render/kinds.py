"""The kinds of model specgen renders: each a template set (`templates/<kind>/`) and the way it
spells scalar types. The plans and contexts are the same for all of them."""

from __future__ import annotations

from .types import RUNTIME, Profile

_BUILTIN_SCALARS = {
    "str": (("builtins", "str"),),
    "int": (("builtins", "int"),),
    "float": (("builtins", "float"),),
    # `float` alone would turn 100 into 100.0: the docs do not say which they mean.
    "number": (("builtins", "int"), ("builtins", "float")),
    "any": (("typing", "Any"),),
    "date": (("datetime", "date"),),
}

KINDS: dict[str, Profile] = {
    "pydantic": Profile({
        **_BUILTIN_SCALARS,
        # Strict: JSON's true and false only. A lax bool would take "on" or "1", and let a
        # plain union pick the wrong member for a string.
        "bool": (("pydantic", "StrictBool"),),
        # A date-time written back as the docs write it (`...T07:07:24.821Z`).
        "datetime": ((RUNTIME, "DateTime"),),
    }),
}
DEFAULT_KIND = "pydantic"
