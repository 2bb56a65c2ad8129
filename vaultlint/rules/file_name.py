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

import re
from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.graph.index import NOTE_SUFFIX, VaultDiagnostic, VaultIndex, path_order
from vaultlint.rules.base import Fixability, nothing

ID = "file-name"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.NEVER
SUMMARY = "a name Windows cannot check out, Obsidian cannot link to, or that differs only by case"

_WINDOWS = ':?*<>|"'
_OBSIDIAN = "#^[]|"
_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{kind}{n}" for kind in ("COM", "LPT") for n in range(1, 10)}
)


check = nothing  # a vault rule: see check_vault


def check_vault(index: VaultIndex) -> Iterator[VaultDiagnostic]:
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
            yield VaultDiagnostic(path, Diagnostic(ID, message, 0, 0, DEFAULT_SEVERITY))


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
