"""What a run leaves on disk besides the package: the modes of what it writes, no lock files,
the cache where it belongs (ignored by git from the start)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from specgen_md import __version__
from specgen_md.cli import main
from specgen_md.write import MANIFEST, Manifest, locked, read_manifest

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


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "specgen_md", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})


def test_no_lock_file_is_left_anywhere(project: Path, tmp_path_factory: pytest.TempPathFactory
                                       ) -> None:
    temp = tmp_path_factory.mktemp("temp")
    for args in (["generate"], ["generate", "--out", "other"], ["check"]):
        process = run_cli(*args, cwd=project, env={"TMPDIR": str(temp)})
        assert process.wait(timeout=60) == 0, process.stderr.read()  # type: ignore[union-attr]
    assert list(temp.iterdir()) == []
    assert sorted(p.name for p in (project / "out").iterdir()) == ["p"]
    assert sorted(p.name for p in (project / "other").iterdir()) == ["p"]


def test_runs_wait_for_the_lock(project: Path) -> None:
    """A run waits while another holds the output's lock, then goes on."""
    package = project / "out" / "p"
    with locked(package):
        process = run_cli("generate", cwd=project)
        time.sleep(1.5)
        assert process.poll() is None, process.communicate(timeout=120)
        assert not package.exists()
    assert process.wait(timeout=60) == 0
    assert (package / "__init__.py").is_file()


def test_a_failed_run_leaves_no_output_folder(project: Path) -> None:
    (project / "specs" / "broken.md").write_text("no title\n")
    assert main(["generate", "--out", "new/deeper"]) == 1
    assert not (project / "new").exists()


def git_status(folder: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=folder,
                          capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.mark.parametrize("command", [["generate"], ["check", "--full"], ["schema"]])
def test_git_never_sees_the_cache(project: Path, command: list[str]) -> None:
    """The cache folder has its .gitignore before anything else is put in it, whichever
    command makes it (`check` renders templates, whose compiled forms are cached too)."""
    subprocess.run(["git", "init", "-q"], cwd=project, check=True, timeout=120)
    subprocess.run(["git", "add", "-A"], cwd=project, check=True, timeout=120)
    main(command)
    assert (project / ".specgen_cache").is_dir() or command == ["schema"]
    assert ".specgen_cache" not in git_status(project)


def test_the_cache_goes_to_the_user_cache_folder_without_a_project(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a pyproject.toml there is no project folder to keep a cache in: it goes to
    $XDG_CACHE_HOME/specgen (~/.cache/specgen), not into the working directory."""
    (project / "pyproject.toml").unlink()
    xdg = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_CACHE_HOME", str(xdg))
    assert main(["generate", "--specs", "specs", "--out", "out", "--package", "p"]) == 0
    assert sorted(p.name for p in project.iterdir()) == ["out", "specs"]
    assert len({p.parent for p in (xdg / "specgen").glob("*/*.pickle")}) == 1
    assert (xdg / "specgen" / ".gitignore").is_file()
    (project / "pyproject.toml").write_text('[tool.specgen]\nout = "out"\npackage = "p"\n')
    (project / "specs" / "extra.md").write_text(enum_page("Extra", '"a" | "b"'))
    assert main(["generate"]) == 0
    assert len({p.parent for p in (project / ".specgen_cache").glob("*/*.pickle")}) == 1


@pytest.mark.parametrize("manifest", [
    Manifest(),
    Manifest("fp", {"a\"b.md": "1", "ü/é.md": "2\n", "z.md": "3"}, {"p/q.py": "h", "\0table": "v"},
             (("a.md", 1, 2, 'says "\0table" and \\u0000table, é'), ("b.md", 3, 4, "x"))),
    Manifest("fp", {"a.md": "1"}, {"a.py": "2"}, (("a.md", 1, 2, "\0table"),)),
])
def test_the_manifest_is_json_indented_as_json_writes_it(manifest: Manifest) -> None:
    """The manifest, its tables encoded a line at a time, is byte for byte what `json.dumps`
    writes of it: keys sorted, non-ASCII escaped, no text of a spec or warning mistaken for
    where a table goes."""
    content = {
        "generator": "specgen", "version": __version__, "fingerprint": manifest.fingerprint,
        "specs": dict(sorted(manifest.specs.items())),
        "files": dict(sorted(manifest.files.items())),
        "warnings": [{"path": p, "line": line, "col": col, "message": m}
                     for p, line, col, m in sorted(manifest.warnings)]}
    assert manifest.to_bytes() == (json.dumps(content, indent=2) + "\n").encode()
    assert read_manifest_bytes(manifest.to_bytes()) == manifest


def read_manifest_bytes(data: bytes) -> Manifest:
    folder = Path(tempfile.mkdtemp())
    try:
        (folder / MANIFEST).write_bytes(data)
        return read_manifest(folder)
    finally:
        shutil.rmtree(folder)


def test_the_plan_of_a_package_writes_what_is_new_and_refuses_what_is_not_ours(
        tmp_path: Path) -> None:
    """A package not on disk yet: every file is written (none is looked for). One on disk: a
    file of the same bytes stands, one of ours that differs is written, one that is not ours
    is a conflict; with `partial`, the files the run did not make stand as the manifest
    lists them."""
    from specgen_md.stats import digest
    from specgen_md.write import plan

    package = tmp_path / "out" / "pkg"
    files = {"a.py": b"a = 1\n", "sub/b.py": b"b = 2\n", "c.py": b"c = 3\n"}
    owned = Manifest(files={"a.py": digest(b"old\n"), "gone.py": digest(b"gone\n")})
    for partial in (False, True):
        fresh = plan(package, files, owned, partial=partial)
        assert fresh.write == files
        assert (fresh.unchanged, fresh.remove, fresh.conflicts) == (
            ["gone.py"] if partial else [], [], [])
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_bytes(b"edited by hand\n")  # ours: written again
    (package / "sub" / "b.py").write_bytes(b"b = 2\n")  # the same bytes: stands
    (package / "c.py").write_bytes(b"the user's\n")  # not ours: left, and said
    (package / "gone.py").write_bytes(b"gone\n")
    on_disk = plan(package, files, owned)
    assert on_disk.write == {"a.py": b"a = 1\n"}
    assert (on_disk.unchanged, on_disk.remove, on_disk.conflicts) == (
        ["sub/b.py"], ["gone.py"], ["c.py"])
    assert plan(package, files, owned, partial=True).remove == []
