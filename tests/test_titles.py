"""Every title works: keywords, constants, builtins and every name a generated module uses
itself. Such pages generate (under another class name where Python needs one, with a
warning), import, and validate their data; the package exports the classes, never modules."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from pydantic import TypeAdapter
from specgen_md.build import build_package
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.naming import BUILTINS

from .conftest import package_dir

SPECS = Path(__file__).parent / "snapshots" / "titles" / "specs"


def test_every_title_generates_imports_and_validates(
    generate_package: Callable[..., ModuleType]
) -> None:
    package = build_package(Config(specs=SPECS, out=Path("unused"), package="p"), Diagnostics())
    assert package is not None
    pkg = generate_package(SPECS)
    titles = {doc.title for doc in package.docs.values()}
    assert {"None", "True", "class", "str", "Field", "Literal", "BaseModel", "SpecModel",
            "TYPE_CHECKING", "__init__", "getattr", "_EXPORTS", "date", "DateTime"} <= titles
    validated = 0
    for key, doc in package.docs.items():
        name = package.class_name(doc)
        module = importlib.import_module(".".join((pkg.__name__, *package.modules[key])))
        model: Any = getattr(module, name)
        # The package exports the model itself, whatever modules were imported meanwhile.
        assert getattr(pkg, name) is model, name
        if doc.example is not None:
            adapter: TypeAdapter[Any] = TypeAdapter(model)
            value = adapter.validate_python(doc.example.value)
            dumped = adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)
            assert dumped == doc.example.value, name
            validated += 1
    assert validated >= 30
    assert package.class_name(package.docs["none.md"]) == "None__"  # `None_` is a title too
    assert pkg.None__ is not pkg.None_
    # The package's own helpers keep working after every export has been loaded.
    assert set(dir(pkg)) >= {package.class_name(doc) for doc in package.docs.values()}


def test_builtins_list_covers_this_interpreter() -> None:
    import builtins

    assert {n for n in dir(builtins) if not n.startswith("__")} <= BUILTINS


def test_titles_import_in_any_order(generate_package: Callable[..., ModuleType]) -> None:
    """Each module first in a fresh interpreter: the reference cycle through every page holds
    no import that depends on another having run first."""
    pkg = generate_package(SPECS)
    root = package_dir(pkg)
    names = sorted(p.stem for p in root.glob("*.py") if p.stem != "__init__")
    script = ("import importlib, sys\nfor name in sys.argv[1:]:\n"
              f"    importlib.import_module('{pkg.__name__}.' + name)\n")
    for name in names:
        result = subprocess.run([sys.executable, "-c", script, name], cwd=root.parent,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, (name, result.stderr[-2000:])
