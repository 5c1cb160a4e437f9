"""Generated code passes `mypy --strict`: the committed package and the cycles snapshot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("folder", "package"), [
    (ROOT / "generated", "models"),
    (ROOT / "tests" / "snapshots" / "cycles", "expected"),
    (ROOT / "tests" / "snapshots" / "namespaces", "expected"),
])
def test_mypy_strict(folder: Path, package: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), package],
        capture_output=True, text=True, cwd=folder,
    )
    assert result.returncode == 0, result.stdout
