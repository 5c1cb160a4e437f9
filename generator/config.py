"""`[tool.specgen]` in pyproject.toml, overridden by command-line flags -> one frozen Config."""

from __future__ import annotations

import keyword
import os
import re
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any, TypeVar

from .diagnostics import shown
from .records import frozen

DEFAULTS: dict[str, Any] = {
    "specs": "specs",
    "out": "generated",
    "package": "models",
    "line_length": 88,
    "target_version": "py310",
    "nullable": "examples",
    "field_names": "snake",
    "wire_names": "auto",
    "model_kind": "pydantic",
    "lenient": False,
    "dialect": "auto",
}
NULLABLE_POLICIES = ("examples", "optional", "all")
# The generated code needs Python 3.10 (`X | Y` annotations); black formats for the target.
TARGET_VERSIONS = ("py310", "py311", "py312", "py313", "py314")
FIELD_NAME_POLICIES = ("snake", "spec")
WIRE_NAME_POLICIES = ("auto", "snake", "spec", "camel")
MODEL_KINDS = ("pydantic", "dataclass", "typeddict", "msgspec")
# The SDK languages whose pages specgen reads ("auto": detected per doc set); the same as
# `parse.dialects.NAMES` (a test checks), written out to keep imports light.
DIALECTS = ("auto", "typescript", "python", "go", "csharp", "php", "ruby", "java")
# The options that take one of a few words, and those words: checked here, offered as the
# command line's choices.
CHOICES: dict[str, tuple[str, ...]] = {
    "target_version": TARGET_VERSIONS, "nullable": NULLABLE_POLICIES,
    "field_names": FIELD_NAME_POLICIES, "wire_names": WIRE_NAME_POLICIES,
    "model_kind": MODEL_KINDS, "dialect": DIALECTS,
}


# What generated packages import besides the standard library's: a package named so would
# be imported in their place.
IMPORTED_PACKAGES = frozenset({"pydantic", "pydantic_core", "typing_extensions", "msgspec",
                               "annotated_types"})


class ConfigError(Exception):
    """Bad configuration: every problem found, one message each."""

    def __init__(self, *messages: str) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


Value = TypeVar("Value")


class _Problems(list[str]):
    """The problems of a configuration, gathered so that a run reports them all at once."""

    def check(self, step: Callable[..., Value], *args: Any) -> Value | None:
        """`step(*args)`; None, its problems noted, when it finds the configuration bad."""
        try:
            return step(*args)
        except ConfigError as exc:
            self.extend(exc.messages)
            return None


@frozen
class FieldOverride:
    """What a user says of one field that the docs cannot: `[tool.specgen.fields."T.f"]`."""

    name: str | None = None  # the Python attribute name
    alias: str | None = None  # the wire (JSON) name, when it is not the spec's field name
    nullable: bool | None = None  # whether null is accepted (optional fields always accept it)
    number: str | None = None  # "int", "float" or "int | float" for `*number*` types
    # Where it is written in pyproject.toml (line, column), for messages; not part of its value.
    at: tuple[int, int] = field(default=(1, 1), compare=False, repr=False)


NUMBER_CHOICES = ("int", "float", "int | float")


@frozen
class ModelOverride:
    """What a user says of one model: `[tool.specgen.models."Title"]`."""

    # "snake", "spec" or "camel": how this model's wire names are spelled
    wire_names: str | None = None


def _model_overrides(table: Any, where: str, problems: _Problems) -> dict[str, ModelOverride]:
    if not isinstance(table, dict):
        problems.append(f"{where}: [tool.specgen.models] must be a table")
        return {}
    result = {}
    for target, values in sorted(table.items()):
        override = problems.check(_model_override, target, values, where)
        if override is not None:
            result[target] = override
    return result


