"""Python names derived from spec names: modules, attributes, enum members."""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata
from string import ascii_uppercase

# Public attributes of pydantic's BaseModel (v2): a field must not shadow them. Written out, not
# read from the installed pydantic, so that the output does not depend on the machine; a test
# checks the list against the installed pydantic.
PYDANTIC_NAMES = frozenset({
    "construct", "copy", "dict", "from_orm", "json", "model_computed_fields", "model_config",
    "model_construct", "model_copy", "model_dump", "model_dump_json", "model_extra",
    "model_fields", "model_fields_set", "model_json_schema", "model_parametrized_name",
    "model_post_init", "model_rebuild", "model_validate", "model_validate_json",
    "model_validate_strings", "parse_file", "parse_obj", "parse_raw", "schema", "schema_json",
    "update_forward_refs", "validate",
})

# Python's builtins (3.10 to 3.14). A model imported under one of these names would hide the
# builtin, and while its import is deferred (a reference cycle) its annotations would read the
# builtin instead. Written out so that the output does not depend on the interpreter; a test
# checks the running one's builtins are all here.
BUILTINS = frozenset({
    "ArithmeticError", "AssertionError", "AttributeError", "BaseException",
    "BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
    "ChildProcessError", "ConnectionAbortedError", "ConnectionError", "ConnectionRefusedError",
    "ConnectionResetError", "DeprecationWarning", "EOFError", "Ellipsis", "EncodingWarning",
    "EnvironmentError", "Exception", "ExceptionGroup", "False", "FileExistsError",
    "FileNotFoundError", "FloatingPointError", "FutureWarning", "GeneratorExit", "IOError",
    "ImportError", "ImportWarning", "IndentationError", "IndexError", "InterruptedError",
    "IsADirectoryError", "KeyError", "KeyboardInterrupt", "LookupError", "MemoryError",
    "ModuleNotFoundError", "NameError", "None", "NotADirectoryError", "NotImplemented",
    "NotImplementedError", "OSError", "OverflowError", "PendingDeprecationWarning",
    "PermissionError", "ProcessLookupError", "PythonFinalizationError", "RecursionError",
    "ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
    "StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
    "SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError",
    "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
    "UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError",
    "_IncompleteInputError", "abs", "aiter", "all", "anext", "any", "ascii", "bin", "bool",
    "breakpoint", "bytearray", "bytes", "callable", "chr", "classmethod", "compile", "complex",
    "copyright", "credits", "delattr", "dict", "dir", "divmod", "enumerate", "eval", "exec",
    "exit", "filter", "float", "format", "frozenset", "getattr", "globals", "hasattr", "hash",
    "help", "hex", "id", "input", "int", "isinstance", "issubclass", "iter", "len", "license",
    "list", "locals", "map", "max", "memoryview", "min", "next", "object", "oct", "open", "ord",
    "pow", "print", "property", "quit", "range", "repr", "reversed", "round", "set", "setattr",
    "slice", "sorted", "staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip",
})

# Modules of the generated package that are not docs.
RESERVED_MODULES = frozenset({"__init__", "__main__", "_runtime"})

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_IDENT = re.compile(r"[^0-9A-Za-z_]+")
_NOT_A_WORD = re.compile(r"\W+")  # letters and digits of any script are a word's
_PUNCTUATION_WORDS = {
    "-": "MINUS", "+": "PLUS", ".": "DOT", "/": "SLASH", ":": "COLON", "*": "STAR",
    "@": "AT", "#": "HASH", "%": "PERCENT", "&": "AND", "=": "EQUALS", "~": "TILDE",
    "!": "BANG", "?": "QUESTION", "$": "DOLLAR", "^": "CARET", "<": "LT", ">": "GT",
    ",": "COMMA", ";": "SEMICOLON", "'": "QUOTE", '"': "DQUOTE", "(": "LPAREN", ")": "RPAREN",
    "[": "LBRACKET", "]": "RBRACKET", "{": "LBRACE", "}": "RBRACE", "|": "PIPE", "\\": "BACKSLASH",
}


