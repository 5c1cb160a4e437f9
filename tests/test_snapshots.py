"""Snapshot tests: each folder under snapshots/ holds specs/ and the expected package.

Any change in the generated code fails here until the snapshots are rewritten on purpose with
`make snapshots` (pytest --update-snapshots), and the diff is reviewed in the commit.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest
from specgen_md.build import build
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics

SNAPSHOTS = Path(__file__).parent / "snapshots"
CASES = sorted(p.name for p in SNAPSHOTS.iterdir() if (p / "specs").is_dir())
# The runtime helpers do not depend on the specs: one expected copy serves every case.
RUNTIME = "_runtime.py"
SHARED_RUNTIME = SNAPSHOTS / "runtime.expected.py"


def expected_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_there_are_snapshot_cases() -> None:
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES)
def test_snapshot(case: str, update_snapshots: bool, tmp_path: Path) -> None:
    folder = SNAPSHOTS / case
    diags = Diagnostics()
    files = build(Config(specs=folder / "specs", out=tmp_path, package="snap"), diags)
    assert files is not None, "\n".join(map(str, diags.sorted()))
    # Warnings belong to the snapshot too: `warnings.txt`, paths relative to the case folder.
    warnings = "".join(f"{os.path.relpath(d.pos.path, folder)}:{d.pos.line}:{d.pos.col}: "
                       f"{d.severity.value}: {d.message}\n" for d in diags.sorted())
    warnings_file = folder / "warnings.txt"
    expected_dir = folder / "expected"
    if update_snapshots:
        if warnings:
            warnings_file.write_text(warnings)
        else:
            warnings_file.unlink(missing_ok=True)
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, data in files.items():
            target = SHARED_RUNTIME if path == RUNTIME else expected_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return
    expected_warnings = warnings_file.read_text() if warnings_file.is_file() else ""
    assert warnings == expected_warnings, "warnings differ; run `make snapshots` to accept"
    expected = expected_files(expected_dir)
    expected[RUNTIME] = SHARED_RUNTIME.read_bytes()
    assert sorted(files) == sorted(expected), "files differ; run `make snapshots` to accept"
    for path, data in files.items():
        if data != expected[path]:
            diff = difflib.unified_diff(
                expected[path].decode().splitlines(keepends=True),
                data.decode().splitlines(keepends=True),
                f"expected/{path}",
                f"generated/{path}",
            )
            pytest.fail(f"{case}/{path} changed; run `make snapshots` to accept:\n"
                        + "".join(diff))


@pytest.mark.parametrize("case", CASES)
def test_snapshot_is_black_clean(case: str) -> None:
    """Most modules skip black (the renderer lays them out as black would): check that black
    leaves every expected module unchanged."""
    from specgen_md.format import format_source

    files = expected_files(SNAPSHOTS / case / "expected")
    files[RUNTIME] = SHARED_RUNTIME.read_bytes()
    for path, data in files.items():
        if path.endswith(".py"):
            text = data.decode()
            assert format_source(path, text) == text, f"{case}/{path} is not black-clean"
