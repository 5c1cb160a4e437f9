"""Where the templates are: the user's folders first, then a built-in folder per model kind,
then the one every kind shares."""

from __future__ import annotations

from pathlib import Path

SHARED_TEMPLATES = "shared"  # templates every kind uses, unless its own folder has them


def builtin_templates() -> Path:
    """The built-in templates: inside the installed package, or `templates/` of a checkout."""
    installed = Path(__file__).parent / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).parent.parent / "templates"


def search_path(kind: str, template_dirs: tuple[Path, ...] = ()) -> list[Path]:
    """The folders a template is looked up in, first match wins."""
    return [*template_dirs, builtin_templates() / kind, builtin_templates() / SHARED_TEMPLATES]
