"""This repository's own output: generated/ matches specs/, and it imports; its tests never
wait on a child process without a timeout."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest
from specgen_md.config import load_config
from specgen_md.diagnostics import Diagnostics
from specgen_md.pipeline import check

ROOT = Path(__file__).resolve().parent.parent


def test_generated_is_in_sync_with_specs() -> None:
    config = load_config(ROOT, {})
    diags = Diagnostics()
    drift = check(config, diags)
    assert drift is not None, diags.sorted()
    assert drift.in_sync, ("generated/ is out of date; run `make generate`:\n"
                           + "\n".join(drift.diffs + drift.missing + drift.extra))


def test_committed_package_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(ROOT, {})
    monkeypatch.syspath_prepend(str(config.out))
    try:
        package = importlib.import_module(config.package)
        for name in package.__all__:
            assert getattr(package, name).__name__ in (name, "Literal")
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == config.package]:
            del sys.modules[name]


def test_every_wait_on_a_child_process_has_a_timeout() -> None:
    """A child that hangs fails its test instead of hanging the whole run."""
    missing = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            base, name = node.func.value, node.func.attr
            waits = name in ("wait", "communicate") or (
                isinstance(base, ast.Name) and base.id == "subprocess"
                and name in ("run", "call", "check_call", "check_output"))
            if waits and not any(keyword.arg == "timeout" for keyword in node.keywords):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}()")
    assert not missing, "\n".join(missing)
