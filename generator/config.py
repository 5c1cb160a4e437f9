"""`[tool.specgen]` in pyproject.toml, overridden by command-line flags -> one frozen Config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "specs": "specs",
    "out": "generated",
    "package": "models",
    "line_length": 88,
    "nullable": "examples",
}
NULLABLE_POLICIES = ("examples", "optional", "all")


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    specs: Path
    out: Path
    package: str
    line_length: int = 88
    templates: Path | None = None
    nullable: str = "examples"

    @property
    def package_dir(self) -> Path:
        return self.out / self.package


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` (as black and ruff look for theirs)."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_table(pyproject: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read configuration: {exc}") from None
    table = data.get("tool", {}).get("specgen", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.specgen] must be a table")
    unknown = sorted(set(table) - set(DEFAULTS) - {"templates"})
    if unknown:
        raise ConfigError(f"{pyproject}: unknown [tool.specgen] keys: {', '.join(unknown)}")
    return table


def load_config(cwd: Path, overrides: dict[str, Any]) -> Config:
    """Configuration for a run: defaults < [tool.specgen] < flags (`None` flags are unset)."""
    pyproject = find_pyproject(cwd)
    table = read_table(pyproject) if pyproject else {}
    base = pyproject.parent if pyproject else cwd
    values: dict[str, Any] = dict(DEFAULTS)
    # Paths from the file are relative to the file; paths from flags to the working directory.
    for key, value in table.items():
        values[key] = base / value if key in ("specs", "out", "templates") else value
    for key, value in overrides.items():
        if value is not None:
            values[key] = cwd / value if key in ("specs", "out", "templates") else value
    package = values["package"]
    if not isinstance(package, str) or not package.isidentifier():
        raise ConfigError(f"package name {package!r} is not a Python identifier")
    line_length = values["line_length"]
    if not isinstance(line_length, int) or line_length < 40:
        raise ConfigError(f"line_length must be an integer of at least 40, not {line_length!r}")
    if values["nullable"] not in NULLABLE_POLICIES:
        raise ConfigError(f"nullable must be one of {', '.join(NULLABLE_POLICIES)}, "
                          f"not {values['nullable']!r}")
    templates = values.get("templates")
    return Config(
        specs=Path(values["specs"]),
        out=Path(values["out"]),
        package=package,
        line_length=line_length,
        templates=Path(templates) if templates else None,
        nullable=values["nullable"],
    )
