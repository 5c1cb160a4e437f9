"""Two doc sets of one API merged: openrouter-mdx (TypeScript) with openrouter-go (Go).

The OpenAPI document both were generated from is the ground truth (the generator reads
markdown only): for its object schemas' properties, whether the model's field is an integer or
a float where the API says `integer` or `number`, and whether a required field accepts null
where the API says so, before merging (TypeScript alone) and after. Every TypeScript example
must still validate and dump back unchanged.

Run with `make corpus`; prints the figures, fails below 97% agreement after merging.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter
from specgen_md.build import build_package, render_options
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import Doc, ObjectDoc, UnionDoc
from specgen_md.pipeline import generate
from specgen_md.render.semantics import Planner
from specgen_md.resolve import Package

from .test_corpora import corpus_folder, unpacked  # noqa: F401 (a fixture)
from .test_dialects import accepts_none, takes
from .test_openapi import OPENAPI, SPECS, folded, payload_results

pytestmark = pytest.mark.corpus
TARGET = 0.97


def _null(schema: dict[str, Any], schemas: dict[str, Any]) -> bool:
    """Whether an OpenAPI 3.1 property schema accepts null (itself, or the schema it refers
    to)."""
    if isinstance(schema.get("$ref"), str):
        schema = schemas.get(schema["$ref"].rsplit("/", 1)[1], {})
    kinds = schema.get("type")
    members = [*(schema.get("anyOf") or []), *(schema.get("oneOf") or []),
               *(schema.get("allOf") or [])]
    return (schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)
            or any(isinstance(m, dict) and (m.get("type") == "null" or m.get("nullable") is True)
                   for m in members))


def _takes(annotation: Any, kind: type) -> bool:
    """`takes`, through `Annotated` (strict numbers are `Annotated[int, Strict()]`)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return takes(Union[tuple(_plain(m) for m in get_args(annotation))], kind)  # noqa: UP007
    return takes(_plain(annotation), kind)


def _plain(annotation: Any) -> Any:
    return get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation


def _number(schema: dict[str, Any]) -> type | None:
    """`int` or `float` for an `integer` or `number` property (nullable or not)."""
    kinds = schema.get("type")
    kinds = set(kinds) - {"null"} if isinstance(kinds, list) else {kinds}
    return {frozenset({"integer"}): int, frozenset({"number"}): float}.get(frozenset(kinds))


def agreement(package: Package, config: Config, document: dict[str, Any]) -> Counter[str]:
    """How many integer/number properties, and required nullable-or-not ones, the models
    type as the API does."""
    planner = Planner(package, render_options(config).policy)
    by_title: dict[str, Doc] = {}
    for doc in sorted(package.docs.values(), key=lambda d: (len(d.namespace), d.key)):
        by_title.setdefault(folded(doc.title), doc)
    counts: Counter[str] = Counter()
    for name, schema in document["components"]["schemas"].items():
        found = by_title.get(folded(name))
        if not isinstance(found, ObjectDoc) or not schema.get("properties"):
            continue
        doc = found
        module = importlib.import_module(".".join((config.package, *package.modules[doc.key])))
        model: type[BaseModel] = getattr(module, package.class_name(doc))
        attributes = {folded(spec): attribute
                      for spec, (attribute, _) in planner.names(doc).items()}
        for prop, sub in schema["properties"].items():
            attribute = attributes.get(folded(prop))
            if attribute is None or not isinstance(sub, dict):
                continue
            annotation = model.model_fields[attribute].annotation
            kind = _number(sub)
            if kind is not None:
                counts["number"] += 1
                counts["number_ok"] += _takes(annotation, kind)
            if prop in (schema.get("required") or []):
                counts["required"] += 1
                counts["required_ok"] += accepts_none(annotation) == _null(
                    sub, document["components"]["schemas"])
    return counts


