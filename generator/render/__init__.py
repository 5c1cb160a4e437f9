"""Stage 3: resolved IR -> Python modules, through Jinja2 templates.

- semantics.py decides what each model means in Python (names, wire names, required, nullable,
  defaults, discriminators), whatever kind of model renders it;
- types.py spells types for a kind; symbols.py holds a module's names and imports;
- contexts.py turns the plans into the data templates receive (TypedDicts);
- the templates (`templates/<kind>/`) write every statement, one per line; layout.py then
  splits long lines as black would.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..records import frozen

if TYPE_CHECKING:
    import jinja2

from .. import __version__
from ..config import FieldOverride, ModelOverride
from ..diagnostics import Diagnostic, Diagnostics, shown
from ..ir import Doc, Position
from ..layout import Layout, reflow
from ..naming import enum_member_names
from ..parallel import map_in_processes, worker_count
from ..pysyntax import comment_text, docstring, string_literal
from ..resolve import Package
from ..template_sets import SHARED_TEMPLATES, builtin_templates, search_path
from .contexts import (
    ModuleContext,
    constant_context,
    enum_context,
    extra_attribute,
    has_cyclic_reference,
    header,
    model_context,
    union_context,
)
from .kinds import DEFAULT_KIND, KINDS
from .reads import Log, Reads, folder_contents, packed, recording
from .semantics import (
    ConstantPlan,
    EnumPlan,
    ObjectPlan,
    Planner,
    Policy,
    UnionPlan,
    extra_field,
    field_key,
)
from .symbols import Symbols, dunder_all_order, module_order
from .types import Speller

__all__ = ["MANIFEST_NAME", "RUNTIME_MODULE", "SHARED_TEMPLATES", "Rendered", "RenderOptions",
           "builtin_templates", "extra_field", "field_key", "render", "render_doc"]

RUNTIME_MODULE = "_runtime"
MANIFEST_NAME = ".specgen-manifest.json"
# Where the import blocks go: templates write these marks, filled once the body is rendered
# (what the body used decides what is imported).
_IMPORTS = "\x00imports\x00"
_DEFERRED = "\x00deferred imports\x00"


@frozen
class RenderOptions:
    package: str = "models"
    kind: str = DEFAULT_KIND
    template_dirs: tuple[Path, ...] = ()
    nullable: str = "examples"
    field_names: str = "snake"
    wire_names: str = "auto"
    fields: Mapping[str, FieldOverride] = field(default_factory=dict)
    models: Mapping[str, ModelOverride] = field(default_factory=dict)
    line_length: int = 88
    target_version: str = "py310"  # black's, for the statements it lays out
    bytecode_dir: Path | None = None  # where compiled templates are cached, if anywhere

    @property
    def policy(self) -> Policy:
        return Policy(self.nullable, self.field_names, self.wire_names, self.fields,
                      self.models)


@frozen
class Rendered:
    """A generated file, and whether black must still format it (see layout.py). `reads`:
    what its rendering read of the package, when that was recorded (pickled: see reads.py)."""

    source: str
    needs_black: bool = True
    reads: Reads | None = None


@lru_cache(maxsize=8)
def environment(kind: str = DEFAULT_KIND, template_dirs: tuple[Path, ...] = (),
                bytecode_dir: Path | None = None) -> jinja2.Environment:
    """Jinja environment: user template folders first, then the kind's built-in ones, then
    those every kind shares (`templates/shared/`). With a `bytecode_dir`, compiled templates
    are kept there between runs."""
    import jinja2

    bytecode = None
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    loader = jinja2.FileSystemLoader([str(p) for p in search_path(kind, template_dirs)])
    return jinja2.Environment(
        loader=loader,
        autoescape=False,  # the output is Python: every literal is escaped by pysyntax
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode,
    )


def runtime_module(module: tuple[str, ...]) -> str:
    """The relative import path of the package's runtime helpers, seen from a module."""
    return "." * len(module) + RUNTIME_MODULE


def _finish(text: str, symbols: Symbols, options: RenderOptions) -> Rendered:
    """Fill the import marks with what the text used; split long lines."""
    layout = Layout(options.line_length)

    def block(groups: list[list[tuple[str, list[str]]]]) -> str:
        return "\n\n".join("\n".join(line for module, names in group
                                     for line in layout.import_from(module, names))
                           for group in groups)

    # The import blocks are laid out already: they go in after the other lines are split.
    # With custom templates the module goes to black whole anyway.
    text, needs_black = reflow(text, options.line_length, None if options.template_dirs
                               else partial(_by_black, options=options))
    text = text.replace(_IMPORTS, block(symbols.statements()))
    text = text.replace(_DEFERRED, block(symbols.statements(deferred=True)))
    return Rendered(text, needs_black or layout.needs_black or bool(options.template_dirs))


