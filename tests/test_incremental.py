"""Regeneration: incremental, owned files only, atomic, locked, and a fast drift check."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from specgen_md import __version__
from specgen_md.cli import _ProgressBar, main
from specgen_md.config import Config
from specgen_md.watch import _Relevant, may_move_folders
from watchfiles import Change

from .conftest import enum_page, object_page, tree

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = ROOT / "tests" / "snapshots"




def mtimes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for case in ("references", "unions", "namespaces"):
        shutil.copytree(SNAPSHOTS / case / "specs", tmp_path / "specs", dirs_exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def clean_generation(project: Path, into: Path) -> dict[str, bytes]:
    code = main(["generate", "--out", str(into), "--no-cache"])
    assert code == 0
    return tree(into / "p")


def test_no_op_keeps_bytes_and_mtimes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 0
    before, times = tree(project / "out"), mtimes(project / "out")
    time.sleep(0.01)
    capsys.readouterr()
    assert main(["generate"]) == 0
    assert " 0 written, 0 removed" in capsys.readouterr().out
    assert tree(project / "out") == before and mtimes(project / "out") == times


def test_an_edit_rewrites_only_what_changed(project: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 0
    times = mtimes(project / "out")
    spec = project / "specs" / "orderstatus.md"
    spec.write_text(spec.read_text().replace('"open" | "closed"', '"open" | "closed" | "held"'))
    capsys.readouterr()
    assert main(["generate"]) == 0
    assert "1 written, 0 removed" in capsys.readouterr().out
    after = mtimes(project / "out")
    changed = {path for path in after if after[path] != times.get(path)}
    assert changed == {"p/orderstatus.py", "p/.specgen-manifest.json"}


def test_deleted_and_renamed_specs(project: Path) -> None:
    assert main(["generate"]) == 0
    (project / "specs" / "content.md").unlink()
    shutil.move(project / "specs" / "dog.md", project / "specs" / "hound.md")
    page = (project / "specs" / "hound.md").read_text()
    (project / "specs" / "hound.md").write_text(page.replace("# Dog", "# Hound")
                                                           .replace("Dog", "Hound"))
    pet = project / "specs" / "pet.md"
    pet.write_text(pet.read_text().replace("models.Dog", "models.Hound"))
    assert main(["generate"]) == 0
    files = tree(project / "out" / "p")
    assert "content.py" not in files and "dog.py" not in files
    assert "hound.py" in files
    assert files == clean_generation(project, project / "clean")


EDITS: list[tuple[str, str | None, str | None]] = [
    ("orderline.md", "| `quantity` |", "| `count` |"),
    ("orderstatus.md", '"open" | "closed"', '"open" | "closed" | "lost"'),
    ("cat.md", None, None),  # delete
    ("pet.md", "### `models.Cat`", "### `models.Order`"),
    ("extra/widget2.md", "", object_page("Widget2", [("id", "*string*", True, "N/A")])),
    ("operations/widget.mdx", "| `next` |", "| `after` |"),
    ("cat.md", "", object_page("Cat", [("kind", '*"cat"*', True, "N/A"),
                                              ("name", "*string*", True, "N/A")])),
    ("ordertype.md", '"order"', '"order" | "refund"'),
    ("extra/widget2.md", None, None),
    ("pet.md", "### `models.Order`", "### `models.Cat`"),
]


def test_replay_of_edits_matches_clean_generation(project: Path) -> None:
    """After each edit, incremental regeneration gives exactly what a clean one gives."""
    assert main(["generate"]) == 0
    for step, (name, old, new) in enumerate(EDITS):
        path = project / "specs" / name
        if old is None:
            path.unlink()
        elif old == "":
            assert new is not None
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new)
        else:
            assert new is not None
            text = path.read_text()
            assert old in text, (step, name)
            path.write_text(text.replace(old, new))
        code = main(["generate"])
        clean_dir = project / f"clean{step}"
        if code != 0:  # an edit that breaks the specs: the output stays as it was
            assert main(["generate", "--out", str(clean_dir), "--no-cache"]) == 1
            continue
        assert tree(project / "out" / "p") == clean_generation(project, clean_dir), step
        assert main(["check"]) == 0


def test_fast_check_catches_edited_deleted_and_extra_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate"]) == 0
    package = project / "out" / "p"
    assert main(["check"]) == 0
    module = package / "order.py"
    original = module.read_text()
    module.write_text(original.replace("lines: list[OrderLine]", "lines: list"))
    capsys.readouterr()
    assert main(["check"]) == 1
    assert "+    lines: list[OrderLine]" in capsys.readouterr().out
    module.write_text(original)
    (package / "cat.py").unlink()
    assert main(["check"]) == 1
    assert "missing: out/p/cat.py" in capsys.readouterr().out
    assert main(["generate"]) == 0
    (package / "stray.py").write_text("")  # not specgen's: no drift
    assert main(["check"]) == 0
    (project / "specs" / "content.md").unlink()
    capsys.readouterr()
    assert main(["check"]) == 1
    assert "extra: out/p/content.py" in capsys.readouterr().out
    assert main(["check", "--full"]) == 1


def test_fast_check_sees_a_changed_spec(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate"]) == 0
    spec = project / "specs" / "orderline.md"
    spec.write_text(spec.read_text().replace("| `sku` |", "| `code` |"))
    capsys.readouterr()
    assert main(["check"]) == 1
    assert "(expected from specs/orderline.md)" in capsys.readouterr().out


def big_specs(root: Path, count: int) -> None:
    """Many small pages: enough work for a run to be interrupted in the middle."""
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rows = [(f"field{j}", "*string*" if j % 2 else "*number*", j % 3 == 0, f"Field {j}.")
                for j in range(12)]
        rows.append(("status", f"[models.State{i % 7}](../models/state{i % 7}.md)", True, "N/A"))
        (root / f"page{i}.md").write_text(object_page(f"Page{i}", rows))
    for i in range(7):
        (root / f"state{i}.md").write_text(enum_page(f"State{i}", '"a" | "b" | "c"'))


def interruptible() -> None:
    """Ctrl-C as a terminal delivers it: a test run started in the background of a shell
    inherits SIGINT ignored, and Python then never raises KeyboardInterrupt."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "specgen_md", *args], cwd=cwd, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=interruptible)


def test_interrupted_runs_leave_the_old_or_the_new_output(tmp_path: Path) -> None:
    """Ctrl-C or kill at random moments of a 400-page run: the package is the old one or the
    new one. (A killed run may leave its hidden staging folder beside the package; the next
    run removes it.)"""
    specs = tmp_path / "specs"
    big_specs(specs, 400)

    def run(out: str = "out") -> subprocess.Popen[str]:
        return run_cli("generate", "--specs", "specs", "--out", out, "--package", "p",
                       "--no-cache", cwd=tmp_path)

    def edit(old: str, new: str) -> None:
        for page in specs.glob("page*.md"):
            page.write_text(page.read_text().replace(old, new))

    assert run().wait(timeout=120) == 0
    before = tree(tmp_path / "out" / "p")
    edit("Field 1.", "Field one.")
    assert run("after").wait(timeout=120) == 0
    after = tree(tmp_path / "after" / "p")
    rng = random.Random(7)
    for attempt in range(6):
        process = run()
        time.sleep(rng.uniform(0.2, 1.5))
        process.send_signal(signal.SIGKILL if attempt % 2 else signal.SIGINT)
        code = process.wait(timeout=120)
        state = tree(tmp_path / "out" / "p")
        assert state in (before, after), f"attempt {attempt}: a half-written package"
        if code == 130:
            assert "interrupted" in process.stderr.read()  # type: ignore[union-attr]
        if state == after:  # back to the old package for the next attempt
            edit("Field one.", "Field 1.")
            assert run().wait(timeout=120) == 0
            assert tree(tmp_path / "out" / "p") == before
            edit("Field 1.", "Field one.")
    assert run().wait(timeout=120) == 0
    assert tree(tmp_path / "out" / "p") == after
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p"]