def typescript_examples(package: Package, config: Config) -> tuple[int, list[str]]:
    """How many examples the TypeScript pages give, and those that do not validate and
    dump back unchanged."""
    planner = Planner(package, render_options(config).policy)
    total, failures = 0, []
    for key, doc in package.docs.items():
        if doc.dialect != "typescript":
            continue
        module = importlib.import_module(".".join((config.package, *package.modules[key])))
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, package.class_name(doc)))
        data = [doc.example.value] if doc.example is not None else []
        if isinstance(doc, UnionDoc):
            data += [m.example.value for m in doc.members if m.example is not None]
        for value in data:
            total += 1
            try:
                back = adapter.dump_python(adapter.validate_python(value), mode="json",
                                           by_alias=True, exclude_unset=True)
            except Exception as exc:
                failures.append(f"{key}: {exc}"[:300])
                continue
            if back != planner.to_wire(value, doc):
                failures.append(f"{key}: {value!r} -> {back!r}"[:300])
    return total, failures


@pytest.fixture
def packages(tmp_path: Path, unpacked: Path) -> Iterator[Path]:  # noqa: F811
    go = corpus_folder("openrouter-go", unpacked)
    if not OPENAPI.is_file() or not SPECS.is_dir() or not go.is_dir():
        pytest.skip("the OpenRouter corpora are not beside this checkout")
    sys.path.insert(0, str(tmp_path))
    yield go
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m.split(".")[0] in ("or_ts", "or_merged")]:
        del sys.modules[module]


def _built(config: Config) -> tuple[Package, Diagnostics]:
    diags = Diagnostics()
    generate(config, diags)
    assert not diags.has_errors, "\n".join(map(str, diags.sorted()[:20]))
    package = build_package(config, Diagnostics())
    assert package is not None
    return package, diags


def test_typescript_and_go_docs_merge_into_the_apis_types(
        packages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    alone = Config(specs=SPECS, out=tmp_path, package="or_ts")
    merged = Config(specs=SPECS, more_specs=(packages,), out=tmp_path, package="or_merged")
    package_alone = _built(alone)[0]
    before = agreement(package_alone, alone, document)
    exact_alone = payload_results(package_alone, alone.package, document)[2]
    package, diags = _built(merged)
    # The Go SDK has no request wrappers (`requestBody`) and passes the headers every call
    # takes (`httpReferer`, ...) as options: those fields are on one page only. Nothing
    # contradicts.
    lone = [d for d in diags.items if "the same model in another doc set" in d.message]
    assert len(lone) > 100 and all(Path(d.pos.path).is_file() for d in lone)
    assert not [d for d in diags.items if " here but " in d.message]
    after = agreement(package, merged, document)
    for key in package.docs:  # every model imports, those of Go pages too
        importlib.import_module(".".join((merged.package, *package.modules[key])))
    examples, failures = typescript_examples(package, merged)
    total, _, exact, _ = payload_results(package, merged.package, document)
    with capsys.disabled():
        for label, counts in (("TypeScript alone", before), ("merged with Go", after)):
            print(f"\nopenrouter {label}: integer/number "
                  f"{counts['number_ok']}/{counts['number']} "
                  f"({counts['number_ok'] / counts['number']:.1%}), null on required fields "
                  f"{counts['required_ok']}/{counts['required']} "
                  f"({counts['required_ok'] / counts['required']:.1%})")
        print(f"merged: {len(package.docs)} models, {len(lone)} fields on one page only, "
              f"{examples} TypeScript examples, "
              f"{examples - len(failures)} validate and round-trip; {exact}/{total} of the "
              f"API's own payloads round-trip ({exact_alone} from TypeScript alone)")
    assert failures == []
    assert examples > 500 and after["number"] > 300 and after["required"] > 1000
    assert after["number_ok"] / after["number"] >= TARGET
    assert after["required_ok"] / after["required"] >= TARGET
    assert after["number_ok"] > before["number_ok"]
    assert total > 500 and exact / total >= TARGET and exact >= exact_alone
