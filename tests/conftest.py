from __future__ import annotations

import importlib
import itertools
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
# The environment the session started with, before any test changes it.
ORIGINAL_ENVIRON = dict(os.environ)
SHARED = ROOT.parent / "shared"
_counter = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite the expected output of snapshot tests (what `make snapshots` does)",
    )


@pytest.fixture(autouse=True, scope="session")
def user_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Runs without a pyproject.toml keep their cache in the user's cache folder: a temporary
    one during the tests, not the real ~/.cache (child processes inherit it)."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        yield folder


@pytest.fixture
def update_snapshots(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-snapshots"))


@pytest.fixture
def whole_jobs(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One entry per run (or check) that builds the whole package, from now on: not the short
    path for edits (incremental.py)."""
    import specgen_md.build as build

    found: list[bool] = []
    build_package = build.build_package

    def counted(*args: Any, **options: Any) -> Any:
        found.append(True)
        return build_package(*args, **options)

    monkeypatch.setattr(build, "build_package", counted)
    return found


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` (bytecode caches aside), by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def package_dir(module: ModuleType) -> Path:
    """The folder of an imported package."""
    assert module.__file__ is not None
    return Path(module.__file__).parent


def wire_form(specs: Path, title: str, data: Any, **options: Any) -> Any:
    """Example data (keyed by the docs' field names) as the model for `title` dumps it: keyed
    by wire names."""
    from specgen_md.build import build_package, render_options
    from specgen_md.render.semantics import Planner

    config = Config(specs=specs, out=Path("unused"), package="p", **options)
    package = build_package(config, Diagnostics())
    assert package is not None
    doc = next(d for d in package.docs.values() if d.title == title)
    return Planner(package, render_options(config).policy).to_wire(data, doc)


def write_specs(root: Path, pages: dict[str, str]) -> Path:
    """Write spec pages (relative path -> text) under `root`; return `root`."""
    for rel, text in pages.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def generate_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., ModuleType]]:
    """Generate a package from a spec folder into a temporary folder and import it."""
    imported: list[str] = []

    def run(specs: Path, **options: Any) -> ModuleType:
        package = f"pkg{next(_counter)}"
        out = tmp_path / "out"
        diags = Diagnostics()
        generate(Config(specs=specs, out=out, package=package, **options), diags)
        assert not diags.has_errors, "\n".join(map(str, diags.sorted()))
        monkeypatch.syspath_prepend(str(out))
        imported.append(package)
        return importlib.import_module(package)

    yield run
    for name in list(sys.modules):
        if any(name == p or name.startswith(p + ".") for p in imported):
            del sys.modules[name]


def object_page(title: str, rows: list[tuple[str, str, bool, str]], example: str = "") -> str:
    """A Fields page in the corpora's layout (rows: name, type cell, required, description)."""
    lines = [f"# {title}", "", "## Example Usage", "", "```typescript",
             f'import {{ {title} }} from "@acme/sdk/models";', ""]
    lines.append(f"let value: {title} = {example or '{}'};")
    lines += ["```", "", "## Fields", "", "| Field | Type | Required | Description |",
              "| ----- | ---- | -------- | ----------- |"]
    for name, type_cell, required, description in rows:
        mark = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
        lines.append(f"| `{name}` | {type_cell} | {mark} | {description} |")
    return "\n".join(lines)


def enum_page(title: str, values: str) -> str:
    return "\n".join([f"# {title}", "", "## Values", "", "```typescript", values, "```"])
