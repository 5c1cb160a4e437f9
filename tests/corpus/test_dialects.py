"""The doc sets of the other SDK languages, whole: each generates with only the warnings its
pages call for, every model imports, every Fields-table row is a field of its model, and
integers, floats and nullability are what the page says.

Run with `make corpus`. Prints one line per corpus.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel
from specgen_md.build import build_package
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import ObjectDoc
from specgen_md.parse.document import split_row
from specgen_md.pipeline import generate
from specgen_md.render.semantics import Planner, Policy

from .test_corpora import corpus_folder, unpacked  # noqa: F401 (a fixture)

pytestmark = pytest.mark.corpus

TITLE_ONLY = r"'\w+' gives a title and no section: a union whose members the \w+ docs do not give"
# Example cells whose values the docs' own types do not read (a number for a string field, a
# value no member of the enum has): the docs' mistakes, left out of the models.
BAD_EXAMPLE = r"example of field '\w+' left out: "
# name -> (dialect, the warnings its pages call for: message pattern -> count)
CORPORA: dict[str, tuple[str, dict[str, int]]] = {
    "plex-python": ("python", {r"'RetryConfig' documents SDK settings, not a model": 1,
                               BAD_EXAMPLE: 5}),
    "plex-go": ("go", {r"this page documents no model \(its sections are '## Options'": 1,
                       BAD_EXAMPLE: 5}),
    "plex-csharp": ("csharp", {BAD_EXAMPLE: 4}),
    "plex-php": ("php", {BAD_EXAMPLE: 6}),
    "plex-ruby": ("ruby", {TITLE_ONLY: 10, BAD_EXAMPLE: 6}),
    "glean-java": ("java", {TITLE_ONLY: 4, BAD_EXAMPLE: 9}),
    "openrouter-go": ("go", {r"'Options' documents no model \(its sections are '## Global": 1,
                             BAD_EXAMPLE: 1}),
}

# Type cells whose type is an integer, or a float, at the top (optional markers aside).
_GO_SPAN = r"(?:\*\*?|`\*?)"
INTEGER = {
    "python": r"\*(?:(?:Optional|Nullable|OptionalNullable)\[)?int\]?\*",
    "go": rf"{_GO_SPAN}(?:int|int64|int32)[*`]|optionalnullable\.OptionalNullable\[`int64`\]",
    "csharp": r"\*(?:long|int)\*",
    "php": r"\*\??int\*",
    "ruby": r"\*(?:T\.nilable\()?::Integer\)?\*",
    "java": r"\*(?:Optional\\<)?(?:int|long|Long|Integer)>?\*",
}
FLOAT = {
    "python": r"\*(?:(?:Optional|Nullable|OptionalNullable)\[)?float\]?\*",
    "go": rf"{_GO_SPAN}float(?:32|64)[*`]|optionalnullable\.OptionalNullable\[`float64`\]",
    "csharp": r"\*(?:float|double)\*",
    "php": r"\*\??float\*",
    "ruby": r"\*(?:T\.nilable\()?::Float\)?\*",
    "java": r"\*(?:Optional\\<)?(?:double|Double|float|Float)>?\*",
}
# Rows that say null is allowed: (Type cell pattern, whether only on required rows).
NULLABLE = {
    "python": r"\*(?:Optional)?Nullable\[|\[(?:Optional)?Nullable\[",
    "go": r"optionalnullable\.OptionalNullable\[",
}
GO_POINTER = re.compile(r"(?:\*\*|`\*|\[\*)(?!http\.Response)")
REQUIRED = ":heavy_check_mark:"


def table_rows(path: Path) -> list[dict[str, str]]:
    """The Fields table's rows, read straight from the page: header name -> cell text."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip() == "## Fields"), None)
    if start is None:
        return []
    header_at = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("|"))
    header = [c.text for c in split_row(lines[header_at])]
    rows = []
    for line in lines[header_at + 2:]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(header, (c.text for c in split_row(line)), strict=True)))
    return rows


def takes(annotation: Any, kind: type) -> bool:
    """Whether an annotation is `kind`, or `kind | None`, strict or not."""
    members = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (
        annotation,)
    bare = [get_args(m)[0] if get_origin(m) is Annotated else m for m in members]
    return kind in bare and all(m in (kind, type(None)) for m in bare)