def _by_black(text: str, depth: int, options: RenderOptions) -> list[str] | None:
    from ..format import format_statement  # black itself is imported only if it is needed

    return format_statement(text, depth, options.line_length, options.target_version)


def render_doc(doc: Doc, package: Package, options: RenderOptions,
               record: bool = False) -> Rendered:
    """One doc's module. With `record`, what rendering read of the package is kept."""
    log: Log = {}
    if record:
        package = recording(package, log, doc.key)
        doc = package.docs[doc.key]  # the module depends on its own doc first of all
    planner = Planner(package, options.policy)
    plan = planner.plan(doc)
    module = package.modules[doc.key]
    symbols = Symbols(module, reserved={plan.name})
    runtime = runtime_module(module)
    speller = Speller(symbols, KINDS[options.kind], package, runtime, planner.alias_of)
    context: ModuleContext = {"header": header(doc.key), "runtime": runtime,
                              "imports": _IMPORTS, "deferred_imports": _DEFERRED,
                              "has_deferred": has_cyclic_reference(plan)}
    if isinstance(plan, ObjectPlan):
        symbols.reserve(f.attribute for f in plan.fields)
        if plan.extra is not None:
            symbols.reserve([extra_attribute(plan)])
        if KINDS[options.kind].wire_attributes:  # attributes named by their wire names
            symbols.reserve(f.wire_name for f in plan.fields)
        template, context["model"] = "object.py.jinja", model_context(plan, speller)
    elif isinstance(plan, ConstantPlan):
        template, context["constant"] = "constant.py.jinja", constant_context(plan)
    elif isinstance(plan, EnumPlan):
        context["enum"] = enum_context(plan, enum_member_names(
            list(plan.values), [v.name for v in plan.doc.values], plan.doc.title))
        template = "enum.py.jinja"
    else:
        assert isinstance(plan, UnionPlan)
        template, context["union"] = "union.py.jinja", union_context(plan, speller)
    env = environment(options.kind, options.template_dirs, options.bytecode_dir)
    text = env.get_template(template).render(context, use=symbols.use)
    rendered = _finish(text, symbols, options)
    return Rendered(rendered.source, rendered.needs_black, packed(log) if record else None)


def render_init(package: Package, folder: tuple[str, ...], options: RenderOptions,
                record: bool = False) -> Rendered:
    """A package `__init__`: the models of its folder, exported lazily. With `record`, what
    it shows of the folder is kept as its reads."""
    contents = folder_contents(package, folder)
    exports = sorted(contents[0], key=lambda export: dunder_all_order(export[0]))
    dotted = ".".join((options.package, *folder))
    # Submodules become attributes of the package when imported, and the models are exported
    # under their names: whatever the module itself uses gets another name.
    symbols = Symbols((*folder, "__init__"),
                      reserved={name for name, _ in exports} | set(contents[1]))
    env = environment(options.kind, options.template_dirs, options.bytecode_dir)
    text = env.get_template("package_init.py.jinja").render(
        header=comment_text(f"Generated by specgen: the models of {dotted}. Do not edit."),
        docstring=docstring(f"Models generated by specgen for {dotted}."),
        imports=_IMPORTS,
        registry=symbols.local("_EXPORTS"),
        exports=[{"name": name, "name_literal": string_literal(name),
                  "module": "." + module, "module_literal": string_literal("." + module)}
                 for name, module in exports],
        # The import block in isort's order: by module, naturally (`.m2` before `.m10`).
        type_imports=[{"name": name, "module": "." + module} for name, module in
                      sorted(exports, key=lambda export: module_order(export[1]))],
        use=symbols.use,
    )
    rendered = _finish(text, symbols, options)
    reads = packed({("folder", folder): contents}) if record else None
    return Rendered(rendered.source, rendered.needs_black, reads)


def render_runtime(options: RenderOptions) -> Rendered:
    env = environment(options.kind, options.template_dirs, options.bytecode_dir)
    symbols = Symbols((RUNTIME_MODULE,))
    text = env.get_template("runtime.py.jinja").render(
        version=string_literal(__version__), imports=_IMPORTS, use=symbols.use)
    return _finish(text, symbols, options)


def template_position(exc: BaseException) -> Position | None:
    """Where in a template an error arose (its file and line), if it arose in one."""
    import jinja2

    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Position(shown(Path(exc.filename)), exc.lineno or 1)
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename.endswith(".jinja"):
            found = Position(shown(Path(frame.f_code.co_filename)), line)
    return found


