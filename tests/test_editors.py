"""Models built the way the attribute names invite, `Model(attribute=value, ...)`, with the
optional fields left out, pass pyright and mypy (no plugin): the checkers see the attribute
names and the defaults. A misspelled keyword is still an error on its line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from specgen_md.build import build_package, render_options
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import Doc
from specgen_md.pipeline import generate
from specgen_md.render.semantics import (
    AnyOf,
    Constant,
    DictOf,
    EnumPlan,
    ListOf,
    Model,
    ObjectPlan,
    OrNone,
    Planner,
    PyType,
    Scalar,
    UnionPlan,
)
from specgen_md.resolve import Package

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SNAPSHOT_CASES = ["objects", "references", "forms", "unions", "namespaces", "titles"]
CORPUS = ROOT.parent / "shared" / "corpora" / "openrouter-mdx"
SCALARS = {"str": '"x"', "int": "1", "float": "1.5", "number": "2", "bool": "True",
           "any": "None", "date": "date(2024, 1, 2)",
           "datetime": "datetime(2024, 1, 2, tzinfo=timezone.utc)"}


class Calls:
    """Constructor calls for a package's models, built from the same plans as the models."""

    def __init__(self, package: Package, planner: Planner, name: str) -> None:
        self.package, self.planner, self.name = package, planner, name
        self.imports: set[tuple[str, str]] = set()

    def symbol(self, doc: Doc) -> str:
        module = ".".join((self.name, *doc.namespace))
        local = f"{'_'.join(doc.namespace) or 'root'}_{self.package.class_name(doc)}"
        self.imports.add((module, f"{self.package.class_name(doc)} as {local}"))
        return local

    def value(self, py: PyType, depth: int) -> str:
        if isinstance(py, Scalar):
            return SCALARS[py.name]
        if isinstance(py, Constant):
            return repr(py.values[0])
        if isinstance(py, OrNone):
            return "None"
        if isinstance(py, ListOf):
            return "[]"
        if isinstance(py, DictOf):
            return "{}"
        if isinstance(py, AnyOf):
            return self.value(py.members[0], depth)
        assert isinstance(py, Model)
        doc = self.package.docs[py.key]
        plan = self.planner.plan(doc)
        if isinstance(plan, EnumPlan):
            members = self.symbol(doc)
            return f"next(iter({members}))"
        if isinstance(plan, UnionPlan):
            return self.value(plan.members[0], depth)
        if isinstance(plan, ObjectPlan):
            return self.call(plan, depth + 1) if depth < 4 else "None"
        return repr(plan.value)  # a constant

    def call(self, plan: ObjectPlan, depth: int = 0, misspell: bool = False) -> str:
        args = [f"{f.attribute}={self.value(f.type, depth)}" for f in plan.fields if f.required]
        if misspell:
            args.append("no_such_field_at_all=1")
        return f"{self.symbol(plan.doc)}({', '.join(args)})"


def script(package: Package, config: Config, limit: int | None) -> tuple[str, list[int]]:
    """A module building each object model (up to `limit`), and then, misspelled, a few; with
    the line numbers of the misspelled calls."""
    planner = Planner(package, render_options(config).policy)
    calls = Calls(package, planner, config.package)
    plans = [planner.plan(doc) for doc in package.docs.values()]
    objects = [p for p in plans if isinstance(p, ObjectPlan)][:limit]
    body = [f"value_{i} = {calls.call(plan)}" for i, plan in enumerate(objects)]
    bad = [f"bad_{i} = {calls.call(plan, misspell=True)}" for i, plan in enumerate(objects[:5])]
    head = ["from datetime import date, datetime, timezone", ""]
    head += [f"from {module} import {name}" for module, name in sorted(calls.imports)]
    head += ["", "_ = (date, datetime, timezone)", ""]
    lines = head + body
    first_bad = len(lines) + 1
    return "\n".join(lines + bad) + "\n", list(range(first_bad, first_bad + len(bad)))


def packages(tmp_path: Path) -> list[tuple[Config, int | None]]:
    found: list[tuple[Config, int | None]] = [
        (Config(specs=ROOT / "tests" / "snapshots" / case / "specs", out=tmp_path,
                package=f"editors_{case}"), None) for case in SNAPSHOT_CASES]
    if CORPUS.is_dir():  # a few dozen models of a real API, when the corpora are at hand
        found.append((Config(specs=CORPUS, out=tmp_path, package="editors_corpus"), 40))
    return found


@pytest.mark.parametrize("checker", ["pyright", "mypy"])
def test_keyword_construction_type_checks(tmp_path: Path, checker: str) -> None:
    expected_errors: dict[str, list[int]] = {}
    for config, limit in packages(tmp_path):
        diags = Diagnostics()
        generate(config, diags)
        assert not diags.has_errors
        package = build_package(config, Diagnostics())
        assert package is not None
        text, bad_lines = script(package, config, limit)
        name = f"use_{config.package}.py"
        (tmp_path / name).write_text(text)
        expected_errors[name] = bad_lines
    files = sorted(expected_errors)
    if checker == "pyright":
        command = [str(BIN / "pyright"), *files]
    else:
        command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                   "--cache-dir", str(tmp_path / ".mypy"), *files]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    found: dict[str, set[int]] = {name: set() for name in files}
    for line in result.stdout.splitlines():
        match = re.search(r"(use_\w+\.py):(\d+)(?::\d+)?(?::| -) error", line)
        if match:
            found[match.group(1)].add(int(match.group(2)))
    for name in files:
        # Errors exactly on the misspelled calls: nothing else, nothing missed.
        assert found[name] == set(expected_errors[name]), (name, result.stdout[-4000:])


def test_scripts_run(tmp_path: Path) -> None:
    """The constructions also work at run time."""
    config = Config(specs=ROOT / "tests" / "snapshots" / "objects" / "specs", out=tmp_path,
                    package="editors_run")
    diags = Diagnostics()
    generate(config, diags)
    package = build_package(config, Diagnostics())
    assert package is not None
    text, bad = script(package, config, None)
    good = "\n".join(text.splitlines()[: bad[0] - 1]) + "\n"
    result = subprocess.run([sys.executable, "-c", good], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]


