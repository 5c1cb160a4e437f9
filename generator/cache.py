"""A local cache that makes regeneration incremental: parsed docs by spec content, rendered
modules by the hash of what they were rendered from. Lives in `.specgen_cache/` beside the
project's pyproject.toml (like `.ruff_cache`); deleting it only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic
from .ir import Doc

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
    # output path -> (dependency hash, final text)
    rendered: dict[str, tuple[str, str]] = field(default_factory=dict)

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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            gitignore = self.path.parent / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by specgen: a local cache.\n*\n")
            payload = {"key": self.key, "parsed": self.parsed, "rendered": self.rendered}
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            pass  # the cache only saves time
