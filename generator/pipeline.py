"""The one place that strings the stages together: parse -> resolve -> render -> format -> write."""

from __future__ import annotations

import difflib
import hashlib
import os
import time
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .cache import Cache, prepare_folder
from .config import Config
from .diagnostics import Diagnostics, Severity, shown
from .format import format_sources
from .ir import Doc, ObjectDoc, Position
from .merge import merge
from .reading import Progress, SpecFile, Unreadable, parse_sets, read_all
from .render import (
    SHARED_TEMPLATES,
    Rendered,
    RenderOptions,
    builtin_templates,
    render,
    render_options_fingerprint,
)
from .render.reads import Log, still_true
from .render.semantics import field_key, model_key
from .resolve import Package, resolve
from .write import (
    Drift,
    Manifest,
    RecordedWarning,
    WritePlan,
    apply,
    clean_leftovers,
    compare,
    digest,
    disk_matches,
    locked,
    plan,
    read_manifest,
)


class InternalError(Exception):
    """An unexpected failure inside specgen, with the spec it was working on."""

    def __init__(self, where: str, cause: BaseException | str) -> None:
        what = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(f"internal error while processing {where}: {what}")
        self.where = where


def build_package(
    config: Config, diags: Diagnostics, cache: Cache | None = None,
    files: list[SpecFile] | None = None, unreadable: Unreadable | None = None,
    progress: Progress | None = None,
) -> Package | None:
    if files is None:
        files, unreadable = read_all(config, diags)
    sets = parse_sets(files, unreadable or set(), diags, cache or Cache(None), progress, config)
    if not any(s.docs for s in sets) and diags.has_errors:
        return None
    # Several doc sets of one API: one model per page (`merge`); pages keep their positions.
    docs = merge(sets, diags) if len(sets) > 1 else sets[0]
    # Resolve what parsed, to report its problems too; links to pages that failed are not
    # reported again.
    package = resolve(list(docs.docs), diags, docs.failed, config.lenient, docs.skipped,
                      docs.sources)
    if package is not None:
        _check_overrides(package, config, diags)
    if diags.has_errors:
        return None
    return package


def _check_overrides(package: Package, config: Config, diags: Diagnostics) -> None:
    """Errors for `[tool.specgen.fields]` and `[tool.specgen.models]` entries that name
    nothing the specs describe."""
    if config.fields:
        known = {field_key(doc, f.name) for doc in package.docs.values()
                 if isinstance(doc, ObjectDoc) for f in doc.fields}
        for target in sorted(set(config.fields) - known):
            title = target.rpartition(".")[0]  # a known model's own fields first
            same = [key for key in known if key.rpartition(".")[0] == title]
            close = difflib.get_close_matches(target, same or known, n=1)
            line, col = config.fields[target].at
            diags.error(Position(config.source, line, col),
                        f"[tool.specgen.fields] {target!r} names no field of any spec"
                        + (f"; did you mean {close[0]!r}?" if close else ""))
    if config.models:
        models = {model_key(doc) for doc in package.docs.values() if isinstance(doc, ObjectDoc)}
        for target in sorted(set(config.models) - models):
            close = difflib.get_close_matches(target, models, n=1)
            diags.error(Position(config.source),
                        f"[tool.specgen.models] {target!r} names no model of any spec"
                        + (f"; did you mean {close[0]!r}?" if close else ""))


def render_options(config: Config) -> RenderOptions:
    return RenderOptions(
        package=config.package,
        kind=config.model_kind,
        template_dirs=(config.templates,) if config.templates else (),
        nullable=config.nullable,
        field_names=config.field_names,
        wire_names=config.wire_names,
        fields=config.fields,
        models=config.models,
        line_length=config.line_length,
        bytecode_dir=config.cache_dir / "templates" if config.cache_dir else None,
    )


def fingerprint(config: Config) -> str:
    """What, besides the specs, decides the output: the generator's code and version, its
    templates, and the options. Recorded in the manifest; a change means regenerating."""
    h = hashlib.sha256(__version__.encode())
    sources = sorted(Path(__file__).parent.rglob("*.py"))
    templates = [path for folder in (config.model_kind, SHARED_TEMPLATES)
                 for path in sorted((builtin_templates() / folder).glob("*.jinja"))]
    if config.templates is not None and config.templates.is_dir():
        templates += sorted(config.templates.glob("*.jinja"))
    for path in sources + templates:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(repr((render_options_fingerprint(render_options(config)),
                   config.target_version, config.lenient, config.dialect)).encode())
    return h.hexdigest()


def origins(package: Package, config: Config) -> dict[str, str]:
    """Generated module path -> the spec it comes from, as shown to users."""
    return {"/".join(module) + ".py": package.docs[key].pos.path
            for key, module in package.modules.items()}


def build_files(
    package: Package, config: Config, diags: Diagnostics, cache: Cache | None = None,
) -> dict[str, bytes] | None:
    """Every output file's bytes, by path inside the package directory; None when a module
    could not be rendered (each such failure is an error of its page, or of a template)."""
    cache = cache or Cache(None)
    options = render_options(config)
    if config.cache_dir is not None and not prepare_folder(config.cache_dir):
        options = replace(options, bytecode_dir=None)  # compiled templates are kept there

    def reuse(path: str, doc: Doc | None) -> Rendered | None:
        earlier = cache.rendered.get(path)
        if earlier is not None and still_true(earlier[0], package):
            return Rendered(earlier[1], needs_black=False, reads=earlier[0])  # formatted
        return None

    # With a cache, modules whose reads still hold are reused, and new ones record theirs.
    rendered = render(package, options, reuse if cache.path is not None else None, diags)
    formatted, failures = format_sources(rendered, config.line_length, config.target_version)
    pages = {"/".join(module) + ".py": key for key, module in package.modules.items()}
    for path, problem in sorted(failures.items()):
        where = package.docs[pages[path]].pos if path in pages else Position(shown(
            config.package_dir / path))
        diags.error(where, f"the code generated for this page does not parse: {problem}"
                    + (" (check the custom templates)" if config.templates else ""))
    if diags.has_errors:
        return None
    def entry(path: str, reads: Log) -> tuple[Log, str]:
        earlier = cache.rendered.get(path)  # the very entry when reused: its shard is unchanged
        return earlier if earlier is not None and earlier[0] is reads else (reads, formatted[path])

    cache.rendered.keep({path: entry(path, r.reads) for path, r in rendered.items()
                         if r.reads is not None})
    return {path: text.encode("utf-8") for path, text in formatted.items()}


