"""The kinds of model specgen renders: each a template set (`templates/<kind>/`) and the way it
spells scalar types. The plans and contexts are the same for all of them."""

from __future__ import annotations

from .types import RUNTIME, Profile

_PLAIN = {
    "str": (("builtins", "str"),),
    "int": (("builtins", "int"),),
    "float": (("builtins", "float"),),
    "number": (("builtins", "int"), ("builtins", "float")),
    "bool": (("builtins", "bool"),),
    "any": (("typing", "Any"),),
    "date": (("datetime", "date"),),
    "datetime": (("datetime", "datetime"),),
}

KINDS: dict[str, Profile] = {
    "pydantic": Profile({
        "str": (("builtins", "str"),),
        # Strict scalars: JSON's numbers and booleans only. Lax ones would take "1" or "on",
        # and let a plain union read a string as the number or boolean member.
        "int": (("pydantic", "StrictInt"),),
        "float": (("pydantic", "StrictFloat"),),
        # `float` alone would turn 100 into 100.0: the docs do not say which they mean.
        "number": (("pydantic", "StrictInt"), ("pydantic", "StrictFloat")),
        "bool": (("pydantic", "StrictBool"),),
        "any": (("typing", "Any"),),
        "date": (("datetime", "date"),),
        # A date-time written back as the docs write it (`...T07:07:24.821Z`).
        "datetime": ((RUNTIME, "DateTime"),),
    }, ordered_any_unions=True),
    # Standard-library dataclasses; the runtime reads and writes wire JSON (strictly, as the
    # pydantic models do), date-times in the docs' form.
    "dataclass": Profile(_PLAIN),
    # The wire data itself: dates and date-times are the strings JSON carries.
    "typeddict": Profile({**_PLAIN, "date": (("builtins", "str"),),
                          "datetime": (("builtins", "str"),)}, wire_attributes=True),
    # msgspec.Struct: msgspec reads dates and date-times; the runtime writes them back.
    "msgspec": Profile(_PLAIN),
}
DEFAULT_KIND = "pydantic"