# A number with a unit after a word starts a word of its own (`ephemeral1h` -> `ephemeral_1h`);
# a number alone (`sha256`, `p50`) or before another word (`b64Json`) stays with its letters.
_NUMBER_WITH_UNIT = re.compile(r"(?<=[A-Za-z])(?=[0-9]+[a-z])")


def snake_case(name: str, letters: re.Pattern[str] | None = None) -> str:
    """`jsonSchema` -> `json_schema`, `subMerchantID` -> `sub_merchant_id`, `HTTPMeta` ->
    `http_meta`, `ephemeral1hInputTokens` -> `ephemeral_1h_input_tokens`, `b64Json` ->
    `b64_json`, `sha256` -> `sha256`, `filter_` -> `filter`. What `letters` matches (by
    default: all but ASCII letters, digits and `_`) becomes `_`."""
    words = _NUMBER_WITH_UNIT.sub("_", _WORD_BOUNDARY.sub("_", name))
    return re.sub("_+", "_", (letters or _NOT_IDENT).sub("_", words)).strip("_").lower()


def class_name(title: str) -> str:
    """The Python class name for a doc title: the title itself, unless Python reserves it
    (keywords and constants such as `None`, dunder names, `annotations`, which `from
    __future__ import annotations` binds before a deferred import could); those take a `_`
    suffix."""
    if (keyword.iskeyword(title) or (title.startswith("__") and title.endswith("__"))
            or title == "annotations"):
        return title + "_"
    return title


@functools.lru_cache(maxsize=1 << 16)  # a doc set compares the same few names many times
def folded(name: str) -> str:
    """A name by its letters and digits, case-insensitive: how pages, fields, enum members
    and wire keys are matched (`ephemeral_1h` ~ `ephemeral1H`)."""
    return "".join(filter(str.isalnum, name.casefold()))


def wire_snake_case(name: str) -> str:
    """The snake_case wire name for a field's docs name: `createdAt` -> `created_at`. A name
    that is snake_case already keeps its underscores (`_shape`, `__class__`), except the
    `_` Python SDKs add to keywords and builtins (`filter_` -> `filter`)."""
    if name and all(c.islower() or c.isdigit() or c == "_" for c in name):
        bare = name[:-1]
        if name.endswith("_") and not bare.endswith("_") and (
                keyword.iskeyword(bare) or bare in BUILTINS):
            return bare
        return name
    return snake_case(name, _NOT_A_WORD) or name  # a wire name keeps `ℌ`, `é`


# SDK languages whose field names capitalise initialisms whatever the API's keys (Go's
# `UserID` for `userId` and for `userID`): their capitals say nothing of the wire's.
RESHAPED_CAPITALS = frozenset({"go"})


def wire_camel_case(name: str, dialect: str = "") -> str:
    """The camelCase wire name for a field's docs name (in `dialect`'s docs): `created_at` ->
    `createdAt`, `CreatedAt` -> `createdAt`. A name without `_` keeps its words as written,
    the first lowered (`DownloadURL` -> `downloadURL`, `HTTPStatus` -> `httpStatus`: C# and
    Java docs keep the API's capitals), except in the docs of RESHAPED_CAPITALS (`UserID` ->
    `userId`). A name with a leading `_` keeps its spelling (`_shape`)."""
    if not name or name.startswith("_"):
        return name
    if "_" not in name and dialect not in RESHAPED_CAPITALS:
        upper = len(name) - len(name.lstrip(ascii_uppercase))
        if upper > 1 and name[upper:upper + 1].islower():
            upper -= 1  # the last capital begins the next word (`HTTPStatus`)
        return name[:upper].lower() + name[upper:]
    words = [w for w in wire_snake_case(name).split("_") if w]
    if not words:
        return name
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def module_name(title: str) -> str:
    """A module name for a doc title (titles are identifiers; the file stem is lower(title))."""
    name = title.lower()
    if (keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED_MODULES
            or (name.startswith("__") and name.endswith("__"))):
        name += "_"
    return name


def package_name(folder: str) -> str:
    """A subpackage name for a folder of the specs: lowercase, as Python's packages are
    (C# docs write `Components`), its other characters `_` (`my-models` -> `my_models`), a
    keyword or leading digit made safe."""
    name = _NOT_IDENT.sub("_", folder).lower() or "_"
    return module_name("_" + name if name[0].isdigit() else name)


