"""Ordinary facts of real doc sets (FORMAT.md, "Learned from more doc sets"): namespaces of any
name, links labelled without a namespace, lone deprecation notices, runtime objects, enum
members in examples, broken references with --lenient, examples that contradict their types,
an empty spec folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter
from specgen_md.cli import main

from .conftest import tree, write_specs

NOTICE = (": warning: ** DEPRECATED **: This will be removed in a future release, please "
          "migrate away from it as soon as possible.")
MDN = "https://developer.mozilla.org/en-US/docs/Web/API"


def page(title: str, rows: list[tuple[str, str, bool, str]], example: str | None = None,
         imports: str = "") -> str:
    lines = [f"# {title}", ""]
    if example is not None:
        lines += ["## Example Usage", "", "```typescript",
                  f'import {{ {title} }} from "@acme/sdk/models/operations";', imports, "",
                  f"let value: {title} = {example};", "```", ""]
    lines += ["## Fields", "", "| Field | Type | Required | Description |",
              "| ----- | ---- | -------- | ----------- |"]
    for name, cell, required, text in rows:
        mark = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
        lines.append(f"| `{name}` | {cell} | {mark} | {text} |")
    return "\n".join(lines)


def values_table(title: str, rows: list[tuple[str, str]]) -> str:
    body = "\n".join(f"| `{name}` | {value} |" for name, value in rows)
    return f"# {title}\n\n## Values\n\n| Name | Value |\n| ---- | ----- |\n{body}"


def test_namespaces_are_folders_and_links_resolve_by_target(
    tmp_path: Path, generate_package: Callable[..., ModuleType]
) -> None:
    specs = write_specs(tmp_path / "specs", {
        "shared/accepts.md": values_table("Accepts", [("Json", "application/json"),
                                                     ("Xml", "application/xml")]),
        "shared/boolint.md": values_table("BoolInt", [("False", "0"), ("True", "1")]),
        "shared/value.md": "# Value\n\n## Supported Types\n\n### `string`\n\n### `number`\n",
        # TypeScript labels carry the namespace; C# labels a link by the bare title, and keeps
        # the file name's case.
        "operations/getthingrequest.md": page("GetThingRequest", [
            ("accepts", "[shared.Accepts](../../models/shared/accepts.md)", False, "N/A"),
            ("relative", "[shared.BoolInt](../../models/shared/boolint.md)", True, "N/A"),
            ("value", "*shared.Value*", False, "N/A"),
            ("person", "[Person](../../Models/Components/Person.md)", False, "N/A"),
        ], '{ relative: BoolInt.True, accepts: Accepts.Json, value: 3 }',
            'import { BoolInt, Accepts } from "@acme/sdk/models/shared";'),
        "Components/Person.md": page("Person", [("name", "*string*", True, "N/A")]),
    })
    pkg = generate_package(specs)
    from importlib import import_module

    request = import_module(f"{pkg.__name__}.operations").GetThingRequest
    # The example names enum members (`BoolInt.True`); they are read as the members' values.
    value = request.model_validate({"relative": 1, "accepts": "application/json",
                                    "value": 3, "person": {"name": "Ada"}})
    assert value.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        "relative": 1, "accepts": "application/json", "value": 3, "person": {"name": "Ada"}}
    examples = request.model_config["json_schema_extra"]["examples"]
    assert examples == [{"relative": 1, "accepts": "application/json", "value": 3}]


def test_a_lone_deprecation_notice(tmp_path: Path, generate_package: Callable[..., ModuleType]
                                   ) -> None:
    specs = write_specs(tmp_path / "specs", {
        "old.md": page("Old", [("legacy", "*string*", False, NOTICE),
                               ("kept", "*string*", False, NOTICE + "<br/><br/>The old name.")]),
    })
    model = generate_package(specs).Old
    legacy, kept = model.model_fields["legacy"], model.model_fields["kept"]
    assert legacy.deprecated and legacy.description is None
    assert kept.deprecated and kept.description == "The old name."


def test_runtime_objects_are_never_required_of_json(
    tmp_path: Path, generate_package: Callable[..., ModuleType]
) -> None:
    """`httpMeta` (an `HTTPMetadata` of a `Response` and a `Request`) and JSON Lines streams
    are SDK objects: real payloads never carry them."""
    specs = write_specs(tmp_path / "specs", {
        "components/httpmetadata.md": page("HTTPMetadata", [
            ("response", f"[Response]({MDN}/Response)", True, "Raw HTTP response"),
            ("request", f"[Request]({MDN}/Request)", True, "Raw HTTP request"),
        ], '{\n  response: new Response(\'{"message": "hello world"}\', {\n    headers: '
           '{ "Content-Type": "application/json" },\n  }),\n  request: new Request('
           '"https://example.com"),\n}'),
        "operations/listthingsresponse.md": page("ListThingsResponse", [
            ("httpMeta", "[components.HTTPMetadata](../../models/components/httpmetadata.md)",
             True, "N/A"),
            ("things", "*string*[]", True, "N/A"),
        ], '{\n  httpMeta: {\n    response: new Response("{}"),\n    request: new Request('
           '"https://example.com"),\n  },\n  things: ["a"],\n}'),
        "operations/runresponse.md": "# RunResponse\n\n## Supported Types\n\n"
            "### `JsonLStream<operations.ListThingsResponse>`\n\n```typescript\n"
            "const value: JsonLStream<operations.ListThingsResponse> = ;\n```\n",
    })
    pkg = generate_package(specs)
    from importlib import import_module

    operations = import_module(f"{pkg.__name__}.operations")
    response = operations.ListThingsResponse.model_validate({"things": ["a", "b"]})
    assert response.http_meta is None
    assert response.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        "things": ["a", "b"]}
    assert operations.ListThingsResponse.model_config["json_schema_extra"] == {
        "examples": [{"http_meta": {}, "things": ["a"]}]}
    stream: TypeAdapter[Any] = TypeAdapter(operations.RunResponse)
    assert stream.validate_python([{"things": []}])[0].things == []


def broken_specs(root: Path) -> Path:
    return write_specs(root, {
        "order.md": page("Order", [
            ("id", "*string*", True, "N/A"),
            ("command", "[models.SandboxCommand](../models/sandboxcommand.md)", False, "N/A"),
            ("size", "*integer*", False, "N/A"),
        ], '{ id: "o1" }'),
        "event.md": "# Event\n\n## Supported Types\n\n### `models.Order`\n\n### `models.Gone`\n",
        "line.md": page("Line", [("sku", "*string*", True, "N/A")], '{ sku: "x" }'),
    })


def test_broken_references_fail_without_lenient(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_specs(tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 1
    err = capsys.readouterr().err
    assert ("specs/order.md:17:15: error: link target '../models/sandboxcommand.md' does not "
            "exist in the specs") in err
    assert "specs/order.md:18:13: error: unknown type 'integer'" in err
    assert "specs/event.md:7:6: error: 'models.Gone' resolves to no spec (looked for gone.md)" \
        in err
    assert "3 of these errors are broken references or unknown types: --lenient" in err
    assert not (tmp_path / "generated").exists()


def test_lenient_generates_broken_references_as_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken_specs(tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "--lenient", "--out", "lenient"]) == 0
    err = capsys.readouterr().err
    assert ("specs/order.md:17:15: warning: link target '../models/sandboxcommand.md' does not "
            "exist in the specs; generated as Any with --lenient") in err
    assert "specs/event.md:7:6: warning: 'models.Gone' resolves to no spec" in err
    order = (tmp_path / "lenient/models/order.py").read_text()
    assert "command: Any = Field(None" in order or "command: Any = None" in order
    assert "size: Any = None" in order
    event = (tmp_path / "lenient/models/event.py").read_text()
    assert 'Event: TypeAlias = Annotated[Order | Any, Field(union_mode="left_to_right")]' in event
    # Everything else is exactly what a run without the broken pages gives.
    (tmp_path / "specs/order.md").unlink()
    (tmp_path / "specs/event.md").unlink()
    assert main(["generate", "--out", "strict"]) == 0
    lenient, strict = tree(tmp_path / "lenient"), tree(tmp_path / "strict")
    assert lenient["models/line.py"] == strict["models/line.py"]


def test_examples_that_contradict_their_types_are_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_specs(tmp_path / "specs", {
        "code.md": '# Code\n\n## Values\n\n```typescript\n"installation_not_found"\n```',
        "data.md": page("Data", [("code", "[models.Code](../models/code.md)", True, "N/A"),
                                 ("count", "*number*", False, "N/A")],
                        '{ code: "sandbox_stream_closed", count: 1 }'),
    })
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    err = capsys.readouterr().err
    assert ("specs/data.md:9:19: warning: example left out: Data.code is "
            "'sandbox_stream_closed', which is no value of the enum Code") in err
    assert "examples" not in (tmp_path / "generated/models/data.py").read_text()


def test_an_empty_spec_folder_is_an_error_and_removes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write_specs(tmp_path / "specs", {"line.md": page("Line", [("sku", "*string*", True, "")])})
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    before = tree(tmp_path / "generated")
    assert main(["generate", "--specs", "empty"]) == 1
    assert main(["check", "--specs", "empty"]) == 1
    err = capsys.readouterr().err
    assert "empty:1:1: error: no spec pages (.md or .mdx files) in this folder" in err
    assert tree(tmp_path / "generated") == before
