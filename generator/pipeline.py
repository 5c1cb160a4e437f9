"""The one place that strings the stages together: parse -> resolve -> render -> format -> write."""

from __future__ import annotations

import difflib
import hashlib
import os
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .cache import Cache, prepare_folder
from .config import Config
from .diagnostics import Diagnostic, Diagnostics, Severity, shown
from .format import format_sources
from .ir import Doc, ObjectDoc, Position
from .parallel import map_in_processes, worker_count
from .render import (
    Rendered,
    RenderOptions,
    builtin_templates,
    render,
    render_options_fingerprint,
)
from .render.reads import Log, still_true
from .render.semantics import field_key, model_key
from .resolve import SPEC_SUFFIXES, Package, resolve
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

if TYPE_CHECKING:
    from .parse import PageEvidence

Progress = Callable[[int, int], None]  # (done, total)


class InternalError(Exception):
    """An unexpected failure inside specgen, with the spec it was working on."""

    def __init__(self, where: str, cause: BaseException | str) -> None:
        what = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(f"internal error while processing {where}: {what}")
        self.where = where


@dataclass(frozen=True)
class SpecFile:
    key: str  # spec-relative path with `/`
    path: Path
    data: bytes
    sha: str


def collect_specs(specs: Path, diags: Diagnostics) -> list[tuple[str, Path]]:
    """Spec files under `specs`, as (key, path) sorted by key; hidden folders are skipped."""
    if not specs.is_dir():  # the configuration says so first (exit 2): this is for callers
        diags.error(Position(shown(specs)), "spec folder does not exist or is not a folder")
        return []
    found: list[tuple[str, Path]] = []
    base = str(specs)
    for root, dirs, names in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        # Plain strings here: pathlib costs a tenth of a no-op run with thousands of specs.
        folder = os.path.relpath(root, base).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in names:
            if is_spec_name(name):
                found.append((prefix + name, Path(os.path.join(root, name))))
    return sorted(found)


def is_spec_name(name: str) -> bool:
    """Whether a file of this name is a spec page (hidden files, such as editors' swap files,
    are not)."""
    return name.endswith(SPEC_SUFFIXES) and not name.startswith(".")


def read_specs(specs: Path, diags: Diagnostics) -> tuple[list[SpecFile], set[str]]:
    """The spec files' bytes, and the keys of those that could not be read. A folder without
    any spec page is an error: generating from it would remove the whole package."""
    files: list[SpecFile] = []
    unreadable: set[str] = set()
    found = collect_specs(specs, diags)
    if not found and specs.is_dir():
        diags.error(Position(shown(specs)), "no spec pages (.md or .mdx files) in this folder: "
                    "nothing to generate")
    for key, path in found:
        try:
            data = path.read_bytes()
        except OSError as exc:
            diags.error(Position(shown(path)), f"cannot read file: {exc.strerror or exc}")
            unreadable.add(key)
            continue
        files.append(SpecFile(key, path, data, digest(data)))
    return files, unreadable


# Parsing this many specs or more is spread over worker processes (one per core).
PARALLEL_PARSE = 400


Parsed = tuple["Doc | None", "list[Diagnostic]", "str | None", "PageEvidence | None"]


def _parse_one(job: tuple[bytes, str, str, str | None]) -> Parsed:
    """Parse one spec (in `dialect`, or the one its evidence suggests); an unexpected
    exception comes back as text (reported as internal)."""
    from .parse import read_page  # kept off the no-op path of a run

    data, key, display, dialect = job
    local = Diagnostics()
    try:
        doc, evidence = read_page(data, key, display, local, dialect)
        return doc, local.items, None, evidence
    except Exception as exc:  # a bug, reported as one, with the spec that triggered it
        return None, local.items, f"{type(exc).__name__}: {exc}", None


def _parse_many(jobs: list[tuple[bytes, str, str, str | None]]) -> list[Parsed]:
    return map_in_processes(_parse_one, jobs, worker_count(len(jobs), PARALLEL_PARSE), 64)