def build(config: Config, diags: Diagnostics) -> dict[str, bytes] | None:
    """Every output file's bytes, by path inside the package directory; None on errors."""
    package = build_package(config, diags)
    if package is None:
        return None
    return build_files(package, config, diags)


@dataclass
class GenerateResult:
    specs: int = 0
    plan: WritePlan | None = None  # None when nothing was written (errors)
    files: dict[str, bytes] | None = None
    seconds: float = 0.0
    up_to_date: bool = False  # nothing to do: specs, generator and output unchanged


def _manifest_current(config: Config, manifest: Manifest, specs: list[SpecFile],
                      fp: str) -> bool:
    return (manifest.fingerprint == fp
            and dict(manifest.specs) == {s.name: s.sha for s in specs}
            and disk_matches(config.package_dir, manifest))


def recorded_warnings(diags: Diagnostics, package_dir: Path) -> tuple[RecordedWarning, ...]:
    """A run's warnings as the manifest keeps them: paths relative to the package folder, so
    that runs from any working directory (and any machine) can show them again."""
    base = os.path.abspath(package_dir)

    def relative(path: str) -> str:
        try:
            return os.path.relpath(os.path.abspath(path), base).replace(os.sep, "/")
        except ValueError:  # another drive on Windows
            return os.path.abspath(path)

    return tuple(sorted({(relative(d.pos.path), d.pos.line, d.pos.col, d.message)
                         for d in diags.items if d.severity is Severity.WARNING}))


def replay_warnings(manifest: Manifest, package_dir: Path, diags: Diagnostics) -> None:
    """The warnings the manifest's specs gave, for a run that does not parse them again: the
    same specs give the same warnings (and, with --strict, the same verdict) on every path."""
    for path, line, col, message in manifest.warnings:
        diags.warning(Position(shown(package_dir / path), line, col), message)


def generate(
    config: Config, diags: Diagnostics, progress: Progress | None = None
) -> GenerateResult:
    """Generate and write; with any error (in specs or on disk), nothing is written."""
    started = time.perf_counter()
    with ExitStack() as stack:
        try:
            stack.enter_context(locked(config.package_dir))
        except OSError as exc:  # the output folder cannot be made or opened
            diags.error(Position(shown(config.package_dir.parent)),
                        f"cannot lock the output folder: {exc.strerror or exc}")
            return GenerateResult(seconds=time.perf_counter() - started)
        clean_leftovers(config.package_dir)
        manifest = read_manifest(config.package_dir)
        files, unreadable = read_all(config, diags)
        fp = fingerprint(config)
        if not diags.has_errors and _manifest_current(config, manifest, files, fp):
            replay_warnings(manifest, config.package_dir, diags)
            return GenerateResult(len(files), WritePlan(unchanged=list(
                manifest.files)), None, time.perf_counter() - started, up_to_date=True)
        cache = Cache.load(config.cache_dir, "".join(
            f"{folder.resolve()}\0" for folder in config.spec_folders)
            + str(config.package_dir.resolve()), fp)
        package = build_package(config, diags, cache, files, unreadable, progress)
        cache.save(cache.parsed)  # written now, and out of memory while rendering
        if package is None:
            return GenerateResult(len(files), seconds=time.perf_counter() - started)
        hashes = {s.name: s.sha for s in files}
        output = build_files(package, config, diags, cache)
        if output is None:
            return GenerateResult(len(files), seconds=time.perf_counter() - started)
        result = plan(config.package_dir, output, manifest)
        for path in result.conflicts:
            diags.error(
                Position(shown(config.package_dir / path)),
                "file exists and was not written by specgen: refusing to overwrite it",
            )
        if diags.failed:
            return GenerateResult(len(files), None, output,
                                  time.perf_counter() - started)
        new_manifest = Manifest(fp, hashes, {p: digest(d) for p, d in output.items()},
                                recorded_warnings(diags, config.package_dir))
        if result.changes or manifest != new_manifest:
            apply(config.package_dir, output, result, new_manifest)
        cache.save()
        return GenerateResult(len(files), result, output,
                              time.perf_counter() - started)


def check(config: Config, diags: Diagnostics, full: bool = True) -> Drift | None:
    """Compare the output directory with what generation would write.

    Fast (`full=False`): when the manifest shows the same specs, generator and options, and
    the files on disk still have the hashes it lists, the output is in sync. Otherwise, and
    with `full`, regenerate in memory and diff.
    """
    if not full:
        files, _ = read_all(config, diags)
        manifest = read_manifest(config.package_dir)
        if not diags.has_errors and _manifest_current(config, manifest, files, fingerprint(config)):
            replay_warnings(manifest, config.package_dir, diags)
            return Drift()
        diags.items.clear()
    package = build_package(config, diags)
    if package is None:
        return None
    output = build_files(package, config, diags)
    if output is None:
        return None
    return compare(config.package_dir, output, shown(config.package_dir), origins(package, config),
                   read_manifest(config.package_dir))
