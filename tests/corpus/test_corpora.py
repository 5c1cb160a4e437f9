"""The real corpora, whole: every page generates, imports, and validates its own examples.

Run with `make corpus` (CI runs it when the shared corpora sit beside the checkout). Prints one
line per corpus and fails below 100% on any count.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter
from specgen_md.build import build_package, render_options
from specgen_md.config import Config
from specgen_md.diagnostics import Diagnostics
from specgen_md.ir import UnionDoc
from specgen_md.pipeline import generate
from specgen_md.render.semantics import Planner

from ..conftest import tree

SHARED_CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"
# TypeScript doc sets: (name, whether it needs --lenient). Folders in shared/corpora, or
# archives that `unpack` extracts into a temporary folder for the session.
TYPESCRIPT = [("openrouter-md", False), ("openrouter-mdx", False), ("plex-typescript", False),
              ("dub", False), ("unkey", False), ("vercel", True)]
NAMES = [name for name, _ in TYPESCRIPT]

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="session")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the archived corpora are unpacked (once per session)."""
    if not SHARED_CORPORA.is_dir():
        pytest.skip(f"no corpora at {SHARED_CORPORA} (shared/ is not beside this checkout)")
    folder = tmp_path_factory.mktemp("corpora")
    subprocess.run([str(SHARED_CORPORA / "unpack"), str(folder)], check=True,
                   capture_output=True, timeout=1800)
    return folder


def corpus_folder(name: str, unpacked: Path) -> Path:
    folder = SHARED_CORPORA / name
    return folder if folder.is_dir() else unpacked / name


@pytest.fixture(params=TYPESCRIPT, ids=NAMES)
def corpus(request: pytest.FixtureRequest, tmp_path: Path,
           unpacked: Path) -> Iterator[tuple[str, Config]]:
    name, lenient = request.param
    folder = corpus_folder(name, unpacked)
    if not folder.is_dir():
        pytest.skip(f"corpus {name} not found at {folder}")
    package = "corpus_" + name.replace("-", "_")
    config = Config(specs=folder, out=tmp_path, package=package, lenient=lenient)
    sys.path.insert(0, str(tmp_path))
    yield name, config
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m.split(".")[0] == package]:
        del sys.modules[module]


def test_corpus_generates_imports_and_round_trips(
    corpus: tuple[str, Config], capsys: pytest.CaptureFixture[str]
) -> None:
    name, config = corpus
    pages = sum(1 for p in config.specs.rglob("*") if p.suffix in (".md", ".mdx"))
    diags = Diagnostics()
    result = generate(config, diags)
    assert not diags.has_errors, "\n".join(map(str, diags.sorted()[:20]))
    if config.lenient:
        # Each broken reference is a warning naming the page and the missing target.
        broken = [d for d in diags.sorted() if "does not exist in the specs" in d.message]
        assert broken and all(d.pos.path.endswith(".md") and ".md'" in d.message
                              for d in broken)
    package = build_package(config, Diagnostics())
    assert package is not None and result.files is not None
    planner = Planner(package, render_options(config).policy)
    generated = imported = examples = validated = exact = 0
    failures: list[str] = []
    for key, doc in package.docs.items():
        module_name = ".".join((config.package, *package.modules[key]))
        generated += (config.package_dir / "/".join(package.modules[key])).with_suffix(
            ".py").is_file()
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # reported below, with the page
            failures.append(f"{key}: import failed: {exc!r}")
            continue
        imported += 1
        adapter: TypeAdapter[Any] = TypeAdapter(getattr(module, package.class_name(doc)))
        data = [doc.example.value] if doc.example is not None else []
        if isinstance(doc, UnionDoc):
            data += [m.example.value for m in doc.members if m.example is not None]
        for value in data:
            examples += 1
            try:
                parsed = adapter.validate_python(value)
            except Exception as exc:
                failures.append(f"{key}: example does not validate: {exc}")
                continue
            validated += 1
            back = adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True)
            # The example, each key replaced by its field's wire name.
            if back == planner.to_wire(value, doc):
                exact += 1
            else:
                failures.append(f"{key}: round trip differs: {value!r} -> {back!r}")
    with capsys.disabled():
        print(f"\n{name}: {pages} pages, {generated} models generated, {imported} imported, "
              f"{validated}/{examples} examples validated, {exact}/{examples} exact round trips")
    assert failures == []
    assert pages == len(package.docs) == generated == imported
    assert examples > 0 and validated == exact == examples


def test_corpus_package_is_black_clean(corpus: tuple[str, Config]) -> None:
    """The renderer lays most modules out itself: black must agree on every one."""
    from specgen_md.format import format_source

    _, config = corpus
    diags = Diagnostics()
    result = generate(config, diags)
    assert result.files is not None
    unclean = [path for path, data in result.files.items() if path.endswith(".py")
               and format_source(path, data.decode()) != data.decode()]
    assert unclean == []