def accepts_none(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(
        annotation)


@pytest.fixture(params=sorted(CORPORA))
def corpus(request: pytest.FixtureRequest, tmp_path: Path,
           unpacked: Path) -> Iterator[tuple[str, Config]]:  # noqa: F811
    name = request.param
    folder = corpus_folder(name, unpacked)
    if not folder.is_dir():
        pytest.skip(f"corpus {name} not found at {folder}")
    package = "dialect_" + name.replace("-", "_")
    sys.path.insert(0, str(tmp_path))
    yield name, Config(specs=folder, out=tmp_path, package=package)
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m.split(".")[0] == package]:
        del sys.modules[module]


class _Counts(Counter[str]):
    def line(self) -> str:
        return (f"{self['rows_fields']}/{self['rows']} table rows are fields, "
                f"{self['int_ok']}/{self['int']} integer and {self['float_ok']}/{self['float']} "
                f"float cells typed so, {self['null_ok']}/{self['null']} nullable rows accept "
                "null")


def check_model(doc: ObjectDoc, model: type[BaseModel], path: Path, dialect: str,
                counts: _Counts, failures: list[str], planner: Planner) -> None:
    rows = table_rows(path)
    names = {name: attribute for name, (attribute, _) in planner.names(doc).items()}
    extra = sum(1 for f in doc.fields if f.extra)
    counts["rows"] += len(rows)
    if len(rows) == len(model.model_fields) + extra == len(names) + extra:
        counts["rows_fields"] += len(rows)
    else:
        failures.append(f"{doc.key}: {len(rows)} rows, {len(model.model_fields)} fields")
    for row in rows:
        name = row["Field"].strip("~`")
        if name not in names:
            continue
        field = model.model_fields[names[name]]
        cell, required = row["Type"], row["Required"] == REQUIRED
        for kind, patterns, key in ((int, INTEGER, "int"), (float, FLOAT, "float")):
            if re.fullmatch(patterns[dialect], cell):
                counts[key] += 1
                ok = takes(field.annotation, kind)
                counts[f"{key}_ok"] += ok
                if not ok:
                    failures.append(f"{doc.key}: {name} is {cell}, not {field.annotation}")
        says_null = dialect in NULLABLE and re.match(NULLABLE[dialect], cell) or (
            dialect == "go" and required and GO_POINTER.match(cell))
        if says_null:
            counts["null"] += 1
            ok = accepts_none(field.annotation) and field.is_required() == required
            counts["null_ok"] += ok
            if not ok:
                failures.append(f"{doc.key}: {name} ({cell}) does not accept null")


def test_dialect_corpus_generates_and_types_every_row(
        corpus: tuple[str, Config], capsys: pytest.CaptureFixture[str]) -> None:
    name, config = corpus
    dialect, expected = CORPORA[name]
    pages = sum(1 for p in config.specs.rglob("*") if p.suffix in (".md", ".mdx"))
    diags = Diagnostics()
    result = generate(config, diags)
    shown = diags.sorted()
    assert not diags.has_errors and result.files is not None, "\n".join(map(str, shown[:20]))
    found = Counter(next((p for p in expected if re.search(p, d.message)), d.message)
                    for d in shown)
    assert found == expected
    package = build_package(config, Diagnostics())
    assert package is not None
    assert {doc.dialect for doc in package.docs.values()} == {dialect}
    planner = Planner(package, Policy())
    counts = _Counts()
    failures: list[str] = []
    for key, doc in package.docs.items():
        module = importlib.import_module(".".join((config.package, *package.modules[key])))
        counts["imported"] += 1
        model = getattr(module, package.class_name(doc))
        if isinstance(doc, ObjectDoc):
            check_model(doc, model, config.specs / key, dialect, counts, failures, planner)
    with capsys.disabled():
        print(f"\n{name} ({dialect}): {pages} pages, {len(package.docs)} models generated, "
              f"{counts['imported']} imported, {counts.line()}, {len(shown)} warnings "
              f"({sum(expected.values())} expected)")
    assert failures == []
    assert counts["imported"] == len(package.docs) == pages - sum(  # the pages skipped
        n for p, n in expected.items() if p not in (TITLE_ONLY, BAD_EXAMPLE))
    assert counts["int"] > 0 and counts["float"] > 0
    # plex-python marks nullable rows, openrouter-go too; the other SDKs mark none.
    assert (counts["null"] > 0) == (name in ("plex-python", "openrouter-go"))