def _model_override(target: str, values: Any, where: str) -> ModelOverride:
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: models.{target!r} must be a table")
    unknown = sorted(set(values) - {"wire_names"})
    if unknown:
        raise ConfigError(f"{where}: models.{target!r}: unknown keys {', '.join(unknown)}")
    override = ModelOverride(**values)
    spellings = [w for w in WIRE_NAME_POLICIES if w != "auto"]  # a model's own: no guess
    if override.wire_names not in (None, *spellings):
        raise ConfigError(f"{where}: models.{target!r}: wire_names must be one of "
                          f"{', '.join(spellings)}, not {override.wire_names!r}")
    return override


def _field_overrides(table: Any, where: str, text: str,
                     problems: _Problems) -> dict[str, FieldOverride]:
    if not isinstance(table, dict):
        problems.append(f"{where}: [tool.specgen.fields] must be a table")
        return {}
    result = {}
    for target, values in sorted(table.items()):
        override = problems.check(_field_override, target, values, where, text)
        if override is not None:
            result[target] = override
    return result


def _field_override(target: str, values: Any, where: str, text: str) -> FieldOverride:
    """One field's entry; each of its problems reported."""
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: fields.{target!r} must be a table")
    unknown = sorted(set(values) - {"name", "alias", "nullable", "number"})
    if unknown:
        raise ConfigError(f"{where}: fields.{target!r}: unknown keys {', '.join(unknown)}")
    from .naming import is_python_name  # loaded only by a configuration that names fields

    override = FieldOverride(**values, at=_key_position(text, target))
    found = []
    if override.name is not None and (
        not isinstance(override.name, str) or not is_python_name(override.name)
        or keyword.iskeyword(override.name) or override.name.startswith("_")
    ):
        found.append(f"name {override.name!r} is not a usable attribute name")
    if override.alias is not None and not isinstance(override.alias, str):
        found.append("alias must be a string")
    if override.nullable is not None and not isinstance(override.nullable, bool):
        found.append("nullable must be true or false")
    if override.number is not None and override.number not in NUMBER_CHOICES:
        found.append(f"number must be one of {', '.join(map(repr, NUMBER_CHOICES))}")
    if found:
        raise ConfigError(*(f"{where}: fields.{target!r}: {problem}" for problem in found))
    return override


def _key_position(text: str, key: str) -> tuple[int, int]:
    """Where a quoted key is written in TOML text (a table header `[tool.specgen.fields."T.f"]`,
    a dotted key or an inline table's key): the line and column of its opening quote; (1, 1)
    when it cannot be found. (tomllib keeps no positions.)"""
    written = re.compile(r"""(["'])""" + re.escape(key) + r"""\1\s*[\].=]""")
    for number, line in enumerate(text.splitlines(), 1):
        match = None if line.lstrip().startswith("#") else written.search(line)
        if match:
            return number, match.start() + 1
    return 1, 1


