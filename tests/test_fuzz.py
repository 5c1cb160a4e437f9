"""Property-based tests.

1. Random well-formed specs (objects, enums, unions; random names, types and text) always
   generate code that imports and validates, and round-trips, their own examples.
2. Random mutations of real pages (deleted or repeated lines, swapped cells, truncation, byte
   flips) always end in success or clean errors: never a traceback, never a partial write.

`make test` runs a few examples of each; `make fuzz` runs many (SPECGEN_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import ast
import importlib
import itertools
import json
import keyword
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter
from specgen_md.build import build_package, render_options
from specgen_md.cli import main
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.format import format_source
from specgen_md.pipeline import generate
from specgen_md.render.semantics import Planner

from .conftest import tree

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("SPECGEN_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
_packages = itertools.count()

# --- 1. well-formed specs ----------------------------------------------------------------------

TITLE = st.from_regex(r"[A-Z][a-z]{1,6}[A-Z0-9][a-z0-9]{0,5}", fullmatch=True)
FIELD = st.one_of(
    st.from_regex(r"[a-z][A-Za-z0-9_]{0,10}", fullmatch=True),
    st.sampled_from(["from", "lambda", "and", "type", "id", "fields", "schema", "model_config",
                     "str", "date", "Field", "json", "_private", "a-b", "x.y", "1st"]),
)
# Table cells cannot hold pipes, backticks or line breaks; anything else goes.
CELL_TEXT = st.text(st.characters(blacklist_characters="|`\n\r\\", blacklist_categories=["Cs"]),
                    max_size=40).map(str.strip)
VALUE_TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)


def ts(value: Any) -> str:
    """JSON is a TypeScript literal."""
    return json.dumps(value)


@st.composite
def spec_sets(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, list[Any]]]:
    """Pages (file name -> text) and, per title, data that must validate and round-trip."""
    titles = draw(st.lists(TITLE, min_size=2, max_size=6,
                           unique_by=lambda t: t.lower()).filter(
        lambda ts_: not any(keyword.iskeyword(t) for t in ts_)))
    pages: dict[str, str] = {}
    samples: dict[str, list[Any]] = {}
    # type name -> (Type-cell text, heading text, value strategy)
    kinds: list[tuple[str, str, st.SearchStrategy[Any]]] = [
        ("*string*", "string", VALUE_TEXT),
        ("*number*", "number", st.one_of(st.integers(-10**12, 10**12),
                                         st.floats(allow_nan=False, allow_infinity=False))),
        ("*boolean*", "boolean", st.booleans()),
        ("*any*", "any", st.recursive(st.none() | st.booleans() | st.integers() | VALUE_TEXT,
                                      lambda c: st.lists(c, max_size=3), max_leaves=5)),
    ]
    for title in titles:
        kind = draw(st.sampled_from(["enum", "object", "object", "union"]))
        link = f"[models.{title}](../models/{title.lower()}.md)"
        if kind == "enum":
            numeric = draw(st.booleans())
            values = draw(st.lists(st.integers(-1000, 1000) if numeric else VALUE_TEXT,
                                   min_size=1, max_size=6, unique=True))
            is_open = draw(st.booleans())
            tail = f" | Unrecognized<{'number' if numeric else 'string'}>" if is_open else ""
            pages[title] = (f"# {title}\n\n## Values\n\n```typescript\n"
                            f"{' | '.join(ts(v) for v in values)}{tail}\n```")
            strategy = st.sampled_from(values)
            if is_open:
                unknown = st.integers(-(2**63), 2**63 - 1) if numeric else VALUE_TEXT
                strategy = st.one_of(strategy, unknown)  # pydantic enums hold 64-bit ints
            samples[title] = [draw(strategy) for _ in range(2)]
            kinds.append((link, f"models.{title}", strategy))
        elif kind == "object":
            names = draw(st.lists(FIELD, max_size=6, unique_by=lambda n: n))
            rows, strategies = [], {}
            for name in names:
                type_cell, _, strategy = draw(st.sampled_from(kinds))
                if draw(st.integers(0, 4)) == 0:
                    type_cell, strategy = type_cell + "[]", st.lists(strategy, max_size=3)
                elif draw(st.integers(0, 6)) == 0:
                    type_cell = f"Record<string, {type_cell}>"
                    strategy = st.dictionaries(VALUE_TEXT, strategy, max_size=3)
                required = draw(st.booleans())
                mark = ":heavy_check_mark:" if required else ":heavy_minus_sign:"
                rows.append(f"| `{name}` | {type_cell} | {mark} | {draw(CELL_TEXT) or 'N/A'} |")
                strategies[name] = (required, strategy)
            constant = draw(st.sampled_from([None, "kind", "type"]))
            if constant and constant not in names:
                rows.append(f'| `{constant}` | *"{title.lower()}"* | :heavy_check_mark: | N/A |')
                # Data carries it, as the spec requires: a discriminated union needs its tag
                # (a lone model defaults it, which test_models checks).
                strategies[constant] = (True, st.just(title.lower()))
            data = st.fixed_dictionaries(
                {n: s for n, (req, s) in strategies.items() if req},
                optional={n: s for n, (req, s) in strategies.items() if not req})
            example = draw(data)
            pages[title] = "\n".join([
                f"# {title}", "", "About: " + draw(CELL_TEXT),
                draw(st.sampled_from(["", " ", "   "])) + "more: " + draw(CELL_TEXT),
                "", "## Example Usage", "", "```typescript",
                f"let value: {title} = {ts(example)};", "```", "", "## Fields", "",
                "| Field | Type | Required | Description |", "| - | - | - | - |", *rows])
            samples[title] = [example, draw(data)]
            kinds.append((link, f"models.{title}", data))
        else:
            members = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=3,
                                    unique_by=lambda k: k[1]))
            sections = "\n\n".join(f"### `{heading}`" for _, heading, _ in members)
            pages[title] = f"# {title}\n\n## Supported Types\n\n{sections}"
            union = st.one_of(*[s for _, _, s in members])
            samples[title] = [draw(union) for _ in range(2)]
            kinds.append((f"*models.{title}*", f"models.{title}", union))
    return {f"{t.lower()}.md": text for t, text in pages.items()}, samples


@FUZZ
@given(spec_sets())
def test_random_specs_generate_importable_code_that_round_trips(
    tmp_path_factory: pytest.TempPathFactory, specs: tuple[dict[str, str], dict[str, list[Any]]]
) -> None:
    pages, samples = specs
    root = tmp_path_factory.mktemp("fuzz")
    for name, text in pages.items():
        (root / "specs").mkdir(exist_ok=True)
        (root / "specs" / name).write_text(text, encoding="utf-8")
    package = f"fuzzpkg{next(_packages)}"
    diags = Diagnostics()
    generate(Config(specs=root / "specs", out=root / "out", package=package), diags)
    assert not diags.has_errors, [str(d) for d in diags.sorted()]
    for path in sorted((root / "out" / package).glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert format_source(path.name, text) == text, f"{path.name} is not black-clean"
    config = Config(specs=root / "specs", out=root / "out", package=package)
    resolved = build_package(config, Diagnostics())
    assert resolved is not None
    planner = Planner(resolved, render_options(config).policy)
    by_title = {doc.title: doc for doc in resolved.docs.values()}
    sys.path.insert(0, str(root / "out"))
    try:
        pkg = importlib.import_module(package)
        for title, values in samples.items():
            adapter: TypeAdapter[Any] = TypeAdapter(getattr(pkg, title))
            for value in values:
                parsed = adapter.validate_python(value)
                back = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
                # Keys come back as wire names.
                assert back == planner.to_wire(value, by_title[title]), (title, value, back)
    finally:
        sys.path.remove(str(root / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]


# --- 2. mutated real pages ---------------------------------------------------------------------


def seed_pages() -> list[Path]:
    pages = sorted((ROOT / "specs").glob("*.md"))
    pages += sorted((ROOT / "tests" / "snapshots").glob("*/specs/**/*.md*"))
    corpus = ROOT.parent / "shared" / "corpora" / "openrouter-mdx"
    if corpus.is_dir():
        pages += sorted(corpus.glob("*.mdx"))[::25]
    return pages


PAGES = seed_pages()


@st.composite
def mutations(draw: st.DrawFn) -> tuple[Path, bytes]:
    page = draw(st.sampled_from(PAGES))
    data = page.read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        lines = data.split(b"\n")
        how = draw(st.sampled_from(["delete", "repeat", "swap", "truncate", "flip", "insert"]))
        if how == "delete" and len(lines) > 1:
            del lines[draw(st.integers(0, len(lines) - 1))]
        elif how == "repeat":
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
        elif how == "swap":
            i = draw(st.integers(0, len(lines) - 1))
            cells = lines[i].split(b"|")
            if len(cells) > 2:
                a, b = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
                cells[a], cells[b] = cells[b], cells[a]
                lines[i] = b"|".join(cells)
        data = b"\n".join(lines)
        if how == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
        elif how == "flip" and data:
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1 :]
        elif how == "insert":
            i = draw(st.integers(0, len(data)))
            data = data[:i] + draw(st.binary(max_size=8)) + data[i:]
    return page, data




@FUZZ
@given(mutations())
def test_mutated_pages_end_in_success_or_clean_errors(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], mutation: tuple[Path, bytes],
) -> None:
    page, data = mutation
    root = tmp_path_factory.mktemp("mutant")
    specs = root / "specs"
    specs.mkdir()
    shutil.copy(ROOT / "specs" / "imagegenerationstatus.md", specs)
    target = specs / ("mutant" + page.suffix)
    target.write_bytes(page.read_bytes())
    monkeypatch.chdir(root)
    args = ["--specs", "specs", "--out", "out", "--package", "p"]
    if main(["generate", *args]) != 0:
        target.unlink()  # a page that needs pages we did not copy: start from the rest
        assert main(["generate", *args]) == 0
    before = tree(root / "out")
    target.write_bytes(data)
    capsys.readouterr()
    status = main(["generate", *args])
    err = capsys.readouterr().err
    assert status in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    if status == 1:
        assert tree(root / "out") == before
        assert any(": error: " in line for line in err.splitlines())
    else:
        for path in (root / "out" / "p").rglob("*.py"):
            ast.parse(path.read_text(encoding="utf-8"))


# --- 3. pages from the grammar, every optional part present or absent --------------------------

FOLDERS = st.sampled_from(["", "", "models/", "shared/", "Components/", "operations/v2/",
                           "errors/"])
ODD_TITLES = st.sampled_from(["None", "True", "class", "Field", "str", "Literal", "BaseModel",
                              "SpecModel", "__init__", "_EXPORTS", "date", "TYPE_CHECKING",
                              "getattr", "import_module"])
BAD_TITLES = st.sampled_from(["My Model", "", "1st", "Ünï"])


def mostly(draw: st.DrawFn, good: list[Any], bad: list[Any]) -> Any:
    """One of `good`, or now and then one of `bad`: most drawn sets should generate."""
    # Hypothesis favours the first of a sample: the good outcome goes first.
    if bad and draw(st.sampled_from([False] * 11 + [True])):
        return draw(st.sampled_from(bad))
    return draw(st.sampled_from(good))
NOTICE = ": warning: ** DEPRECATED **: This will be removed in a future release."
MDN_DATE = "https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date"


@st.composite
def grammar_doc_sets(draw: st.DrawFn) -> dict[str, str]:
    """A doc set drawn from FORMAT.md's grammar: titles, preambles, notices, tables, columns,
    type cells, enums, unions and examples each present, absent or slightly off."""
    count = draw(st.integers(1, 6))
    titles = [draw(BAD_TITLES) if draw(st.sampled_from([False] * 15 + [True])) else
              draw(st.one_of(TITLE, TITLE, ODD_TITLES)) for _ in range(count)]
    folders = [draw(FOLDERS) for _ in titles]
    files = [f"{folder}{(title or 'untitled').lower().replace(' ', '')}"
             f"{draw(st.sampled_from(['.md', '.mdx']))}"
             for folder, title in zip(folders, titles, strict=True)]

    def link(i: int) -> str:
        depth = files[i].count("/")
        return f"[models.{titles[i]}]({'../' * (depth + 1)}models/{files[i]})"

    def type_cell() -> str:
        good = ["*string*", "*number*", "*boolean*", "*any*", '*"const"*', "*true*",
                f"[Date]({MDN_DATE})", "[RFCDate](../../types/rfcdate.md)",
                "Record<string, *string*>", "*string*[]", "[File](https://x)"]
        good += [link(i) for i in range(count)]
        bad = ["*integer*", "[models.Missing](../models/missing.md)", "*models.Nowhere*",
               "Record<"]
        return str(mostly(draw, good, bad)) + draw(st.sampled_from(["", "", "[]"]))

    pages: dict[str, str] = {}
    for i, title in enumerate(titles):
        head = mostly(draw, ["h1", "front", "deprecated"], ["none"])
        lines = {"h1": [f"# {title}"], "front": ["---", f'title: "{title}"', "---"],
                 "deprecated": [f"# ~~{title}~~"], "none": []}[head]
        lines += draw(st.sampled_from([[], ["", "A model."], ["", "- a list"],
                                       ["", "> :warning: **DEPRECATED**: old."],
                                       ["", "    indented code"]]))
        if draw(st.booleans()):
            example = mostly(draw, ["{}", '{ id: "x" }', "// No examples available",
                                    "new Response('x')"], ["{ a: ", "Status.Active"])
            lines += ["", "## Example Usage", "", "```typescript",
                      f"let value: {title} = {example};", "```"]
        kind = mostly(draw, ["fields", "fields", "values", "union", "usage"], ["unknown"])
        lines += ["", {"fields": "## Fields", "values": "## Values",
                       "union": "## Supported Types", "usage": "## Usage",
                       "unknown": "## Whatever"}[kind], ""]
        if kind == "fields":
            columns = draw(st.permutations(["Field", "Type", "Required", "Description"]))
            columns = [c for c in columns  # now and then a column goes
                       if not draw(st.sampled_from([False] * 30 + [True]))]
            if draw(st.booleans()):
                columns.append("Example")
            lines += ["| " + " | ".join(columns) + " |", "|" + " - |" * len(columns)]
            names = draw(st.lists(st.sampled_from(["`id`", "`from`", "~~`old`~~", "`jsonSchema`",
                                                   "`a-b`", "`type`", "`n2`"]),
                                  max_size=5, unique=True))
            for name in names:
                cells = {
                    "Field": mostly(draw, [name], ["``", "name", "`id`"]),
                    "Type": type_cell(),
                    "Required": mostly(draw, [":heavy_check_mark:", ":heavy_minus_sign:"],
                                       ["yes"]),
                    "Description": draw(st.sampled_from(["N/A", "Text.", NOTICE,
                                                         NOTICE + "<br/><br/>Old text.", ""])),
                    "Example": draw(st.sampled_from(["", "x", "42", "null", '{"a": 1}',
                                                     "**Example 1:** 1 <br/>**Example 2:** 2"])),
                }
                row = [cells[c] for c in columns]
                if draw(st.sampled_from([False] * 30 + [True])):
                    row = row[:-1]  # a row with a cell too few
                lines.append("| " + " | ".join(row) + " |")
        elif kind == "values":
            if draw(st.booleans()):
                lines += ["```typescript", mostly(draw, [
                    '"a" | "b"', '"a" | "b" | Unrecognized<string>', "1 | -2 | 3", '"x"'],
                    ['"a" | "a"', "", "oops"]), "```"]
            else:
                lines += ["| Name | Value |", "| - | - |"]
                lines += [f"| `{n}` | {v} |" for n, v in draw(st.lists(st.sampled_from(
                    [("A", "a"), ("B", "b"), ("One", "1"), ("Two", "2")]), min_size=1,
                    max_size=3, unique=True))]
        elif kind == "union":
            for _ in range(draw(st.integers(0, 3))):
                heading = mostly(draw, ["string", "number", "{ [k: string]: any }", "string[]"]
                                 + [f"models.{t}" for t in titles],
                                 ["models.Missing", "EventStream<models.X>", "bad heading"])
                lines += [f"### `{heading}`", "", "```typescript",
                          f"const value: {heading} = {draw(st.sampled_from(['1', '{}', '']))};",
                          "```", ""]
        pages[files[i]] = "\n".join(lines)
    return pages


@FUZZ
@given(grammar_doc_sets(), st.booleans())
def test_pages_from_the_grammar_generate_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], pages: dict[str, str], lenient: bool,
) -> None:
    root = tmp_path_factory.mktemp("grammar")
    for name, text in pages.items():
        path = root / "specs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    package = f"grammar{next(_packages)}"
    capsys.readouterr()
    status = main(["generate", "--specs", "specs", "--out", "out", "--package", package,
                   *(["--lenient"] if lenient else [])])
    err = capsys.readouterr().err
    assert status in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err and "failed while" not in err
    for line in err.splitlines():
        if ": error: " in line or ": warning: " in line:
            assert re.match(r"^[^:]+:\d+:\d+: (error|warning): ", line), line
    event(f"exit {status}")
    if status == 1:
        assert ": error: " in err and not (root / "out").exists()
        return
    sys.path.insert(0, str(root / "out"))
    try:
        for path in sorted((root / "out" / package).rglob("*.py")):
            parts = path.relative_to(root / "out").with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            importlib.import_module(".".join(parts))
    finally:
        sys.path.remove(str(root / "out"))
        for name in [m for m in sys.modules if m.split(".")[0] == package]:
            del sys.modules[name]
