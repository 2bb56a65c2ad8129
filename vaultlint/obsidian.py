"""What Obsidian itself leaves out of a vault, so that vaultlint leaves it out too.

- Template folders: a template is not a note (`{{date}}`, `<% tp.date.now() %>` are not values).
  Obsidian's core Templates plugin names its folder in `<config>/templates.json` (`folder`),
  Templater in `<config>/plugins/templater-obsidian/data.json` (`templates_folder`). The config
  folder is `.obsidian/` unless renamed, so every dot-folder at the vault root is looked at.
- "Excluded files" (`<config>/app.json`, `userIgnoreFilters`): a path prefix (`Archives/`), or a
  regular expression between slashes (`/\\.draft\\.md$/`), as Obsidian's settings write them.
  Obsidian hides these from search and the graph; a note the owner excluded there is not data.
- Git-ignored paths (the vault root's `.gitignore`; `--no-respect-gitignore` turns it off).
Dot-folders themselves are skipped by discovery. All of it holds with or without a config file:
a vault opened in Obsidian says what it is.
"""

from __future__ import annotations

import json
import re
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
    ignore_filters: IgnoreFilters | None = None  # app.json's "Excluded files"

    def skipped(self, relative: str) -> bool:
        for folder in self.template_folders:
            if relative == folder or relative.startswith(folder + "/"):
                return True
        if self.ignore_filters is not None and self.ignore_filters.matches(relative):
            return True
        return self.gitignore is not None and bool(self.gitignore.match_file(relative))


@dataclass(frozen=True, slots=True)
class IgnoreFilters:
    """Obsidian's "Excluded files": prefixes of the path, or `/regex/` searched in it."""

    prefixes: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, relative: str) -> bool:
        if any(relative.startswith(prefix) for prefix in self.prefixes):
            return True
        return any(pattern.search(relative) for pattern in self.patterns)


@cache
def vault_skips(root: Path, respect_gitignore: bool = True) -> VaultSkips:
    return VaultSkips(
        template_folders(root),
        _gitignore(root) if respect_gitignore else None,
        ignore_filters(root),
    )


def user_ignore_filters(root: Path) -> tuple[str, ...]:
    """The `userIgnoreFilters` of `<config>/app.json`, as written (strings only)."""
    found: list[str] = []
    for config in sorted(_dot_folders(root)):
        try:
            document = json.loads(_read_settings_file(config / "app.json"))
        except (OSError, ValueError, RecursionError):
            continue  # absent, broken or hostile settings exclude nothing
        filters = document.get("userIgnoreFilters") if isinstance(document, dict) else None
        if isinstance(filters, list):
            found += [f for f in filters if isinstance(f, str) and f.strip() and f not in found]
    return tuple(found)


def ignore_filters(root: Path) -> IgnoreFilters | None:
    prefixes: list[str] = []
    patterns: list[re.Pattern[str]] = []
    for text in user_ignore_filters(root):
        if len(text) > 2 and text.startswith("/") and text.endswith("/"):
            try:
                patterns.append(re.compile(text[1:-1]))
            except re.error:
                continue  # Obsidian ignores a broken expression too
        else:
            prefixes.append(text.lstrip("/"))
    return IgnoreFilters(tuple(prefixes), tuple(patterns)) if prefixes or patterns else None


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