@frozen
class Config:
    specs: Path  # the first (or only) doc set
    out: Path
    package: str
    line_length: int = 88
    target_version: str = "py310"
    templates: Path | None = None
    nullable: str = "examples"
    field_names: str = "snake"
    lenient: bool = False  # broken references and unknown types become `Any`, with warnings
    wire_names: str = "auto"  # how wire names are spelled where the docs do not show them
    model_kind: str = "pydantic"  # pydantic, dataclass, typeddict or msgspec
    # "Title" or "namespace.Title" -> override
    models: Mapping[str, ModelOverride] = field(default_factory=dict)
    dialect: str = "auto"  # the SDK language the pages are written in, or detected ("auto")
    # "Title.field" or "namespace.Title.field" -> override
    fields: Mapping[str, FieldOverride] = field(default_factory=dict)
    source: str = "pyproject.toml"  # where the configuration came from, for messages
    cache_dir: Path | None = None  # parsed and rendered results kept between runs; None: off
    # Further doc sets of the same API (`specs = ["a", "b"]`, `--specs a --specs b`), merged
    # with the first into one model per page (`generator.merge`).
    more_specs: tuple[Path, ...] = ()

    @property
    def package_dir(self) -> Path:
        return self.out / self.package

    @property
    def spec_folders(self) -> tuple[Path, ...]:
        """Every doc set's folder, in the order given."""
        return (self.specs, *self.more_specs)


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` (as black and ruff look for theirs)."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_table(pyproject: Path, problems: _Problems) -> dict[str, Any]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read configuration: {exc}") from None
    table = data.get("tool", {}).get("specgen", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.specgen] must be a table")
    problems.check(_check_keys, table, f"{pyproject}: [tool.specgen]", True)
    jobs = table.get("jobs", {})
    if not isinstance(jobs, dict) or not all(isinstance(j, dict) for j in jobs.values()):
        raise ConfigError(*problems,
                          f"{pyproject}: [tool.specgen.jobs] must hold tables, one per job")
    for name, job in jobs.items():
        problems.check(_check_keys, job, f"{pyproject}: [tool.specgen.jobs.{name}]", False)
    return table


def _check_keys(table: dict[str, Any], where: str, allow_jobs: bool) -> None:
    known = set(DEFAULTS) | {"templates", "fields", "models"} | ({"jobs"} if allow_jobs else set())
    unknown = sorted(set(table) - known)
    if unknown:
        from difflib import get_close_matches  # only for a configuration with a typo

        close = [match for key in unknown for match in get_close_matches(key, known, n=1)]
        raise ConfigError(f"{where}: unknown keys: {', '.join(unknown)}"
                          + (f" (did you mean {', '.join(map(repr, close))}?)" if close else ""))


def load_configs(cwd: Path, overrides: dict[str, Any], jobs: list[str] | None = None,
                 config_file: Path | None = None) -> list[tuple[str, Config]]:
    """The jobs to run: each `[tool.specgen.jobs.NAME]` table (over the top-level settings),
    or, without jobs, the one job the top-level table describes. `jobs` picks by name.
    `config_file` names the pyproject.toml to read instead of the nearest one."""
    if config_file is not None and not config_file.is_file():
        raise ConfigError(f"{config_file}: no such configuration file")
    pyproject = config_file or find_pyproject(cwd)
    problems = _Problems()
    table = read_table(pyproject, problems) if pyproject else {}
    declared = table.get("jobs", {})
    shared = {k: v for k, v in table.items() if k != "jobs"}
    if not declared:
        if jobs:
            problems.append(f"no jobs are configured (asked for {', '.join(jobs)}); "
                            "declare them as [tool.specgen.jobs.NAME] tables")
        built = [("default", _build(shared, pyproject, cwd, overrides, problems))]
    else:
        unknown = [name for name in jobs or [] if name not in declared]
        if unknown:
            problems.append(f"unknown job {', '.join(map(repr, unknown))}; configured: "
                            f"{', '.join(declared)}")
        built = [(name, _build({**shared, **declared[name]}, pyproject, cwd, overrides,
                               problems))
                 for name in declared if not jobs or name in jobs]
    if problems:  # each said once: jobs share the top-level settings
        raise ConfigError(*dict.fromkeys(problems))
    return [(name, config) for name, config in built if config is not None]


def load_config(cwd: Path, overrides: dict[str, Any]) -> Config:
    """The configuration of a project with one job (the first job if it has several)."""
    return load_configs(cwd, overrides)[0][1]


def _build(table: dict[str, Any], pyproject: Path | None, cwd: Path,
           overrides: dict[str, Any], problems: _Problems) -> Config | None:
    """defaults < the table < flags (`None` flags are unset); None, its problems noted, when
    the configuration is bad."""
    found = len(problems)
    base = pyproject.parent if pyproject else cwd
    # Paths from the file, and the default ones, are relative to the file (a run from a
    # subfolder of the project finds the project's specs and output); paths from flags are
    # relative to the working directory.
    values: dict[str, Any] = {key: _paths(key, value, base) for key, value in DEFAULTS.items()}
    for key, value in table.items():
        values[key] = problems.check(_paths, key, value, base)
    for key, value in overrides.items():
        if value is None or key not in (*DEFAULTS, "templates"):
            continue  # unset, or not an option of the output (such as no_cache)
        values[key] = problems.check(_paths, key, value, cwd)
    problems.extend(_check(values))
    package, line_length = values["package"], values["line_length"]
    text = pyproject.read_text(encoding="utf-8") if pyproject and "fields" in values else ""
    fields = _field_overrides(values.get("fields", {}), str(pyproject or "configuration"), text,
                              problems)
    models = _model_overrides(values.get("models", {}), str(pyproject or "configuration"),
                              problems)

    def origin(key: str) -> str:
        if overrides.get(key) is not None:
            return f"--{key}"
        if key in table and pyproject is not None:
            return f"{key} in {shown(pyproject)}"
        return f"the default; set it with --{key} or {key} in [tool.specgen]"

    specs = [problems.check(_folder, Path(folder), "spec folder", origin("specs"))
             for folder in values["specs"] or ()]  # None: said above
    templates = values.get("templates")
    if templates:
        problems.check(_folder, Path(templates), "template folder", origin("templates"))
    folders = [folder for folder in specs if folder is not None]
    if len(problems) > found or not folders:
        return None
    return Config(
        specs=folders[0],
        more_specs=tuple(folders[1:]),
        out=Path(values["out"]),
        package=package,
        line_length=line_length,
        target_version=values["target_version"],
        templates=Path(templates) if templates else None,
        nullable=values["nullable"],
        field_names=values["field_names"],
        lenient=values["lenient"],
        wire_names=values["wire_names"],
        model_kind=values["model_kind"],
        models=models,
        dialect=values["dialect"],
        fields=fields,
        source=os.path.relpath(pyproject) if pyproject else "command line",
        cache_dir=None if overrides.get("no_cache") else cache_folder(pyproject),
    )


def _check(values: dict[str, Any]) -> list[str]:
    """The options whose value is not of its kind, each said."""
    found = []
    package = values["package"]
    if not isinstance(package, str) or not package.isidentifier() or keyword.iskeyword(package):
        found.append(f"package name {package!r} is not a Python identifier")
    elif package in sys.stdlib_module_names or package in IMPORTED_PACKAGES:
        found.append(f"package name {package!r} is taken: the generated code, or the code "
                     "that imports it, imports a module of that name")
    line_length = values["line_length"]
    if not isinstance(line_length, int) or line_length < 40:
        found.append(f"line_length must be an integer of at least 40, not {line_length!r}")
    for key, allowed in CHOICES.items():
        if values[key] not in allowed:
            found.append(f"{key} must be one of {', '.join(allowed)}, not {values[key]!r}")
    if not isinstance(values["lenient"], bool):
        found.append(f"lenient must be true or false, not {values['lenient']!r}")
    return found


def _paths(key: str, value: Any, base: Path) -> Any:
    """A setting with its paths made relative to `base`; `specs` as a list of folders (one
    string, or a list of them)."""
    if key == "specs":
        folders = [value] if isinstance(value, (str, Path)) else value
        if (not isinstance(folders, list) or not folders
                or not all(isinstance(f, (str, Path)) for f in folders)):
            raise ConfigError(f"specs must be a folder or a list of folders, not {value!r}")
        return [base / folder for folder in folders]
    if key in ("out", "templates"):
        if not isinstance(value, (str, Path)):
            raise ConfigError(f"{key} must be a folder, not {value!r}")
        return base / value
    return value


def _folder(path: Path, what: str, origin: str) -> Path:
    """A folder the configuration names; one that is not there is bad configuration."""
    if not path.exists():
        raise ConfigError(f"{what} {shown(path)} does not exist ({origin})")
    if not path.is_dir():
        raise ConfigError(f"{what} {shown(path)} is a file, not a folder ({origin})")
    return path


def cache_folder(pyproject: Path | None) -> Path:
    """`.specgen_cache/` beside the project's pyproject.toml; without a project, the user's
    cache folder (`$XDG_CACHE_HOME/specgen`, `~/.cache/specgen`), not the working directory."""
    if pyproject is not None:
        return pyproject.parent / ".specgen_cache"
    from platformdirs import user_cache_path  # only needed here

    return user_cache_path("specgen", appauthor=False)
