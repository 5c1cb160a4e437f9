"""What a run leaves on disk besides the package: the modes of what it writes, no lock files,
the cache where it belongs (ignored by git from the start)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from specgen_md.cli import main
from specgen_md.write import locked

from .conftest import enum_page

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(SNAPSHOTS / "namespaces" / "specs", tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def modes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode)
            for p in [folder, *folder.rglob("*")] if "__pycache__" not in p.parts}


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077], indirect=True)
def test_modes_follow_the_umask(project: Path, umask: int) -> None:
    """As a plain write under the user's umask would make them: the package folder too (it
    was a private staging folder), and the manifest when only it changes."""
    folder, file = 0o777 & ~umask, 0o666 & ~umask
    package = project / "out" / "p"

    def expected() -> dict[str, int]:
        return {path: folder if (package / path).is_dir() else file for path in modes(package)}

    assert main(["generate"]) == 0
    assert any((package / path).is_dir() for path in modes(package) if path != ".")
    assert modes(package) == expected()
    # A spec edit that changes no output: only the manifest is replaced.
    page = next((project / "specs").rglob("*.md"))
    page.write_text(page.read_text() + "\n")
    before = (package / ".specgen-manifest.json").read_bytes()
    assert main(["generate"]) == 0
    assert (package / ".specgen-manifest.json").read_bytes() != before
    assert modes(package) == expected()
    # An edit that changes a module: a new package folder.
    (project / "specs" / "extra.md").write_text(enum_page("Extra", '"a" | "b"'))
    assert main(["generate"]) == 0
    assert (package / "extra.py").is_file()
    assert modes(package) == expected()
