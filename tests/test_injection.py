"""Hostile specs: text from a spec reaches generated code only as escaped literals or comments.

Every generated module must parse, import, hold only the statements the templates define, and
keep the hostile text verbatim where it belongs (descriptions, enum values, examples, aliases).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from pydantic import TypeAdapter

from .conftest import package_dir

HOSTILE = [
    '"""', "'''", "\\", "\\n", "a\x00b", "line\u2028sep", "para\u2029sep", "# not a comment",
    "{{ 7 * 7 }}", "{% if true %}x{% endif %}", "\"); import os; os.system('x') #",
    "\\x00 \\u2028 \\", "`code` <b>html</b> \\{brace\\}", "x" * 5000,
]
# Field names that are dangerous as attributes, and one full of quotes.
NAMES = ["__class__", "model_config", "None", "import", "class", "self", "__init__",
         'q"uo\'te', "sp ace"]


def description(i: int) -> str:
    # Markdown cells cannot hold raw pipes or line breaks; everything else goes in.
    return HOSTILE[i % len(HOSTILE)].replace("|", "")


def hostile_specs(root: Path) -> dict[str, object]:
    """Write hostile pages; return what must survive verbatim."""
    rows = []
    expected_descriptions = {}
    for i, name in enumerate(NAMES):
        text = f"{description(i)} / {description(i + 5)}"
        # `\{` is markdown's escape for `{` (MDX writes it): the text means a plain brace.
        expected_descriptions[name] = text.replace("\\{", "{").replace("\\}", "}")
        rows.append(f"| `{name}` | *string* | :heavy_minus_sign: | {text} |")
    preamble = "\n\n".join(h for h in HOSTILE if "\\" not in h and not h.startswith("#"))
    object_page = "\n".join([
        "# Hostile", "", preamble, "", "## Example Usage", "", "```typescript",
        "let value: Hostile = {",
        '  "__class__": "\\"\\"\\" \\u2028 {{ x }} \\u0000",',
        "};", "```", "", "## Fields", "",
        "| Field | Type | Required | Description |", "| - | - | - | - |", *rows,
        "| `status` | [models.Evil](../models/evil.md) | :heavy_minus_sign: | N/A |",
    ])
    values = ['"""', "'''", "a\\b", "\u0000", "\u2028", "{{ x }}", "# c", "__class__",
              "None", "import", 'x"); print("y']
    literals = " | ".join('"' + v.replace("\\", "\\\\").replace('"', '\\"')
                          .replace("\u0000", "\\u0000").replace("\u2028", "\\u2028") + '"'
                          for v in values)
    enum_page = "\n".join(["# Evil", "", "## Values", "", "```typescript",
                           literals + " | Unrecognized<string>", "```"])
    dunder = "\n".join(["# Names", "", "## Fields", "",
                        "| Field | Type | Required | Description |", "| - | - | - | - |",
                        "| `__class__` | *number* | :heavy_check_mark: | N/A |"])
    (root / "hostile.md").write_text(object_page, encoding="utf-8")
    (root / "evil.md").write_text(enum_page, encoding="utf-8")
    (root / "names.md").write_text(dunder, encoding="utf-8")
    return {"descriptions": expected_descriptions, "values": values,
            "preamble": preamble}


ALLOWED_CALLS = {"Field", "AliasChoices", "ConfigDict", "deprecated", "TypeAliasType", "getattr",
                 "globals",
                 "sorted", "AttributeError", "isinstance", "str.__new__", "int.__new__",
                 "float.__new__", "import_module", "_EXPORTS.get", "PlainSerializer",
                 "Discriminator", "Tag", "tag_of"}


def call_name(node: ast.Call) -> str:
    return ast.unparse(node.func)


def check_module(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for stmt in tree.body:
        assert isinstance(stmt, (ast.ImportFrom, ast.Import, ast.ClassDef, ast.AnnAssign,
                                 ast.Assign, ast.Expr, ast.If, ast.FunctionDef)), (
            path, ast.unparse(stmt)[:200])
        if isinstance(stmt, ast.Expr):
            assert isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
        if isinstance(stmt, ast.FunctionDef):
            assert path.name in ("__init__.py", "_runtime.py"), path
        if isinstance(stmt, ast.Import):
            assert [a.name for a in stmt.names] == ["importlib"], path
        if isinstance(stmt, ast.ImportFrom) and stmt.level == 0:
            assert stmt.module in ("typing", "typing_extensions", "pydantic", "enum",
                                   "datetime", "__future__", "builtins", "importlib",
                                   "collections.abc"), (
                path, stmt.module)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and path.name != "_runtime.py":  # no spec text there
            assert call_name(node) in ALLOWED_CALLS, (path, ast.unparse(node)[:200])
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                assert isinstance(item, (ast.AnnAssign, ast.Assign, ast.Expr, ast.Pass,
                                         ast.FunctionDef)), (path, ast.unparse(item)[:200])
    # Comments come only from the templates: the header, and fixed notes.
    comments = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                if line.lstrip().startswith("#")]
    assert comments[0].startswith("# Generated by specgen"), path
    for comment in comments[1:]:
        assert comment.startswith(("# On a reference cycle", "# Models are imported",
                                   "# Type checkers", "# ... pydantic")), (path, comment)


def test_hostile_specs_generate_safe_code(
    tmp_path: Path, generate_package: Callable[..., ModuleType]
) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    expected = hostile_specs(specs)
    pkg = generate_package(specs, wire_names="spec")  # the docs' names are the wire names
    folder = package_dir(pkg)
    for module in sorted(folder.glob("*.py")):
        check_module(module)
    hostile = importlib.import_module(pkg.__name__ + ".hostile")
    model = hostile.Hostile
    by_alias = {f.serialization_alias or name: f for name, f in model.model_fields.items()}
    descriptions = expected["descriptions"]
    assert isinstance(descriptions, dict)
    for name, text in descriptions.items():
        assert by_alias[name].description == text, name
    assert inspect.cleandoc(model.__doc__) == str(expected["preamble"]).strip()
    evil = importlib.import_module(pkg.__name__ + ".evil").Evil
    assert [m.value for m in evil] == expected["values"]
    assert len({m.name for m in evil}) == len(expected["values"])
    value = model.model_validate({"__class__": '"""', "None": "n", "status": "{{ x }}"})
    assert value.status is evil("{{ x }}")
    dumped = TypeAdapter(model).dump_python(value, mode="json", by_alias=True, exclude_unset=True)
    assert dumped == {"__class__": '"""', "None": "n", "status": "{{ x }}"}
    example = model.model_json_schema()["examples"][0]
    assert example == {"__class__": '""" \u2028 {{ x }} \u0000'}
    names = importlib.import_module(pkg.__name__ + ".names").Names
    assert names.model_validate({"__class__": 1}).class_ == 1
