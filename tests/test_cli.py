"""The command line as a user runs it: generate, check, configuration, exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from specgen_md.cli import main

from .conftest import tree

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = '[tool.specgen]\nspecs = "specs"\nout = "generated"\npackage = "acme"\n'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's project: the seed specs, a [tool.specgen] table, cwd inside it."""
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path




def test_generate_then_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 0
    package = project / "generated" / "acme"
    assert (package / "py.typed").is_file()
    assert (package / "outputitemimagegenerationcall.py").is_file()
    assert "5 written" not in capsys.readouterr().out  # 9 files are written the first time
    assert main(["generate"]) == 0
    assert "0 written, 0 removed" in capsys.readouterr().out
    assert main(["check"]) == 0
    assert "in sync" in capsys.readouterr().out


def test_check_reports_an_edited_spec_with_a_diff(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    spec = project / "specs" / "outputitemimagegenerationcall.md"
    spec.write_text(spec.read_text().replace("| `result`", "| `outcome`"))
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "--- generated/acme/outputitemimagegenerationcall.py" in out
    assert "(expected from specs/outputitemimagegenerationcall.md)" in out
    assert "+    outcome: str" in out
    assert "-    result: str" in out


def test_check_reports_missing_and_extra_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Extra: a file specgen wrote that generation would not write now (its spec is gone)."""
    assert main(["generate"]) == 0
    package = project / "generated" / "acme"
    (package / "imagegenerationstatus.py").unlink()
    (project / "specs" / "openresponsesinputitemimagegenerationcall.md").unlink()
    capsys.readouterr()
    for full in ([], ["--full"]):
        assert main(["check", *full]) == 1
        out = capsys.readouterr().out
        assert "missing: generated/acme/imagegenerationstatus.py" in out
        assert "extra: generated/acme/openresponsesinputitemimagegenerationcall.py" in out


def test_check_ignores_files_specgen_did_not_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user's own module in the package: `generate` keeps it, and it is no drift."""
    assert main(["generate"]) == 0
    package = project / "generated" / "acme"
    (package / "helpers.py").write_text("def helper() -> int:\n    return 1\n")
    (package / "notes").mkdir()
    (package / "notes" / "README.txt").write_text("mine\n")
    for command in (["check"], ["check", "--full"], ["generate"], ["check"]):
        capsys.readouterr()
        assert main(command) == 0, capsys.readouterr()
        assert "extra" not in capsys.readouterr().out
    assert (package / "helpers.py").is_file() and (package / "notes" / "README.txt").is_file()
    # Drift of specgen's own files is still found beside them.
    (package / "imagegenerationstatus.py").write_text("# edited\n")
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "--- generated/acme/imagegenerationstatus.py" in out and "helpers" not in out


def test_spec_errors_write_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 0
    before = tree(project / "generated")
    spec = project / "specs" / "outputitemimagegenerationcall.md"
    spec.write_text(spec.read_text().replace("*string*", "*strin*", 1))
    (project / "specs" / "broken.md").write_text("no title here\n")
    capsys.readouterr()
    assert main(["generate"]) == 1
    err = capsys.readouterr().err
    assert "specs/broken.md:1:1: error: no title" in err
    assert "specs/outputitemimagegenerationcall.md:22:97: error: unknown type" in err
    assert "unknown type 'strin'" in err
    assert "2 errors" in err
    assert tree(project / "generated") == before


def test_never_overwrites_a_file_it_did_not_write(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = project / "generated" / "acme"
    package.mkdir(parents=True)
    (package / "imagegenerationstatus.py").write_text("# mine\n")
    assert main(["generate"]) == 1
    assert "refusing to overwrite" in capsys.readouterr().err
    assert (package / "imagegenerationstatus.py").read_text() == "# mine\n"
    assert tree(package) == {"imagegenerationstatus.py": b"# mine\n"}


def test_removes_the_module_of_a_deleted_spec_but_not_other_files(project: Path) -> None:
    assert main(["generate"]) == 0
    package = project / "generated" / "acme"
    (package / "notes.txt").write_text("keep me")
    (project / "specs" / "openresponsesinputitemimagegenerationcall.md").unlink()
    assert main(["generate"]) == 0
    assert not (package / "openresponsesinputitemimagegenerationcall.py").exists()
    assert (package / "notes.txt").read_text() == "keep me"
    assert "OpenResponsesInputItemImageGenerationCall" not in (package / "__init__.py").read_text()


def test_flags_override_configuration(project: Path) -> None:
    assert main(["generate", "--out", "elsewhere", "--package", "other"]) == 0
    assert (project / "elsewhere" / "other" / "__init__.py").is_file()
    assert not (project / "generated").exists()


def test_a_run_from_a_subfolder_uses_the_project_folders(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The specs and the output, set or left at their defaults, are the project's, wherever
    in it specgen runs: not folders of the same names under the working directory."""
    (project / "pyproject.toml").write_text('[tool.specgen]\npackage = "acme"\n')
    (project / "tools").mkdir()
    monkeypatch.chdir(project / "tools")
    assert main(["generate"]) == 0
    assert (project / "generated" / "acme" / "__init__.py").is_file()
    assert not (project / "tools" / "generated").exists()
    monkeypatch.chdir(project / "generated" / "acme")
    assert main(["check"]) == 0
    assert "in sync" in capsys.readouterr().out
    assert main(["generate", "--out", "here"]) == 0  # a flag's path: the working directory's
    assert (project / "generated" / "acme" / "here" / "acme" / "__init__.py").is_file()


@pytest.mark.parametrize("command", ["generate", "check", "schema"])
def test_spec_and_template_folders_must_be_folders(
    project: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """A missing folder, or a file where a folder belongs, is bad configuration: exit 2."""
    cases = [
        (["--specs", "nowhere"], "spec folder nowhere does not exist (--specs)"),
        (["--specs", "specs/imagegenerationstatus.md"],
         "spec folder specs/imagegenerationstatus.md is a file, not a folder (--specs)"),
        (["--templates", "tpl"], "template folder tpl does not exist (--templates)"),
        (["--templates", "pyproject.toml"],
         "template folder pyproject.toml is a file, not a folder (--templates)"),
    ]
    for flags, message in cases:
        if command == "schema" and flags[0] == "--templates":
            continue  # the schema uses no templates: no such flag
        assert main([command, *flags]) == 2, flags
        assert capsys.readouterr().err == f"specgen: error: {message}\n"
    (project / "pyproject.toml").write_text(PYPROJECT.replace('"specs"', '"spex"'))
    assert main([command]) == 2
    assert capsys.readouterr().err == (
        "specgen: error: spec folder spex does not exist (specs in pyproject.toml)\n")
    (project / "pyproject.toml").write_text(PYPROJECT + 'templates = "tpl"\n')
    assert main([command]) == 2
    assert capsys.readouterr().err == (
        "specgen: error: template folder tpl does not exist (templates in pyproject.toml)\n")
    assert not (project / "generated").exists()


def test_bad_configuration_exits_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("not-a-name", "class"):
        assert main(["generate", "--package", name]) == 2
        assert "not a Python identifier" in capsys.readouterr().err
    for name in ("typing", "pydantic", "json"):  # imported in its place
        assert main(["generate", "--package", name]) == 2
        assert f"package name {name!r} is taken" in capsys.readouterr().err
    (project / "pyproject.toml").write_text('[tool.specgen]\nspeks = "x"\n')
    assert main(["check"]) == 2
    assert "[tool.specgen]: unknown keys: speks (did you mean 'specs'?)" in capsys.readouterr().err
    (project / "pyproject.toml").write_text('[tool.specgen]\nwire_name = "x"\nzzz = 1\n')
    assert main(["check"]) == 2
    assert ("[tool.specgen]: unknown keys: wire_name, zzz (did you mean 'wire_names'?)"
            in capsys.readouterr().err)
    # Every problem of the configuration at once, each on a line of its own
    (project / "pyproject.toml").write_text(
        '[tool.specgen]\nwire_name = "x"\nnullable = "sometimes"\nline_length = 3\n'
        'specs = "nowhere"\n[tool.specgen.fields."A.b"]\nnumber = "big"\nalias = 1\n'
        '[tool.specgen.models.A]\nwire_names = "loud"\n')
    assert main(["generate"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert [line.rsplit("pyproject.toml: ", 1)[-1].removeprefix("specgen: error: ")
            for line in err] == [
        "[tool.specgen]: unknown keys: wire_name (did you mean 'wire_names'?)",
        "line_length must be an integer of at least 40, not 3",
        "nullable must be one of examples, optional, all, not 'sometimes'",
        "fields.'A.b': alias must be a string",
        "fields.'A.b': number must be one of 'int', 'float', 'int | float'",
        "models.'A': wire_names must be one of snake, spec, camel, not 'loud'",
        "spec folder nowhere does not exist (specs in pyproject.toml)"], err
    assert all(line.startswith("specgen: error: ") for line in err)


LINK = """# Link

## Fields

| Field       | Type     | Required           | Description |
| ----------- | -------- | ------------------ | ----------- |
| `id`        | *string* | :heavy_check_mark: | N/A         |
| `shortLink` | *string* | :heavy_check_mark: | N/A         |
"""
HOLDER = """# Holder

## Fields

| Field | Type | Required | Description | Example |
| --- | --- | --- | --- | --- |
| `link` | [models.Link](link.md) | :heavy_minus_sign: | N/A | {"id": "a", "shortLink": "b"} |
"""


def test_wire_names_guessed_for_want_of_examples_are_warned_of_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """With nothing in the docs to tell how the API spells its keys, `auto` guesses, and
    says so at the first field it guesses for, naming the setting; not once it is set, nor
    when an example shows the keys."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "link.md").write_text(LINK)
    (tmp_path / "specs" / "other.md").write_text(LINK.replace("Link", "Other"))
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    assert main(["generate"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: no example in the docs shows how the API spells") == 1
    assert ("specs/link.md:8:3: warning: no example in the docs shows how the API spells its "
            "JSON keys: wire names are guessed in snake_case ('Link.shortLink' as 'short_link')"
            in err)
    assert main(["generate"]) == 0  # replayed by a run with nothing to do
    assert "specs/link.md:8:3: warning: no example" in capsys.readouterr().err
    assert main(["generate", "--strict"]) == 1
    capsys.readouterr()
    for pyproject, page in ((PYPROJECT + 'wire_names = "spec"\n', None),
                            (PYPROJECT, HOLDER)):
        (tmp_path / "pyproject.toml").write_text(pyproject)
        if page:
            (tmp_path / "specs" / "holder.md").write_text(page)
        assert main(["generate"]) == 0
        assert "no example in the docs" not in capsys.readouterr().err
    link = (tmp_path / "generated" / "acme" / "link.py").read_text()
    assert 'serialization_alias="shortLink"' in link and '"short_link"' not in link  # shown


def test_console_script_and_module_entry_points(project: Path) -> None:
    bin_dir = Path(sys.executable).parent
    for command in ([str(bin_dir / "specgen"), "generate"],
                    [sys.executable, "-m", "specgen_md", "check"]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=project,
                                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=120)
        assert result.returncode == 0, result.stderr
    version = subprocess.run([sys.executable, "-m", "specgen_md", "--version"],
                             capture_output=True, text=True, timeout=120)
    assert version.stdout.startswith("specgen ")


def test_output_is_deterministic(project: Path, tmp_path: Path) -> None:
    assert main(["generate"]) == 0
    first = tree(project / "generated")
    shutil.rmtree(project / "generated")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "specgen_md", "generate"], cwd=project, env=env,
                   check=True, capture_output=True, timeout=120)
    assert tree(project / "generated") == first


def test_nullable_policy(project: Path) -> None:
    spec = project / "specs" / "outputitemimagegenerationcall.md"
    spec.write_text(spec.read_text().replace('id: "imagegen-abc123"', "id: null"))
    assert main(["generate"]) == 0
    module = project / "generated" / "acme" / "outputitemimagegenerationcall.py"
    assert "    id: str | None\n" in module.read_text()
    assert "    result: str\n" in module.read_text()
    assert main(["generate", "--nullable", "optional"]) == 0
    assert "    id: str\n" in module.read_text()
    assert main(["generate", "--nullable", "all"]) == 0
    assert "    result: str | None\n" in module.read_text()


def test_field_overrides_and_naming_policy(project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + '''field_names = "spec"

[tool.specgen.fields."OutputItemImageGenerationCall.result"]
name = "payload"
alias = "result_b64"
nullable = true

[tool.specgen.fields."OpenResponsesInputItemImageGenerationCall.id"]
name = "item_id"
''')
    assert main(["generate"]) == 0
    text = (project / "generated" / "acme" / "outputitemimagegenerationcall.py").read_text()
    assert ('    payload: str | None = Field(\n        validation_alias=AliasChoices("result_b64", '
            '"result"),\n        serialization_alias="result_b64",\n    )\n') in text
    other = (project / "generated" / "acme" / "openresponsesinputitemimagegenerationcall.py")
    assert ('    item_id: str = Field(validation_alias="id", serialization_alias="id")\n'
            in other.read_text())
    (project / "pyproject.toml").write_text(PYPROJECT + '''
[tool.specgen.fields."Nothing.here"]
nullable = true
''')
    capsys.readouterr()
    assert main(["generate"]) == 1
    assert "pyproject.toml:6:22: error: [tool.specgen.fields] 'Nothing.here' names no field " \
           "of any spec\n" in capsys.readouterr().err
    (project / "pyproject.toml").write_text(PYPROJECT + '''
[tool.specgen.fields."OutputItemImageGenerationCall.id"]
number = "decimal"
''')
    assert main(["generate"]) == 2
    assert "number must be one of" in capsys.readouterr().err


def test_a_misspelled_field_override_is_shown_where_it_is_written(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """At its table header (or key), with the closest field there is."""
    (project / "pyproject.toml").write_text(PYPROJECT + '''
[tool.specgen.fields."OutputItemImageGenerationCall.result"]
name = "payload"

[tool.specgen.fields."OutputItemImageGenerationCall.reslt"]
nullable = true

[tool.specgen.fields]
# "Commented.out" = { nullable = true }
"OpenResponsesInputItemImageGenerationCall.id" = { name = "item_id" }
  "OpenResponsesInputItemImageGenerationCall.stats".nullable = true
"Nothing.here" = { nullable = true }
''')
    assert main(["generate"]) == 1
    assert capsys.readouterr().err.splitlines()[:4] == [
        "pyproject.toml:9:22: error: [tool.specgen.fields] "
        "'OutputItemImageGenerationCall.reslt' names no field of any spec; did you mean "
        "'OutputItemImageGenerationCall.result'?",
        "pyproject.toml:15:3: error: [tool.specgen.fields] "
        "'OpenResponsesInputItemImageGenerationCall.stats' names no field of any spec; did you "
        "mean 'OpenResponsesInputItemImageGenerationCall.status'?",
        "pyproject.toml:16:1: error: [tool.specgen.fields] 'Nothing.here' names no field of any "
        "spec",
        "3 errors",
    ]


def test_target_version_is_checked(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text(PYPROJECT + 'target_version = "py312"\n')
    assert main(["generate"]) == 0
    (project / "pyproject.toml").write_text(PYPROJECT + 'target_version = "py27"\n')
    assert main(["generate"]) == 2
    assert "target_version must be one of py310" in capsys.readouterr().err


def test_every_command_gives_the_same_warnings_and_verdict(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """generate, check, check --full and schema report the same warnings, on no-op runs (the
    fast path, which parses nothing) too; with --strict they all fail."""
    spec = project / "specs" / "outputitemimagegenerationcall.md"
    spec.write_text(spec.read_text() + "\n## Remarks\n\nNothing.\n")
    (project / "specs" / "sub").mkdir()
    (project / "specs" / "sub" / "tone.md").write_text(
        "# Tone\n\n## Values\n\n```typescript\n\"soft\" | \"loud\"\n```\n\n## Notes\n\nHm.\n")
    commands = [["generate"], ["generate"], ["check"], ["check", "--full"], ["schema"]]
    assert main(commands[0]) == 0
    expected = capsys.readouterr().err
    assert "specs/outputitemimagegenerationcall.md:" in expected
    assert "warning: unknown section '## Remarks' is ignored" in expected
    assert "specs/sub/tone.md:9:4: warning: unknown section '## Notes'" in expected
    for command in commands:
        assert main(command) == 0
        assert capsys.readouterr().err == expected, command
    for command in commands:
        assert main([*command, "--strict"]) == 1, command
        err = capsys.readouterr().err
        assert "error: unknown section '## Remarks' is ignored" in err, command
    # From another folder, the positions are relative to it, from the manifest as from parsing.
    monkeypatch.chdir(project / "specs")
    assert main(["check", "--config", "../pyproject.toml"]) == 0
    fast = capsys.readouterr().err
    assert "sub/tone.md:9:4: warning" in fast
    assert main(["check", "--full", "--config", "../pyproject.toml"]) == 0
    assert capsys.readouterr().err == fast
