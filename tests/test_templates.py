"""A custom template reshapes the output from the same context: the README's example override
(tests/templates_example: frozen models, fields in `Annotated[...]` style) on every snapshot
case. Its output is pinned by golden files (rewritten by `make snapshots`), imports, validates
the specs' examples like the built-in models do, and is clean for ruff."""

from __future__ import annotations

import difflib
import importlib
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from specgen_md.build import build, build_package
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import ObjectDoc, UnionDoc

from .conftest import package_dir, wire_form

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "templates_example"
GOLDEN = EXAMPLE / "expected"
SNAPSHOTS = ROOT / "tests" / "snapshots"
CASES = sorted(p.name for p in SNAPSHOTS.iterdir() if (p / "specs").is_dir())


def outputs(case: str, templates: Path | None) -> dict[str, bytes]:
    config = Config(specs=SNAPSHOTS / case / "specs", out=Path("unused"), package="snap",
                    templates=templates)
    files = build(config, Diagnostics())
    assert files is not None
    return files


@pytest.mark.parametrize("case", CASES)
def test_example_override_golden(case: str, update_snapshots: bool) -> None:
    ours, builtin = outputs(case, EXAMPLE), outputs(case, None)
    assert sorted(ours) == sorted(builtin)
    # Only the overridden template's modules differ: those are the golden files.
    changed = {path: data for path, data in ours.items() if data != builtin[path]}
    assert changed or not any(isinstance(d, ObjectDoc) for d in docs(case))
    folder = GOLDEN / case
    if update_snapshots:
        shutil.rmtree(folder, ignore_errors=True)
        for path, data in changed.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        return
    golden = {p.relative_to(folder).as_posix(): p.read_bytes()
              for p in sorted(folder.rglob("*.py"))} if folder.is_dir() else {}
    assert sorted(changed) == sorted(golden), "run `make snapshots` to accept"
    for path, data in changed.items():
        if data != golden[path]:
            diff = difflib.unified_diff(golden[path].decode().splitlines(True),
                                        data.decode().splitlines(True), "golden", "generated")
            pytest.fail(f"{case}/{path} changed; run `make snapshots` to accept:\n"
                        + "".join(diff))


def docs(case: str) -> list[Any]:
    config = Config(specs=SNAPSHOTS / case / "specs", out=Path("unused"), package="snap")
    package = build_package(config, Diagnostics())
    assert package is not None
    return list(package.docs.values())


@pytest.mark.parametrize("case", CASES)
def test_example_override_models_work(case: str, generate_package: Callable[..., ModuleType]
                                      ) -> None:
    specs = SNAPSHOTS / case / "specs"
    pkg = generate_package(specs, templates=EXAMPLE)
    config = Config(specs=specs, out=Path("unused"), package="snap")
    package = build_package(config, Diagnostics())
    assert package is not None
    for key, doc in package.docs.items():
        module = importlib.import_module(".".join((pkg.__name__, *package.modules[key])))
        model: Any = getattr(module, package.class_name(doc))
        examples = [doc.example.value] if doc.example else []
        if isinstance(doc, UnionDoc):
            examples += [m.example.value for m in doc.members if m.example]
        adapter: TypeAdapter[Any] = TypeAdapter(model)
        for example in examples:
            value = adapter.validate_python(example)
            dumped = adapter.dump_python(value, mode="json", exclude_unset=True)
            assert dumped == wire_form(specs, doc.title, example)
            if isinstance(doc, ObjectDoc) and doc.fields:
                with pytest.raises(ValidationError, match="frozen"):
                    setattr(value, next(iter(type(value).model_fields)), None)
    ruff = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "--isolated",
                           str(package_dir(pkg))], capture_output=True, text=True, timeout=120)
    assert ruff.returncode == 0, ruff.stdout[-3000:]


def test_a_later_run_of_the_process_reads_an_edited_template(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Modules rendered together (in worker processes) check the templates' files once, not
    once per module; a later run of the same process, as `watch` makes, reads a template
    edited since."""
    import specgen_md.render as render

    monkeypatch.setattr(render, "PARALLEL_RENDER", 4)  # workers, where there are two cores
    specs = tmp_path / "specs"
    specs.mkdir()
    for i in range(12):
        (specs / f"thing{i}.md").write_text(
            f"# Thing{i}\n\n## Fields\n\n| Field | Type | Required | Description |\n"
            "| ----- | ---- | -------- | ----------- |\n"
            "| `name` | *str* | :heavy_check_mark: | A name. |\n")
    templates = tmp_path / "templates"
    templates.mkdir()
    builtin = (ROOT / "templates" / "pydantic" / "object.py.jinja").read_text()
    config = Config(specs=specs, out=tmp_path / "out", package="things", templates=templates,
                    cache_dir=tmp_path / "cache")
    for mark in ("first", "second"):
        (templates / "object.py.jinja").write_text(builtin.replace(
            "{{ imports }}\n", f"{{{{ imports }}}}\n\n# template: {mark}\n", 1))
        files = build(config, Diagnostics())
        assert files is not None
        modules = [data.decode() for path, data in files.items() if path.startswith("thing")]
        assert len(modules) == 12
        assert all(f"# template: {mark}\n" in text for text in modules), mark