def _load_templates(options: RenderOptions) -> None:
    """Load the templates of `options` into their environment; one that fails to load is
    reported where it is used."""
    env = environment(options.kind, options.template_dirs, options.bytecode_dir)
    for name in ("object.py.jinja", "constant.py.jinja", "enum.py.jinja", "union.py.jinja",
                 "package_init.py.jinja"):
        try:
            env.get_template(name)
        except Exception:  # said by each page that uses it
            continue


@contextmanager
def _templates_settled(options: RenderOptions) -> Iterator[None]:
    """The templates of `options` loaded (before workers are forked, once for them all)
    and checked against their files once for the modules rendered in between: Jinja would
    look at each template's file again for every module, a stat each."""
    _load_templates(options)
    env = environment(options.kind, options.template_dirs, options.bytecode_dir)
    env.auto_reload = False
    try:
        yield
    finally:
        env.auto_reload = True  # a later run (`watch`) sees templates edited since


def _attempt(diags: Diagnostics | None, page: Position | None,
             make: Callable[[], Rendered]) -> Rendered | None:
    """`make()`, or None with the failure reported: at the template line where it arose in a
    template, else as the page's error. Failures with nowhere to report them are raised."""
    try:
        return make()
    except Exception as exc:
        where = template_position(exc)
        if diags is None or (where is None and page is None):
            raise
        if where is not None:
            diags.error(where, f"template error: {type(exc).__name__}: {exc}")
        elif page is not None:
            diags.internal(page, "rendering", exc)
        return None


# Rendering this many modules or more is spread over worker processes (one per core).
PARALLEL_RENDER = 400


def render(
    package: Package,
    options: RenderOptions,
    reuse: Callable[[str, Doc | None], Rendered | None] | None = None,
    diags: Diagnostics | None = None,
    done: Callable[[str, str], None] | None = None,
) -> dict[str, Rendered]:
    """Every file of the output package, by path relative to the package directory.

    With `reuse`, a module it returns (rendered earlier from what is still true) is kept, and
    each newly rendered module records what it read. With `diags`, a module that fails to
    render is its page's error (or its template's) and the others are still rendered.
    `done` is told (path, text) of each module whose text is final (black need not touch
    it) as soon as it is rendered.
    """
    files: dict[str, Rendered] = {}
    folders: set[tuple[str, ...]] = {()}
    # (path, doc) of the modules to render now; (path, folder) of the package `__init__`s,
    # first: the largest jobs (one line per model of its folder), so that no worker is left
    # with one at the end.
    pending: list[tuple[str, Doc | tuple[str, ...]]] = []
    for key, doc in package.docs.items():
        module = package.modules[key]
        folders.update(module[:i] for i in range(1, len(module)))
        path = "/".join(module) + ".py"
        earlier = reuse(path, doc) if reuse is not None else None
        if earlier is not None:
            files[path] = earlier
        else:
            pending.append((path, doc))
    inits: list[tuple[str, Doc | tuple[str, ...]]] = []
    for folder in sorted(folders):
        path = "/".join((*folder, "__init__.py"))
        earlier = reuse(path, None) if reuse is not None else None
        if earlier is not None:
            files[path] = earlier
        else:
            inits.append((path, folder))
    pending = inits + pending
    record = reuse is not None

    def make(job: tuple[str, Doc | tuple[str, ...]]) -> tuple[Rendered | None, list[Diagnostic]]:
        local = Diagnostics() if diags is not None else None
        subject = job[1]
        if isinstance(subject, tuple):  # a folder's `__init__`: no page to blame
            made = _attempt(local, None, lambda: render_init(package, subject, options, record))
        else:
            made = _attempt(local, subject.pos,
                            lambda: render_doc(subject, package, options, record))
        return made, local.items if local is not None else []

    workers = worker_count(len(pending), PARALLEL_RENDER) if diags is not None else 1
    chunk = max(1, min(64, len(pending) // (8 * workers)))  # small enough to share out

    def arrived(positions: range, made: list[tuple[Rendered | None, list[Diagnostic]]]) -> None:
        assert done is not None
        for position, (rendered, _) in zip(positions, made, strict=True):
            if rendered is not None and not rendered.needs_black:
                done(pending[position][0], rendered.source)

    with _templates_settled(options) if workers > 1 else nullcontext():
        made = map_in_processes(make, pending, workers, chunk,
                                arrived if done is not None else None)
    for (path, _), (rendered, problems) in zip(pending, made, strict=True):
        if diags is not None:
            diags.items.extend(problems)
        if rendered is not None:
            files[path] = rendered
    runtime = _attempt(diags, None, lambda: render_runtime(options))
    if runtime is not None:
        files[f"{RUNTIME_MODULE}.py"] = runtime
    files["py.typed"] = Rendered("", needs_black=False)
    return dict(sorted(files.items()))
