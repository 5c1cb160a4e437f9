"""The model kinds beside pydantic (dataclass, typeddict, msgspec) on the snapshot specs: the
output is pinned by golden files (`tests/snapshots/kinds/<kind>/<case>/`, rewritten by `make
snapshots`), imports, and reads and writes back the wire JSON the pydantic models dump of
every example."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from specgen_md.build import build
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics

from .kinds import KINDS, generated, round_trips, wire_json

SNAPSHOTS = Path(__file__).parent / "snapshots"
GOLDEN = SNAPSHOTS / "kinds"
CASES = sorted(p.name for p in SNAPSHOTS.iterdir() if (p / "specs").is_dir())
# The package files every kind shares with pydantic's (the package __init__ template), or
# that do not depend on the specs (one golden copy per kind).
SHARED = ("__init__.py", "py.typed")
RUNTIME = "_runtime.py"


def _golden_files(files: dict[str, bytes]) -> dict[str, bytes]:
    return {path: data for path, data in files.items()
            if path != RUNTIME and path.rsplit("/", 1)[-1] not in SHARED}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", CASES)
def test_kind_golden(kind: str, case: str, update_snapshots: bool, tmp_path: Path) -> None:
    diags = Diagnostics()
    files = build(Config(specs=SNAPSHOTS / case / "specs", out=tmp_path, package="snap",
                         model_kind=kind), diags)
    assert files is not None, "\n".join(map(str, diags.sorted()))
    from specgen_md.format import format_source

    unclean = [path for path, data in files.items() if path.endswith(".py")
               and format_source(path, data.decode()) != data.decode()]
    assert unclean == [], "black would reformat these"
    folder = GOLDEN / kind / case
    runtime = GOLDEN / kind / RUNTIME
    golden = _golden_files(files)
    if update_snapshots:
        shutil.rmtree(folder, ignore_errors=True)
        for path, data in golden.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_bytes(data)
        runtime.write_bytes(files[RUNTIME])
        return
    expected = {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*.py"))}
    expected[RUNTIME] = runtime.read_bytes()
    golden[RUNTIME] = files[RUNTIME]
    assert sorted(golden) == sorted(expected), "files differ; run `make snapshots` to accept"
    for path, data in golden.items():
        if data != expected[path]:
            diff = difflib.unified_diff(expected[path].decode().splitlines(True),
                                        data.decode().splitlines(True), "golden", "generated")
            pytest.fail(f"{kind}/{case}/{path} changed; run `make snapshots` to accept:\n"
                        + "".join(diff))


@pytest.mark.parametrize("case", CASES)
def test_kinds_read_and_write_the_wire_json_of_pydantic(case: str, tmp_path: Path) -> None:
    config = Config(specs=SNAPSHOTS / case / "specs", out=tmp_path,
                    package=f"kinds_{case.lower()}")
    package = generated(config)
    wire = wire_json(config, package)
    for kind in KINDS:
        found = round_trips(kind, config, wire)
        assert found.failures == [], kind
        assert found.models == len(package.docs), kind
        assert found.exact == found.examples == sum(map(len, wire.values())), kind


# Wire JSON the docs' examples do not show: an unknown value of an open enum, extra keys,
# milliseconds, a nested model, null in a required field, an integer in a number field, the
# keys of an object whose docs list no field.
ORDER = {"type": "order", "status": "open", "created_at": "2025-01-02T03:04:05.120Z",
         "due_on": "2025-02-01",
         "lines": [{"sku": "s", "quantity": 1, "note": None, "colour": "red", "n": [1.5]}],
         "parent": {"type": "order", "lines": [], "status": "closed", "extras": [[{}]]},
         "metadata": {"FriendlyName": "x", "sendCrashReports": 1, "tags": [None, {}]}}


@pytest.mark.parametrize("kind", KINDS)
def test_kind_keeps_what_the_wire_says(kind: str, tmp_path: Path) -> None:
    references = Config(specs=SNAPSHOTS / "references" / "specs", out=tmp_path / "r",
                        package="keeps")
    found = round_trips(kind, references, {"order.md": [ORDER]})
    assert found.failures == [] and found.exact == 1
    enums = Config(specs=SNAPSHOTS / "enums" / "specs", out=tmp_path / "e", package="keeps")
    found = round_trips(kind, enums, {"channel.md": ["fax", "sms"]})
    assert found.failures == [] and found.exact == 2


@pytest.mark.parametrize("kind", KINDS)
def test_kind_refuses_what_its_types_refuse(kind: str, tmp_path: Path) -> None:
    config = Config(specs=SNAPSHOTS / "references" / "specs", out=tmp_path, package="refuse")
    wrong = [{**ORDER, "status": "pending"},  # a closed enum
             {**ORDER, "type": "invoice"},  # a constant
             {**ORDER, "lines": [{"sku": 1, "quantity": 1, "note": None}]},  # a string
             {**ORDER, "lines": [{"sku": "s", "quantity": True, "note": None}]},  # a number
             {key: value for key, value in ORDER.items() if key != "lines"}]  # required
    found = round_trips(kind, config, {"order.md": wrong})
    assert found.exact == 0 and len(found.failures) == len(wrong)
    assert all(" not read: " in failure for failure in found.failures)


def test_readme_shows_what_each_kind_writes(tmp_path: Path) -> None:
    """The README's examples of the kinds are what they write for this repository's specs."""
    import re

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text()
    section = readme[readme.index("### Model kinds"):readme.index("### Custom templates")]
    examples = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    written = ""
    for kind in KINDS:
        files = build(Config(specs=root / "specs", out=tmp_path, package="models",
                             model_kind=kind), Diagnostics())
        assert files is not None
        written += "".join(data.decode() for data in files.values())
    assert len(examples) == len(KINDS) + 1  # and typeddict's open enum
    for example in examples:
        assert example in written, example
