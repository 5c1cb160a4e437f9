"""specgen among the tools around it: jobs, terminal output, annotations, templates, hooks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from specgen_md.arguments import parser
from specgen_md.cli import main

from .conftest import enum_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "color.md").write_text(enum_page("Color", '"red" | "green"'))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nout = "generated"\n\n'
        '[tool.specgen.jobs.images]\nspecs = "specs"\npackage = "images"\n\n'
        '[tool.specgen.jobs.paint]\nspecs = "other"\npackage = "paint"\nline_length = 100\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


def test_jobs_run_together_or_by_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 0
    assert (project / "generated" / "images" / "imagegenerationstatus.py").is_file()
    assert (project / "generated" / "paint" / "color.py").is_file()
    assert main(["check"]) == 0
    (project / "other" / "color.md").write_text(enum_page("Color", '"red" | "blue"'))
    capsys.readouterr()
    assert main(["check", "--job", "images"]) == 0
    assert main(["check"]) == 1
    assert main(["generate", "--job", "paint"]) == 0
    assert main(["check"]) == 0
    assert main(["check", "--job", "nope"]) == 2
    assert "unknown job 'nope'; configured: images, paint" in capsys.readouterr().err


def test_quiet_verbose_and_colour(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--quiet"]) == 0
    assert capsys.readouterr().out == ""
    (project / "other" / "color.md").write_text(enum_page("Color", '"red" | "cyan"'))
    assert main(["generate", "--verbose", "--job", "paint"]) == 0
    assert "  written: generated/paint/color.py" in capsys.readouterr().out
    (project / "other" / "bad.md").write_text("# Bad\n\n## Values\n\n```typescript\n```")
    assert main(["generate", "--color", "always"]) == 1
    err = capsys.readouterr().err
    assert "\033[1mother/bad.md:3:4\033[0m: \033[31merror\033[0m: enum has no values" in err
    assert main(["generate", "--color", "never"]) == 1
    assert "other/bad.md:3:4: error: enum has no values" in capsys.readouterr().err


def test_no_color_and_terminals(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "other" / "bad.md").write_text("# Bad\n\n## Values\n\n```typescript\n```")
    script = ("import sys; from specgen_md.output import Output; "
              "print(Output(err=sys.stdout).colour)")
    plain = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=120)
    assert plain.stdout.strip() == "False"  # not a terminal
    from specgen_md.output import Output

    class Tty:
        def isatty(self) -> bool:
            return True

    assert Output(err=Tty()).colour is True  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert Output(err=Tty()).colour is False  # type: ignore[arg-type]


def test_github_actions_annotations(project: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (project / "other" / "bad.md").write_text("# Bad\n\n## Values\n\n```typescript\n```")
    assert main(["generate", "--job", "paint"]) == 1
    assert "::error file=other/bad.md,line=3,col=4::enum has no values" in capsys.readouterr().err
    (project / "other" / "bad.md").unlink()
    assert main(["generate"]) == 0
    (project / "other" / "color.md").write_text(enum_page("Color", '"red" | "teal"'))
    capsys.readouterr()
    assert main(["check"]) == 1
    assert "::error title=specgen check::generated/paint is out of sync" in (
        capsys.readouterr().err)


INPUT = ["--specs", "--package", "--config", "--job", "--nullable", "--lenient", "--dialect",
         "--wire-names", "--strict", "--quiet", "--verbose", "--color"]
# what the output folder and rendering use
WRITING = ["--out", "--templates", "--model-kind", "--no-cache"]
FLAGS = {
    "generate": INPUT + WRITING,
    "watch": INPUT + WRITING,
    "check": INPUT + WRITING + ["--full"],
    "schema": INPUT + ["--output"],
}


@pytest.mark.parametrize("command", list(FLAGS))
def test_help_lists_the_flags_of_each_command(command: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """Each command takes (and its --help lists) the flags it uses, and only those."""
    with pytest.raises(SystemExit):
        parser().parse_args([command, "--help"])
    text = capsys.readouterr().out
    listed = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", text)) - {"--help"}
    assert listed == set(FLAGS[command])
    assert "(default: specs)" in text
    assert ("(default: generated)" in text) == ("--out" in FLAGS[command])
    for flag in {flag for flags in FLAGS.values() for flag in flags} - set(FLAGS[command]):
        with pytest.raises(SystemExit):
            parser().parse_args([command, flag, "x"] if flag != "--full" else [command, flag])
        assert "unrecognized arguments" in capsys.readouterr().err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    top = capsys.readouterr().out
    for command in FLAGS:
        assert command in top
    with pytest.raises(SystemExit):
        parser().parse_args(["--version"])
    assert capsys.readouterr().out.startswith("specgen ")


def test_custom_templates_override_by_name(project: Path) -> None:
    templates = ROOT / "tests" / "templates_example"
    assert main(["generate", "--job", "images", "--templates", str(templates)]) == 0
    module = project / "generated" / "images" / "outputitemimagegenerationcall.py"
    text = module.read_text()
    assert "# Models of the Acme API." in text
    assert "    id: str\n" in text and "frozen=True" in text
    # Templates not overridden come from specgen; black formats what custom templates make.
    enum = (project / "generated" / "images" / "imagegenerationstatus.py").read_text()
    assert "class ImageGenerationStatus(OpenStrEnum):" in enum


def test_pre_commit_hooks_are_declared() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["specgen-check"]["entry"] == "specgen check"
    assert by_id["specgen-check"]["pass_filenames"] is False
    for command in ("check", "generate"):
        assert parser().parse_args([command]).command == command


def hook_runs(hook: dict[str, object], staged: list[str]) -> bool:
    """Whether pre-commit runs a hook for a commit: always, or when a staged path (deleted
    ones are not passed) matches `files` and not `exclude`."""
    if hook.get("always_run"):
        return True
    files, exclude = str(hook.get("files", "")), str(hook.get("exclude", "^$"))
    return any(re.search(files, path) and not re.search(exclude, path) for path in staged)


@pytest.mark.parametrize("staged", [
    ["generated/models/pet.py"],  # a hand edit of a generated module
    ["generated/models/operations/__init__.py"],
    ["generated/models/.specgen-manifest.json"],
    ["templates/object.py.jinja"],  # a custom template
    ["specs/pet.md"], ["docs/models/operations/getpetrequest.mdx"],
    ["pyproject.toml"],
    [],  # only deletions (of a spec, or of a generated module)
])
def test_pre_commit_hooks_run_for_every_change_that_can_drift(staged: list[str]) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert hook_runs(hook, staged), (hook["id"], staged)


def test_config_file_flag(project: Path, tmp_path_factory: pytest.TempPathFactory,
                          monkeypatch: pytest.MonkeyPatch,
                          capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    monkeypatch.chdir(elsewhere)
    assert main(["generate", "--config", str(project / "pyproject.toml"), "--job", "paint"]) == 0
    assert (project / "generated" / "paint" / "color.py").is_file()  # relative to the file
    assert main(["check", "--config", str(elsewhere / "missing.toml")]) == 2
    assert "missing.toml: no such configuration file" in capsys.readouterr().err
