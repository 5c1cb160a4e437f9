"""Generated code is typed and clean: `mypy --strict`, `pyright` and `ruff check` (its
defaults) find nothing in the committed package or in the snapshots."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGES = [
    (ROOT / "generated", "models"),
    (ROOT / "tests" / "snapshots" / "cycles", "expected"),
    (ROOT / "tests" / "snapshots" / "namespaces", "expected"),
    (ROOT / "tests" / "snapshots" / "forms", "expected"),
]


@pytest.mark.parametrize(("folder", "package"), PACKAGES)
def test_mypy_strict(folder: Path, package: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), package],
        capture_output=True, text=True, cwd=folder,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("folder", "package"), PACKAGES)
def test_pyright(folder: Path, package: str) -> None:
    result = subprocess.run([str(BIN / "pyright"), package], capture_output=True, text=True,
                            cwd=folder)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 errors" in result.stdout


def test_ruff() -> None:
    targets = [str(folder / package) for folder, package in PACKAGES]
    targets += [str(p) for p in (ROOT / "tests" / "snapshots").glob("*/expected")]
    result = subprocess.run([str(BIN / "ruff"), "check", "--isolated", *targets],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
