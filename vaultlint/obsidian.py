"""What Obsidian itself leaves out of a vault, so that vaultlint leaves it out too.

- Template folders: a template is not a note (`{{date}}`, `<% tp.date.now() %>` are not values).
  Obsidian's core Templates plugin names its folder in `<config>/templates.json` (`folder`),
  Templater in `<config>/plugins/templater-obsidian/data.json` (`templates_folder`). The config
  folder is `.obsidian/` unless renamed, so every dot-folder at the vault root is looked at.
- Git-ignored paths (the vault root's `.gitignore`; `--no-respect-gitignore` turns it off).
Dot-folders themselves are skipped by discovery.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

_TEMPLATE_SETTINGS = (
    (Path("templates.json"), "folder"),
    (Path("plugins", "templater-obsidian", "data.json"), "templates_folder"),
)


@dataclass(frozen=True, slots=True)
class VaultSkips:
    template_folders: tuple[str, ...]  # posix, relative to the vault root
    gitignore: Any  # a pathspec.PathSpec, or None

    def skipped(self, relative: str) -> bool:
        for folder in self.template_folders:
            if relative == folder or relative.startswith(folder + "/"):
                return True
        return self.gitignore is not None and bool(self.gitignore.match_file(relative))


@cache
def vault_skips(root: Path, respect_gitignore: bool = True) -> VaultSkips:
    return VaultSkips(template_folders(root), _gitignore(root) if respect_gitignore else None)


def template_folders(root: Path) -> tuple[str, ...]:
    folders: set[str] = set()
    try:
        config_folders = [p for p in root.iterdir() if p.name.startswith(".") and p.is_dir()]
    except OSError:
        return ()
    for config in config_folders:
        for settings, key in _TEMPLATE_SETTINGS:
            folder = _setting(config / settings, key)
            if folder:
                folders.add(folder.strip("/").replace("\\", "/"))
    return tuple(sorted(folders))


# A stranger's vault may hold a FIFO or a link to /dev/zero under these names (issue #15): each
# is read as a regular file within this cap, or treated as absent.
_SETTINGS_BYTES = 1024 * 1024


def _read_settings_file(path: Path) -> str:
    """The file's text; OSError when it is not a regular file, too large, or unreadable."""
    from vaultlint.bounded import BoundedReadError, read_regular_file

    try:
        return read_regular_file(path, _SETTINGS_BYTES).decode("utf-8")
    except BoundedReadError as error:
        raise OSError(str(error)) from None


def _setting(path: Path, key: str) -> str | None:
    try:
        document = json.loads(_read_settings_file(path))
    except (OSError, ValueError, RecursionError):
        return None  # absent or unreadable settings: nothing to skip
    value = document.get(key) if isinstance(document, dict) else None
    return value if isinstance(value, str) and value.strip("/ ") else None


def _gitignore(root: Path) -> Any:
    try:
        lines = _read_settings_file(root / ".gitignore").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(lines)


@cache
def property_types(root: Path) -> dict[str, str]:
    """`<config>/types.json` (`{"types": {"name": "text|multitext|number|..."}}`), or {}.

    Obsidian keeps one type per property name for the whole vault in this (undocumented) file.
    """
    for config in sorted(p for p in _dot_folders(root)):
        try:
            document = json.loads(_read_settings_file(config / "types.json"))
        except (OSError, ValueError, RecursionError):
            continue
        types = document.get("types") if isinstance(document, dict) else None
        if isinstance(types, dict):
            return {str(k): str(v) for k, v in types.items() if isinstance(v, str)}
    return {}


def _dot_folders(root: Path) -> list[Path]:
    try:
        return [p for p in root.iterdir() if p.name.startswith(".") and p.is_dir()]
    except OSError:
        return []
