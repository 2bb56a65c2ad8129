"""The vault rules of names: what a note's path alone tells (see `rules/file_name.py` for what
is checked and why).

A finding here depends on the note's path, whether it can be read (it has facts), and the
vault's files whose path is the note's own but for case, never on another note's content
(`rule_ids.NAME_RULE_IDS`): a check of a few notes runs these on the given notes alone, with
those files only (`files_named_like`). The checks live here, not in `rules/`, so that phase 2
runs them without importing every rule (issue #17).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.graph.index import (
    NOTE_SUFFIX,
    VaultDiagnostic,
    VaultIndex,
    path_order,
    vault_entries,
)

FILE_NAME = "file-name"
FILE_NAME_SEVERITY = Severity.WARNING

_WINDOWS = ':?*<>|"'
_OBSIDIAN = "#^[]|"
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{kind}{n}" for kind in ("COM", "LPT") for n in range(1, 10)}
)


def check_file_names(index: VaultIndex) -> Iterator[VaultDiagnostic]:
    by_case: dict[str, list[str]] = {}
    for path in index.files:
        by_case.setdefault(path.casefold(), []).append(path)
    for path in index.in_path_order():
        problems = name_problems(path)
        same = sorted((p for p in by_case[path.casefold()] if p != path), key=path_order)
        if same and path_order(same[0]) < path_order(path):
            problems.append(
                f'differs only by case from "{same[0]}" (one file on macOS and Windows)'
            )
        if problems:
            message = "the name " + "; ".join(problems)
            yield VaultDiagnostic(path, Diagnostic(FILE_NAME, message, 0, 0, FILE_NAME_SEVERITY))


# Anything any of the checks below could find: most names have none, and are passed at once.
_SUSPECT = re.compile(
    r'[:?*<>|"\x00-\x1f#^\[\]]|[. ](?:/|$)|(?:^|/)(?:CON|PRN|AUX|NUL|COM\d|LPT\d)(?:[. /]|$)',
    re.IGNORECASE,
)


def name_problems(path: str) -> list[str]:
    if _SUSPECT.search(path.removesuffix(NOTE_SUFFIX)) is None:
        return []
    problems: list[str] = []
    parts = path.split("/")
    for part in parts:
        bad = sorted({c for c in part if c in _WINDOWS or ord(c) < 32})
        if bad:
            shown = " ".join(f'"{c}"' if ord(c) >= 32 else f"U+{ord(c):04X}" for c in bad)
            problems.append(f"{_where(part, parts)}has {shown}, which Windows does not allow")
        if part.endswith((".", " ")):
            problems.append(f"{_where(part, parts)}ends with a dot or a space (Windows drops it)")
        if part.split(".")[0].strip().upper() in _RESERVED:
            problems.append(f"{_where(part, parts)}is a name Windows reserves")
    note_name = parts[-1].removesuffix(NOTE_SUFFIX)
    bad_link = sorted({c for c in note_name if c in _OBSIDIAN})
    if bad_link:
        shown = " ".join(f'"{c}"' for c in bad_link)
        problems.append(f"has {shown}, which an Obsidian link cannot hold")
    return problems


def _where(part: str, parts: list[str]) -> str:
    return "" if part is parts[-1] else f'of the folder "{part}" '


# The rules of names by ID, each with its check of the vault index.
NAME_RULES: dict[str, Callable[[VaultIndex], Iterator[VaultDiagnostic]]] = {
    FILE_NAME: check_file_names
}


def files_named_like(root: Path, relatives: Iterable[str]) -> frozenset[str]:
    """The files `index.list_vault` lists whose path is one of `relatives` but for case: all
    that the rules of names read of the vault's files. Only the folders on the way to them
    (in any case) are listed, as `list_vault` lists them: dot-entries and symlinked folders are
    not walked."""
    wanted = {relative.casefold() for relative in relatives}  # casefold maps each character
    on_the_way = {path.rsplit("/", depth)[0] for path in wanted for depth in _depths(path)}
    return frozenset(
        relative
        for relative, is_folder in vault_entries(
            root, lambda folder: folder.casefold() in on_the_way
        )
        if not is_folder and relative.casefold() in wanted
    )


def _depths(path: str) -> range:
    """How many trailing parts to cut to get each folder of `path` (`a/b/c.md`: 1 and 2)."""
    return range(1, path.count("/") + 1)
