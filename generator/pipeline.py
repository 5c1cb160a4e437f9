"""The one place that strings the stages together: parse -> resolve -> render -> format -> write."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostics
from .format import format_sources
from .ir import Doc, ObjectDoc, Position
from .parse import parse_document
from .render import RenderOptions, field_key, render
from .resolve import SPEC_SUFFIXES, Package, resolve
from .write import Drift, WritePlan, apply, compare, plan


class InternalError(Exception):
    """An unexpected failure inside specgen, with the spec it was working on."""

    def __init__(self, where: str, cause: BaseException) -> None:
        super().__init__(f"internal error while processing {where}: "
                         f"{type(cause).__name__}: {cause}")
        self.where = where


def shown(path: Path) -> str:
    """A path as users see it in messages: relative to the working directory when it can be."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        return absolute
    return relative if len(relative) <= len(absolute) else absolute


def collect_specs(specs: Path, diags: Diagnostics) -> list[tuple[str, Path]]:
    """Spec files under `specs`, as (key, path) sorted by key; hidden folders are skipped."""
    if not specs.is_dir():
        diags.error(Position(shown(specs)), "spec directory does not exist")
        return []
    found: list[tuple[str, Path]] = []
    for root, dirs, names in os.walk(specs):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.endswith(SPEC_SUFFIXES) and not name.startswith("."):
                path = Path(root, name)
                found.append((path.relative_to(specs).as_posix(), path))
    return sorted(found)


def parse_specs(specs: Path, diags: Diagnostics) -> tuple[list[Doc], set[str]]:
    """The docs that parsed, and the keys of the spec files that did not."""
    docs: list[Doc] = []
    failed: set[str] = set()
    for key, path in collect_specs(specs, diags):
        display = shown(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            diags.error(Position(display), f"cannot read file: {exc.strerror or exc}")
            failed.add(key)
            continue
        try:
            doc = parse_document(data, key, display, diags)
        except Exception as exc:  # a bug, reported as one, with the spec that triggered it
            raise InternalError(display, exc) from exc
        if doc is not None:
            docs.append(doc)
        else:
            failed.add(key)
    return docs, failed


def build_package(config: Config, diags: Diagnostics) -> Package | None:
    docs, failed = parse_specs(config.specs, diags)
    if not docs and diags.has_errors:
        return None
    # Resolve what parsed, to report its problems too; links to pages that failed are not
    # reported again.
    package = resolve(docs, diags, failed)
    if diags.has_errors:
        return None
    if package is not None and config.fields:
        known = {field_key(doc, f.name) for doc in package.docs.values()
                 if isinstance(doc, ObjectDoc) for f in doc.fields}
        for target in sorted(set(config.fields) - known):
            diags.error(Position(config.source),
                        f"[tool.specgen.fields] {target!r} names no field of any spec")
        if diags.has_errors:
            return None
    return package


def build(config: Config, diags: Diagnostics) -> dict[str, bytes] | None:
    """Every output file's bytes, by path inside the package directory; None on errors."""
    package = build_package(config, diags)
    if package is None:
        return None
    return build_files(package, config)


def origins(package: Package, config: Config) -> dict[str, str]:
    """Generated module path -> the spec it comes from, as shown to users."""
    return {"/".join(module) + ".py": shown(config.specs / key)
            for key, module in package.modules.items()}


def build_files(package: Package, config: Config) -> dict[str, bytes]:
    options = RenderOptions(
        package=config.package,
        template_dirs=(config.templates,) if config.templates else (),
        nullable=config.nullable,
        field_names=config.field_names,
        fields=config.fields,
        line_length=config.line_length,
    )
    try:
        sources = render(package, options)
        formatted = format_sources(sources, config.line_length)
    except Exception as exc:
        raise InternalError(shown(config.specs), exc) from exc
    return {path: text.encode("utf-8") for path, text in formatted.items()}


@dataclass
class GenerateResult:
    files: dict[str, bytes] | None
    plan: WritePlan | None


def generate(config: Config, diags: Diagnostics) -> GenerateResult:
    """Generate and write; with any error (in specs or on disk), nothing is written."""
    files = build(config, diags)
    if files is None:
        return GenerateResult(None, None)
    result = plan(config.package_dir, files)
    for path in result.conflicts:
        diags.error(
            Position(shown(config.package_dir / path)),
            "file exists and was not written by specgen: refusing to overwrite it",
        )
    if diags.failed:
        return GenerateResult(files, result)
    apply(config.package_dir, files, result)
    return GenerateResult(files, result)


def check(config: Config, diags: Diagnostics) -> Drift | None:
    """Regenerate in memory and compare with the output directory."""
    package = build_package(config, diags)
    if package is None:
        return None
    files = build_files(package, config)
    return compare(config.package_dir, files, shown(config.package_dir), origins(package, config))