# When Ctrl-C lands, as parts of a whole run: while the modules load, in the parse (worker
# processes), rendering, formatting, writing.
MOMENTS = (0.03, 0.12, 0.25, 0.4, 0.55, 0.7, 0.85)


def start_generate(folder: Path, stderr: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "specgen_md", "generate", "--specs", "specs", "--out", "out",
         "--package", "p", "--no-cache"], cwd=folder, text=True, stdout=subprocess.DEVNULL,
        stderr=stderr, start_new_session=True, preexec_fn=interruptible)


def test_ctrl_c_ends_a_parallel_run_within_a_second(tmp_path: Path) -> None:
    """SIGINT at several moments of a run that parses in worker processes: exit 130 within a
    second or so, with a message. Sent to the process, or to its whole process group (workers
    included) as a terminal's Ctrl-C is, by turns."""
    big_specs(tmp_path / "specs", 1500)
    err = tmp_path / "stderr.txt"
    with open(err, "w") as stderr:  # a file: a full pipe would block the child
        started = time.monotonic()
        assert start_generate(tmp_path, stderr).wait(timeout=300) == 0
        whole = time.monotonic() - started  # how long a whole run takes here
    shutil.rmtree(tmp_path / "out")
    interrupted = 0
    for number, part in enumerate(MOMENTS):
        terminal = number % 2 == 1
        moment = part * whole
        with open(err, "w") as stderr:
            process = start_generate(tmp_path, stderr)
        time.sleep(moment)
        if process.poll() is not None:
            continue  # this run was faster than the first: no moment to interrupt it at
        sent = time.monotonic()
        if terminal:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=10)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        elapsed = time.monotonic() - sent
        assert code == 130, (moment, code, err.read_text()[-500:])
        assert elapsed < 2, f"interrupted at {moment:.2f} s, ended {elapsed:.2f} s later"
        assert "interrupted" in err.read_text()
        interrupted += 1
    assert interrupted >= len(MOMENTS) - 2, "the runs ended before they could be interrupted"
    assert processes_in(tmp_path) == [], "a worker outlived its run"


def processes_in(folder: Path) -> list[int]:
    """The processes working in `folder` (Linux; none known elsewhere)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(entry / "cwd")) == folder:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_concurrent_runs_do_not_corrupt_the_output(tmp_path: Path) -> None:
    big_specs(tmp_path / "specs", 150)
    args = ("generate", "--specs", "specs", "--out", "out", "--package", "p")
    runs = [run_cli(*args, cwd=tmp_path) for _ in range(3)]
    assert [r.wait(timeout=120) for r in runs] == [0, 0, 0]
    assert run_cli("generate", "--specs", "specs", "--out", "clean", "--package", "p",
                   "--no-cache", cwd=tmp_path).wait(timeout=120) == 0
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["p"]


def test_watch_regenerates_on_change(tmp_path: Path) -> None:
    big_specs(tmp_path / "specs", 3)
    process = run_cli("watch", "--specs", "specs", "--out", "out", "--package", "p",
                      cwd=tmp_path)
    target = tmp_path / "out" / "p" / "state0.py"
    try:
        deadline = time.monotonic() + 20
        while not target.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert target.exists()
        time.sleep(0.5)
        (tmp_path / "specs" / "state0.md").write_text(enum_page("State0", '"a" | "zzz"'))
        while "ZZZ" not in target.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "ZZZ = " in target.read_text()
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
    assert code == 130
    assert "changed: specs/state0.md" in process.stderr.read()  # type: ignore[union-attr]


def test_watch_lists_the_spec_folders_again_only_for_changes_that_may_move_one(
        tmp_path: Path) -> None:
    """A page edited in place moves no folder; anything else may (a folder moved whole comes
    as one event for the folder)."""
    specs = tmp_path / "specs"
    for key in ("top.md", "a/b/deep.md", "a/side.mdx", "c/one.md"):
        (specs / key).parent.mkdir(parents=True, exist_ok=True)
        (specs / key).write_text(enum_page("T", '"x"'))
    (specs / "empty").mkdir()
    config = Config(specs=specs, out=tmp_path / "out", package="p")
    relevant = _Relevant([("default", config)], None)
    root = specs.resolve()
    assert relevant.folders == {root / "a", root / "a" / "b", root / "c"}
    shutil.move(root / "a" / "b", tmp_path / "b")  # a folder of specs, moved away: known
    assert relevant(Change.deleted, str(root / "a" / "b"))
    assert not relevant(Change.deleted, str(root / "gone"))
    page = str(root / "a" / "side.mdx")
    assert not may_move_folders([(Change.modified, page), (Change.modified, str(root / "top.md"))])
    assert may_move_folders([(Change.modified, page), (Change.added, page)])
    assert may_move_folders([(Change.deleted, page)])
    assert may_move_folders([(Change.modified, str(root / "a"))])  # a folder's own change


def test_warm_up_loads_the_stages_before_an_edit(tmp_path: Path) -> None:
    """What `watch` does once it waits: the parser, markdown-it and the templates loaded,
    so that the first edit does not wait for them."""
    (tmp_path / "specs").mkdir()
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys; from pathlib import Path; "
         "from specgen_md.build import warm_up; from specgen_md.config import Config; "
         "from specgen_md.render import environment; "
         "from specgen_md.render.kinds import DEFAULT_KIND; "
         "warm_up(Config(specs=Path('specs'), out=Path('out'), package='p', "
         "cache_dir=Path('c'))); print(' '.join(sys.modules)); "
         "print(' '.join(key[1] for key in environment("
         "DEFAULT_KIND, (), Path('c/templates')).cache.keys()))"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True).stdout
    modules, templates = loaded.splitlines()
    assert {"specgen_md.parse", "markdown_it", "jinja2"} <= set(modules.split())
    assert "object.py.jinja" in templates and "union.py.jinja" in templates


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_watch_ignores_what_is_not_a_spec_and_follows_the_configuration(tmp_path: Path) -> None:
    """Editors' swap, backup and probe files are no changes; a spec is; pyproject.toml is too
    (read again; a broken one is reported and the watch goes on)."""
    big_specs(tmp_path / "specs", 3)
    (tmp_path / "specs" / "sub").mkdir()
    (tmp_path / "specs" / "sub" / "tone.md").write_text(enum_page("Tone", '"soft" | "loud"'))
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.specgen]\nout = "out"\npackage = "p"\n')
    err = tmp_path / "stderr.txt"
    with open(err, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "specgen_md", "watch"], cwd=tmp_path,
                                   text=True, stdout=subprocess.DEVNULL, stderr=stderr)
    module = tmp_path / "out" / "p" / "state0.py"
    try:
        assert wait_for(lambda: "for changes" in err.read_text()), err.read_text()
        for name in (".state0.md.swp", "state0.md~", "4913", ".#state0.md", "notes.txt"):
            (tmp_path / "specs" / name).write_text("x")
            (tmp_path / "specs" / name).unlink()
        (tmp_path / "specs" / ".drafts").mkdir()
        (tmp_path / "specs" / ".drafts" / "draft.md").write_text("# Draft")
        time.sleep(1.5)
        assert "changed" not in err.read_text()
        (tmp_path / "specs" / "state0.md").write_text(enum_page("State0", '"a" | "zzz"'))
        assert wait_for(lambda: "ZZZ = " in module.read_text()), err.read_text()
        assert "changed: specs/state0.md\n" in err.read_text()
        # A folder of specs moved away whole: its modules go.
        shutil.move(tmp_path / "specs" / "sub", tmp_path / "elsewhere")
        assert wait_for(lambda: not (tmp_path / "out" / "p" / "sub").exists()), err.read_text()
        # The configuration: broken (reported, the watch goes on), then changed.
        pyproject.write_text('[tool.specgen]\nout = "out"\npackage = "p"\nnullable = "some"\n')
        assert wait_for(lambda: "nullable must be one of" in err.read_text()), err.read_text()
        replacement = tmp_path / "pyproject.new"  # as editors save: a new file renamed over
        replacement.write_text('[tool.specgen]\nout = "out"\npackage = "q"\n')
        replacement.replace(pyproject)
        assert wait_for(lambda: (tmp_path / "out" / "q" / "state0.py").is_file()), err.read_text()
        pyproject.write_text('[tool.specgen]\nout = "out"\npackage = "r"\n')
        assert wait_for(lambda: (tmp_path / "out" / "r" / "state0.py").is_file()), err.read_text()
    finally:
        process.send_signal(signal.SIGINT)
        code = process.wait(timeout=10)
    assert code == 130
    text = err.read_text()
    for name in ("swp", "~", "4913", ".#", "notes", "drafts"):
        assert name not in text, name


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_progress_bar_only_on_a_terminal() -> None:
    terminal = FakeTerminal(True)
    bar = _ProgressBar(terminal)  # type: ignore[arg-type]
    for done in range(1, 501):
        bar(done, 500)
    assert "[##############################] 500/500 specs" in terminal.text
    bar.clear()
    assert terminal.text.endswith("\r\033[K")
    pipe = FakeTerminal(False)
    bar = _ProgressBar(pipe)  # type: ignore[arg-type]
    bar(500, 500)
    assert pipe.text == ""


def test_summary_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Files where it means files: the package's, written or not (the manifest aside)."""
    assert main(["generate"]) == 0
    files = len(tree(project / "out" / "p")) - 1
    line = capsys.readouterr().out.strip()
    assert line.startswith(
        f"12 specs -> {files} files: {files} written, 0 removed, 0 unchanged in ")
    assert line.endswith(" s (out/p)")
    (project / "specs" / "orderstatus.md").unlink()
    (project / "specs" / "order.md").unlink()
    assert main(["generate"]) == 0
    line = capsys.readouterr().out.strip()
    written, unchanged = map(int, re.findall(r"(\d+) (?:written|unchanged)", line))
    assert line.startswith(f"10 specs -> {files - 2} files: {written} written, 2 removed, ")
    assert written + unchanged == files - 2
    assert main(["generate"]) == 0  # nothing to do
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"10 specs -> {files - 2} files: 0 written, 0 removed, {files - 2} ")