def test_corpus_package_type_checks_and_lints(corpus: tuple[str, Config]) -> None:
    name, config = corpus
    diags = Diagnostics()
    generate(config, diags)
    assert not diags.has_errors
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", config.package],
        capture_output=True, text=True, cwd=config.out, timeout=1800,
    )
    assert result.returncode == 0, result.stdout[-5000:]
    assert result.stdout.startswith("Success: no issues found")
    bin_dir = Path(sys.executable).parent
    pyright = subprocess.run([str(bin_dir / "pyright"), config.package], capture_output=True,
                             text=True, cwd=config.out, timeout=1800)
    assert pyright.returncode == 0, pyright.stdout[-5000:]
    ruff = subprocess.run([str(bin_dir / "ruff"), "check", "--isolated", config.package],
                          capture_output=True, text=True, cwd=config.out, timeout=1800)
    assert ruff.returncode == 0, ruff.stdout[-5000:]


def test_replay_of_the_real_sdk_evolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The two corpora are the same SDK ten months apart. Walk the specs from the old pages to
    the new ones in steps (each step brings new pages with all the pages they refer to, so
    every step is a consistent set of specs); after each, incremental regeneration must give
    exactly what a clean generation of the same specs gives."""
    from specgen_md.cli import main
    from specgen_md.resolve import doc_references

    old, new = SHARED_CORPORA / "openrouter-md", SHARED_CORPORA / "openrouter-mdx"
    if not (old.is_dir() and new.is_dir()):
        pytest.skip(f"corpora not found at {SHARED_CORPORA} (shared/ is not beside this checkout)")
    package = build_package(Config(specs=new, out=tmp_path, package="x"), Diagnostics())
    assert package is not None
    specs = tmp_path / "specs"
    shutil.copytree(old, specs)
    monkeypatch.chdir(tmp_path)
    args = ["--specs", "specs", "--package", "evolving"]
    assert main(["generate", "--out", "out", *args]) == 0
    keys = sorted(package.docs)
    moved: set[str] = set()
    steps = 4
    for step in range(steps + 1):
        if step < steps:
            todo = list(keys[step::steps])
            while todo:  # the batch and everything it refers to
                key = todo.pop()
                if key not in moved:
                    moved.add(key)
                    todo += doc_references(package.docs[key])
                    stem = key.rsplit(".", 1)[0]
                    (specs / f"{stem}.md").unlink(missing_ok=True)
                    (specs / key).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(new / key, specs / key)
        else:  # the old pages the new SDK no longer has
            for page in list(specs.rglob("*.md")):
                page.unlink()
        assert main(["generate", "--out", "out", *args]) == 0, step
        assert main(["generate", "--out", f"clean{step}", "--no-cache", *args]) == 0, step
        assert tree(tmp_path / "out") == tree(tmp_path / f"clean{step}"), step
        assert main(["check", "--out", "out", *args]) == 0
    assert tree(specs) == tree(new)




def test_random_edits_of_a_real_doc_set_give_what_clean_runs_give(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_jobs: list[bool]) -> None:
    """Edits as people make them to a real doc set, a few pages at a time: a value added to an
    enum, a field's type changed, a field made optional or required, a description. After
    each, regeneration (through the short path for edits where it applies, see
    incremental.py) gives exactly what a clean generation of the same specs gives."""
    import random
    import re

    from specgen_md.cli import main

    source = SHARED_CORPORA / "openrouter-mdx"
    if not source.is_dir():
        pytest.skip(f"corpus not found at {source} (shared/ is not beside this checkout)")
    specs = tmp_path / "specs"
    shutil.copytree(source, specs)
    monkeypatch.chdir(tmp_path)
    args = ["--specs", "specs", "--package", "edited"]
    assert main(["generate", "-q", "--out", "out", *args]) == 0
    whole_jobs.clear()
    pages = sorted(specs.rglob("*.mdx"))
    rng = random.Random(1557)

    def edit(page: Path, step: int) -> None:
        text = page.read_text()
        kind = rng.choice(["value", "type", "required", "prose"])
        if kind == "value" and re.search(r'^"[^"\n]*"( \| [^\n]+)?$', text, re.M):
            text = re.sub(r'^("[^"\n]*")( \| [^\n]+)?$', rf'\1 | "added{step}"\2', text,
                          count=1, flags=re.M)
        elif kind == "type" and "| *string* " in text:
            text = text.replace("| *string* ", "| *boolean* ", 1)
        elif kind == "required" and ":heavy_check_mark:" in text:
            text = text.replace(":heavy_check_mark:", ":heavy_minus_sign:", 1)
        elif kind == "required" and ":heavy_minus_sign:" in text:
            text = text.replace(":heavy_minus_sign:", ":heavy_check_mark:", 1)
        else:
            text = text.replace("\n## ", f"\nEdited, step {step}.\n\n## ", 1)
        page.write_text(text)

    steps = 12
    for step in range(steps):
        for page in rng.sample(pages, rng.choice([1, 1, 2])):
            edit(page, step)
        assert main(["generate", "-q", "--out", "out", *args]) == 0, step
        assert main(["generate", "-q", "--out", f"clean{step}", "--no-cache", *args]) == 0
        assert tree(tmp_path / "out") == tree(tmp_path / f"clean{step}"), step
        shutil.rmtree(tmp_path / f"clean{step}")
    short = steps - (len(whole_jobs) - steps)  # each clean run does the whole job
    print(f"random edits: {steps} steps, {short} through the short path")
    assert short >= steps // 3, "the short path for edits was hardly taken"