def _parse(
    files: list[SpecFile], failed: set[str], skipped: set[str], diags: Diagnostics,
    cache: Cache, progress: Progress | None, config: Config,
) -> list[Doc]:
    """The docs of the pages that parse, in the doc set's dialect. Keys of pages with
    errors go in `failed`; of pages that parse to no model (helper types, with a warning)
    in `skipped`."""
    from .parse import decide

    forced = None if config.dialect == "auto" else config.dialect
    folders: dict[Path, str] = {}
    entries = []
    for spec in files:
        folder = folders.get(spec.path.parent)
        if folder is None:
            folder = folders[spec.path.parent] = shown(spec.path.parent)
        display = spec.path.name if folder == "." else f"{folder}/{spec.path.name}"
        entries.append((spec, (spec.key, display, spec.sha, config.dialect)))
    results: dict[tuple[str, str, str, str], Parsed] = {
        entry: (*cache.parsed[entry][:2], None, cache.parsed[entry][2])
        for _, entry in entries if entry in cache.parsed}
    todo = [(spec, entry) for spec, entry in entries if entry not in results]
    results.update(zip((entry for _, entry in todo), _parse_many(
        [(spec.data, entry[0], entry[1], forced) for spec, entry in todo]), strict=True))
    # The doc set's dialect, from every page's evidence; pages first read in another
    # (their own best guess) are read again in it.
    chosen = decide([r[3] for r in results.values() if r[3] is not None], forced,
                    Position(shown(config.specs)), diags)
    if chosen is None:
        return []
    again = [(spec, entry) for spec, entry in entries if results[entry][3] is not None
             and _read_in(results[entry]) != chosen]
    results.update(zip((entry for _, entry in again), _parse_many(
        [(spec.data, entry[0], entry[1], chosen) for spec, entry in again]), strict=True))
    docs: list[Doc] = []
    parsed: dict[tuple[str, str, str, str], tuple[Doc, list[Diagnostic], PageEvidence]] = {}
    for number, (spec, entry) in enumerate(entries, 1):
        doc, warnings, crash, evidence = results[entry]
        if crash is not None:
            # A bug met on this page: its error, and the run goes on to the others.
            warnings = [*warnings, Diagnostic(Position(entry[1]), Severity.ERROR,
                                              f"specgen failed while parsing this page "
                                              f"({crash}); please report it")]
        diags.items.extend(warnings)
        if progress:
            progress(number, len(files))
        if doc is None:
            has_errors = any(w.severity is Severity.ERROR for w in warnings)
            (failed if has_errors else skipped).add(spec.key)
            continue
        assert evidence is not None
        earlier = cache.parsed.get(entry)  # kept as it is: its shard need not be written
        parsed[entry] = earlier if earlier is not None and earlier[0] is doc else (
            doc, warnings, evidence)
        docs.append(doc)
    cache.parsed.keep(parsed)
    return docs


def _read_in(result: Parsed) -> str:
    """The dialect a page was read in."""
    doc, _, _, evidence = result
    if doc is not None:
        return doc.dialect
    assert evidence is not None
    return evidence.guess


def build_package(
    config: Config, diags: Diagnostics, cache: Cache | None = None,
    files: list[SpecFile] | None = None, unreadable: set[str] | None = None,
    progress: Progress | None = None,
) -> Package | None:
    if files is None:
        files, unreadable = read_specs(config.specs, diags)
    failed = set(unreadable or ())
    skipped: set[str] = set()
    docs = _parse(files, failed, skipped, diags, cache or Cache(None), progress, config)
    if not docs and diags.has_errors:
        return None
    # Resolve what parsed, to report its problems too; links to pages that failed are not
    # reported again.
    package = resolve(docs, diags, failed, config.lenient, skipped,
                      {spec.key: spec.sha for spec in files})
    if package is not None and config.fields:
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
    if package is not None and config.models:
        models = {model_key(doc) for doc in package.docs.values() if isinstance(doc, ObjectDoc)}
        for target in sorted(set(config.models) - models):
            close = difflib.get_close_matches(target, models, n=1)
            diags.error(Position(config.source),
                        f"[tool.specgen.models] {target!r} names no model of any spec"
                        + (f"; did you mean {close[0]!r}?" if close else ""))
    if diags.has_errors:
        return None
    return package


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
    templates = sorted((builtin_templates() / config.model_kind).glob("*.jinja"))
    if config.templates is not None and config.templates.is_dir():
        templates += sorted(config.templates.glob("*.jinja"))
    for path in sources + templates:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(repr((render_options_fingerprint(render_options(config)),
                   config.target_version, config.lenient, config.dialect)).encode())
    return h.hexdigest()


def origins(package: Package, config: Config) -> dict[str, str]:
    """Generated module path -> the spec it comes from, as shown to users."""
    return {"/".join(module) + ".py": shown(config.specs / key)
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
            and dict(manifest.specs) == {s.key: s.sha for s in specs}
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
        files, unreadable = read_specs(config.specs, diags)
        fp = fingerprint(config)
        if not diags.has_errors and _manifest_current(config, manifest, files, fp):
            replay_warnings(manifest, config.package_dir, diags)
            return GenerateResult(len(files), WritePlan(unchanged=list(
                manifest.files)), None, time.perf_counter() - started, up_to_date=True)
        cache = Cache.load(config.cache_dir, f"{config.specs.resolve()}\0"
                           f"{config.package_dir.resolve()}", fp)
        package = build_package(config, diags, cache, files, unreadable, progress)
        cache.save(cache.parsed)  # written now, and out of memory while rendering
        if package is None:
            return GenerateResult(len(files), seconds=time.perf_counter() - started)
        hashes = {s.key: s.sha for s in files}
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
        files, _ = read_specs(config.specs, diags)
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
