"""The model kinds beside pydantic on the OpenRouter corpora, whole: each generates every page,
passes `mypy --strict`, `pyright` and `ruff check --isolated`, is black-clean, and reads the
wire JSON the pydantic models dump of every example and writes it back unchanged. One test per
kind and corpus; the pydantic wire JSON is made once per corpus. Prints one line per test."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from specgen_md.config import Config

from ..kinds import KINDS, generated, round_trips, wire_json
from .test_corpora import SHARED_CORPORA

CORPORA = ("openrouter-md", "openrouter-mdx")

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Config, Any]]:
    """Corpus -> its pydantic package's configuration and wire JSON, made on first use."""
    return {}


def _pydantic(name: str, wire: dict[str, tuple[Config, Any]],
              factory: pytest.TempPathFactory) -> tuple[Config, Any]:
    if name not in wire:
        folder = SHARED_CORPORA / name
        if not folder.is_dir():
            pytest.skip(f"corpus {name} not found at {folder}")
        config = Config(specs=folder, out=factory.mktemp(name),
                        package="kinds_" + name.replace("-", "_"))
        wire[name] = (config, wire_json(config, generated(config)))
    return wire[name]


def _checked(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd, timeout=1800)
    assert result.returncode == 0, (command[:3], result.stdout[-5000:])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", CORPORA)
def test_kind_on_corpus(name: str, kind: str, wire: dict[str, tuple[Config, Any]],
                        tmp_path_factory: pytest.TempPathFactory,
                        capsys: pytest.CaptureFixture[str]) -> None:
    start = time.monotonic()
    config, data = _pydantic(name, wire, tmp_path_factory)
    pages = sum(1 for p in config.specs.rglob("*") if p.suffix in (".md", ".mdx"))
    found = round_trips(kind, config, data)
    package = f"{config.package}_{kind}"
    bin_dir = Path(sys.executable).parent
    _checked([sys.executable, "-m", "mypy", "--strict", "--no-incremental", package],
             config.out)
    _checked([str(bin_dir / "pyright"), "--pythonpath", sys.executable, package], config.out)
    _checked([str(bin_dir / "ruff"), "check", "--isolated", package], config.out)
    _checked([str(bin_dir / "black"), "--check", "--quiet", package], config.out)
    with capsys.disabled():
        print(f"\n{name} as {kind}: {pages} pages, {found.models} imported, "
              f"{found.exact}/{found.examples} wire JSON documents read and written back "
              f"unchanged; type-checked, linted, black-clean ({time.monotonic() - start:.0f} s)")
    assert found.failures == []
    assert pages == found.models
    assert found.examples > 0 and found.exact == found.examples
