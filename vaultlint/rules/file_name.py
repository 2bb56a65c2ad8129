"""A note name that Windows cannot check out, that Obsidian cannot link to, or that differs from
another only by case.

Why: a vault kept in git is cloned on other systems. Windows refuses `: ? * < > | "` in names,
a name ending in a dot or a space, and reserved names (`CON`, `PRN`, `AUX`, `NUL`, `COM1`…
`LPT9`); the clone fails or leaves the note out. Obsidian cannot link to a name holding
`# ^ [ ] |` (they mean heading, block, link and alias in a wikilink). Two names that differ only
by case are one file on macOS and Windows: one overwrites the other.

Every folder of the note's path is checked too. Example: `Recettes/Quiche: la vraie.md`:
`the name has ":", which Windows does not allow in a file name`. Reported at line 1. No fix:
renaming breaks the links to the note, and the new name is the author's choice.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.graph import names
from vaultlint.graph.index import VaultDiagnostic, VaultIndex
from vaultlint.rules.base import Fixability, nothing

ID = names.FILE_NAME
DEFAULT_SEVERITY = names.FILE_NAME_SEVERITY
FIX = Fixability.NEVER
SUMMARY = "a name Windows cannot check out, Obsidian cannot link to, or that differs only by case"


check = nothing  # a vault rule: see check_vault


def check_vault(index: VaultIndex) -> Iterator[VaultDiagnostic]:
    return names.check_file_names(index)  # in graph/names.py: phase 2 runs it without the rules
