"""Generated code is typed and clean: `mypy --strict`, `pyright` and `ruff check` (its
defaults) find nothing in the committed package or in the packages of the snapshot specs."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SNAPSHOTS = ROOT / "tests" / "snapshots"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, str]]:
    """The committed package, and one package per snapshot case, generated afresh."""
    out = tmp_path_factory.mktemp("typed")
    found = [(ROOT / "generated", "models")]
    for case in sorted(p.name for p in SNAPSHOTS.iterdir() if (p / "specs").is_dir()):
        diags = Diagnostics()
        generate(Config(specs=SNAPSHOTS / case / "specs", out=out, package=case), diags)
        assert not diags.has_errors
        found.append((out, case))
    return found


def test_mypy_strict(packages: list[tuple[Path, str]], tmp_path: Path) -> None:
    for folder, package in packages:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), package],
            capture_output=True, text=True, cwd=folder, timeout=600,
        )
        assert result.returncode == 0, (package, result.stdout)


def test_pyright(packages: list[tuple[Path, str]]) -> None:
    for folder, package in packages:
        result = subprocess.run([str(BIN / "pyright"), package], capture_output=True,
                                text=True, cwd=folder, timeout=600)
        assert result.returncode == 0, (package, result.stdout[-3000:])
        assert "0 errors" in result.stdout


def test_ruff(packages: list[tuple[Path, str]]) -> None:
    targets = [str(folder / package) for folder, package in packages]
    result = subprocess.run([str(BIN / "ruff"), "check", "--isolated", *targets],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]


def hints(tmp_path: Path, count: int) -> Path:
    """Pages Hint1..Hint<count>, each with its own required field, and a union Hint of all."""
    specs = tmp_path / "specs"
    specs.mkdir()
    members = [f"Hint{n}" for n in range(1, count + 1)]
    for member in members:
        (specs / f"{member.lower()}.md").write_text(
            f"# {member}\n\n## Fields\n\n| Field | Type | Required | Description |\n"
            "| ----- | ---- | -------- | ----------- |\n"
            f"| `n{member[4:]}` | *string* | :heavy_check_mark: | A field. |\n")
    union = "".join(f"### `models.{m}`\n\n```typescript\nconst value: models.{m} = "
                    f'{{\n  n{m[4:]}: "a",\n}};\n```\n\n' for m in members)
    (specs / "hint.md").write_text(f"# Hint\n\n## Supported Types\n\n{union}")
    return specs


def test_ruff_orders_numbered_modules_naturally(tmp_path: Path) -> None:
    """`Hint2` sorts before `Hint10` in an import block, as isort and ruff sort it."""
    diags = Diagnostics()
    generate(Config(specs=hints(tmp_path, 12), out=tmp_path, package="hints"), diags)
    assert not diags.has_errors
    result = subprocess.run([str(BIN / "ruff"), "check", "--isolated", "--extend-select", "I,E",
                             str(tmp_path / "hints")], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_union_of_hundreds_of_members_types_lints_and_validates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chain of 300 `|` is deeper than pyright parses, and `Union[...]` is what ruff
    rewrites into that chain: the members come in groups."""
    diags = Diagnostics()
    generate(Config(specs=hints(tmp_path, 300), out=tmp_path, package="many"), diags)
    assert not diags.has_errors
    module = tmp_path / "many" / "hint.py"
    for command in ([sys.executable, "-m", "mypy", "--strict", "--cache-dir",
                     str(tmp_path / ".mypy"), str(module)],
                    [str(BIN / "pyright"), str(module)],
                    [str(BIN / "ruff"), "check", "--isolated", str(tmp_path / "many")]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path,
                                timeout=600)
        assert result.returncode == 0, (command[0], result.stdout[-3000:])
    monkeypatch.syspath_prepend(str(tmp_path))
    from pydantic import TypeAdapter

    many = importlib.import_module("many")
    value = TypeAdapter(many.Hint).validate_python({"n250": "a"})
    assert type(value) is many.Hint250
    for name in [m for m in sys.modules if m.split(".")[0] == "many"]:
        del sys.modules[name]


def test_kinds_type_check_and_lint(tmp_path: Path) -> None:
    """Every snapshot case, and a numeric enum with fractions, as each other kind of model:
    one run of each tool over all of them."""
    specs = tmp_path / "ratio"
    specs.mkdir()
    (specs / "ratio.md").write_text("# Ratio\n\n## Values\n\n```typescript\n0.5 | 1.5\n```\n")
    cases = [(SNAPSHOTS / p.name / "specs", p.name)
             for p in sorted(SNAPSHOTS.iterdir()) if (p / "specs").is_dir()]
    packages = []
    for kind in ("dataclass", "typeddict", "msgspec"):
        for folder, case in [*cases, (specs, "ratio")]:
            diags = Diagnostics()
            generate(Config(specs=folder, out=tmp_path / "out", package=f"{kind}_{case}",
                            model_kind=kind), diags)
            assert not diags.has_errors
            packages.append(f"{kind}_{case}")
    out = tmp_path / "out"
    mypy = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir",
                           str(tmp_path / "cache"), *packages],
                          capture_output=True, text=True, cwd=out, timeout=600)
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    pyright = subprocess.run([str(BIN / "pyright"), "--pythonpath", sys.executable, "."],
                             capture_output=True, text=True, cwd=out, timeout=600)
    assert pyright.returncode == 0 and "0 errors" in pyright.stdout, pyright.stdout[-3000:]
    # PYI042 asks type aliases to be CamelCase: a typeddict enum is an alias, and the titles
    # case has an enum titled `int`.
    ruff = subprocess.run([str(BIN / "ruff"), "check", "--isolated", "--extend-ignore",
                           "PYI042", *packages], capture_output=True, text=True, cwd=out,
                          timeout=600)
    assert ruff.returncode == 0, ruff.stdout[-3000:]