def test_back_to_back_edits_reuse_the_cache(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run writes the cache itself, before it ends: an edit right after a cold console
    run, and another right after that, parse only the page edited and render only its
    module. The cache holds its shards and nothing else."""
    import specgen_md.parse as parse
    import specgen_md.render as render

    big_specs(tmp_path / "specs", 500)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    for edit in (None, "Field 3."):
        if edit is not None:
            page = tmp_path / "specs" / "page3.md"
            page.write_text(page.read_text().replace(edit, "Field three."))
        process = run_cli("generate", cwd=tmp_path)
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    assert "1 written" in out
    parsed: list[str] = []
    rendered: list[str] = []
    read_page, render_doc = parse.read_page, render.render_doc

    def parse_spy(data: bytes, key: str, *rest: Any) -> Any:
        parsed.append(key)
        return read_page(data, key, *rest)

    def render_spy(doc: Any, *rest: Any, **options: Any) -> Any:
        rendered.append(doc.key)
        return render_doc(doc, *rest, **options)

    monkeypatch.setattr(parse, "read_page", parse_spy)
    monkeypatch.setattr(render, "render_doc", render_spy)
    page = tmp_path / "specs" / "page7.md"
    page.write_text(page.read_text().replace("Field 3.", "Field three."))
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    assert parsed == ["page7.md"] and rendered == ["page7.md"]
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")
    (folder,) = [f for f in (tmp_path / ".specgen_cache").iterdir() if f.is_dir()
                 and f.name != "templates"]
    names = {f.name for f in folder.iterdir()}
    assert names and all(re.fullmatch(
        r"(parsed|rendered)-\d{3}\.pickle|stats\.pickle|facts\.(pickle|tag)", n)
                         for n in names)


def test_runs_in_one_process_take_what_the_last_wrote_without_reading_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As `watch` runs them: the stat index, the facts and the manifest that a run wrote are
    the next run's without being read from their files again, while they stand: the index
    while its file is the one written, the manifest while its file holds the bytes written,
    the facts while the tag names that save. Each run's output is a clean run's."""
    import json
    import pickle

    import specgen_md.cache as cache

    big_specs(tmp_path / "specs", 20)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    loaded: list[str] = []
    pickle_load, json_loads = pickle.load, json.loads

    def load_spy(stream: Any) -> Any:
        loaded.append(os.path.basename(stream.name))
        return pickle_load(stream)

    def loads_spy(text: str, *args: Any, **kwargs: Any) -> Any:
        if '"generator": "specgen"' in text[:40]:
            loaded.append("manifest")
        return json_loads(text, *args, **kwargs)

    facts: list[bool] = []  # whether each run found the facts: it took the short path
    cache_facts = cache.Cache.facts

    def facts_spy(self: cache.Cache, tag: str) -> Any:
        found = cache_facts(self, tag)
        facts.append(found is not None)
        return found

    monkeypatch.setattr(pickle, "load", load_spy)
    monkeypatch.setattr(json, "loads", loads_spy)
    monkeypatch.setattr(cache.Cache, "facts", facts_spy)
    page = tmp_path / "specs" / "page3.md"
    original = page.read_text()
    for n in range(3):
        page.write_text(original.replace("Field 3.", f"Field 3 ({n})."))
        assert main(["generate", "-q"]) == 0
        assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / f"clean{n}")
    assert facts == [True, True, True]
    assert not {"stats.pickle", "facts.pickle", "manifest"} & set(loaded), loaded
    # Written since by another process (here: their content, written anew or reformatted).
    manifest = tmp_path / "out" / "p" / ".specgen-manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b"\n}\n", b"}\n"))
    (folder,) = [f for f in (tmp_path / ".specgen_cache").iterdir() if f.is_dir()
                 and f.name != "templates"]
    (folder / "stats.pickle").write_bytes((folder / "stats.pickle").read_bytes())
    page.write_text(original)
    assert main(["generate", "-q"]) == 0
    assert facts[-1] and {"stats.pickle", "manifest"} <= set(loaded), loaded
    assert "facts.pickle" not in loaded  # the tag still names the save this process made
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")


@given(st.text(max_size=8), st.dictionaries(st.text(max_size=6), st.text(max_size=6)),
       st.dictionaries(st.text(max_size=6), st.text(max_size=6)),
       st.lists(st.tuples(st.text(max_size=6), st.integers(0, 99), st.integers(0, 99),
                          st.text(max_size=6)), max_size=4))
