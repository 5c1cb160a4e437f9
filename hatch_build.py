"""Editable installs import the checkout's `generator/` folder as `specgen_md`.

Wheels carry the folder under that name (force-include in pyproject.toml). Hatchling's editable
installs cannot rename a package, so for them this hook installs a small import finder instead:
`import specgen_md` then loads the checkout's code, and edits take effect without reinstalling.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

IMPORT_NAME = "specgen_md"
SOURCE_FOLDER = "generator"

FINDER = '''\
"""Editable install of specgen: `import {name}` loads {source}."""

import importlib.util
import sys


class _Finder:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != {name!r}:
            return None
        return importlib.util.spec_from_file_location(
            name, {init!r}, submodule_search_locations=[{source!r}]
        )


sys.meta_path.append(_Finder)
'''


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    _folder: Path | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version != "editable":
            return
        source = Path(self.root).resolve() / SOURCE_FOLDER
        self._folder = Path(tempfile.mkdtemp(prefix="specgen-editable-"))
        module = f"_{IMPORT_NAME}_editable"
        finder = self._folder / f"{module}.py"
        finder.write_text(FINDER.format(name=IMPORT_NAME, source=str(source),
                                        init=str(source / "__init__.py")))
        pth = self._folder / f"{module}.pth"
        pth.write_text(f"import {module}\n")
        build_data["force_include_editable"] = {str(finder): finder.name, str(pth): pth.name}

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
