"""The stages that make a package from its specs: read and parse -> merge -> resolve -> render
-> format. Loaded only by runs that have work to do (see freshness.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .cache import Cache, prepare_folder
from .config import Config
from .diagnostics import Diagnostics, shown
from .facts import facts_of
from .format import format_sources
from .ir import Doc, ObjectDoc, Position
from .merge import merge
from .reading import Progress, parse_sets
from .render import Rendered, RenderOptions, render
from .render.reads import Reads, still_true
from .render.semantics import configured, field_key, model_key, short_key
from .resolve import Package, resolve
from .specfiles import SpecFile, Unreadable, read_all


def build_package(
    config: Config, diags: Diagnostics, cache: Cache | None = None,
    files: list[SpecFile] | None = None, unreadable: Unreadable | None = None,
    progress: Progress | None = None,
) -> Package | None:
    """The specs parsed and resolved; None on errors. `files` (read here when not given) is
    left without the pages' bytes, let go once parsed (see `parse_sets`)."""
    if files is None:
        files, unreadable = read_all(config, diags)
    sets = parse_sets(files, unreadable or set(), diags, cache or Cache(None), progress, config)
    if cache is not None:
        cache.save(cache.parsed)  # written now, and its bytes out of memory while resolving
    if not any(s.docs for s in sets) and diags.has_errors:
        return None
    # Several doc sets of one API: one model per page (`merge`); pages keep their positions.
    docs = merge(sets, diags) if len(sets) > 1 else sets[0]
    # Resolve what parsed, to report its problems too; links to pages that failed are not
    # reported again.
    package = resolve(list(docs.docs), diags, docs.failed, config.lenient, docs.skipped,
                      docs.sources, docs.shapes)
    if package is not None:
        _check_overrides(package, config, diags)
        _warn_unshown_wire_style(package, config, diags)
    if package is None or diags.has_errors:
        return None
    if cache is not None and cache.path is not None and len(sets) == 1:
        cache.found = facts_of(package, docs)
    return package


def _check_overrides(package: Package, config: Config, diags: Diagnostics) -> None:
    """Errors for `[tool.specgen.fields]` and `[tool.specgen.models]` entries that name
    nothing the specs describe."""
    if not (config.fields or config.models):
        return
    from difflib import get_close_matches  # for these entries only

    if config.fields:
        known = {key for doc in package.docs.values() if isinstance(doc, ObjectDoc)
                 for f in doc.fields for key in (field_key(doc, f.name), short_key(doc, f.name))
                 if key is not None}
        for target in sorted(set(config.fields) - known):
            title = target.rpartition(".")[0]  # a known model's own fields first
            same = [key for key in known if key.rpartition(".")[0] == title]
            close = get_close_matches(target, same or known, n=1)
            line, col = config.fields[target].at
            diags.error(Position(config.source, line, col),
                        f"[tool.specgen.fields] {target!r} names no field of any spec"
                        + (f"; did you mean {close[0]!r}?" if close else ""))
    if config.models:
        models = {key for doc in package.docs.values() if isinstance(doc, ObjectDoc)
                  for key in (model_key(doc), short_key(doc)) if key is not None}
        for target in sorted(set(config.models) - models):
            close = get_close_matches(target, models, n=1)
            diags.error(Position(config.source),
                        f"[tool.specgen.models] {target!r} names no model of any spec"
                        + (f"; did you mean {close[0]!r}?" if close else ""))


