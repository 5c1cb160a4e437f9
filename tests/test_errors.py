"""Bad input: one precise `path:line:col: error: message` per problem, all at once, sorted;
nothing written; never a traceback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from specgen_md.cli import main
from specgen_md.parse import read_page
from specgen_md.render import render_doc

from .conftest import enum_page, object_page, tree

ROOT = Path(__file__).resolve().parent.parent
TABLE = "| Field | Type | Required | Description |\n| - | - | - | - |\n"


def fields_page(title: str, rows: str) -> str:
    return f"# {title}\n\n## Fields\n\n{TABLE}{rows}"


def row(name: str, type_cell: str = "*string*", required: str = ":heavy_check_mark:") -> str:
    return f"| {name} | {type_cell} | {required} | N/A |\n"


# (pages, expected diagnostic lines) — each case is one kind of mistake.
CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    "empty file": ({"a.md": ""}, ["specs/a.md:1:1: error: empty spec file"]),
    "not utf-8": ({"a.md": b"# A\n\n\xe9t\xe9"},
                  ["specs/a.md:3:1: error: file is not valid UTF-8"]),
    "binary": ({"a.md": b"\x89PNG\r\n\x1a\n\x00\x00\xff"},
               ["specs/a.md:1:1: error: file is binary, not a markdown spec"]),
    "no title": ({"a.md": "## Fields\n\n" + TABLE},
                 ["specs/a.md:1:1: error: no title: expected '# Name' or front matter "
                  "'title: \"Name\"'"]),
    "two titles": ({"a.md": "# A\n# B\n\n## Values\n\n```typescript\n\"x\"\n```"},
                   ["specs/a.md:2:3: error: second title 'B' (the first is 'A')"]),
    "title not an identifier": ({"a.md": "# My Model\n\n## Fields\n\n" + TABLE},
                                ["specs/a.md:1:3: error: title 'My Model' is not an identifier"]),
    "duplicate title": ({"a.md": fields_page("Same", ""), "b.md": fields_page("Same", "")},
                        ["specs/b.md:1:3: error: duplicate title 'Same' in this namespace "
                         "(also in specs/a.md:1:3)"]),
    "no table": ({"a.md": "# A\n\n## Fields\n\nNothing here."},
                 ["specs/a.md:3:4: error: '## Fields' has no table"]),
    "no Type column": ({"a.md": "# A\n\n## Fields\n\n| Field | Required |\n| - | - |\n"},
                       ["specs/a.md:5:3: error: the Fields table has no 'Type' column"]),
    "no Required column": ({"a.md": "# A\n\n## Fields\n\n| Field | Type |\n| - | - |\n"},
                           ["specs/a.md:5:3: error: the Fields table has no 'Required' column"]),
    "wrong cell count": ({"a.md": fields_page("A", "| `a` | *string* | :heavy_check_mark: |\n")},
                         ["specs/a.md:7:1: error: row has 3 cells, the header has 4"]),
    "empty field name": ({"a.md": fields_page("A", row("``"))},
                         ["specs/a.md:7:3: error: empty field name"]),
    "duplicate field": ({"a.md": fields_page("A", row("`a`") + row("`a`"))},
                        ["specs/a.md:8:3: error: duplicate field 'a' (first at line 7)"]),
    "unparsable type": ({"a.md": fields_page("A", row("`a`", "Record<string *any*>"))},
                        ["specs/a.md:7:16: error: only string keys are supported in "
                         "Record<string, T>"]),
    "unknown primitive": ({"a.md": fields_page("A", row("`a`", "*integer*"))},
                          ["specs/a.md:7:10: error: unknown type 'integer'"]),
    "bad Required cell": ({"a.md": fields_page("A", row("`a`", required="yes"))},
                          ["specs/a.md:7:20: error: Required must be :heavy_check_mark: or "
                           ":heavy_minus_sign:, found 'yes'"]),
    "missing link target": ({"a.md": fields_page("A", row("`a`", "[models.B](../models/b.md)"))},
                            ["specs/a.md:7:9: error: link target '../models/b.md' does not exist "
                             "in the specs"]),
    "unlinked name resolves to nothing": (
        {"a.md": fields_page("A", row("`a`", "*models.Nowhere*"))},
        ["specs/a.md:7:9: error: 'models.Nowhere' resolves to no spec (looked for nowhere.md)"]),
    "union of only itself": ({"a.md": "# A\n\n## Supported Types\n\n### `models.A`\n"},
                             ["specs/a.md:5:6: error: union 'A' has no member but unions that "
                              "lead back to it: it describes no data"]),
    "enum without values": ({"a.md": "# E\n\n## Values\n\n```typescript\n```"},
                            ["specs/a.md:3:4: error: enum has no values"]),
    "enum duplicate value": ({"a.md": enum_page("E", '"x" | "y" | "x"')},
                             ["specs/a.md:6:13: error: duplicate enum value 'x' (first at "
                              "line 6)"]),
    "bad enum value": ({"a.md": enum_page("E", '"x" | y')},
                       ["specs/a.md:6:7: error: enum value: unexpected name 'y'"]),
    "union without members": ({"a.md": "# U\n\n## Supported Types\n\nNone."},
                              ["specs/a.md:3:4: error: union has no members (no ### `Type` "
                               "headings)"]),
    "bad union heading": ({"a.md": "# U\n\n## Supported Types\n\n### `Map<string>`\n"},
                          ["specs/a.md:5:6: error: unknown type 'Map'"]),
    "not a model doc": ({"a.md": "# A\n\nJust prose."},
                        ["specs/a.md:1:3: error: no '## Fields', '## Values' or "
                         "'## Supported Types' section: not a model doc"]),
    "enum of strings and numbers": ({"a.md": enum_page("E", '"x" | 1')},
                                    ["specs/a.md:6:7: error: enum values mix strings and numbers "
                                     "('x' and 1): an enum holds values of one kind"]),
    "enum of booleans": ({"a.md": enum_page("E", "true | false")},
                         ["specs/a.md:6:1: error: enum values must be string or number "
                          "literals"]),
    "enum value beyond a float's range": (
        {"a.md": enum_page("E", "1e400")},
        ["specs/a.md:6:1: error: enum value: a number beyond a float's range"]),
    "enum value of too many digits": (
        {"a.md": "# E\n\n## Values\n\n| Name | Value |\n| - | - |\n| `A` | " + "1" * 5000
         + " |\n"},
        ["specs/a.md:7:9: error: enum value of 5000 digits: too long a number"]),
    "type nested too deep": ({"a.md": fields_page("A", row("`a`", "*string*" + "[]" * 40))},
                             ["specs/a.md:7:9: error: a type nested more than 32 deep"]),
    "type nested too deep to read": (
        {"a.md": fields_page("A", row("`a`", "Record<string, " * 300 + "*any*" + ">" * 300))},
        ["specs/a.md:7:495: error: a type nested more than 32 deep"]),
    "two columns of one name": (
        {"a.md": "# A\n\n## Fields\n\n| Field | Type | Type | Required | Description |\n"
                 "| - | - | - | - | - |\n| `a` | *string* | *number* | :heavy_check_mark: | d |\n"},
        ["specs/a.md:5:18: error: the table has two 'Type' columns"]),
    "front matter title without a value": (
        {"a.mdx": "---\ntitle:\n---\n\n## Fields\n\n" + TABLE},
        ["specs/a.mdx:1:1: error: no title: expected '# Name' or front matter "
         "'title: \"Name\"'"]),
    "two kinds": ({"a.md": "# A\n\n## Fields\n\n" + TABLE
                          + "\n## Values\n\n```typescript\n\"x\"\n```"},
                  ["specs/a.md:8:4: error: a doc has one kind, but '## Fields' and '## Values' "
                   "both appear"]),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    (tmp_path / "specs").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path




def write(project: Path, pages: dict[str, str | bytes]) -> None:
    for name, text in pages.items():
        path = project / "specs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_case(case: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pages, expected = CASES[case]
    write(project, {"ok.md": enum_page("Fine", '"a"')})
    assert main(["generate"]) == 0
    before = tree(project / "out")
    write(project, pages)
    capsys.readouterr()
    assert main(["generate"]) == 1
    err = capsys.readouterr().err.splitlines()
    errors = [line for line in err if ": error: " in line]
    assert errors == expected
    assert f"{len(expected)} error{'s' if len(expected) > 1 else ''}" in err
    assert "Traceback" not in "\n".join(err)
    assert tree(project / "out") == before
    if case in LENIENT_CASES:
        assert any("--lenient" in line for line in err)
        # With --lenient the broken reference or type is Any, said as a warning.
        capsys.readouterr()
        assert main(["generate", "--lenient"]) == 0
        lenient = capsys.readouterr().err
        assert [line.split(": warning: ")[0] for line in lenient.splitlines()
                if ": warning: " in line] == [line.split(": error: ")[0] for line in expected]
        assert "generated as Any with --lenient" in lenient
    else:
        assert not any("--lenient" in line for line in err)


# Broken references and types the grammar does not know: `--lenient` generates them as Any.
LENIENT_CASES = {"unparsable type", "unknown primitive", "missing link target",
                 "unlinked name resolves to nothing", "bad union heading",
                 "type nested too deep", "type nested too deep to read"}


def test_a_row_with_an_error_does_not_hide_the_errors_of_the_others(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page's rows are read on: an unknown type or a broken link beside a row the page
    cannot read is reported in the same run."""
    write(project, {"a.md": fields_page("A", row("`a`", required="yes") + row("`b`", "*strng*")
                                        + row("`c`", "[models.B](../models/b.md)"))})
    assert main(["generate"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        "specs/a.md:7:20: error: Required must be :heavy_check_mark: or :heavy_minus_sign:, "
        "found 'yes'",
        "specs/a.md:8:10: error: unknown type 'strng'",
        "specs/a.md:9:9: error: link target '../models/b.md' does not exist in the specs"]
    assert not (project / "out").exists()


def test_all_errors_of_a_run_are_reported_sorted(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {"b.md": fields_page("B", row("`a`", "*integer*")),
                    "a.md": CASES["duplicate field"][0]["a.md"],
                    "c/d.md": ""})
    assert main(["generate"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        "specs/a.md:8:3: error: duplicate field 'a' (first at line 7)",
        "specs/b.md:7:10: error: unknown type 'integer'",
        "specs/c/d.md:1:1: error: empty spec file",
    ]
    assert not (project / "out").exists()


def test_unreadable_file(project: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    write(project, {"a.md": enum_page("A", '"x"')})
    real_open = os.open

    def deny(path: Any, *args: Any, **options: Any) -> int:  # as a file without read
        if Path(path).name == "a.md":  # permission (root reads all)
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **options)

    monkeypatch.setattr(os, "open", deny)
    assert main(["generate"]) == 1
    assert "specs/a.md:1:1: error: cannot read file: Permission denied" in capsys.readouterr().err


def test_a_failure_inside_specgen_is_the_page_error_and_the_run_goes_on(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project, {"a.md": enum_page("A", '"x"'), "b.md": "# B\n\n## Values\n\n"})
    real = read_page

    def broken(data: bytes, key: str, *args: Any) -> Any:
        if key == "a.md":
            raise RuntimeError("boom")
        return real(data, key, *args)

    monkeypatch.setattr("specgen_md.parse.read_page", broken)
    assert main(["generate"]) == 2  # specgen's own failure, not the docs'
    err = capsys.readouterr().err
    assert ("specs/a.md:1:1: error: specgen failed while parsing this page (RuntimeError: "
            "boom); please report it") in err
    assert "specs/b.md:3:4: error: '## Values' has neither" in err  # the others, reported
    assert "Traceback" not in err


def test_warnings_and_strict(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = object_page("A", [("n", "*number*", True, "N/A")]).replace(
        "| Description |\n| ----- | ---- | -------- | ----------- |",
        "| Description | Example |\n| - | - | - | - | - |").replace("| N/A |", "| N/A | lots |")
    page += "\n\n## Notes\n\nSomething else."
    write(project, {"a.md": page})
    assert main(["generate"]) == 0
    err = capsys.readouterr().err
    assert "specs/a.md:15:47: warning: example 'lots' of field 'n' does not fit its type; " \
           "left out" in err
    assert "specs/a.md:17:4: warning: unknown section '## Notes' is ignored" in err
    assert "specs/a.md:8:16: warning: example left out: A lacks 'n', which A requires" in err
    assert "3 warnings" in err
    shutil.rmtree(project / "out")
    assert main(["generate", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "specs/a.md:17:4: error: unknown section '## Notes' is ignored" in err
    assert "3 errors" in err
    assert not (project / "out").exists()


def test_pages_that_parse_are_still_checked_when_others_fail(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(project, {
        "broken.md": "# Broken\n\n## Fields\n\nno table",
        "a.md": fields_page("A", row("`b`", "[models.Broken](../models/broken.md)")
                            + row("`c`", "*models.Broken*") + row("`d`", "*models.Gone*")),
    })
    assert main(["generate"]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line]
    assert errors == [
        "specs/a.md:9:9: error: 'models.Gone' resolves to no spec (looked for gone.md)",
        "specs/broken.md:3:4: error: '## Fields' has no table",
    ]


def test_rendering_in_worker_processes_reports_a_failure_as_its_page_error(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many modules are rendered in forked workers: a page that fails there is its error, the
    others are still rendered (and reported), and the output is the same as rendered here."""
    write(project, {f"p{n}.md": enum_page(f"P{n}", '"x"') for n in range(12)})
    assert main(["generate"]) == 0
    serial = tree(project / "out")
    shutil.rmtree(project / "out")
    monkeypatch.setattr("specgen_md.render.PARALLEL_RENDER", 2)
    assert main(["generate", "--no-cache"]) == 0
    assert tree(project / "out") == serial
    real = render_doc

    def broken(doc: Any, *args: Any, **kwargs: Any) -> Any:
        with open(project / "pids", "a") as pids:  # who renders it
            pids.write(f"{os.getpid()}\n")
        if doc.key in ("p3.md", "p7.md"):
            raise RuntimeError("boom")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr("specgen_md.render.render_doc", broken)
    write(project, {"p0.md": enum_page("P0", '"y"')})
    assert main(["generate", "--no-cache"]) == 2
    err = capsys.readouterr().err
    for page in ("p3", "p7"):
        assert (f"specs/{page}.md:1:3: error: specgen failed while rendering this page "
                "(RuntimeError: boom); please report it") in err
    assert "Traceback" not in err
    assert tree(project / "out") == serial  # a run with errors writes nothing
    assert str(os.getpid()) not in (project / "pids").read_text().split()


def test_limits_hold_in_every_grammar_and_example_form(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Go's `[]` closes each bracket at once; JSON's numbers may overflow: positioned
    problems, not specgen's own failures. An example the models cannot hold says why."""
    write(project, {"a.md": fields_page("A", row("`a`", "[]" * 700 + "*string*"))})
    assert main(["generate", "--dialect", "go"]) == 1
    err = capsys.readouterr().err
    assert "specs/a.md:7:9: error: a type nested more than 32 deep" in err
    assert "specgen failed" not in err
    (project / "specs" / "a.md").write_text(
        "# A\n\n## Fields\n\n| Field | Type | Required | Description | Example |\n"
        "| - | - | - | - | - |\n| `m` | Record<string, *number*> | :heavy_check_mark: | N/A | "
        '{"a": -1e999} |\n| `d` | *any* | :heavy_check_mark: | N/A | '
        + '{"a":' * 40 + "1" + "}" * 40 + " |\n")
    assert main(["generate"]) == 0
    err = capsys.readouterr().err
    assert ("specs/a.md:7:63: warning: example '{\"a\": -1e999}' of field 'm' is a number "
            "beyond a float's range; left out") in err
    assert "of field 'd' is a value nested more than 32 deep; left out" in err


def test_a_configured_folder_of_another_kind_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = 5\ntemplates = ["t"]\n')
    assert main(["generate"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "specgen: error: out must be a folder, not 5",
        "specgen: error: templates must be a folder, not ['t']"]
