"""The built wheel, installed the way the README says into an empty virtual environment, away
from the checkout: the `specgen` command works, under the distribution and import names of
pyproject.toml, with the templates inside the package."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from specgen_md import __version__

from .conftest import ORIGINAL_ENVIRON

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
DISTRIBUTION = PROJECT["name"]
IMPORT_NAME = "specgen_md"
README = (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    (built,) = dist.glob("*.whl")
    return built


def test_names_and_version() -> None:
    assert DISTRIBUTION == "specgen-md"
    assert PROJECT["scripts"] == {"specgen": f"{IMPORT_NAME}.console:run"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_wheel_holds_the_package_under_its_import_name(wheel: Path) -> None:
    assert wheel.name.startswith(f"{DISTRIBUTION.replace('-', '_')}-{__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    sources = sorted(p.relative_to(ROOT / "generator").as_posix()
                     for p in (ROOT / "generator").rglob("*.py"))
    for name in sources:
        assert f"{IMPORT_NAME}/{name}" in names
    templates = sorted(p.relative_to(ROOT / "templates").as_posix()
                       for p in (ROOT / "templates").rglob("*.jinja"))
    assert templates
    for name in templates:
        assert f"{IMPORT_NAME}/templates/{name}" in names
    tops = {name.split("/")[0] for name in names}
    assert tops == {IMPORT_NAME, f"{DISTRIBUTION.replace('-', '_')}-{__version__}.dist-info"}
    assert not any("__pycache__" in name for name in names)


def readme_pip_install() -> list[str]:
    """The install step of the README's CI workflow, as arguments."""
    for lang, body in re.findall(r"```(\w+)\n(.*?)```", README, re.DOTALL):
        document = yaml.safe_load(body) if lang == "yaml" else None
        if isinstance(document, dict) and "jobs" in document:
            for step in document["jobs"]["drift"]["steps"]:
                if step.get("run", "").startswith("pip install"):
                    return shlex.split(step["run"])
    raise AssertionError("the README's workflow installs nothing")


def test_readme_installs_this_release() -> None:
    assert readme_pip_install() == ["pip", "install", f"{DISTRIBUTION}=={__version__}"]
    assert f"pip install {DISTRIBUTION}=={__version__}" in README


def test_fresh_install_gives_a_working_command(wheel: Path, tmp_path: Path) -> None:
    """`pip install specgen-md==X` (the README's line, the wheel standing in for the index)
    into an empty virtual environment; then the command, `python -m`, and the templates."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True,
                   timeout=600)
    python, specgen = venv / "bin" / "python", venv / "bin" / "specgen"
    # The environment as the test session found it (its pip cache, its index), nothing of the
    # checkout: no PYTHONPATH, and the working directory elsewhere.
    env = {k: v for k, v in ORIGINAL_ENVIRON.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    args = readme_pip_install()[1:]
    install = subprocess.run([str(python), "-m", "pip", *args, "--find-links", str(wheel.parent),
                              "--disable-pip-version-check", "--quiet"],
                             capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert install.returncode == 0, install.stderr
    project = tmp_path / "project"
    shutil.copytree(ROOT / "specs", project / "specs")
    (project / "pyproject.toml").write_text('[tool.specgen]\npackage = "acme"\n')

    def run(*command: str) -> str:
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=project,
                                timeout=120)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        return result.stdout

    assert run(str(specgen), "--version") == f"specgen {__version__}\n"
    assert run(str(python), "-m", IMPORT_NAME, "--version") == f"specgen {__version__}\n"
    run(str(specgen), "generate")
    assert "in sync" in run(str(specgen), "check")
    assert (project / "generated" / "acme" / "__init__.py").is_file()
    shown = run(str(python), "-m", "pip", "show", DISTRIBUTION)
    assert f"Name: {DISTRIBUTION}\n" in shown and f"Version: {__version__}\n" in shown
    code = ("import importlib.util, specgen_md.render as r; "
            "print(r.builtin_templates()); "
            "print(r.environment().get_template('object.py.jinja').filename); "
            "print(importlib.util.find_spec('generator'))")
    folder, template, other = run(str(python), "-c", code).split()
    site = Path(folder).parent.parent
    assert Path(folder).name == "templates" and Path(folder).parent.name == IMPORT_NAME
    assert site.is_relative_to(venv) and Path(template).is_relative_to(site)
    assert other == "None"  # nothing installed under the old, clashing name


def test_editable_install_imports_the_checkout() -> None:
    """The development environment (`pip install -e .`) runs the checkout's code."""
    import specgen_md

    assert Path(specgen_md.__file__).resolve() == ROOT / "generator" / "__init__.py"
    result = subprocess.run([sys.executable, "-m", IMPORT_NAME, "--version"],
                            capture_output=True, text=True, cwd="/", timeout=60,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert result.stdout == f"specgen {__version__}\n", result.stderr
