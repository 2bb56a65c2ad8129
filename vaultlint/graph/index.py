"""Phase 2 of the vault rules: one index of the vault, built from the files and the notes' facts.

Every file under the vault root counts as a link target (attachments too, and notes that are
excluded from the checks or gitignored: Obsidian opens them), except dot-folders (`.obsidian/`,
`.git/`, `.trash/`, the cache). The facts (`graph/facts.py`) come from the checked notes; a note
without facts (an excluded one) still exists, but its headings are unknown and never reported.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.diagnostic import Diagnostic

if TYPE_CHECKING:
    from vaultlint.graph.facts import NoteFacts

NOTE_SUFFIX = ".md"


def fold(text: str) -> str:
    """A name as Obsidian compares wikilink targets: without case."""
    return text.casefold()


def loose(text: str) -> str:
    """A name with Unicode form and case set aside (what a safe fix may bridge)."""
    return unicodedata.normalize("NFC", text).casefold()


def stem(path: str) -> str:
    name = posixpath.basename(path)
    return name[: -len(NOTE_SUFFIX)] if name.endswith(NOTE_SUFFIX) else name


def path_order(path: str) -> list[str]:
    """Path order as a person reads a folder: `X.md` before `X 1.md` (names without `.md`)."""
    parts = path.split("/")
    return [*parts[:-1], stem(parts[-1]) if parts[-1].endswith(NOTE_SUFFIX) else parts[-1]]


@dataclass
class VaultIndex:
    root: Path
    files: frozenset[str]  # posix paths relative to the root, as the file system spells them
    folders: frozenset[str]
    facts: dict[str, NoteFacts]  # the checked notes
    # Why a path is left out of the vault's clone or checks ("gitignored", "excluded"), or None.
    skipped: Callable[[str], str | None] = field(default=lambda relative: None)
    memo: dict[object, Any] = field(default_factory=dict)  # what the rules share (resolutions)

    @cached_property
    def notes_by_stem(self) -> dict[str, list[str]]:
        return _group(path for path in self.files if path.endswith(NOTE_SUFFIX))

    @cached_property
    def files_by_name(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for path in self.files:
            found.setdefault(fold(posixpath.basename(path)), []).append(path)
        return found

    @cached_property
    def notes_by_loose_stem(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for path in self.files:
            if path.endswith(NOTE_SUFFIX):
                found.setdefault(loose(stem(path)), []).append(path)
        return found

    @cached_property
    def files_by_loose_name(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for path in self.files:
            found.setdefault(loose(posixpath.basename(path)), []).append(path)
        return found

    @cached_property
    def files_by_loose_path(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for path in self.files:
            found.setdefault(loose(path), []).append(path)
        return found

    @cached_property
    def notes_by_alias(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for path, facts in self.facts.items():
            for alias in facts.aliases:
                found.setdefault(fold(alias), []).append(path)
        return found

    def exists(self, relative: str) -> bool:
        return relative in self.files or relative in self.folders

    def in_path_order(self) -> list[str]:
        """The checked notes in path order (sorted once: every rule walks them)."""
        ordered: list[str] | None = self.memo.get("in_path_order")
        if ordered is None:
            ordered = self.memo["in_path_order"] = sorted(self.facts, key=path_order)
        return ordered


@dataclass(frozen=True, slots=True)
class VaultDiagnostic:
    """A vault rule's diagnostic: the note it stands in, and the notes its link leads to (a link
    finding is also reported when one of those was checked). Its span and its fix's edits are
    in code points of the note's text, as the facts are; `graph/phase.py` turns them to bytes."""

    path: str
    diagnostic: Diagnostic
    links_to: tuple[str, ...] = ()


def _group(paths: Iterator[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        found.setdefault(fold(stem(path)), []).append(path)
    return found


def list_vault(root: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(files, folders) under the root, relative posix paths; dot-entries and symlinked folders
    are not walked (a link out of the vault must not make the index read elsewhere)."""
    files: list[str] = []
    folders: list[str] = []
    for relative, is_folder in vault_entries(root):
        (folders if is_folder else files).append(relative)
    return frozenset(files), frozenset(folders)


def vault_entries(
    root: Path, descend: Callable[[str], bool] = lambda _: True
) -> Iterator[tuple[str, bool]]:
    """(relative posix path, is a folder) of every entry under the root that `list_vault`
    lists, walking only into the folders `descend` accepts (by relative path)."""
    stack = [("", os.fspath(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            yield relative, is_folder
            if is_folder and descend(relative):
                stack.append((relative + "/", entry.path))
