"""Behaviour of the generated models: the output contract, checked by importing them."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError
from specgen_md.diagnostics import Diagnostics
from specgen_md.parse import parse_document

from .conftest import package_dir, wire_form

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).parent / "snapshots"


def roundtrip(model: Any, data: Any) -> Any:
    adapter = TypeAdapter(model)
    value = adapter.validate_python(data)
    return adapter.dump_python(value, mode="json", by_alias=True, exclude_unset=True)


def example_of(spec: Path) -> Any:
    diags = Diagnostics()
    doc = parse_document(spec.read_bytes(), spec.name, str(spec), diags)
    assert doc is not None and doc.example is not None, diags.sorted()
    return doc.example.value


@pytest.fixture
def seeds(generate_package: Callable[[Path], ModuleType]) -> ModuleType:
    return generate_package(ROOT / "specs")


@pytest.fixture
def snap(generate_package: Callable[[Path], ModuleType]) -> Callable[[str], ModuleType]:
    return lambda case: generate_package(SNAPSHOTS / case / "specs")


SEEDS = [
    ("openresponsesinputitemimagegenerationcall.md", "OpenResponsesInputItemImageGenerationCall"),
    ("outputitemimagegenerationcall.md", "OutputItemImageGenerationCall"),
]


@pytest.mark.parametrize(("spec", "title"), SEEDS)
def test_seed_example_validates_and_round_trips(seeds: ModuleType, spec: str, title: str) -> None:
    data = example_of(ROOT / "specs" / spec)
    assert data["type"] == "image_generation_call"
    assert roundtrip(getattr(seeds, title), data) == data


def test_seed_specs_are_the_seed_pages_byte_for_byte() -> None:
    seeds_dir = ROOT.parent / "shared" / "seeds"
    if not seeds_dir.is_dir():
        pytest.skip("the shared seed pages are not beside this checkout")
    for spec, _ in SEEDS:
        assert (ROOT / "specs" / spec).read_bytes() == (seeds_dir / spec).read_bytes()


def test_open_enum_keeps_an_unknown_status(seeds: ModuleType) -> None:
    model = seeds.OutputItemImageGenerationCall
    data = {"type": "image_generation_call", "id": "x", "result": "r", "status": "queued"}
    value = model.model_validate(data)
    assert isinstance(value.status, seeds.ImageGenerationStatus)
    assert value.status == "queued"
    assert roundtrip(model, data) == data
    assert seeds.ImageGenerationStatus("completed") is seeds.ImageGenerationStatus.COMPLETED


def test_missing_required_field_fails(seeds: ModuleType) -> None:
    with pytest.raises(ValidationError) as info:
        seeds.OutputItemImageGenerationCall.model_validate({"id": "x", "status": "completed"})
    assert [e["loc"] for e in info.value.errors()] == [("result",)]


def test_constant_field_is_defaulted_and_checked(seeds: ModuleType) -> None:
    model = seeds.OpenResponsesInputItemImageGenerationCall
    value = model(id="i", result="r", status="failed")
    assert value.type == "image_generation_call"
    with pytest.raises(ValidationError):
        model.model_validate({"type": "other", "id": "i", "result": "r", "status": "failed"})
    assert TypeAdapter(seeds.OutputItemImageGenerationCallType).validate_python(
        "image_generation_call") == "image_generation_call"


def test_wire_names_docs_names_and_attribute_names_are_all_accepted(
    snap: Callable[[str], ModuleType],
) -> None:
    pkg = snap("objects")
    by_docs = pkg.Invoice.model_validate({"invoiceId": "a", "amount": 1, "from": "x"})
    by_wire = pkg.Invoice.model_validate({"invoice_id": "a", "amount": 1, "from": "x"})
    by_name = pkg.Invoice(invoice_id="a", amount=1, from_="x")
    assert by_docs == by_wire == by_name
    assert by_name.from_ == "x"
    wire = {"invoice_id": "a", "amount": 1, "from": "x"}
    # Dumped under the wire names, by_alias or not (serialize_by_alias).
    assert by_name.model_dump(exclude_unset=True) == wire
    assert by_name.model_dump(by_alias=True, exclude_unset=True) == wire
    assert by_name.model_dump_json(exclude_unset=True) == (
        '{"invoice_id":"a","amount":1,"from":"x"}')


def test_numbers_keep_int_and_float(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("objects")
    data = {"invoice_id": "a", "amount": 100, "tax_rate": 0.5}
    out = roundtrip(pkg.Invoice, data)
    assert out == data
    assert type(out["amount"]) is int and type(out["tax_rate"]) is float


def test_object_example_round_trips_and_describes(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("objects")
    specs = SNAPSHOTS / "objects" / "specs"
    data = example_of(specs / "invoice.md")
    wire = wire_form(specs, "Invoice", data)
    assert roundtrip(pkg.Invoice, data) == wire == {
        **{k: v for k, v in data.items() if k not in ("invoiceId", "taxRate")},
        "invoice_id": data["invoiceId"], "tax_rate": data["taxRate"]}
    schema = pkg.Invoice.model_json_schema()
    assert schema["description"].startswith("An invoice sent to a customer.")
    assert schema["properties"]["invoice_id"]["description"] == "The invoice identifier."
    assert schema["properties"]["amount"]["examples"] == [100]
    assert schema["examples"] == [wire]
    # Editors show an attribute's docstring: the description is one too.
    source = (package_dir(pkg) / "invoice.py").read_text()
    assert '    invoice_id: str = Field(' in source
    assert '    """The invoice identifier."""\n' in source
    assert pkg.Invoice.model_fields["legacy_code"].deprecated == "Use invoiceId."


def test_closed_enum_rejects_unknown_values(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("enums")
    adapter = TypeAdapter(pkg.PaymentState)
    assert adapter.validate_python("-settled") is pkg.PaymentState.MINUS_SETTLED
    with pytest.raises(ValidationError, match="Input should be"):
        adapter.validate_python("refunded")
    assert issubclass(pkg.PaymentState, Enum)


def test_open_enums_keep_unknown_strings_and_numbers(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("enums")
    assert roundtrip(pkg.Channel, "carrier-pigeon") == "carrier-pigeon"
    assert roundtrip(pkg.RetryCode, 503) == 503
    assert TypeAdapter(pkg.RetryCode).validate_python(-1) is pkg.RetryCode.VALUE_MINUS_1
    with pytest.raises(ValidationError):
        TypeAdapter(pkg.RetryCode).validate_python("soon")


def test_table_form_enum(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("enums")
    assert [m.value for m in pkg.Currency] == ["EUR", "USD"]


def test_references_dates_maps_and_self_reference(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("references")
    specs = SNAPSHOTS / "references" / "specs"
    data = example_of(specs / "order.md")
    assert roundtrip(pkg.Order, data) == wire_form(specs, "Order", data)
    nested = {**data, "parent": data, "linesBySku": {"sku-1": data["lines"][0]}}
    order = pkg.Order.model_validate(nested)
    assert order.parent is not None and order.parent.lines[0].quantity == 2
    assert type(order.due_on).__name__ == "date"
    assert type(order.created_at).__name__ == "datetime"
    with pytest.raises(ValidationError):
        pkg.Order.model_validate({**data, "status": "lost"})


@pytest.mark.parametrize("text", [
    "2025-01-02T03:04:05Z", "2024-07-04T07:07:24.821Z", "2024-07-04T07:07:24.123456Z",
    "2024-07-04T07:07:24+02:00",
])
def test_datetimes_are_written_back_as_read(snap: Callable[[str], ModuleType], text: str) -> None:
    pkg = snap("references")
    data = {"type": "order", "lines": [], "status": "open", "created_at": text}
    assert roundtrip(pkg.Order, data) == data


def test_additional_properties_stay_at_the_top_level(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("references")
    data = {"sku": "s", "quantity": 1, "note": "n", "colour": "red"}
    assert roundtrip(pkg.OrderLine, data) == data


def test_an_object_whose_docs_list_no_field_keeps_its_keys(
        snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("references")
    data = {"type": "order", "lines": [], "status": "open",
            "metadata": {"FriendlyName": "x", "n": [1, None]}}
    assert roundtrip(pkg.Order, data) == data
    assert pkg.OrderMetadata.model_validate({"a": 1}).model_dump() == {"a": 1}


def test_required_fields_shown_as_null_in_examples_accept_null(
    snap: Callable[[str], ModuleType],
) -> None:
    pkg = snap("references")
    data = {"sku": "s", "quantity": 1, "note": None}
    assert roundtrip(pkg.OrderLine, data) == data
    with pytest.raises(ValidationError, match="note"):
        pkg.OrderLine.model_validate({"sku": "s", "quantity": 1})  # still required
    with pytest.raises(ValidationError, match="sku"):
        pkg.OrderLine.model_validate({"sku": None, "quantity": 1, "note": None})


def test_a_null_deep_in_an_example_cell_makes_its_field_nullable(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """An Example cell's JSON is the wire's: a null anywhere in it, under a key spelled as
    the wire spells it (`bytes` for Go's `Bytes`), says its field may be null."""
    specs = tmp_path / "specs"
    specs.mkdir()
    head = ("## Fields\n\n| Field | Type | Required | Description | Example |\n"
            "| - | - | - | - | - |\n")
    (specs / "logprob.md").write_text(
        "# Logprob\n\n" + head + "| `Token` | *string* | :heavy_check_mark: | N/A | |\n"
        "| `Bytes` | []*int64* | :heavy_check_mark: | N/A | |\n")
    (specs / "choice.md").write_text(
        "# Choice\n\n" + head + "| `Logprobs` | [][components.Logprob](logprob.md) | "
        ':heavy_check_mark: | N/A | [{"token": "a", "bytes": null}] |\n')
    pkg = generate_package(specs)
    data = {"logprobs": [{"token": "a", "bytes": None}]}
    assert roundtrip(pkg.Choice, data) == data
    with pytest.raises(ValidationError, match="token"):
        pkg.Logprob.model_validate({"token": None, "bytes": None})  # no example shows it null


def test_discriminated_and_plain_unions(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("unions")
    pet = TypeAdapter(pkg.Pet).validate_python({"kind": "dog", "name": "Rex"})
    assert type(pet).__name__ == "Dog"
    with pytest.raises(ValidationError, match="kind"):
        TypeAdapter(pkg.Pet).validate_python({"kind": "fish", "name": "Nemo"})
    for value in ["text", 3, 2.5, [{"kind": "cat", "name": "Tom"}],
                  {"tom": {"kind": "cat", "name": "Tom"}}]:
        assert roundtrip(pkg.Content, value) == value


def test_namespaces_keep_same_titles_apart(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("namespaces")
    from importlib import import_module

    operations = import_module(pkg.__name__ + ".operations")
    assert operations.Widget is not pkg.Widget
    data = {"widget_id": "w1", "body": {"id": "w1"}, "next": "cursor"}
    assert roundtrip(operations.Widget, data) == data
    value = operations.Widget.model_validate(data)
    assert isinstance(value.body, pkg.Widget)


def test_package_import_is_lazy(snap: Callable[[str], ModuleType]) -> None:
    pkg = snap("references")
    loaded = [m for m in sys.modules if m.startswith(pkg.__name__ + ".")]
    assert loaded == []
    assert "Order" in dir(pkg) and "Order" in pkg.__all__
    assert pkg.Order.__name__ == "Order"
    assert f"{pkg.__name__}.order" in sys.modules
    with pytest.raises(AttributeError):
        pkg.NoSuchModel  # noqa: B018


CYCLE_CHECK = """
import importlib, sys
from pydantic import TypeAdapter
first = importlib.import_module(sys.argv[1])
pkg = importlib.import_module(sys.argv[2])
ops = importlib.import_module(sys.argv[2] + ".operations")
tree = {"kind": "node", "children": [{"kind": "leaf", "value": "a"},
        {"kind": "node", "children": [], "owner": {"name": "o", "tree": {"kind": "leaf",
        "value": "b"}}}], "parent": {"kind": "node", "children": []}}
for model, data in [(pkg.Tree, tree), (pkg.TreeNode, tree), (ops.Owner, {"name": "n",
                    "tree": tree}), (pkg.JsonValue, {"a": [1, 2.5, "x", {"b": []}]})]:
    adapter = TypeAdapter(model)
    back = adapter.dump_python(adapter.validate_python(data), mode="json", by_alias=True,
                               exclude_unset=True)
    assert back == data, (back, data)
print("ok")
"""


def test_reference_cycles_import_in_any_order(
    generate_package: Callable[[Path], ModuleType],
) -> None:
    import subprocess

    pkg = generate_package(SNAPSHOTS / "cycles" / "specs")
    out = package_dir(pkg).parent
    modules = ["tree", "treenode", "treeleaf", "jsonvalue", "operations.owner", "operations"]
    for module in modules:
        result = subprocess.run(
            [sys.executable, "-c", CYCLE_CHECK, f"{pkg.__name__}.{module}", pkg.__name__],
            capture_output=True, text=True, cwd=out, timeout=120,
        )
        assert result.stdout.strip() == "ok", (module, result.stderr[-2000:])


def test_format_forms(snap: Callable[[str], ModuleType]) -> None:
    from importlib import import_module

    pkg = snap("forms")
    components = import_module(pkg.__name__ + ".components")
    operations = import_module(pkg.__name__ + ".operations")
    errors = import_module(pkg.__name__ + ".errors")
    specs = SNAPSHOTS / "forms" / "specs"
    names = example_of(specs / "components" / "names.md")
    # `modelConfig` keeps its own name on the wire: `model_config` is another field's.
    assert roundtrip(components.Names, names) == names
    value = components.Names.model_validate(names)
    assert (value.lambda_, value.and_, value.model_config__, value.str) == ("l", True, 2, "s")
    upload = example_of(specs / "operations" / "upload.mdx")
    assert roundtrip(operations.Upload, upload) == upload  # runtime objects left out
    assert operations.Upload.model_fields["name"].examples == ["a.txt", "42"]
    assert operations.Upload.model_fields["nested"].examples == [{"a": {"b": 1}}]
    with pytest.raises(ValidationError):
        operations.Upload.model_validate({**upload, "enabled": False})
    with pytest.warns(DeprecationWarning, match="LegacyLimit is deprecated"):
        components.LegacyLimit(requests=1)
    assert errors.NotFound.__doc__ == "Not found, with a `<placeholder>` and a {brace}."
    stream = [{"code": 404, "message": "m"}]
    assert roundtrip(components.StreamOrMatrix, stream) == stream
    assert roundtrip(components.StreamOrMatrix, [[1, 2.5]]) == [[1, 2.5]]


def test_configured_numbers_and_spec_field_names(
    generate_package: Callable[..., ModuleType],
) -> None:
    from specgen_md.config import FieldOverride

    pkg = generate_package(
        SNAPSHOTS / "objects" / "specs",
        field_names="spec",
        fields={"Invoice.amount": FieldOverride(number="int"),
                "Invoice.taxRate": FieldOverride(number="float")},
    )
    value = pkg.Invoice.model_validate({"invoiceId": "a", "amount": 3, "taxRate": 1})
    assert value.invoiceId == "a" and value.from_ is None
    assert type(value.taxRate) is float
    with pytest.raises(ValidationError):
        pkg.Invoice.model_validate({"invoiceId": "a", "amount": 2.5})


GO_OBJECT = """---
title: "{title}"
---

## Fields

| Field | Type | Required | Description |
| ----- | ---- | -------- | ----------- |
| `Path` | `string` | :heavy_check_mark: | N/A |
| `Type` | [components.{title}Type]({lower}type.mdx) | :heavy_check_mark: | N/A |
"""

GO_TAG = """---
title: "{title}Type"
---

## Values

| Name | Value |
| ---- | ----- |
| `{title}Type{word}` | {value} |
"""

GO_UNION = """---
title: "Operation"
---

## Supported Types

### CreateFile

```go
operation := components.CreateOperationCreateFile(components.CreateFile{/* values here */})
```

### DeleteFile

```go
operation := components.CreateOperationDeleteFile(components.DeleteFile{/* values here */})
```
"""


def test_a_union_tells_members_apart_by_a_tag_the_docs_name_otherwise(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    # Go docs name fields as Go does (`Type`), and the models accept that name too: pydantic
    # cannot discriminate on such a field, so validation tells the members apart.
    folder = tmp_path / "specs" / "components"
    folder.mkdir(parents=True)
    for title, value in (("CreateFile", "create_file"), ("DeleteFile", "delete_file")):
        word = title.replace("File", "")
        (folder / f"{title.lower()}.mdx").write_text(
            GO_OBJECT.format(title=title, lower=title.lower()))
        (folder / f"{title.lower()}type.mdx").write_text(
            GO_TAG.format(title=title, word=word, value=value))
    (folder / "operation.mdx").write_text(GO_UNION)
    pkg = importlib.import_module(generate_package(tmp_path / "specs").__name__ + ".components")
    adapter = TypeAdapter(pkg.Operation)
    value = adapter.validate_python({"type": "delete_file", "path": "p"})
    assert type(value) is pkg.DeleteFile
    assert type(adapter.validate_python({"Type": "create_file", "Path": "p"})) is pkg.CreateFile
    assert roundtrip(pkg.Operation, {"type": "create_file", "path": "p"}) == {
        "type": "create_file", "path": "p"}
    with pytest.raises(ValidationError):
        adapter.validate_python({"type": "move_file", "path": "p"})


def test_a_union_holding_any_is_tried_after_the_models_beside_it(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`Either = Loose | Thing` where `Loose = str | Any`: data that fits `Thing` is read as
    `Thing` (and written under its wire names), not kept as it came by `Loose`'s `Any`."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "loose.md").write_text("# Loose\n\n## Supported Types\n\n### `string`\n\n### `any`\n")
    (specs / "thing.md").write_text(
        "# Thing\n\n## Fields\n\n| Field | Type | Required | Description |\n"
        "| - | - | - | - |\n| `aA` | *number* | :heavy_check_mark: | N/A |\n")
    (specs / "either.md").write_text(
        "# Either\n\n## Supported Types\n\n### `models.Loose`\n\n### `models.Thing`\n")
    pkg = generate_package(specs)
    adapter = TypeAdapter(pkg.Either)
    assert type(adapter.validate_python({"aA": 0})) is pkg.Thing
    assert roundtrip(pkg.Either, {"aA": 0}) == {"a_a": 0}
    assert roundtrip(pkg.Either, "text") == "text"
    assert roundtrip(pkg.Either, [1]) == [1]


def test_models_beside_a_member_holding_any_are_told_apart_as_usual(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`Pick = Wide | Loose | Narrow`: data that fits both models is read as the one it fits
    best (every key kept), before `Loose`'s `Any` is tried."""
    specs = tmp_path / "specs"
    specs.mkdir()
    row = "| `{0}` | *string*[] | {1} | N/A |\n"
    head = "## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
    (specs / "wide.md").write_text("# Wide\n\n" + head + row.format("b", ":heavy_minus_sign:"))
    (specs / "narrow.md").write_text("# Narrow\n\n" + head + row.format("a", ":heavy_check_mark:"))
    (specs / "loose.md").write_text("# Loose\n\n## Supported Types\n\n### `string`\n\n### `any`\n")
    (specs / "pick.md").write_text("# Pick\n\n## Supported Types\n\n### `models.Wide`\n\n"
                                   "### `models.Loose`\n\n### `models.Narrow`\n")
    pkg = generate_package(specs)
    assert type(TypeAdapter(pkg.Pick).validate_python({"a": []})) is pkg.Narrow
    assert roundtrip(pkg.Pick, {"a": []}) == {"a": []}
    assert roundtrip(pkg.Pick, {"b": ["x"]}) == {"b": ["x"]}
    assert roundtrip(pkg.Pick, 3) == 3


def test_members_beside_any_that_are_one_type_at_run_time_are_no_union(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`Pick = Empty | Alias | Any` with `Empty` the constant `""` and `Alias = Empty`: its
    members beside `Any` are one type at run time (`Literal[""]`), where pydantic can give no
    union mode; `Pick` still reads both, and `Pair`, whose members beside `Any` are two types
    whatever the aliases say, still tells them apart first."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "empty.md").write_text('# Empty\n\n## Values\n\n```typescript\n""\n```\n')
    (specs / "alias.md").write_text("# Alias\n\n## Supported Types\n\n### `models.Empty`\n")
    (specs / "pick.md").write_text("# Pick\n\n## Supported Types\n\n### `any`\n\n"
                                   "### `models.Empty`\n\n### `models.Alias`\n")
    (specs / "pair.md").write_text("# Pair\n\n## Supported Types\n\n### `any`\n\n"
                                   "### `models.Alias`\n\n### `number`\n")
    pkg = generate_package(specs)
    assert roundtrip(pkg.Pick, "") == ""
    assert roundtrip(pkg.Pick, {"a": [1]}) == {"a": [1]}
    assert roundtrip(pkg.Pair, "") == "" and roundtrip(pkg.Pair, 2) == 2
    assert 'union_mode="smart"' in (package_dir(pkg) / "pair.py").read_text()


def test_data_beside_any_goes_to_the_member_it_fits_best_in_wire_form_too(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`Pick = Any | Poor | Rich`: data that `Poor` could take only with keys it does not know
    (and a null its list field refuses) is read as `Rich`, the member it fits best, and its
    wire form (examples, the round trip) follows `Rich` too, not the first member that fits
    at all."""
    specs = tmp_path / "specs"
    specs.mkdir()
    head = "## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
    (specs / "poor.md").write_text("# Poor\n\n" + head +
                                   "| `a` | *string*[] | :heavy_check_mark: | N/A |\n")
    (specs / "rich.md").write_text(
        "# Rich\n\n## Example Usage\n\n```typescript\n"
        'let value: Rich = {"_private": {}, "a0V": 0, "a": null, "n": {}};\n```\n\n' + head +
        "| `_private` | Record<string, *number*> | :heavy_check_mark: | N/A |\n"
        "| `a0V` | *number* | :heavy_check_mark: | N/A |\n"
        "| `a` | *any* | :heavy_check_mark: | N/A |\n"
        "| `n` | Record<string, *string*> | :heavy_check_mark: | N/A |\n")
    (specs / "pick.md").write_text("# Pick\n\n## Supported Types\n\n### `any`\n\n"
                                   "### `models.Poor`\n\n### `models.Rich`\n")
    pkg = generate_package(specs, wire_names="snake")
    data = {"_private": {}, "a0V": 0, "a": None, "n": {}}
    assert type(TypeAdapter(pkg.Pick).validate_python(data)) is pkg.Rich
    assert roundtrip(pkg.Pick, data) == wire_form(specs, "Pick", data, wire_names="snake") == {
        "_private": {}, "a0_v": 0, "a": None, "n": {}}
    assert roundtrip(pkg.Pick, {"a": ["x"]}) == wire_form(
        specs, "Pick", {"a": ["x"]}, wire_names="snake")


def test_a_null_the_member_refuses_sends_the_data_to_the_member_that_takes_it(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`Pick = Strict | Loose`: data whose keys `Strict` knows all of, with a null where
    `Strict` requires a number, is read as `Loose` (its `x` is optional), and its wire form
    follows `Loose`: `fooBar` is a key it does not know, kept as it is (the model drops it),
    not `Strict`'s `foo_bar`."""
    specs = tmp_path / "specs"
    specs.mkdir()
    head = "## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
    (specs / "strict.md").write_text("# Strict\n\n" + head +
                                     "| `fooBar` | *string* | :heavy_check_mark: | N/A |\n"
                                     "| `x` | *number* | :heavy_check_mark: | N/A |\n")
    (specs / "loose.md").write_text("# Loose\n\n" + head +
                                    "| `x` | *number* | :heavy_minus_sign: | N/A |\n")
    (specs / "pick.md").write_text("# Pick\n\n## Supported Types\n\n### `models.Strict`\n\n"
                                   "### `models.Loose`\n")
    pkg = generate_package(specs, wire_names="snake")
    data = {"fooBar": "s", "x": None}
    assert type(TypeAdapter(pkg.Pick).validate_python(data)) is pkg.Loose
    assert wire_form(specs, "Pick", data, wire_names="snake") == data
    assert roundtrip(pkg.Pick, data) == {"x": None}
    fits = {"fooBar": "s", "x": 1}
    assert roundtrip(pkg.Pick, fits) == wire_form(specs, "Pick", fits, wire_names="snake") == {
        "foo_bar": "s", "x": 1}


def test_a_union_of_members_that_all_read_anything_imports(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "loose.md").write_text("# Loose\n\n## Supported Types\n\n### `any`\n")
    (specs / "looser.md").write_text(
        "# Looser\n\n## Supported Types\n\n### `models.Loose`\n\n### `any`\n")
    pkg = generate_package(specs)
    assert roundtrip(pkg.Looser, {"a": [1]}) == {"a": [1]}


def test_field_examples_the_types_do_not_read_are_left_out(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """An Example cell is the API's JSON: checked all the way down against the docs' types
    (its keys as the wire spells them), and left out, with a warning, where a model would
    not read it. A Go-form date becomes the wire's `YYYY-MM-DD`."""
    specs = tmp_path / "specs" / "components"
    specs.mkdir(parents=True)
    header = ("| Field | Type | Required | Description | Example |\n"
              "| ----- | ---- | -------- | ----------- | ------- |\n")
    (specs / "location.md").write_text(
        "# Location\n\n## Fields\n\n" + header
        + "| `postal_code` | *str* | :heavy_check_mark: | N/A | 802 |\n"
        + "| `city_name` | *Optional[str]* | :heavy_minus_sign: | N/A | Denver |\n")
    link = "[components.Location](../components/location.md)"
    (specs / "pin.md").write_text(
        "# Pin\n\n## Fields\n\n" + header
        + f'| `home` | {link} | :heavy_check_mark: | N/A | {{"postal_code": "802", '
          '"cityName": "Denver"} |\n'
        + f'| `work` | {link} | :heavy_check_mark: | N/A | {{"postalCode": 802}} |\n'
        + "| `since` | [date](https://docs.python.org/3/library/datetime.html#date-objects) "
          "| :heavy_check_mark: | N/A | 2005-09-29 00:00:00 +0000 UTC |\n")
    package = importlib.import_module(
        generate_package(tmp_path / "specs", dialect="python").__name__ + ".components")
    fields = package.Pin.model_fields
    assert fields["home"].examples == [{"postal_code": "802", "cityName": "Denver"}]
    assert fields["work"].examples is None  # 802 is no string
    assert fields["since"].examples == ["2005-09-29"]
    assert package.Pin.model_validate({"home": fields["home"].examples[0], "work": {
        "postal_code": "1"}, "since": fields["since"].examples[0]}).since.year == 2005


def test_dates_in_their_wire_form() -> None:
    from specgen_md.dates import date_from_example, fits, wire_form
    from specgen_md.ir import Primitive

    go_day, go_time = "2005-09-29 00:00:00 +0000 UTC", "2005-09-29 10:30:00.5 +0200 CEST"
    assert (date_from_example(go_day), date_from_example(go_time)) == (
        Primitive.DATE, Primitive.DATETIME)
    assert wire_form(go_day, Primitive.DATE) == "2005-09-29"
    assert wire_form(go_time, Primitive.DATETIME) == "2005-09-29T10:30:00.5+02:00"
    assert wire_form("yesterday", Primitive.DATE) == "yesterday"
    assert fits("2005-09-29", Primitive.DATE) and not fits(go_day, Primitive.DATE)
    assert fits("2005-09-29T10:30:00Z", Primitive.DATETIME)
    assert fits("2005-09-29 10:30", Primitive.DATETIME)
    assert not fits("2005-09-29", Primitive.DATETIME) and not fits("soon", Primitive.DATETIME)
    # of days and times there are
    assert fits("2024-02-29", Primitive.DATE) and not fits("2024-02-30", Primitive.DATE)
    assert not fits("2024-13-45T99:99:99Z", Primitive.DATETIME)
    assert fits("2024-01-02t03:04:05.5z", Primitive.DATETIME)


def test_the_camel_case_the_examples_show_spells_the_other_models(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """Python and Ruby docs name fields in snake_case; where their examples show the API's
    keys in camelCase, the models the examples do not reach are spelled so too (`auto`), as
    `wire_names = "camel"` spells every model."""
    specs = tmp_path / "specs"
    specs.mkdir()
    header = ("| Field | Type | Required | Description | Example |\n"
              "| ----- | ---- | -------- | ----------- | ------- |\n")
    (specs / "session.md").write_text(
        "# Session\n\n## Fields\n\n" + header
        + "| `source_video_codec` | *str* | :heavy_check_mark: | N/A | h264 |\n")
    (specs / "player.md").write_text(
        "# Player\n\n## Fields\n\n" + header
        + '| `session` | [components.Session](session.md) | :heavy_check_mark: | N/A | '
          '{"sourceVideoCodec": "h264"} |\n')
    (specs / "account.md").write_text(
        "# Account\n\n## Fields\n\n" + header
        + "| `default_audio_language` | *Optional[str]* | :heavy_minus_sign: | N/A | en |\n")
    for options in ({}, {"wire_names": "camel"}):
        pkg = generate_package(specs, dialect="python", **options)
        account = pkg.Account.model_validate({"defaultAudioLanguage": "en"})
        assert account.default_audio_language == "en", options
        assert account.model_dump(by_alias=True) == {"defaultAudioLanguage": "en"}
    pkg = generate_package(specs, dialect="python", wire_names="snake")
    assert pkg.Account(default_audio_language="en").model_dump(by_alias=True) == {
        "default_audio_language": "en"}


def test_a_name_spelled_the_apis_own_way_holds_for_the_same_kind_of_value(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`"Location": {...}` in an example: the other models' `location` fields holding an
    object are spelled so; an enum `location` is not. The keys of an example left out for a
    value the types do not read (a string for a number) still show the spelling."""
    specs = tmp_path / "specs"
    specs.mkdir()
    header = ("| Field | Type | Required | Description | Example |\n"
              "| ----- | ---- | -------- | ----------- | ------- |\n")
    (specs / "place.md").write_text(
        "# Place\n\n## Fields\n\n" + header + "| `uri` | *string* | :heavy_check_mark: | N/A | |\n"
        "| `weight` | *number* | :heavy_minus_sign: | N/A | |\n")
    (specs / "item.md").write_text(
        "# Item\n\n## Fields\n\n" + header
        + "| `location` | [models.Place](place.md) | :heavy_minus_sign: | N/A | |\n")
    (specs / "request.md").write_text(
        "# Request\n\n## Fields\n\n" + header
        + '| `item` | [models.Item](item.md) | :heavy_minus_sign: | N/A | '
          '{"Location": {"uri": "u", "weight": ""}} |\n')
    (specs / "other.md").write_text(
        "# Other\n\n## Fields\n\n" + header
        + "| `location` | [models.Place](place.md) | :heavy_minus_sign: | N/A | |\n")
    (specs / "where.md").write_text(
        '# Where\n\n## Values\n\n```typescript\n"lan" | "wan"\n```\n')
    (specs / "session.md").write_text(
        "# Session\n\n## Fields\n\n" + header
        + "| `location` | [models.Where](where.md) | :heavy_minus_sign: | N/A | |\n")
    pkg = generate_package(specs)
    for model in (pkg.Item, pkg.Other):
        assert roundtrip(model, {"Location": {"uri": "u"}}) == {"Location": {"uri": "u"}}
    assert roundtrip(pkg.Session, {"location": "wan"}) == {"location": "wan"}


def test_spec_folders_become_python_package_names(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """Folder names are not always Python's (`Components` in C# docs, `my-models`, `class`,
    `2024`): their packages are lowercase identifiers, folders that would share one kept
    apart, and the modules import one another across them."""
    specs = tmp_path / "specs"
    header = "## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
    for folder in ("my-models", "class", "2024", "Shared", "shared"):
        (specs / folder).mkdir(parents=True)
        title = "Thing" + "".join(c for c in folder if c.isalnum()).title()
        (specs / folder / "thing.md").write_text(
            f"# {title}\n\n" + header + "| `a` | *string* | :heavy_check_mark: | N/A |\n")
    (specs / "Components").mkdir()
    (specs / "Components" / "user.md").write_text(
        "# User\n\n" + header
        + "| `a` | [models.ThingMyModels](../my-models/thing.md) | :heavy_check_mark: | N/A |\n"
        + "| `b` | [models.ThingClass](../class/thing.md) | :heavy_check_mark: | N/A |\n"
        + "| `c` | [models.Thing2024](../2024/thing.md) | :heavy_check_mark: | N/A |\n"
        + "| `d` | [models.ThingShared](../Shared/thing.md) | :heavy_check_mark: | N/A |\n"
        + "| `e` | [models.ThingShared](../shared/thing.md) | :heavy_check_mark: | N/A |\n")
    pkg = generate_package(specs)
    user = importlib.import_module(f"{pkg.__name__}.components").User
    data = {"a": {"a": "1"}, "b": {"a": "2"}, "c": {"a": "3"}, "d": {"a": "4"},
            "e": {"a": "5"}}
    assert roundtrip(user, data) == data
    packages = sorted(p.name for p in (tmp_path / "out" / pkg.__name__).iterdir()
                      if p.is_dir() and p.name != "__pycache__")
    assert packages == ["_2024", "class_", "components", "my_models", "shared", "shared_"]


def test_a_union_whose_tag_is_read_under_two_keys_is_still_discriminated(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """Go and C# docs name the tag `Kind`, the wire `kind`: both keys are read, and the tag
    picks the member (one error for a bad member, not one per member)."""
    specs = tmp_path / "specs"
    specs.mkdir()
    for title, tag in (("Dog", "dog"), ("Cat", "cat")):
        (specs / f"{tag}.md").write_text(
            f"# {title}\n\n## Fields\n\n| Field | Type | Required | Description |\n"
            f'| - | - | - | - |\n| `petKind` | *"{tag}"* | :heavy_check_mark: | N/A |\n'
            "| `name` | *string* | :heavy_check_mark: | N/A |\n")
    (specs / "pet.md").write_text(
        "# Pet\n\n## Supported Types\n\n### `models.Dog`\n\n### `models.Cat`\n")
    pkg = generate_package(specs, wire_names="snake")
    adapter = TypeAdapter(pkg.Pet)
    assert type(adapter.validate_python({"pet_kind": "cat", "name": "x"})) is pkg.Cat
    assert type(adapter.validate_python({"petKind": "dog", "name": "x"})) is pkg.Dog
    assert type(adapter.validate_python(pkg.Cat(name="x"))) is pkg.Cat
    assert roundtrip(pkg.Pet, {"pet_kind": "dog", "name": "x"}) == {
        "pet_kind": "dog", "name": "x"}
    with pytest.raises(ValidationError) as bad:
        adapter.validate_python({"pet_kind": "dog", "name": 5})
    assert bad.value.error_count() == 1
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        adapter.validate_python({"pet_kind": "cow", "name": "x"})


def test_names_python_reads_otherwise_and_values_nested_too_deep(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """A title `annotations` on a reference cycle (`from __future__ import annotations`
    binds the name), a field `model_dump` (pydantic's namespace), keys Python would read as
    others (`ﬁx` is `fix`) or ASCII-only snake_case would lose (`ℌello`), an example nested
    deeper than any model: the package imports, without warnings, and keeps them apart."""
    import warnings

    specs = tmp_path / "specs"
    specs.mkdir()
    head = ("## Fields\n\n| Field | Type | Required | Description | Example |\n"
            "| - | - | - | - | - |\n")
    (specs / "a.md").write_text(
        "# A\n\n" + head + "| `o` | [models.annotations](ann.md) | :heavy_minus_sign: | N/A | |\n"
        "| `model_dump` | *string* | :heavy_minus_sign: | N/A | |\n"
        "| `deep` | *any* | :heavy_minus_sign: | N/A | " + '{"a":' * 40 + "1" + "}" * 40 + " |\n")
    (specs / "ann.md").write_text(
        "# annotations\n\n" + head + "| `a` | [models.A](a.md) | :heavy_minus_sign: | N/A | |\n"
        "| `ﬁx` | *string* | :heavy_minus_sign: | N/A | |\n"
        "| `fix` | *string* | :heavy_minus_sign: | N/A | |\n"
        "| `ℌello` | *string* | :heavy_minus_sign: | N/A | |\n")
    for kind in ("pydantic", "typeddict"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            pkg = generate_package(specs, model_kind=kind, wire_names="snake")
            a = importlib.import_module(f"{pkg.__name__}.a").A
            ann = importlib.import_module(f"{pkg.__name__}.annotations").annotations_
        data = {"o": {"ﬁx": "1", "fix": "2", "ℌello": "3"}, "model_dump": "x"}
        if kind == "pydantic":
            assert roundtrip(a, data) == data
            assert "examples" not in str(a.model_fields["deep"])
        else:
            assert set(ann.__annotations__) == {"a", "ﬁx", "fix", "ℌello"}


def test_an_example_copied_onto_many_pages_counts_once_for_the_spelling(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """Four pages copy one example whose key is snake_case; another shows two camelCase keys:
    the doc set's keys are camelCase (a name counts once, however many examples show it)."""
    specs = tmp_path / "specs"
    specs.mkdir()
    head = ("## Fields\n\n| Field | Type | Required | Description | Example |\n"
            "| - | - | - | - | - |\n")
    (specs / "geo.md").write_text(
        "# Geo\n\n" + head + "| `postalCode` | *string* | :heavy_check_mark: | N/A | |\n")
    for n in range(4):
        (specs / f"resp{n}.md").write_text(
            f"# Resp{n}\n\n" + head + '| `geo` | [models.Geo](geo.md) | :heavy_check_mark: | '
            'N/A | {"postal_code": "1"} |\n')
    (specs / "session.md").write_text(
        "# Session\n\n" + head + "| `videoCodec` | *string* | :heavy_check_mark: | N/A | |\n"
        "| `audioCodec` | *string* | :heavy_check_mark: | N/A | |\n")
    (specs / "holder.md").write_text(
        "# Holder\n\n" + head + '| `session` | [models.Session](session.md) | '
        ':heavy_check_mark: | N/A | {"videoCodec": "h264", "audioCodec": "aac"} |\n')
    (specs / "other.md").write_text(
        "# Other\n\n" + head + "| `someName` | *string* | :heavy_check_mark: | N/A | |\n")
    pkg = generate_package(specs)
    assert roundtrip(pkg.Other, {"someName": "x"}) == {"someName": "x"}
    assert roundtrip(pkg.Geo, {"postal_code": "1"}) == {"postal_code": "1"}  # as shown


def test_configuration_names_a_namespaced_model_by_its_title_too(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`Link.shortUrl` names the field of every namespace's `Link` (doc sets keep their
    models in `components/`); `components.Link.shortUrl` names that one's, first."""
    from specgen_md.config import FieldOverride, ModelOverride

    specs = tmp_path / "specs"
    head = "## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
    for folder in ("components", "operations"):
        (specs / folder).mkdir(parents=True)
        (specs / folder / "link.md").write_text(
            "# Link\n\n" + head + "| `shortUrl` | *string* | :heavy_check_mark: | N/A |\n"
            "| `longUrl` | *string* | :heavy_check_mark: | N/A |\n")
    pkg = generate_package(
        specs, fields={"Link.shortUrl": FieldOverride(name="short"),
                       "components.Link.shortUrl": FieldOverride(name="tiny")},
        models={"Link": ModelOverride(wire_names="spec")})
    ours = importlib.import_module(f"{pkg.__name__}.components").Link
    theirs = importlib.import_module(f"{pkg.__name__}.operations").Link
    assert set(ours.model_fields) == {"tiny", "long_url"}
    assert set(theirs.model_fields) == {"short", "long_url"}
    data = {"shortUrl": "s", "longUrl": "l"}
    assert roundtrip(ours, data) == roundtrip(theirs, data) == data


def test_spec_field_names_python_reads_as_others_are_not_kept(
        tmp_path: Path, generate_package: Callable[..., ModuleType]) -> None:
    """`field_names = "spec"` keeps the docs' names where Python reads them as written:
    `ﬁx` (read as `fix`) would be one attribute with `fix`."""
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.md").write_text(
        "# A\n\n## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
        "| `ﬁx` | *string* | :heavy_check_mark: | N/A |\n"
        "| `fix` | *number* | :heavy_check_mark: | N/A |\n")
    pkg = generate_package(specs, field_names="spec", wire_names="spec")
    assert len(pkg.A.model_fields) == 2
    data = {"ﬁx": "s", "fix": 1}
    assert roundtrip(pkg.A, data) == data


def test_the_wire_guess_warning_is_of_a_field_with_a_key(tmp_path: Path) -> None:
    from specgen_md.build import build_package
    from specgen_md.config import Config
    from specgen_md.diagnostics import Diagnostics

    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "bag.md").write_text(
        "# Bag\n\n## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n"
        "| `additionalProperties` | Record<string, *string*> | :heavy_minus_sign: | N/A |\n"
        "| `createdAt` | *string* | :heavy_check_mark: | N/A |\n")
    diags = Diagnostics()
    assert build_package(Config(specs=specs, out=tmp_path, package="p"), diags) is not None
    assert [d.message.split("(")[1].split(")")[0] for d in diags.items] == [
        "'Bag.createdAt' as 'created_at'"]
