"""Stage 5: put generated files on disk, and compare them with what is there.

The generator owns only what it wrote: a manifest in the package directory lists those files.
It never overwrites or deletes a file the manifest does not list (unless the file already holds
exactly the bytes it would write).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

MANIFEST = ".specgen-manifest.json"
_IGNORED_DIRS = {"__pycache__"}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(package_dir: Path) -> dict[str, str]:
    """Files the generator wrote last time: relative path -> sha256. Empty when none."""
    try:
        data = json.loads((package_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items()}


def manifest_bytes(files: dict[str, bytes]) -> bytes:
    content = {
        "generator": "specgen",
        "version": __version__,
        "files": {path: digest(data) for path, data in sorted(files.items())},
    }
    return (json.dumps(content, indent=2, sort_keys=True) + "\n").encode()


def files_on_disk(package_dir: Path) -> set[str]:
    found: set[str] = set()
    if not package_dir.is_dir():
        return found
    for root, dirs, names in os.walk(package_dir):
        dirs[:] = sorted(d for d in dirs if d not in _IGNORED_DIRS)
        for name in names:
            path = Path(root, name).relative_to(package_dir).as_posix()
            if path != MANIFEST:
                found.add(path)
    return found


@dataclass
class WritePlan:
    write: dict[str, bytes] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # files we would clobber but do not own


def plan(package_dir: Path, files: dict[str, bytes]) -> WritePlan:
    owned = read_manifest(package_dir)
    result = WritePlan()
    for path, data in files.items():
        target = package_dir / path
        try:
            current = target.read_bytes()
        except FileNotFoundError:
            result.write[path] = data
            continue
        if current == data:
            result.unchanged.append(path)
        elif path in owned:
            # Ours, even if edited by hand since: regenerating restores it.
            result.write[path] = data
        else:
            result.conflicts.append(path)
    for path in sorted(set(owned) - set(files)):
        if (package_dir / path).is_file():
            result.remove.append(path)
    return result


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def apply(package_dir: Path, files: dict[str, bytes], result: WritePlan) -> None:
    """Carry out a plan that has no conflicts; the manifest is written last."""
    assert not result.conflicts
    for path, data in result.write.items():
        _atomic_write(package_dir / path, data)
    for path in result.remove:
        (package_dir / path).unlink(missing_ok=True)
        parent = (package_dir / path).parent
        while parent != package_dir and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
    manifest = manifest_bytes(files)
    manifest_path = package_dir / MANIFEST
    if not manifest_path.is_file() or manifest_path.read_bytes() != manifest:
        _atomic_write(manifest_path, manifest)


@dataclass
class Drift:
    diffs: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not (self.diffs or self.missing or self.extra)


def compare(
    package_dir: Path, files: dict[str, bytes], shown_dir: str, origins: dict[str, str]
) -> Drift:
    """How the package directory differs from freshly generated `files`.

    `origins` names the spec each file comes from, so a diff says which spec changed.
    """
    drift = Drift()
    on_disk = files_on_disk(package_dir)
    for path, data in files.items():
        target = package_dir / path
        if path not in on_disk:
            drift.missing.append(f"{shown_dir}/{path}")
            continue
        current = target.read_bytes()
        if current != data:
            old = current.decode("utf-8", "replace").splitlines(keepends=True)
            new = data.decode("utf-8", "replace").splitlines(keepends=True)
            name = f"{shown_dir}/{path}"
            source = f" (expected from {origins[path]})" if path in origins else " (expected)"
            drift.diffs.append("".join(difflib.unified_diff(old, new, name, name + source)))
    drift.extra = [f"{shown_dir}/{p}" for p in sorted(on_disk - set(files))]
    return drift
