"""Every command in the README works as written: shell lines run (or name real make targets),
the configuration example is a working configuration, the YAML examples parse."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from specgen_md import __version__
from specgen_md.cli import main
from specgen_md.config import load_configs

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCKS if lang == language]


def shell_lines() -> list[str]:
    return [line.split("  #")[0].strip() for body in blocks("sh") for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    shutil.copytree(ROOT / "tests" / "templates_example", tmp_path / "tests" / "templates_example")
    (tmp_path / "pyproject.toml").write_text(blocks("toml")[0])
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_has_commands() -> None:
    lines = shell_lines()
    assert "make generate" in lines and "make test" in lines
    assert any(line.startswith("specgen schema") for line in lines)


def test_every_command_line_is_tested() -> None:
    """make targets (below), specgen commands (below), and the install line, which
    tests/test_packaging.py runs in an empty virtual environment."""
    for line in shell_lines():
        assert line.startswith(("make ", "specgen", "python -m specgen_md ")) or (
            line == f"pip install specgen-md=={__version__}"), line


def test_make_targets_exist() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for line in shell_lines():
        if line.startswith("make "):
            target = line.split()[1]
            assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_configuration_example_works(project: Path) -> None:
    jobs = load_configs(project, {})
    assert [name for name, _ in jobs] == ["models", "extra"]
    assert main(["generate"]) == 0
    module = project / "generated" / "models" / "outputitemimagegenerationcall.py"
    assert ('    image_base64: str | None = Field(\n'
            '        validation_alias="result", serialization_alias="result"\n    )\n'
            ) in module.read_text()
    assert (project / "build" / "extra_models" / "__init__.py").is_file()


@pytest.mark.parametrize("line", [line for line in shell_lines()
                                  if line.startswith(("specgen", "python -m specgen_md"))])
def test_shell_command_runs(line: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = shlex.split(line)
    args = args[3:] if args[0] == "python" else args[1:]
    if args == ["watch"]:
        pytest.skip("`watch` runs until interrupted: tests/test_incremental.py drives it")
    if args == ["--version"]:
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 0 and capsys.readouterr().out.startswith("specgen ")
        return
    if args[0] == "check":
        assert main(["generate"]) == 0
    assert main(args) == 0, capsys.readouterr().err


def test_yaml_examples_parse() -> None:
    documents = [yaml.safe_load(body) for body in blocks("yaml")]
    workflow = next(d for d in documents if isinstance(d, dict) and "jobs" in d)
    steps = workflow["jobs"]["drift"]["steps"]
    assert any(step.get("run", "").startswith("specgen check") for step in steps)
    hooks = next(d for d in documents if isinstance(d, dict) and "repos" in d)
    declared = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert {h["id"] for h in hooks["repos"][0]["hooks"]} <= declared


def test_pre_commit_snippet_names_this_release() -> None:
    """The hook's `rev` is this version's tag; where the checkout has the tag, it is an
    annotated tag of a commit with this version."""
    documents = [yaml.safe_load(body) for body in blocks("yaml")]
    hooks = next(d for d in documents if isinstance(d, dict) and "repos" in d)
    rev = hooks["repos"][0]["rev"]
    assert rev == f"v{__version__}"
    kind = subprocess.run(["git", "cat-file", "-t", rev], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    if kind.returncode != 0:
        pytest.skip(f"no tag {rev} in this checkout (yet)")
    assert kind.stdout.strip() == "tag", f"{rev} is not an annotated tag"
    tagged = subprocess.run(["git", "show", f"{rev}:generator/__init__.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=120).stdout
    assert f'__version__ = "{__version__}"' in tagged


def dry_run(target: str, folder: Path) -> str:
    """What `make TARGET` would run in a fresh clone (no .venv yet)."""
    return subprocess.run(["make", "-n", target], cwd=folder, capture_output=True, text=True,
                          check=True, timeout=60).stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
def test_make_generate_sets_up_only_what_it_runs(tmp_path: Path) -> None:
    """`make generate` installs specgen alone; `make test` adds the development tools."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    generate, test = dry_run("generate", tmp_path), dry_run("test", tmp_path)
    assert "pip install --quiet -e .\n" in generate
    assert "[dev]" not in generate
    assert "pip install --quiet -e '.[dev]'" in test and "pytest" in test
