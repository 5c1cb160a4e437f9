"""Whether a package is up to date: the manifest of the last run records the hashes of the specs
it was made from and of the files it wrote, and the fingerprint of what else decided them (the
generator, its templates, the options). When all still hold, a run has nothing to do.

Kept light: a run with nothing to do imports this and the modules it needs, not the parser,
the renderer or black; files whose stat is unchanged are not even read (see stats.py).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from . import __version__
from .cache import set_folder
from .config import Config
from .diagnostics import Diagnostics, shown
from .position import Position
from .specfiles import SpecFile, Unreadable, read_all
from .stats import StatIndex
from .template_sets import search_path
from .write import Manifest, read_manifest

# Settings that do not decide the output's bytes: where things are (templates count by their
# contents, below).
_PLACES = {"specs", "more_specs", "out", "templates", "source", "cache_dir"}


def fingerprint(config: Config) -> str:
    """What, besides the specs, decides the output: the generator's code and version, its
    templates, the versions of the libraries it parses, renders and lays out with, and the
    options. Recorded in the manifest; a change means
    regenerating."""
    h = hashlib.sha256(__version__.encode())
    sources = sorted(Path(__file__).parent.rglob("*.py"))
    templates = [path for folder in search_path(
        config.model_kind, (config.templates,) if config.templates else ())
        if folder.is_dir() for path in sorted(folder.glob("*.jinja"))]
    for path in sources + templates + _dependency_files():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for option in fields(config):
        if option.name not in _PLACES:
            value = getattr(config, option.name)
            if isinstance(value, Mapping):
                value = sorted(value.items())
            h.update(f"{option.name}={value!r}\0".encode())
    return h.hexdigest()


# The libraries whose versions decide the output's bytes, by the module that names the
# version: black's layout, markdown-it's parsing (and its plugins'), Jinja2's rendering.
_DEPENDENCIES = ("_black_version", "markdown_it", "mdit_py_plugins", "jinja2")


def _dependency_files() -> list[Path]:
    """The files that name the versions of the libraries that decide the output's bytes
    (`_black_version.py` beside black, each other's `__init__.py`), found without importing
    them: a run with nothing to do loads none of them."""
    import importlib.util

    found = []
    for name in _DEPENDENCIES:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            found.append(Path(spec.origin))
    return found


def cache_identity(config: Config) -> str:
    """What one cache entry set belongs to: the spec folders and the package folder."""
    return "".join(f"{folder.resolve()}\0" for folder in config.spec_folders) + str(
        config.package_dir.resolve())


def stat_index(config: Config) -> StatIndex:
    """The stat index of this spec set and output (none without a cache)."""
    if config.cache_dir is None:
        return StatIndex()
    return StatIndex(set_folder(config.cache_dir, cache_identity(config)) / "stats.pickle")


@dataclass
class Specs:
    """The spec files as a run found them."""

    files: list[SpecFile]
    unreadable: Unreadable
    manifest: Manifest  # of the last run
    fingerprint: str  # of this run
    current: bool  # the manifest's output stands: nothing to do


def survey(config: Config, diags: Diagnostics, index: StatIndex) -> Specs:
    """The specs, the last run's manifest, and whether its output is still current."""
    manifest = read_manifest(config.package_dir)
    files, unreadable = read_all(config, diags, index)
    fp = fingerprint(config)
    current = (not diags.has_errors and manifest.fingerprint == fp
               and dict(manifest.specs) == {s.name: s.sha for s in files}
               and disk_matches(config.package_dir, manifest, index))
    return Specs(files, unreadable, manifest, fp, current)


def output_tag(specs: Mapping[str, str]) -> str:
    """Names an output by the specs it was made from (the manifest's: name -> hash)."""
    return hashlib.sha256("".join(f"{name}\0{sha}\0" for name, sha in sorted(
        specs.items())).encode()).hexdigest()


def disk_matches(package_dir: Path, manifest: Manifest, index: StatIndex) -> bool:
    """Whether the files the manifest lists are all there, with their hashes (other files are
    the user's: they do not count)."""
    base = str(package_dir) + os.sep  # joined by hand: os.path.join costs on many files
    for path, expected in manifest.files.items():
        try:
            if index.sha(base + path, changed=False) != expected:
                return False
        except OSError:
            return False
    return True


def replay_warnings(manifest: Manifest, package_dir: Path, diags: Diagnostics,
                    besides: frozenset[str] = frozenset()) -> None:
    """The warnings the manifest's specs gave, for a run that does not parse them again: the
    same specs give the same warnings (and, with --strict, the same verdict) on every path.
    Those at the paths `besides` (as the manifest writes them) are left out."""
    for path, line, col, message in manifest.warnings:
        if path not in besides:
            diags.warning(Position(shown(package_dir / path), line, col), message)