@settings(max_examples=200, deadline=None)
def test_a_manifest_kept_as_written_is_the_one_its_file_reads_back_as(
        fingerprint: str, specs: dict[str, str], files: dict[str, str],
        warnings: list[tuple[str, int, int, str]]) -> None:
    from specgen_md.write import Manifest, _manifest_of

    manifest = Manifest(fingerprint, specs, files, tuple(warnings))
    read = _manifest_of(manifest.to_bytes())
    written = manifest.as_written()
    assert read == written
    content = {"generator": "specgen", "version": __version__, "fingerprint": fingerprint,
               "specs": written.specs, "files": written.files,
               "warnings": [{"path": p, "line": line, "col": col, "message": m}
                            for p, line, col, m in written.warnings]}
    assert manifest.to_bytes() == (json.dumps(content, indent=2) + "\n").encode()
    assert list(read.specs.items()) == list(written.specs.items())
    assert list(read.files.items()) == list(written.files.items())


@given(st.lists(st.tuples(st.sampled_from(["hit", "edit", "fresh", "write", "skip"]),
                          st.integers(0, 4)), max_size=12))
@settings(max_examples=200, deadline=None)
def test_the_stat_index_counts_what_a_run_found_otherwise(
        steps: list[tuple[str, int]]) -> None:
    """The count by which a large index is left as it is, made over the entries a run made,
    is the plain count over all: files changed (an edit, a write, one too fresh to trust:
    dropped), new, or no longer looked up."""
    import specgen_md.stats as stats

    with tempfile.TemporaryDirectory() as folder:
        files = [os.path.join(folder, f"m{i}.py") for i in range(5)]
        then = time.time_ns() - 60 * 1_000_000_000
        for number, file in enumerate(files[:4]):  # the fifth is new
            Path(file).write_text(f"{number}")
            os.utime(file, ns=(then, then))
        saved = Path(folder) / "cache" / "set" / "stats.pickle"
        first = stats.StatIndex(saved)
        for file in files[:4]:
            first.sha(file, changed=False)
        first.save()
        index = stats.StatIndex(saved)
        looked_up = set()
        for step, number in steps:
            file = files[number]
            if step == "skip" or (step == "hit" and not os.path.exists(file)):
                continue
            if step in ("edit", "fresh"):
                Path(file).write_text(f"{step} {number} {time.time_ns()}")
                if step == "edit":
                    os.utime(file, ns=(then, then))
            if step == "write":
                Path(file).write_text(f"written {number}")
                os.utime(file, ns=(then, then))
                index.written(file, stats.digest(Path(file).read_bytes()), os.stat(file))
            else:
                index.sha(file, changed=False)
            looked_up.add(file)
        used, known = index._used, index._known
        plain = (sum(1 for path, entry in used.items() if known.get(path) != entry)
                 + sum(1 for path in known if path not in used))
        assert index._differences() == plain
        assert set(used) <= looked_up