def is_python_name(name: str) -> bool:
    """Whether Python reads an identifier as it is written: `ﬁx` is read as `fix` (NFKC),
    and would be one name with it."""
    return name.isidentifier() and unicodedata.normalize("NFKC", name) == name


def attribute_name(spec_name: str, policy: str = "snake") -> str:
    """A safe attribute name for a field's spec name: snake_case, or the spec's own spelling
    (policy "spec") where that is an identifier."""
    if policy == "spec" and is_python_name(spec_name):
        name = spec_name.lstrip("_") or "field"
    else:
        name = snake_case(spec_name)
    if not name:
        name = "field"
    if name[0].isdigit():
        name = "field_" + name
    # Names the module uses itself (`str`, `Field`) need no suffix: its imports avoid them.
    if keyword.iskeyword(name) or name in PYDANTIC_NAMES:
        name += "_"
    return name


def unique_attribute_names(
    spec_names: list[str], policy: str = "snake", fixed: dict[str, str] | None = None
) -> list[str]:
    """Attribute names for a table's fields, made distinct (`a_b` and `aB` both exist at times).

    Names fixed by configuration, and spec names that already are their own attribute name,
    keep them; the others take a `_` suffix on collision, in table order, so the result does
    not depend on anything but the table and the configuration.
    """
    fixed = fixed or {}
    names = [fixed.get(n) or attribute_name(n, policy) for n in spec_names]
    taken = {name for spec, name in zip(spec_names, names, strict=True)
             if spec == name or spec in fixed}
    result = []
    for spec, name in zip(spec_names, names, strict=True):
        if spec != name and spec not in fixed:
            while name in taken:
                name += "_"
            taken.add(name)
        result.append(name)
    return result


def _member_base(value: str | int | float, spell_punctuation: bool) -> str:
    if isinstance(value, (int, float)):
        text = str(value)
        text = text.replace("-", "MINUS_").replace(".", "_DOT_")
        return "VALUE_" + text
    if spell_punctuation:
        text = "".join(f"_{_PUNCTUATION_WORDS[c]}_" if c in _PUNCTUATION_WORDS else c
                       for c in value)
    else:
        text = value
    words = _WORD_BOUNDARY.sub("_", text)
    name = _NOT_IDENT.sub("_", words).strip("_").upper()
    name = re.sub("_+", "_", name)
    if not name:
        if value and not spell_punctuation:
            return _member_base(value, True)
        name = "EMPTY" if value == "" else "VALUE"
    if name[0].isdigit():
        name = "VALUE_" + name
    return name


def enum_member_names(values: list[str | int | float],
                      sdk_names: list[str | None] | None = None, title: str = "") -> list[str]:
    """Readable, distinct member names: the SDK's own name where the page gives one (an enum
    table's Name column: `ASCENDING` for `asc`, `DISABLE` for `0`; without the enum's
    `title` when every name begins with it, as Go's constants do), else from the value:
    `in_progress` -> `IN_PROGRESS`, `-created` -> `MINUS_CREATED` when `created` exists too,
    `1024x1024` -> `VALUE_1024X1024`."""
    given = sdk_names or [None] * len(values)
    if title and all(name and name.startswith(title) and name[len(title):][:1].isupper()
                     for name in given):
        given = [name[len(title):] if name else name for name in given]
    spelled: list[str | int | float] = [
        value if name is None or not name.strip() else name
        for value, name in zip(values, given, strict=True)]
    plain = [_member_base(v, False) for v in spelled]
    names = []
    for value, name in zip(spelled, plain, strict=True):
        if plain.count(name) > 1:
            name = _member_base(value, True)
        names.append(name)
    # Still colliding (values differing only in case or spacing): number by order of appearance,
    # deterministic because the spec's order is; skip numbers another member already holds.
    taken = set(names)
    result = []
    seen: set[str] = set()
    for name in names:
        if name in seen:
            number = 2
            while f"{name}_{number}" in taken:
                number += 1
            name = f"{name}_{number}"
            taken.add(name)
        seen.add(name)
        result.append(name)
    return result
