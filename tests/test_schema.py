"""`specgen schema`: the specs as JSON Schema 2020-12, checked against the generated models'
own `model_json_schema()` and against the specs' examples."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from specgen_md.build import build_package, render_options
from specgen_md.cli import main
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import EnumDoc, ObjectDoc, UnionDoc
from specgen_md.render.semantics import Planner
from specgen_md.schema import DIALECT, definition_name, json_schema

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"
CASES = [ROOT / "specs",
         *sorted(p / "specs" for p in SNAPSHOTS.iterdir() if (p / "specs").is_dir())]


def model_of(pkg: ModuleType, doc: Any, package: Any) -> Any:
    module = importlib.import_module(".".join((pkg.__name__, *package.modules[doc.key][:-1])))
    return getattr(module, package.class_name(doc))


@pytest.mark.parametrize("specs", CASES, ids=lambda p: p.parent.name)
def test_schema_agrees_with_the_models(
    specs: Path, generate_package: Callable[[Path], ModuleType]
) -> None:
    config = Config(specs=specs, out=Path("unused"), package="p")
    package = build_package(config, Diagnostics())
    assert package is not None
    schema = json_schema(package, config)
    planner = Planner(package, render_options(config).policy)
    assert schema["$schema"] == DIALECT
    jsonschema.Draft202012Validator.check_schema(schema)
    pkg = generate_package(specs)
    for doc in package.docs.values():
        ours = schema["$defs"][definition_name(doc, package)]
        model = model_of(pkg, doc, package)
        if isinstance(doc, ObjectDoc):
            theirs = model.model_json_schema()
            if "$ref" in theirs:  # a recursive model sits in its own $defs
                theirs = theirs["$defs"][theirs["$ref"].rsplit("/", 1)[1]]
            theirs.setdefault("properties", {})
            assert set(ours["properties"]) == set(theirs["properties"]), doc.title
            assert set(ours.get("required", [])) == set(theirs.get("required", [])), doc.title
            for name, prop in ours["properties"].items():
                assert prop.get("description") == theirs["properties"][name].get("description")
            assert ours.get("description") == theirs.get("description")
            extra = model.model_config.get("extra") == "allow"
            assert ("additionalProperties" in ours) == extra
        elif isinstance(doc, EnumDoc) and isinstance(model, type) and issubclass(model, Enum):
            values = [m.value for m in model]
            assert (ours.get("enum") or ours["anyOf"][0]["enum"]) == values
        # Every example of the specs, in wire form, is valid against the exported schema.
        examples = [doc.example.value] if doc.example else []
        if isinstance(doc, UnionDoc):
            examples += [m.example.value for m in doc.members if m.example]
        examples = [planner.to_wire(example, doc) for example in examples]
        validator = jsonschema.Draft202012Validator(
            {"$ref": f"#/$defs/{definition_name(doc, package)}", "$defs": schema["$defs"]})
        for example in examples:
            errors = list(validator.iter_errors(example))
            assert not errors, (doc.title, example, errors[0].message)


def test_schema_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["schema", "-o", str(tmp_path / "schema.json")]) == 0
    schema = json.loads((tmp_path / "schema.json").read_text())
    assert schema["$defs"]["ImageGenerationStatus"]["anyOf"][0]["enum"] == [
        "in_progress", "completed", "generating", "failed"]
    capsys.readouterr()
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == schema


def test_definitions_are_named_by_import_path(tmp_path: Path) -> None:
    """C#'s `Components/` folder is the package `components`: its models' definitions say so."""
    config = Config(specs=SNAPSHOTS / "dialect_csharp" / "specs", out=tmp_path, package="p")
    package = build_package(config, Diagnostics())
    assert package is not None
    names = set(json_schema(package, config)["$defs"])
    assert "components.Setting" in names and not any(n.startswith("Components.") for n in names)
