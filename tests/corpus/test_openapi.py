"""The API's own JSON: every example payload of the OpenRouter OpenAPI document (schema
examples, request and response examples, and property examples of properties whose page
links to a model) that maps to a page of openrouter-mdx validates with the generated model
and dumps back unchanged. The OpenAPI document is ground truth here only; the generator reads
markdown.

Run with `make corpus`; prints the shares, fails below 97% exact.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter
from specgen_md.build import build_package
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import Doc, NullableType, ObjectDoc, RefType
from specgen_md.pipeline import generate

SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpora"
OPENAPI = SHARED / "openrouter-openapi.yaml"
SPECS = SHARED / "openrouter-mdx"
TARGET = 0.97

pytestmark = pytest.mark.corpus


def folded(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _ref(schema: Any) -> str | None:
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[1]
    return None


def payloads(document: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(schema name, property name or "", payload) for every example in the document. An
    array schema's page (if it has one) is its items' model: its examples' items are payloads
    of that page."""
    for name, schema in document["components"]["schemas"].items():
        examples = ([schema["example"]] if "example" in schema else []) + list(
            schema.get("examples") or [])
        for example in examples:
            if schema.get("type") == "array" and isinstance(example, list):
                for item in example:
                    yield name, "", item
            elif not schema.get("properties") and isinstance(schema.get(
                    "additionalProperties"), dict) and isinstance(example, dict):
                for item in example.values():  # a map schema's page is its values' model
                    yield name, "", item
            else:
                yield name, "", example
        for prop, sub in (schema.get("properties") or {}).items():
            if isinstance(sub, dict) and "example" in sub:
                yield name, prop, sub["example"]
    responses = document["components"].get("responses", {})
    for operations in document["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            bodies = [operation.get("requestBody", {})]
            for response in (operation.get("responses") or {}).values():
                bodies.append(responses.get(_ref(response) or "", response))
            for body in bodies:
                for media in (body.get("content") or {}).values():
                    name = _ref(media.get("schema"))
                    if name is None:
                        continue
                    if "example" in media:
                        yield name, "", media["example"]
                    for example in (media.get("examples") or {}).values():
                        if isinstance(example, dict) and "value" in example:
                            yield name, "", example["value"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    if not OPENAPI.is_file() or not SPECS.is_dir():
        pytest.skip(f"no OpenAPI document or corpus at {SHARED} (shared/ is not beside this "
                    "checkout)")
    out = tmp_path_factory.mktemp("openapi")
    config = Config(specs=SPECS, out=out, package="openrouter_api")
    diags = Diagnostics()
    generate(config, diags)
    assert not diags.has_errors
    package = build_package(config, Diagnostics())
    assert package is not None
    sys.path.insert(0, str(out))
    yield package, out
    sys.path.remove(str(out))
    for module in [m for m in sys.modules if m.split(".")[0] == "openrouter_api"]:
        del sys.modules[module]


def payload_results(package: Any, name: str,
                    document: dict[str, Any]) -> tuple[int, int, int, list[str]]:
    """How many of the document's payloads map to a page of `package` (imported as `name`),
    validate, and dump back unchanged; and what went wrong with the others."""
    by_title: dict[str, Doc] = {}
    for doc in sorted(package.docs.values(), key=lambda d: (len(d.namespace), d.key)):
        by_title.setdefault(folded(doc.title), doc)

    def model(doc: Doc) -> Any:
        module = importlib.import_module(".".join((name, *package.modules[doc.key])))
        return getattr(module, package.class_name(doc))

    total = valid = exact = 0
    failures: list[str] = []
    for schema, prop, payload in payloads(document):
        doc = by_title.get(folded(schema))
        if doc is None or payload is None:
            continue  # no page; or a null example of a nullable schema: no model's data
        if prop:  # a property example: the model of the page the property's field links to
            if not isinstance(doc, ObjectDoc):
                continue
            field = next((f for f in doc.fields if folded(f.name) == folded(prop)), None)
            kind = field.type if field is not None else None
            if isinstance(kind, NullableType):
                kind = kind.item
            if not isinstance(kind, RefType) or kind.key is None:
                continue
            doc = package.docs[kind.key]
        total += 1
        adapter: TypeAdapter[Any] = TypeAdapter(model(doc))
        try:
            value = adapter.validate_python(payload)
        except Exception as exc:
            failures.append(f"{schema}{'.' + prop if prop else ''} ({doc.key}): {exc}"[:400])
            continue
        valid += 1
        back = adapter.dump_python(value, mode="json", exclude_unset=True)
        if back == payload:
            exact += 1
        else:
            failures.append(f"{schema}{'.' + prop if prop else ''} ({doc.key}): {payload!r} -> "
                            f"{back!r}"[:400])
    return total, valid, exact, failures


def test_the_apis_own_payloads_validate_and_round_trip(
    generated: tuple[Any, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    package, _ = generated
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    total, valid, exact, failures = payload_results(package, "openrouter_api", document)
    with capsys.disabled():
        print(f"\nopenrouter-openapi: {total} payloads map to a page, {valid} validate "
              f"({valid / total:.1%}), {exact} round-trip exactly ({exact / total:.1%})")
        for failure in failures:
            print("  " + failure[:160].replace("\n", " "))
    assert total > 500
    assert exact / total >= TARGET, "\n".join(failures[:40])
