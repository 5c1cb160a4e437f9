"""This repository's own output: generated/ matches specs/, and it imports."""

from __future__ import annotations

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