def _warn_unshown_wire_style(package: Package, config: Config, diags: Diagnostics) -> None:
    """One warning, at the first field whose wire name is a guess, when `wire_names = "auto"`
    found nothing to go by: no example of the docs shows a key whose spelling tells the API's
    (TypeScript docs spell every field in camelCase, whatever the API's keys)."""
    if config.wire_names != "auto" or package.wire.style("") is not None:
        return
    from .render.semantics import Planner
    from .resolve.wire import spelled, spelled_apart

    planner = Planner(package, render_options(config).policy)
    for key in sorted(package.docs):
        doc = package.docs[key]
        if not isinstance(doc, ObjectDoc):
            continue
        model = configured(config.models, doc)
        if model is not None and model.wire_names:
            continue
        for spec in doc.fields:
            # extra keys sit at the top level of the object: no key of their own
            if (spec.extra or not spelled_apart(spec.name, doc.dialect)
                    or planner.wire_name(doc, spec)[1]):  # configured or shown
                continue
            guess = spelled(spec.name, "snake", doc.dialect)
            diags.warning(spec.pos, f"no example in the docs shows how the API spells its "
                          f"JSON keys: wire names are guessed in snake_case "
                          f"({f'{doc.title}.{spec.name}'!r} as {guess!r}); "
                          "say how with wire_names in [tool.specgen] (\"spec\": the docs' "
                          "names as written, \"snake\" or \"camel\")")
            return


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
        target_version=config.target_version,
        bytecode_dir=config.cache_dir / "templates" if config.cache_dir else None,
    )


def usable_options(config: Config) -> RenderOptions:
    """The render options of `config`, without a folder for compiled templates when the cache
    cannot be made."""
    options = render_options(config)
    if config.cache_dir is not None and not prepare_folder(config.cache_dir):
        return replace(options, bytecode_dir=None)  # compiled templates are kept there
    return options


def origins(package: Package, config: Config) -> dict[str, str]:
    """Generated module path -> the spec it comes from, as shown to users."""
    return {"/".join(module) + ".py": package.docs[key].pos.path
            for key, module in package.modules.items()}


def build_files(
    package: Package, config: Config, diags: Diagnostics, cache: Cache | None = None,
    done: Callable[[str, bytes], None] | None = None,
) -> dict[str, bytes] | None:
    """Every output file's bytes, by path inside the package directory; None when a module
    could not be rendered (each such failure is an error of its page, or of a template).
    `done` is told (path, bytes) of each module that is final as soon as it is rendered."""
    cache = cache or Cache(None)
    options = usable_options(config)

    def reuse(path: str, doc: Doc | None) -> Rendered | None:
        earlier = cache.rendered.get(path)
        if earlier is not None and still_true(earlier[0], package):
            return Rendered(earlier[1], needs_black=False, reads=earlier[0])  # formatted
        return None

    # With a cache, modules whose reads still hold are reused, and new ones record theirs.
    rendered = render(package, options, reuse if cache.path is not None else None, diags,
                      None if done is None else lambda path, text: done(path, text.encode()))
    formatted, failures = format_sources(rendered, config.line_length, config.target_version)
    pages = {"/".join(module) + ".py": key for key, module in package.modules.items()}
    for path, problem in sorted(failures.items()):
        where = package.docs[pages[path]].pos if path in pages else Position(shown(
            config.package_dir / path))
        diags.error(where, f"the code generated for this page does not parse: {problem}"
                    + (" (check the custom templates)" if config.templates else ""))
    if diags.has_errors:
        return None
    def entry(path: str, reads: Reads) -> tuple[Reads, str]:
        earlier = cache.rendered.get(path)  # the very entry when reused: its shard is unchanged
        return earlier if earlier is not None and earlier[0] is reads else (reads, formatted[path])

    cache.rendered.keep({path: entry(path, r.reads) for path, r in rendered.items()
                         if r.reads is not None})
    return {path: text.encode("utf-8") for path, text in formatted.items()}


def warm_up(config: Config) -> None:
    """Load what the stages load on first use (the parser and markdown-it, the templates):
    a process that will run again (`watch`) pays for it before the first edit, not after."""
    from .parse import read_page  # noqa: F401 (loaded for later runs)
    from .parse.document import markdown
    from .render import _load_templates

    markdown()
    _load_templates(usable_options(config))


def build(config: Config, diags: Diagnostics) -> dict[str, bytes] | None:
    """Every output file's bytes, by path inside the package directory; None on errors."""
    package = build_package(config, diags)
    if package is None:
        return None
    return build_files(package, config, diags)
