"""A local cache that makes regeneration incremental: parsed docs by spec content, rendered
modules by the hash of what they were rendered from. Lives in `.specgen_cache/` beside the
project's pyproject.toml (like `.ruff_cache`), or in the user's cache folder without one;
deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic
from .ir import Doc

GITIGNORE = "# Created by specgen: a local cache.\n*\n"


def prepare_folder(folder: Path) -> bool:
    """Make the cache folder with its .gitignore already inside, so that git never lists it:
    it is built under a temporary name and renamed into place. False when it cannot be made
    (the run then goes on without it)."""
    if (folder / ".gitignore").is_file():
        return True
    try:
        if folder.is_dir():  # made by an earlier version, or by hand
            (folder / ".gitignore").write_text(GITIGNORE)
            return True
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = folder.with_name(f"{folder.name}.tmp-{secrets.token_hex(6)}")
        staging.mkdir()
        (staging / ".gitignore").write_text(GITIGNORE)
        try:
            os.rename(staging, folder)
        except OSError:  # another run made it meanwhile
            shutil.rmtree(staging, ignore_errors=True)
        return folder.is_dir()
    except OSError:
        return False


if TYPE_CHECKING:
    from .parse import PageEvidence


# Whether `save` may hand the writing to a detached child process (set by the console script
# for `generate`, whose process exits right after: like git's background gc).
DETACHED_WRITES = False


@dataclass
class Cache:
    path: Path | None  # None: caching is off
    key: str = ""  # the generator fingerprint the entries were made with
    # (spec key, shown path, spec sha256, dialect setting) -> the parsed doc, the warnings it
    # gave, and what the page says of its dialect
    parsed: dict[tuple[str, str, str, str], tuple[Doc, list[Diagnostic], PageEvidence]] = (
        field(default_factory=dict))
    # output path -> (what rendering read of the package, final text)
    rendered: dict[str, tuple[dict[tuple[str, Any], Any], str]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None, identity: str, key: str) -> Cache:
        if folder is None:
            return cls(None)
        name = hashlib.sha256(identity.encode()).hexdigest()[:16] + ".pickle"
        path = folder / name
        try:
            with open(path, "rb") as handle:
                data = pickle.load(handle)
            if isinstance(data, dict) and data.get("key") == key:
                return cls(path, key, data["parsed"], data["rendered"])
        except Exception:  # a missing, stale or damaged cache is an empty one
            pass
        return cls(path, key)

    def save(self) -> None:
        """Write the cache atomically. With DETACHED_WRITES, a forked child writes it and the
        run ends at once; a run that starts meanwhile reads the previous cache (slower, not
        wrong)."""
        if self.path is None:
            return
        if DETACHED_WRITES and hasattr(os, "fork"):
            if os.fork() != 0:
                return
            try:  # the child: off the terminal and the caller's pipes, then write and go
                os.setsid()
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                self._write()
            finally:
                os._exit(0)
        self._write()

    def _write(self) -> None:
        assert self.path is not None
        if not prepare_folder(self.path.parent):
            return
        try:
            payload = {"key": self.key, "parsed": self.parsed, "rendered": self.rendered}
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # the cache only saves time
