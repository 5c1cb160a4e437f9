"""Which dialect a doc set is written in: detected from its pages, or forced."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen_md.cli import main
from specgen_md.config import ConfigError, load_config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import Position
from specgen_md.parse import PageEvidence, decide, read_page

from .conftest import object_page, write_specs

SNAPSHOTS = Path(__file__).parent / "snapshots"
DIALECT_CASES = ["python", "go", "csharp", "php", "ruby", "java"]


def evidence(pages: dict[str, str]) -> list[PageEvidence]:
    found = []
    for key, text in sorted(pages.items()):
        _, page = read_page(text.encode(), key, key, Diagnostics())
        if page is not None:
            found.append(page)
    return found


def case_pages(dialect: str) -> dict[str, str]:
    specs = SNAPSHOTS / f"dialect_{dialect}" / "specs"
    return {p.relative_to(specs).as_posix(): p.read_text() for p in sorted(specs.rglob("*.md*"))}


@pytest.mark.parametrize("dialect", DIALECT_CASES)
def test_each_dialect_is_detected_from_its_pages(dialect: str) -> None:
    diags = Diagnostics()
    assert decide(evidence(case_pages(dialect)), None, Position("specs"), diags) == dialect
    assert diags.items == []


@pytest.mark.parametrize("dialect", DIALECT_CASES)
def test_a_few_pages_are_enough(dialect: str) -> None:
    """Two object pages of each dialect (no union page, no fence) tell it."""
    pages = {k: v for k, v in case_pages(dialect).items() if "## Fields" in v}
    few = dict(sorted(pages.items())[:2])
    diags = Diagnostics()
    assert decide(evidence(few), None, Position("specs"), diags) == dialect
    assert diags.items == []


def test_typescript_pages_are_typescript() -> None:
    pages = {"a.md": object_page("A", [("n", "*number*", True, "N/A")]),
             "b.md": object_page("B", [("s", "*string*", True, "N/A")])}
    diags = Diagnostics()
    assert decide(evidence(pages), None, Position("specs"), diags) == "typescript"
    assert diags.items == []


def test_pages_readable_in_several_dialects_are_typescript_first() -> None:
    """`*string*` is TypeScript, Go, C# and PHP alike: the format's own dialect wins."""
    page = "# A\n\n## Fields\n\n| Field | Type | Required | Description |\n| - | - | - | - |\n" \
           "| `id` | *string* | :heavy_check_mark: | N/A |"
    diags = Diagnostics()
    assert decide(evidence({"a.md": page}), None, Position("specs"), diags) == "typescript"
    assert diags.items == []


def test_enum_tables_read_alike_in_every_dialect() -> None:
    enum = "# Size\n\n## Values\n\n| Name | Value |\n| - | - |\n| `SMALL` | s |\n| `LARGE` | l |"
    pages = {"size.md": enum, "shape.md": enum.replace("Size", "Shape")}
    diags = Diagnostics()
    assert decide(evidence(pages), None, Position("specs"), diags) == "typescript"
    pages["x.md"] = "# X\n\n## Fields\n\n| Field | Type | Required | Description |\n" \
                    "| - | - | - | - |\n| `n` | *::Integer* | :heavy_check_mark: | N/A |"
    assert decide(evidence(pages), None, Position("specs"), diags) == "ruby"
    assert diags.items == []


def fields_page(title: str, *rows: str) -> str:
    return "\n".join([f"# {title}", "", "## Fields", "",
                      "| Field | Type | Required | Description |", "| - | - | - | - |", *rows])


INT = "| `n` | *int* | :heavy_check_mark: | N/A |"


@pytest.mark.parametrize(("pages", "expected"), [
    # `*int*` is Python, Go, C#, PHP or Java; `[Y](...)` C# or Java; a Pascal file under
    # `models/` is Java's, under `Models/` C#'s (or PHP's).
    ({"X.md": fields_page("X", INT, "| `y` | [Y](../../models/Y.md) | :heavy_minus_sign: | N/A |")},
     "java"),
    ({"X.md": fields_page("X", INT, "| `y` | [Y](../../Models/Y.md) | :heavy_minus_sign: | N/A |")},
     "csharp"),
    # An optional row without a pointer is no Go.
    ({"x.md": fields_page("X", "| `n` | *int* | :heavy_minus_sign: | N/A |")}, "python"),
    # snake_case names: Python or Ruby; PascalCase: Go or C#.
    ({"x.md": fields_page("X", "| `a_b` | *int* | :heavy_check_mark: | N/A |")}, "python"),
    ({"x.md": fields_page("X", "| `AB` | *int* | :heavy_check_mark: | N/A |")}, "go"),
    ({"X.md": fields_page("X", "| `AB` | *int* | :heavy_check_mark: | N/A |")}, "csharp"),
])
def test_naming_conventions_break_ties(pages: dict[str, str], expected: str) -> None:
    diags = Diagnostics()
    assert decide(evidence(pages), None, Position("specs"), diags) == expected
    assert diags.items == []


def test_a_remaining_tie_is_warned() -> None:
    diags = Diagnostics()
    assert decide(evidence({"x.md": fields_page("X", INT)}), None, Position("specs"),
                  diags) == "python"
    assert [str(d) for d in diags.items] == [
        "specs:1:1: warning: the pages read alike in python or go (no Type cell, fence or "
        "naming convention tells them apart): read as python; set --dialect (or `dialect` in "
        "[tool.specgen]) to choose"]


