"""Several doc sets of one API merged into one model per page (`--specs a --specs b`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError
from specgen_md.build import build_package
from specgen_md.cli import main
from specgen_md.config import Config, load_config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import EnumDoc, EnumValue, ObjectDoc, Position, Primitive, PrimitiveType
from specgen_md.merge import merge_docs
from specgen_md.pipeline import check, generate
from specgen_md.watch import _Relevant

from .conftest import enum_page, object_page, write_specs

TS = {
    "usagestats.md": object_page("UsageStats", [
        ("count", "*number*", True, "How many"),
        ("ratio", "*number*", True, "A share"),
        ("label", "*string*", True, "A label"),
        ("note", "*string*", False, "Only in these docs"),
        ("status", "[models.Status](../models/status.md)", True, "The state"),
    ], example='{\n  count: 3,\n  ratio: 0.5,\n  label: "x",\n  status: "on",\n}'),
    "status.md": enum_page("Status", '"on" | "off"'),
}


def go_page(title: str, rows: list[tuple[str, str, bool]]) -> str:
    lines = ["---", f'title: "{title}"', "---", "", "## Fields", "",
             "| Field | Type | Required | Description |", "| --- | --- | --- | --- |"]
    for name, cell, required in rows:
        mark = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
        lines.append(f"| `{name}` | {cell} | {mark} | N/A |")
    return "\n".join(lines) + "\n"


def go_enum(title: str, values: list[str]) -> str:
    rows = [f"| `{title}{v.title()}` | {v} |" for v in values]
    return "\n".join(["---", f'title: "{title}"', "---", "", "## Values", "",
                      "| Name | Value |", "| --- | --- |", *rows]) + "\n"


GO = {
    # The same model under another title spelling, in the Go SDK's folder.
    "components/usage_stats.md": go_page("Usage_stats", [
        ("Count", "`*int64`", True),  # a pointer on a required row: null is allowed
        ("Ratio", "*float64*", True),
        ("Label", "*string*", True),
        ("Status", "[components.Status](../components/status.md)", True),
        ("Kind", "[*components.Kind](../components/kind.md)", False),  # Go docs only
    ]),
    "components/status.md": go_enum("Status", ["on", "off"]),
    "components/kind.md": go_enum("Kind", ["big", "small"]),
}


@pytest.fixture
def doc_sets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    monkeypatch.chdir(tmp_path)
    return write_specs(tmp_path / "ts", TS), write_specs(tmp_path / "go", GO)


def _package(ts: Path, go: Path, diags: Diagnostics) -> Any:
    return build_package(Config(specs=ts, more_specs=(go,), out=Path("out"), package="m"),
                         diags)


def test_one_model_takes_integers_and_null_from_go_and_the_example_from_typescript(
        doc_sets: tuple[Path, Path], generate_package: Callable[..., ModuleType]) -> None:
    ts, go = doc_sets
    diags = Diagnostics()
    package = _package(ts, go, diags)
    assert package is not None
    stats = package.docs["usagestats.md"]  # the TypeScript page's key and names
    assert isinstance(stats, ObjectDoc) and stats.dialect == "typescript"
    assert [f.name for f in stats.fields] == ["count", "ratio", "label", "note", "status", "Kind"]
    assert stats.example is not None and stats.example.value["count"] == 3
    assert sorted(package.docs) == ["kind.md", "status.md", "usagestats.md"]
    module = generate_package(ts, more_specs=(go,))
    model = module.UsageStats
    fields = model.model_fields
    assert fields["count"].is_required() and fields["ratio"].is_required()
    assert model(count=None, ratio=0.5, label="x", status="on").count is None
    with pytest.raises(ValidationError):  # an integer, no longer any number
        model(count=1.5, ratio=0.5, label="x", status="on")
    assert model(count=1, ratio=2, label="x", status="on", kind="big").kind.value == "big"


def test_a_field_on_one_page_only_is_kept_optional_with_a_warning(
        doc_sets: tuple[Path, Path], generate_package: Callable[..., ModuleType]) -> None:
    ts, go = doc_sets
    diags = Diagnostics()
    assert _package(ts, go, diags) is not None
    lone = sorted(str(d) for d in diags.items if "another doc set" in d.message)
    assert lone == [
        "go/components/usage_stats.md:13:3: warning: field 'Kind' is not on "
        "ts/usagestats.md:1:3, the same model in another doc set: kept, optional",
        "ts/usagestats.md:23:3: warning: field 'note' is not on "
        "go/components/usage_stats.md:2:8, the same model in another doc set: kept, optional",
    ]
    fields = generate_package(ts, more_specs=(go,)).UsageStats.model_fields
    assert not fields["note"].is_required() and not fields["kind"].is_required()


def test_a_contradiction_names_both_places_and_fails_with_strict(
        doc_sets: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ts, go = doc_sets
    page = go / "components/usage_stats.md"
    page.write_text(page.read_text().replace("| `Label` | *string* |", "| `Label` | *int64* |"))
    (go / "components/status.md").write_text(go_enum("Status", ["on", "off", "paused"]))
    diags = Diagnostics()
    package = _package(ts, go, diags)
    assert package is not None  # warnings: the first doc set's word is kept
    problems = [str(d) for d in diags.sorted() if "here but" in d.message or "values" in d.message]
    assert problems == [
        "ts/status.md:1:3: warning: enum 'Status' has other values at "
        "go/components/status.md:2:8 (only here: none; only there: paused): the model "
        "accepts both",
        "ts/usagestats.md:22:3: warning: field 'label' is string here but integer at "
        "go/components/usage_stats.md:11:3: kept as written here",
    ]
    status = package.docs["status.md"]
    assert isinstance(status, EnumDoc) and [v.value for v in status.values] == [
        "on", "off", "paused"]
    label = package.docs["usagestats.md"].fields[2]
    assert label.type == PrimitiveType(Primitive.STRING, label.pos)
    args = ["generate", "--specs", "ts", "--specs", "go", "--out", "out", "--no-cache"]
    assert main([*args, "--strict"]) == 1
    assert "error: field 'label' is string here" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
    assert main(args) == 0


def test_several_spec_folders_in_pyproject_and_a_change_in_either_regenerates(
        doc_sets: tuple[Path, Path], tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = ["ts", "go"]\nout = "out"\npackage = "m"\n')
    config = load_config(tmp_path, {})
    assert config.spec_folders == (tmp_path / "ts", tmp_path / "go")
    assert load_config(tmp_path, {"specs": ["go"]}).spec_folders == (tmp_path / "go",)
    assert _Relevant([("default", config)], None).roots == sorted(
        [(tmp_path / "ts").resolve(), (tmp_path / "go").resolve()])
    assert generate(config, Diagnostics()).plan is not None
    assert check(config, Diagnostics(), full=False) == check(config, Diagnostics())
    assert _in_sync(config)
    page = tmp_path / "go/components/usage_stats.md"
    page.write_text(page.read_text().replace("*float64*", "`*float64`"))  # now nullable
    drift = check(config, Diagnostics(), full=False)
    assert drift is not None and not drift.in_sync and "usagestats.py" in str(drift.diffs)
    result = generate(config, Diagnostics())
    assert result.plan is not None and "usagestats.py" in result.plan.write
    assert "ratio: StrictFloat | None = Field(" in (
        tmp_path / "out/m/usagestats.py").read_text()
    assert _in_sync(config)


def _in_sync(config: Config) -> bool:
    drift = check(config, Diagnostics(), full=False)
    return drift is not None and drift.in_sync


def test_titles_match_by_letters_and_digits_only(tmp_path: Path) -> None:
    ts = write_specs(tmp_path / "ts", {"v2-item.md": object_page("V2Item", [
        ("size", "*number*", True, "")], example="{ size: 1 }")})
    go = write_specs(tmp_path / "go", {
        "components/v2_item.md": go_page("V2_ITEM", [("Size", "*int64*", True)]),
        "components/v3item.md": go_page("V3Item", [("Size", "*int64*", True)])})
    package = _package(ts, go, Diagnostics())
    assert package is not None
    assert sorted(package.docs) == ["v2-item.md", "v3item.md"]
    size = package.docs["v2-item.md"].fields[0]
    assert size.type == PrimitiveType(Primitive.INTEGER, size.pos)


def test_an_enum_takes_the_kind_a_page_states_where_the_other_guessed() -> None:
    at, there = Position("go/status.md", 2, 8), Position("py/status.md", 2, 8)
    guessed = EnumDoc("status.md", "Status", (), None, False, None, at, "go",
                      values=(EnumValue(1, at), EnumValue(2, at)), kind_guessed=True)
    stated = EnumDoc("status.md", "Status", (), None, False, None, there, "python",
                     values=(EnumValue("1", there), EnumValue("2", there)))
    diags = Diagnostics()
    merged = merge_docs(guessed, stated, diags)
    assert isinstance(merged, EnumDoc) and not merged.kind_guessed
    assert [v.value for v in merged.values] == ["1", "2"] and diags.items == []
    # Both stated, and not alike: the base's kept, with a warning naming the other.
    merge_docs(replace(guessed, kind_guessed=False), stated, diags)
    assert [str(d) for d in diags.items] == [
        "go/status.md:2:8: warning: enum 'Status' has values of another kind at "
        "py/status.md:2:8 (1, 2 here, '1', '2' there): kept as written here"]


def test_union_members_take_the_precise_type_member_for_member(tmp_path: Path) -> None:
    ts = write_specs(tmp_path / "ts", {"size.md": "\n".join([
        "# Size", "", "## Supported Types", "",
        "### `string`", "", "```typescript", 'const value: string = "<value>";', "```", "",
        "### `number`", "", "```typescript", "const value: number = 12;", "```", ""])})
    go = write_specs(tmp_path / "go", {"components/size.md": "\n".join([
        "# Size", "", "## Supported Types", "",
        "### ", "", "```go", "size := components.CreateSizeStr(string{/* values here */})",
        "```", "",
        "### ", "", "```go", "size := components.CreateSizeInteger(int64{/* values here */})",
        "```", ""])})
    package = _package(ts, go, Diagnostics())
    assert package is not None
    members = package.docs["size.md"].members
    assert [m.type.kind for m in members] == [Primitive.STRING, Primitive.INTEGER]
    assert [m.example.value for m in members] == ["<value>", 12]