def test_a_description_edit_renders_only_its_own_module(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Modules that refer to a page depend on its shape, not its text: editing a referenced
    page's description (lines added, so every position after it moves) renders its module
    alone; a change of what it means renders the modules that read what changed: a value
    added, those whose examples go through the enum (the others name it, nothing more); the
    enum made a constant, every module that uses it. A module that stands is known to stand
    for the package as it is then, so the next value added renders no more. Each time the
    output is what a clean run gives."""
    import specgen_md.render as render

    big_specs(tmp_path / "specs", 20)
    state = tmp_path / "specs" / "state3.md"
    state.write_text(enum_page("State3", '"a" | "b" | "c"').replace(
        "## Values", "The state of a page.\n\n## Values"))
    (tmp_path / "specs" / "holder.md").write_text(object_page(
        "Holder", [("status", "[models.State3](../models/state3.md)", True, "N/A")],
        example='{ status: "a" }'))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    rendered: list[str] = []
    render_doc = render.render_doc

    def render_spy(doc: Any, *rest: Any, **options: Any) -> Any:
        rendered.append(doc.key)
        return render_doc(doc, *rest, **options)

    monkeypatch.setattr(render, "render_doc", render_spy)
    users = sorted(f"page{i}.md" for i in range(20) if i % 7 == 3)
    for step, (old, new, expected) in enumerate([
        ("The state of a page.", "What a page is at:\n\n- its state, one of three.", []),
        ('"c"', '"c" | "d"', ["holder.md"]),  # its example is read by the enum's values
        ('"d"', '"d" | "e"', ["holder.md"]),  # again: the users' modules still stand
        ('"a" | "b" | "c" | "d" | "e"', '"a"', sorted(["holder.md", *users])),  # `Literal["a"]`
    ]):
        state.write_text(state.read_text().replace(old, new))
        rendered.clear()
        assert main(["generate", "-q"]) == 0
        assert sorted(rendered) == [*expected, "state3.md"], step
        assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / f"c{step}")


def test_edits_render_the_modules_they_reach_alone_and_anything_else_the_whole_set(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """An edit that changes no fact of the whole set (incremental.py) parses the edited
    pages alone, resolves them with the docs that reach them or that they reach, and renders
    their modules and those of the pages that use them; an edit that changes such a fact (a
    page added, a title, a link, a null an example shows), facts that do not stand for the
    output, or an output edited by hand, takes the whole job. Either way the output,
    manifest and warnings are a clean run's."""
    import specgen_md.build as build
    import specgen_md.parse as parse
    import specgen_md.render as render

    specs = tmp_path / "specs"
    big_specs(specs, 20)
    (specs / "odd.md").write_text(object_page(  # a page with a warning
        "Odd", [("count", "*number*", True, "How many.")], example='{ count: "many" }'))
    (specs / "plain.md").write_text(object_page(
        "Plain", [("note", "*string*", False, "A note.")], example='{ note: "x" }'))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    calls: dict[str, list[str]] = {"parsed": [], "rendered": [], "whole": []}
    read_page, render_doc, build_package = parse.read_page, render.render_doc, build.build_package

    def parse_spy(data: bytes, key: str, *rest: Any) -> Any:
        calls["parsed"].append(key)
        return read_page(data, key, *rest)

    def render_spy(doc: Any, *rest: Any, **options: Any) -> Any:
        calls["rendered"].append(doc.key)
        return render_doc(doc, *rest, **options)

    def build_spy(*args: Any, **options: Any) -> Any:
        calls["whole"].append("yes")
        return build_package(*args, **options)

    monkeypatch.setattr(parse, "read_page", parse_spy)
    monkeypatch.setattr(render, "render_doc", render_spy)
    monkeypatch.setattr(build, "build_package", build_spy)

    def prose(name: str, text: str, also: str = "") -> None:  # before the first section
        for page in [specs / name] + ([specs / also] if also else []):
            page.write_text(page.read_text().replace("\n## ", f"\n{text}\n\n## ", 1))

    def edit(name: str, old: str, new: str) -> None:
        page = specs / name
        assert old in page.read_text()
        page.write_text(page.read_text().replace(old, new, 1))

    def hand_edit() -> None:
        module = tmp_path / "out" / "p" / "page5.py"
        module.write_text(module.read_text() + "# mine\n")
        prose("page6.md", "Sixth.")

    def two_pages() -> None:
        edit("page11.md", ":heavy_check_mark: | Field 3.", ":heavy_minus_sign: | Field 3.")
        edit("page12.md", "*string*", "*boolean*")

    users = ["page16.md", "page2.md", "page9.md"]  # of State2
    # what is done, whether by the whole job, and if not the pages parsed and rendered
    steps: list[tuple[str, Callable[[], object], bool, list[str], list[str]]] = [
        ("prose, lines added", lambda: prose("page3.md", "A page.\n\nOf three lines."), False,
         ["page3.md"], ["page3.md"]),
        ("the same page again", lambda: prose("page3.md", "Again."), False, ["page3.md"],
         ["page3.md"]),
        ("two pages' prose", lambda: prose("page1.md", "More.", also="state2.md"), False,
         ["page1.md", "state2.md"], ["page1.md", "state2.md"]),
        ("a table cell's prose", lambda: edit("page4.md", "Field 5.", "The fifth."), False,
         ["page4.md"], ["page4.md"]),
        ("a type", lambda: edit("page4.md", "*number*", "*boolean*"), False, ["page4.md"],
         ["page4.md"]),
        ("prose of the page whose shape changed", lambda: prose("page4.md", "Four."), False,
         ["page4.md"], ["page4.md"]),
        ("an enum's new value, which the modules that use it do not show (they name it)",
         lambda: edit("state2.md", '"c"', '"c" | "e"'), False, ["state2.md"], ["state2.md"]),
        ("the enum made a constant, which they show (`Literal['a']`)",
         lambda: edit("state2.md", '"a" | "b" | "c" | "e"', '"a"'), False, ["state2.md"],
         [*users, "state2.md"]),
        ("a field made optional and a type, on two pages", two_pages, False,
         ["page11.md", "page12.md"], ["page11.md", "page12.md"]),
        ("a page added", lambda: (specs / "extra.md").write_text(enum_page("Extra", '"x"')),
         True, [], []),
        ("a link to another page", lambda: edit("page6.md", "state6.md", "state5.md"), True,
         [], []),
        ("a title", lambda: edit("page7.md", "# Page7", "# PageSeven"), True, [], []),
        ("an example that shows a field null", lambda: edit("plain.md", '"x"', "null"), True,
         [], []),
        ("prose of a page with a warning, which moves", lambda: prose("odd.md", "Odd one."),
         False, ["odd.md"], ["odd.md"]),
        ("a field added to a page with a warning", lambda: edit(
            "odd.md", "How many. |",
            "How many. |\n| `more` | *string* | :heavy_minus_sign: | More. |"),
         False, ["odd.md"], ["odd.md"]),
        ("a field whose wire name is a guess, warned of at the first such field",
         lambda: edit("page3.md", "Field 5. |",
                      "Field 5. |\n| `shortLink` | *string* | :heavy_minus_sign: | A link. |"),
         True, [], []),
        ("a field of a page before it whose wire name is a guess: the warning moves",
         lambda: edit("page2.md", "Field 5. |",
                      "Field 5. |\n| `longLink` | *string* | :heavy_minus_sign: | A link. |"),
         True, [], []),
        ("an output edited by hand", hand_edit, True, [], []),
        ("prose after the whole job", lambda: prose("page9.md", "Nine."), False, ["page9.md"],
         ["page9.md"]),
    ]
    for step, (what, change, whole, parsed, rendered) in enumerate(steps):
        for found in calls.values():
            found.clear()
        change()
        capsys.readouterr()
        assert main(["generate"]) == 0, what
        warnings = capsys.readouterr().err
        assert bool(calls["whole"]) == whole, what
        if not whole:
            assert sorted(calls["parsed"]) == parsed, what
            assert sorted(calls["rendered"]) == rendered, what
        clean = clean_generation(tmp_path, tmp_path / f"c{step}")
        assert tree(tmp_path / "out" / "p") == clean, what  # the manifest too
        # the warnings a clean run gives, at the same places
        assert "specs/odd.md:" in warnings and warnings == capsys.readouterr().err, what
        assert main(["check"]) == 0, what
    # The cache holds each page parsed once: its version of now, not the ones edited away.
    assert parsed_entries(tmp_path / ".specgen_cache") == len(list(specs.glob("*.md")))


def parsed_entries(cache: Path) -> int:
    import pickle

    (folder,) = [f for f in cache.iterdir() if f.is_dir() and f.name != "templates"]
    return sum(len(pickle.loads(shard.read_bytes())[1]) for shard in folder.glob("parsed-*"))


def test_a_new_package_is_written_while_its_modules_are_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that makes a package where there is none writes each module as it comes from
    the workers (into its hidden staging folder), while the others are still rendered; the
    package is what a run that writes at the end makes. A run that fails after some were
    written leaves nothing behind."""
    import specgen_md.parallel as parallel
    import specgen_md.render as render
    import specgen_md.write as write

    big_specs(tmp_path / "specs", 60)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(render, "PARALLEL_RENDER", 4)  # two workers for 67 modules, 1 init
    mapping: list[bool] = []  # whether the workers are at work
    staged: list[bool] = []  # the same, as each module is written
    map_in_processes, put = parallel.map_in_processes, write.Staging.put

    def mapping_spy(*args: Any, **options: Any) -> Any:
        mapping.append(True)
        try:
            return map_in_processes(*args, **options)
        finally:
            mapping.append(False)

    def put_spy(self: Any, path: str, data: bytes) -> None:
        staged.append(mapping[-1])
        put(self, path, data)

    monkeypatch.setattr(render, "map_in_processes", mapping_spy)
    monkeypatch.setattr(write.Staging, "put", put_spy)
    assert main(["generate", "-q"]) == 0
    assert len(staged) == 68 and all(staged)
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")

    shutil.rmtree(tmp_path / "out")
    render_doc = render.render_doc

    def failing(doc: Any, *rest: Any, **options: Any) -> Any:
        if doc.key == "page59.md":
            raise RuntimeError("a bug")
        return render_doc(doc, *rest, **options)

    monkeypatch.setattr(render, "render_doc", failing)
    staged.clear()
    assert main(["generate", "-q", "--no-cache"]) == 2  # every module made again; a bug
    assert staged and not (tmp_path / "out").exists()


def test_the_cache_unpickles_what_a_run_asks_for_and_keeps_the_rest_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each cache entry is pickled on its own: a run that edits one page's prose unpickles
    the entries it uses (the page as it was, the enum it refers to), not the shards'
    others, and writes its shards again without pickling the entries they kept. An entry
    that cannot be read is missing; its shard's others are not."""
    import pickle
    import types

    import specgen_md.cache as cache

    big_specs(tmp_path / "specs", 60)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    calls: dict[str, int] = {"loads": 0, "dumps": 0}

    def counted(name: str) -> Callable[..., Any]:
        function = getattr(pickle, name)

        def spy(*args: Any, **options: Any) -> Any:
            calls[name] += 1
            return function(*args, **options)
        return spy

    monkeypatch.setattr(cache, "pickle", types.SimpleNamespace(
        load=pickle.load, dump=pickle.dump, HIGHEST_PROTOCOL=pickle.HIGHEST_PROTOCOL,
        loads=counted("loads"), dumps=counted("dumps")))
    page = tmp_path / "specs" / "page7.md"
    page.write_text(page.read_text().replace("Field 3.", "Field three."))
    assert main(["generate", "-q"]) == 0
    assert calls == {"loads": 2, "dumps": 2}  # the page, State0; the page and its module
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")

    folder = tmp_path / "store"
    folder.mkdir()
    keys = [("a",)] + [k for k in ((str(n),) for n in range(1000))
                       if cache.shard_of(k) == cache.shard_of(("a",))][:1]
    cache.write_atomically(folder / f"parsed-{cache.shard_of(keys[0]):03d}.pickle",
                           ("tag", {keys[0]: b"damaged", keys[1]: pickle.dumps((1, 2))}))
    store = cache.Store(folder, "parsed", "tag")
    assert store.get(keys[0]) is None and store.get(keys[1]) == (1, 2)


def test_shards_of_another_layout_are_removed(project: Path) -> None:
    """Shard files named for another number of shards (an earlier version's) are removed by
    the next run that writes the cache: they count toward its limit and no run reads them."""
    assert main(["generate", "-q"]) == 0
    (folder,) = [f for f in (project / ".specgen_cache").iterdir() if f.is_dir()
                 and f.name != "templates"]
    (folder / "parsed-07.pickle").write_bytes(b"old")
    (folder / "rendered-31.pickle").write_bytes(b"old")
    page = project / "specs" / "pet.md"
    page.write_text(page.read_text().replace("\n## ", "\nPets.\n\n## ", 1))
    assert main(["generate", "-q"]) == 0
    names = {f.name for f in folder.iterdir()}
    assert "parsed-07.pickle" not in names and "rendered-31.pickle" not in names
    assert any(re.fullmatch(r"parsed-\d{3}\.pickle", name) for name in names)


def test_a_file_replaced_alone_is_renamed_over_and_leftovers_go(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that replaces one file writes it in the package's folder of files being
    written, then renames it over the old one (no copy of the package's links), and leaves
    no such folder; a killed run's folder of files being written, or the folder of a new
    package it was making, is removed by the next run."""
    import specgen_md.write as write

    assert main(["generate", "-q"]) == 0
    package = project / "out" / "p"
    inodes = {path: os.stat(package / path).st_ino for path in tree(package)}
    mirrored: list[Path] = []
    monkeypatch.setattr(write, "_mirror", lambda *args: mirrored.append(args[0]))
    page = project / "specs" / "pet.md"
    page.write_text(page.read_text().replace("\n## ", "\nPets.\n\n## ", 1))
    pending = package / ".specgen-pending"  # a killed run's, with the file it was writing
    pending.mkdir()
    (pending / "0a1b2c.tmp").write_text("half")
    waited: list[Path] = []
    write_new = write._write_new

    def spy(path: str | Path, data: bytes) -> os.stat_result:
        waited.append(Path(path).parent)
        return write_new(path, data)

    monkeypatch.setattr(write, "_write_new", spy)
    left = project / "out" / ".p.specgen-staging-0a1b2c"  # a killed new package's folder
    (left / "sub").mkdir(parents=True)
    (left / "sub" / "a.py").write_text("x = 1\n")
    (project / "out" / "p.specgen-staging-mine").write_text("not hidden: the user's")
    assert main(["generate", "-q"]) == 0
    assert not left.exists() and (project / "out" / "p.specgen-staging-mine").exists()
    assert waited and set(waited) == {pending}  # the module and the manifest, written there
    assert not pending.exists()  # and it is gone with the run
    changed = {path for path in tree(package) if os.stat(package / path).st_ino != inodes.get(path)}
    assert changed == {"pet.py", ".specgen-manifest.json"} and not mirrored
    assert tree(package) == clean_generation(project, project / "clean")


def test_facts_that_do_not_stand_for_the_output_are_not_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_jobs: list[bool]) -> None:
    """A run without the cache changes the output (a shape, here) and leaves the saved facts
    as they were: the next prose edit does the whole job."""
    big_specs(tmp_path / "specs", 10)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    state = tmp_path / "specs" / "state1.md"
    state.write_text(state.read_text().replace('"c"', '"c" | "d"'))
    assert main(["generate", "-q", "--no-cache"]) == 0
    whole_jobs.clear()
    page = tmp_path / "specs" / "page1.md"
    page.write_text(page.read_text().replace("\n## ", "\nProse.\n\n## ", 1))
    assert main(["generate", "-q"]) == 0
    assert whole_jobs == [True]
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")


def aged(folder: Path, seconds: float = 60) -> None:
    """Every file under `folder` as if last written `seconds` ago."""
    then = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (then, then))


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run reads to hash them, by name."""
    import specgen_md.stats as stats

    found: list[str] = []
    read = stats.StatIndex.read

    def spy(self: Any, path: str, *rest: Any) -> Any:
        found.append(Path(path).name)
        return read(self, path, *rest)

    monkeypatch.setattr(stats.StatIndex, "read", spy)
    return found


def test_a_run_with_nothing_to_do_loads_no_stage(tmp_path: Path) -> None:
    """A run (or check) with nothing to do loads neither the stages nor their libraries: not
    the schema, the parser, the renderer, markdown-it, Jinja2 or black."""
    big_specs(tmp_path / "specs", 5)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    assert main(["generate", "-q", "--config", str(tmp_path / "pyproject.toml")]) == 0
    heavy = ("specgen_md.ir", "specgen_md.parse", "specgen_md.resolve", "specgen_md.render",
             "specgen_md.build", "markdown_it", "jinja2", "black", "ctypes")
    for command in ("generate", "check"):
        loaded = subprocess.run(
            [sys.executable, "-c", "import sys; from specgen_md.cli import main; "
             f"assert main([{command!r}, '-q']) == 0; print(' '.join(sys.modules))"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=True).stdout.split()
        assert "specgen_md.freshness" in loaded
        assert [m for m in loaded if m.split(".")[0] in heavy or m in heavy
                or m.startswith(heavy)] == [], command


def test_a_run_with_nothing_to_do_reads_no_file(tmp_path: Path, reads: list[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Files whose stat is as a run recorded it are not read again: not the specs, not the
    generated files; `check` neither. A changed one is, even with its size and modification
    time kept (an archive's fixed times, `touch -r`)."""
    import specgen_md.stats as stats

    # The files here are all younger than the window in which a file is not trusted by its
    # stat (that window is tested below).
    monkeypatch.setattr(stats, "RACY_NS", 0)
    monkeypatch.setattr(stats, "FINE_RACY_NS", 0)
    big_specs(tmp_path / "specs", 20)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    aged(tmp_path / "specs")
    aged(tmp_path / "out")
    assert main(["generate", "-q"]) == 0  # reads all once, to record them
    reads.clear()
    assert main(["generate", "-q"]) == 0
    assert main(["check", "-q"]) == 0
    assert reads == []
    module = tmp_path / "out" / "p" / "page4.py"
    module.write_text(module.read_text() + "\n")
    assert main(["check", "-q"]) == 1
    assert reads[0] == "page4.py"  # then all specs, to compare the whole package
    assert main(["generate", "-q"]) == 0
    reads.clear()
    page = tmp_path / "specs" / "page3.md"
    page.write_text(page.read_text().replace("Field 3.", "Field X."))  # the same size
    assert main(["check", "-q"]) == 1
    assert reads[:1] == ["page3.md"]
    assert main(["generate", "-q"]) == 0
    assert main(["check", "-q"]) == 0
    before = page.stat()
    page.write_text(page.read_text().replace("Field X.", "Field Y."))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` leaves it
    assert page.stat().st_size == before.st_size
    assert main(["check", "-q"]) == 1
    assert main(["generate", "-q"]) == 0
    assert "Field Y." in (tmp_path / "out" / "p" / "page3.py").read_text()
    # A generated module replaced by a move, its size and modification time kept.
    module = tmp_path / "out" / "p" / "page3.py"
    assert main(["check", "-q"]) == 0  # its stat recorded
    before = module.stat()
    edited = tmp_path / "edited.py"
    edited.write_text(module.read_text().replace("Field Y.", "Field Z."))
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(edited, module)
    assert main(["check", "-q"]) == 1


def test_what_a_run_wrote_is_not_read_back_by_the_next(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A run records the stats of the modules it wrote: the run after it (a no-op, an edit
    right after a cold run) does not read them back to know they are as written."""
    import specgen_md.stats as stats

    monkeypatch.setattr(stats, "FINE_RACY_NS", 0)  # the modules are as young as can be
    big_specs(tmp_path / "specs", 5)
    aged(tmp_path / "specs")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    assert any(name.endswith(".md") for name in reads)
    reads.clear()
    assert main(["generate", "-q"]) == 0
    assert main(["check", "-q"]) == 0
    assert reads == []
    module = tmp_path / "out" / "p" / "page2.py"
    module.write_text(module.read_text().replace("Field 2.", "Field X."))  # the same size
    assert main(["check", "-q"]) == 1


def test_how_long_a_file_is_not_trusted_by_its_stat_follows_its_clock(
        tmp_path: Path, reads: list[str]) -> None:
    """A file system that keeps whole seconds could give a file written twice within a
    second one time: such a file is trusted by its stat two seconds after; one that keeps
    finer times (the kernel's clock, a tick of milliseconds) a tenth of a second after."""
    import specgen_md.stats as stats

    index = stats.StatIndex(tmp_path / "cache" / "set" / "stats.pickle")
    now = time.time_ns()
    whole = (now // 1_000_000_000 - 1) * 1_000_000_000  # 1-2 s ago, on the second
    for name, when in (("whole.py", whole), ("fine.py", now - 500_000_000 + 1),
                       ("fresh.py", now - 20_000_000 + 1)):
        (tmp_path / name).write_text(name)
        os.utime(tmp_path / name, ns=(when, when))
        index.sha(str(tmp_path / name), changed=False)
    index.save()
    reads.clear()
    again = stats.StatIndex(tmp_path / "cache" / "set" / "stats.pickle")
    for name in ("whole.py", "fine.py", "fresh.py"):
        again.sha(str(tmp_path / name), changed=False)
    assert reads == ["whole.py", "fresh.py"]


def test_a_whole_job_lets_go_of_the_pages_bytes_once_they_are_parsed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages' bytes are let go once parsed (tens of megabytes on a large doc set, held
    through resolving and rendering else): the run's spec files hold none of them by the
    time the docs are resolved."""
    import specgen_md.build as build
    import specgen_md.pipeline as pipeline
    from specgen_md.freshness import survey
    from specgen_md.resolve import resolve

    big_specs(tmp_path / "specs", 5)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    surveyed: list[Any] = []
    held: list[list[bool]] = []

    def survey_spy(*args: Any) -> Any:
        surveyed.append(survey(*args))
        held.append([spec.data is not None for spec in surveyed[-1].files])
        return surveyed[-1]

    def resolve_spy(*args: Any, **kwargs: Any) -> Any:
        held.append([spec.data is not None for spec in surveyed[-1].files])
        return resolve(*args, **kwargs)

    monkeypatch.setattr(pipeline, "survey", survey_spy)
    monkeypatch.setattr(build, "resolve", resolve_spy)
    assert main(["generate", "-q"]) == 0
    (read,) = surveyed
    pages = len(read.files)
    assert pages >= 5 and held == [[True] * pages, [False] * pages]  # read, then let go
    assert all(len(spec.sha) == 64 for spec in read.files)


def test_an_index_a_run_finds_little_changed_is_left_as_it_is(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing a large index again costs more than reading a few files again: a run that
    finds no more than `FEW_CHANGES` files otherwise (changed, gone or new) than a saved
    index of `LARGE_INDEX` entries says leaves it (the next runs read those files again,
    and hash them right), and one that finds more writes it. A smaller index is written at
    every change: a run with nothing to do then reads no file (tested above)."""
    import specgen_md.stats as stats

    monkeypatch.setattr(stats, "FEW_CHANGES", 2)
    monkeypatch.setattr(stats, "LARGE_INDEX", 6)  # six files: large enough to be left
    path = tmp_path / "cache" / "set" / "stats.pickle"
    files = [tmp_path / f"m{i}.py" for i in range(6)]
    then = time.time_ns() - 60 * 1_000_000_000

    def write(file: Path, text: str) -> None:
        file.write_text(text)
        os.utime(file, ns=(then, then))  # trusted by its stat at once

    def run() -> list[str]:
        index = stats.StatIndex(path)
        shas = [index.sha(str(file), changed=False) for file in files]
        index.save()
        return shas

    for file in files:
        write(file, file.name)
    run()  # no index yet: written
    saved = path.stat().st_ino
    for changes in ((0, 1), ()):  # two files changed, then none more
        for number in changes:
            write(files[number], f"{files[number].name} changed")
        reads.clear()
        assert run() == [stats.digest(file.read_bytes()) for file in files]
        assert reads == ["m0.py", "m1.py"]
        assert path.stat().st_ino == saved  # left as it was
    write(files[2], "the third, changed")  # three in all: written
    reads.clear()
    assert run() == [stats.digest(file.read_bytes()) for file in files]
    assert reads == ["m0.py", "m1.py", "m2.py"]
    assert path.stat().st_ino != saved
    saved = path.stat().st_ino
    reads.clear()
    run()
    assert reads == []
    del files[4:]  # two files gone: left as it is
    run()
    assert path.stat().st_ino == saved
    files.append(tmp_path / "m9.py")  # and one new: written
    write(files[-1], "a new one")
    reads.clear()
    assert run() == [stats.digest(file.read_bytes()) for file in files]
    assert reads == ["m9.py"] and path.stat().st_ino != saved


def test_a_file_changed_within_the_tick_it_was_hashed_in_is_read_again(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A coarse clock can give a file written twice in a row the same modification time:
    a file modified about when it was hashed is not trusted by its stat."""
    big_specs(tmp_path / "specs", 3)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    page = tmp_path / "specs" / "page1.md"
    assert main(["generate", "-q"]) == 0
    before = page.stat()
    page.write_text(page.read_text().replace("Field 3.", "Field X."))  # the same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the same time
    assert main(["check", "-q"]) == 1
    assert main(["generate", "-q"]) == 0
    assert "X." in (tmp_path / "out" / "p" / "page1.py").read_text()


def test_an_edit_saved_before_the_watcher_is_on_is_not_missed(tmp_path: Path) -> None:
    """An edit saved between a run and the moment the watcher is on again (a save right
    after the previous one) brings another run, without a further edit."""
    from specgen_md.config import Config
    from specgen_md.output import Output
    from specgen_md.watch import watch

    big_specs(tmp_path / "specs", 3)
    config = Config(specs=tmp_path / "specs", out=tmp_path / "out", package="p")
    page = tmp_path / "specs" / "page1.md"
    runs: list[str] = []

    def regenerate(_: Config) -> None:
        runs.append(page.read_text())
        if len(runs) == 1:  # the save lands as the run ends, before any watcher is on
            page.write_text(page.read_text().replace("Field 3.", "Field three."))
        else:
            raise KeyboardInterrupt  # seen: the test is over

    def give_up(*_: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, 20)
    try:
        with pytest.raises(KeyboardInterrupt):
            watch([("p", config)], lambda: [("p", config)], regenerate,
                  Output(quiet=True), None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert len(runs) == 2 and "Field three." in runs[1]


@pytest.mark.parametrize("library", ["_black_version", "markdown_it", "mdit_py_plugins",
                                     "jinja2"])
def test_another_library_version_means_regenerating(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    library: str) -> None:
    """Black lays out statements of the output, markdown-it and its plugins read the pages,
    Jinja2 renders the templates: their versions are part of the fingerprint that decides
    whether the output (and the cache) still stand."""
    import importlib.util

    import specgen_md.freshness as freshness
    from specgen_md.config import Config

    spec = importlib.util.find_spec(library)
    assert spec is not None and spec.origin  # installed, and found without importing it
    assert Path(spec.origin) in freshness._dependency_files()
    fake = tmp_path / "version.py"
    fake.write_text('__version__ = "1"\n')
    files = [fake if path == Path(spec.origin) else path
             for path in freshness._dependency_files()]
    monkeypatch.setattr(freshness, "_dependency_files", lambda: files)
    config = Config(specs=tmp_path, out=tmp_path / "out", package="p")
    before = freshness.fingerprint(config)
    fake.write_text('__version__ = "2"\n')
    assert freshness.fingerprint(config) != before


def test_a_module_reads_only_the_docs_its_page_reaches(tmp_path: Path) -> None:
    """What the short path for edits relies on to leave the other modules as they are: a
    page's module reads, of the other docs, only those its page reaches (`Package.reaches`,
    transitively), so an edit changes the modules of the pages that reach it alone. Over
    every snapshot set."""
    from specgen_md.build import build_package, render_options
    from specgen_md.config import Config
    from specgen_md.diagnostics import Diagnostics
    from specgen_md.render import render
    from specgen_md.render.reads import unpacked

    checked = 0
    for case in sorted((ROOT / "tests" / "snapshots").glob("*/specs")):
        config = Config(specs=case, out=tmp_path, package="snap")
        package = build_package(config, Diagnostics())
        assert package is not None, case
        modules = render(package, render_options(config), lambda path, doc: None)
        for key, module in package.modules.items():
            reads = modules["/".join(module) + ".py"].reads
            assert reads is not None
            reached, todo = {key}, [key]
            while todo:
                for target in package.reaches.get(todo.pop(), ()):
                    if target not in reached:
                        reached.add(target)
                        todo.append(target)
            read = {doc for (what, doc) in unpacked(reads) if what in ("doc", "shape")}
            assert read <= reached, (case, key, read - reached)
            checked += len(read - {key})
    assert checked > 50  # modules that read other docs, each within what its page reaches


def test_an_edit_that_unnames_a_configured_field_is_an_error_as_on_a_clean_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`[tool.specgen.fields]` names fields of the specs: an edit that renames one, which
    the short path for edits would not see, is the error a clean run gives, and nothing is
    written."""
    big_specs(tmp_path / "specs", 5)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n'
        '[tool.specgen.fields."Page4.field5"]\nalias = "f5"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    module = tmp_path / "out" / "p" / "page4.py"
    assert '"f5"' in module.read_text()
    before = module.read_bytes()
    page = tmp_path / "specs" / "page4.md"
    page.write_text(page.read_text().replace("`field5`", "`fieldFive`"))
    capsys.readouterr()
    assert main(["generate", "-q"]) == 1
    assert "'Page4.field5' names no field of any spec" in capsys.readouterr().err
    assert module.read_bytes() == before


@pytest.mark.parametrize("first", ["on", "active"])
def test_an_example_that_names_an_enum_member_by_title_looks_through_the_whole_set(
        first: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """`Status.Active` in an example means the member of the first enum titled `Status` in
    the whole set, which need not be among the pages an edit reaches: an edit that names one
    gives what a clean run gives, and so does a later edit of that enum."""
    specs = tmp_path / "specs"
    for folder, rows in (("extra", [("Active", first)]),
                         ("models", [("Active", "active"), ("Gone", "gone")])):
        (specs / folder).mkdir(parents=True)
        (specs / folder / "status.md").write_text("\n".join(
            ["# Status", "", "## Values", "", "| Name | Value |", "| ---- | ----- |",
             *(f"| `{name}` | {value} |" for name, value in rows)]) + "\n")
    thing = specs / "models" / "thing.md"
    thing.write_text(object_page("Thing", [
        ("state", "[models.Status](../../models/status.md)", False, "s"),
        ("note", "*string*", False, "n")], example='{ note: "x" }'))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    thing.write_text(thing.read_text().replace('{ note: "x" }', "{ state: Status.Active }"))
    enum = specs / "extra" / "status.md"
    for step in range(2):
        if step:  # the enum the example means, edited
            enum.write_text(enum.read_text().replace(f"| {first} |", "| on |"))
        capsys.readouterr()
        assert main(["generate"]) == 0
        warnings = capsys.readouterr().err
        assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / f"c{step}")
        assert warnings == capsys.readouterr().err


def _users_of_a_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, users: int,
                      example: Callable[[int], str], required: bool) -> set[str]:
    """A State enum and `users` User -> Middle -> Leaf chains, User{i}'s example
    `example(i)`, generated once; the parse cache entries later runs read (by spec key)."""
    import specgen_md.cache as cache

    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "state.md").write_text(enum_page("State", '"a" | "b"'))
    for i in range(users):
        (specs / f"leaf{i}.md").write_text(object_page(
            f"Leaf{i}", [("size", "*number*", True, "s")], example="{ size: 1 }"))
        (specs / f"middle{i}.md").write_text(object_page(
            f"Middle{i}", [("leaf", f"[models.Leaf{i}](../models/leaf{i}.md)", False, "l")],
            example="{ leaf: { size: 2 } }"))
        (specs / f"user{i}.md").write_text(object_page(f"User{i}", [
            ("state", "[models.State](../models/state.md)", required, "s"),
            ("middle", f"[models.Middle{i}](../models/middle{i}.md)", False, "m")],
            example=example(i)))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specgen]\nspecs = "specs"\nout = "out"\npackage = "p"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate", "-q"]) == 0
    read: set[str] = set()
    get = cache.Store.get

    def spy(self: cache.Store, key: Any) -> Any:
        if self.kind == "parsed":
            read.add(key[0])
        return get(self, key)

    monkeypatch.setattr(cache.Store, "get", spy)
    return read


def test_a_shape_edit_reads_from_the_cache_only_the_docs_the_examples_go_through(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An enum's new value reaches the models that use it, and through them every doc those
    refer to, directly or not; of these, a run reads from the cache those the models' modules
    name (to see that they still hold) and those their examples go through, not the rest.
    The output is a clean run's."""
    # the first two Users' examples go all the way to their Leaf
    read = _users_of_a_state(tmp_path, monkeypatch, 8, lambda i: (
        '{ state: "a", middle: { leaf: { size: 3 } } }' if i < 2 else '{ state: "b" }'), True)
    specs = tmp_path / "specs"
    (specs / "state.md").write_text(enum_page("State", '"a" | "b" | "c"'))
    assert main(["generate", "-q"]) == 0
    assert read == {"state.md", "leaf0.md", "leaf1.md",
                    *(f"{name}{i}.md" for name in ("user", "middle") for i in range(8))}
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")


def test_a_shape_edit_reads_again_only_the_examples_that_read_the_edited_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run notes, by doc, which docs the reading of its examples looked up. An enum's new
    value reaches every model that uses it, but the examples of those that never looked the
    enum up say what they said: they are not read again, nor are the docs they go through.
    Once the enum becomes a constant, the modules of its users are rendered again, and with
    them their examples are read. Each time the output is a clean run's."""
    # the first two Users' examples skip the State
    read = _users_of_a_state(tmp_path, monkeypatch, 4, lambda i: (
        '{ middle: { leaf: { size: 3 } } }' if i < 2 else '{ state: "b" }'), False)
    specs = tmp_path / "specs"
    (specs / "state.md").write_text(enum_page("State", '"a" | "b" | "c"'))
    assert main(["generate", "-q"]) == 0
    # the other Users' modules are rendered again (their examples show the State): they name
    # their Middles
    assert read == {"state.md", "middle2.md", "middle3.md", *(f"user{i}.md" for i in range(4))}
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean")
    read.clear()
    (specs / "state.md").write_text(enum_page("State", '"b"'))  # `Literal["b"]` in each User
    assert main(["generate", "-q"]) == 0
    assert {"leaf0.md", "leaf1.md"} <= read
    assert tree(tmp_path / "out" / "p") == clean_generation(tmp_path, tmp_path / "clean2")