def test_a_page_in_another_dialect_is_warned() -> None:
    pages = {f"p{i}.md": object_page(f"P{i}", [("n", "*number*", True, "N/A")])
             for i in range(3)}
    pages["snake.md"] = "# Snake\n\n## Fields\n\n| Field | Type | Required | Description |\n" \
                        "| - | - | - | - |\n| `n` | *Optional[int]* | :heavy_minus_sign: | N/A |"
    diags = Diagnostics()
    assert decide(evidence(pages), None, Position("specs"), diags) == "typescript"
    assert [str(d) for d in diags.items] == [
        "snake.md:1:1: warning: this page is not written in the typescript dialect of the doc "
        "set (the Type cell '*Optional[int]*' at snake.md:7:9); it reads as python"]


def test_an_even_split_is_an_error_naming_the_evidence() -> None:
    pages = {"a.md": object_page("A", [("n", "*number*", True, "N/A")]),
             "b.md": "# B\n\n## Fields\n\n| Field | Type | Required | Description |\n"
                     "| - | - | - | - |\n| `n` | *Optional[int]* | :heavy_minus_sign: | N/A |"}
    diags = Diagnostics()
    assert decide(evidence(pages), None, Position("specs"), diags) is None
    (error,) = [str(d) for d in diags.items]
    assert error.startswith("specs:1:1: error: the pages are written in different dialects: ")
    assert "typescript reads 1 page, but not b.md (the Type cell '*Optional[int]*' at " \
           "b.md:7:9)" in error
    assert "python reads 1 page, but not a.md (a ```typescript fence at a.md:5:1)" in error
    assert error.endswith("set --dialect (or `dialect` in [tool.specgen]) to choose")


def test_forcing_a_dialect_warns_the_pages_it_cannot_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    specs = SNAPSHOTS / "dialect_python" / "specs"
    args = ["generate", "--specs", str(specs), "--out", "out", "--no-cache"]
    assert main([*args, "--dialect", "python"]) == 0
    capsys.readouterr()
    assert main([*args, "--dialect", "ruby", "--package", "other"]) == 1
    err = capsys.readouterr().err
    assert "components/pet.md:1:1: warning: this page is not written in the ruby dialect of " \
           "the doc set (the Type cell '*str*' at " in err
    assert "components/pet.md:10:27: error: unknown type 'str'" in err


def test_the_dialect_setting(tmp_path: Path) -> None:
    from specgen_md.config import DIALECTS
    from specgen_md.parse import NAMES

    assert DIALECTS == ("auto", *NAMES)
    (tmp_path / "specs").mkdir()  # the default spec folder: the project's
    assert load_config(tmp_path, {}).dialect == "auto"
    (tmp_path / "pyproject.toml").write_text('[tool.specgen]\ndialect = "go"\n')
    assert load_config(tmp_path, {}).dialect == "go"
    assert load_config(tmp_path, {"dialect": "java"}).dialect == "java"
    (tmp_path / "pyproject.toml").write_text('[tool.specgen]\ndialect = "kotlin"\n')
    with pytest.raises(ConfigError, match="dialect must be one of auto, typescript, python"):
        load_config(tmp_path, {})


def test_the_dialect_is_part_of_the_fingerprint_and_of_the_parse_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached page is the page read in one dialect: forcing another reads it again, and
    the output is rewritten."""
    import specgen_md.parse as parse

    write_specs(tmp_path / "specs", case_pages("python"))
    monkeypatch.chdir(tmp_path)
    parsed: list[str | None] = []
    real = parse.read_page

    def spy(data: bytes, key: str, display: str, diags: Diagnostics,
            dialect: str | None = None) -> object:
        parsed.append(dialect)
        return real(data, key, display, diags, dialect)

    monkeypatch.setattr(parse, "read_page", spy)
    assert main(["generate", "--out", "out"]) == 0
    # auto: each page read by its own evidence; the enum tables (readable in any dialect,
    # so read as TypeScript) once more, in the doc set's dialect
    assert parsed == [None] * 7 + ["python"] * 2
    parsed.clear()
    kind = tmp_path / "specs" / "components" / "kind.md"
    kind.write_text(case_pages("python")["components/kind.md"].rstrip("\n")
                    + "\n| `BIRD` | bird |\n")  # a value more
    assert main(["generate", "--out", "out"]) == 0
    # Read in the dialect it was read in before, its evidence the same (see incremental.py):
    # a new value changes no fact of the whole set, so no other page is read again.
    assert parsed == ["python"]
    assert "BIRD" in (tmp_path / "out" / "models" / "components" / "kind.py").read_text()
    parsed.clear()
    kind.write_text(kind.read_text() + "\nThe kinds of pets.\n")  # prose only
    assert main(["generate", "--out", "out"]) == 0
    assert parsed == ["python"]  # read in the doc set's dialect at once: its evidence stands
    parsed.clear()
    assert main(["generate", "--out", "out", "--dialect", "python"]) == 0
    assert parsed == ["python"] * len(case_pages("python"))
