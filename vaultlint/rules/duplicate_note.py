"""Two notes that are one: the same key field value, or a sync-conflict copy.

Why: a recipe saved twice drifts in two directions; a sync client that met two edits keeps both
as `Tarte tatin 1.md` or `Tarte tatin.sync-conflict-20240101-120000-ABCDEFG.md`.

- Key fields: the schema's `x-vaultlint.duplicates.keys` (for recipes `url`). URLs are compared
  without the query parameters listed in `tracking_parameters` (`utm_*`, `igsh`, `si`,
  `fbclid`...), without a trailing slash, http and https alike, the host in lower case; every other
  parameter counts (`watch?v=…` names the video). Other values: without case.
- Sync-conflict copies: `X 1.md` (any number), `X.sync-conflict-….md` or `X (conflicted
  copy ….md` beside `X.md` with the same frontmatter. `X 2.md` with other data is another note
  that shares a title, even with the same key value (a blog's URL names the title): not
  reported.

Reported on the copy, or on the later note in path order (folder by folder, names compared
without `.md`: `X.md` before `X 1.md`), naming the other. Example:
`same url as "Recettes/Tarte tatin.md": https://www.instagram.com/reel/Cxyz/?igsh=…`.
No fix: which copy to keep, and what to merge, is the author's choice.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.graph.index import NOTE_SUFFIX, VaultDiagnostic, VaultIndex
from vaultlint.rules.base import Fixability, nothing

ID = "duplicate-note"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.NEVER
SUMMARY = "two notes with the same key field (url), or a sync-conflict copy"

_COPY_NAMES = (
    re.compile(r"(?P<base>.+) \d+"),
    re.compile(r"(?P<base>.+)\.sync-conflict-\d{8}-\d{6}(?:-[A-Z0-9]+)?"),
    re.compile(r"(?P<base>.+) \([^()]*conflicted copy[^()]*\)"),
)


check = nothing  # a vault rule: see check_vault


def check_vault(index: VaultIndex) -> Iterator[VaultDiagnostic]:
    reported: set[str] = set()
    for path in index.in_path_order():
        original = conflict_original(index, path)
        if original is not None:
            reported.add(path)
            message = f'a sync-conflict copy of "{original}" (the same frontmatter)'
            diagnostic = Diagnostic(ID, message, 0, 0, DEFAULT_SEVERITY)
            yield VaultDiagnostic(path, diagnostic)
    first_with: dict[tuple[str, str], str] = {}
    for path in index.in_path_order():
        for key in index.facts[path].keys:
            first = first_with.setdefault((key.field, key.comparable), path)
            if first != path and path not in reported and not _variants(index, first, path):
                reported.add(path)
                message = f'same {key.field} as "{first}": {key.value}'
                diagnostic = Diagnostic(ID, message, key.start, key.end, DEFAULT_SEVERITY)
                yield VaultDiagnostic(path, diagnostic)


def _variants(index: VaultIndex, first: str, later: str) -> bool:
    """`X.md` and `X 2.md` with different frontmatter: two recipes the author keeps under one
    title (a blog's URL often names the title, so they share it), not one note twice."""
    if index.facts[first].frontmatter_digest == index.facts[later].frontmatter_digest:
        return False
    return _title(first) == _title(later)


def _title(path: str) -> str:
    name = posixpath.basename(path).removesuffix(NOTE_SUFFIX)
    return _NUMBERED.sub("", name).casefold()


_NUMBERED = re.compile(r" \d+$")


def conflict_original(index: VaultIndex, path: str) -> str | None:
    """The note `path` is a sync-conflict copy of: named after it, beside it, same frontmatter."""
    folder, name = posixpath.split(path)
    if not name.endswith(NOTE_SUFFIX):
        return None
    digest = index.facts[path].frontmatter_digest
    for pattern in _COPY_NAMES:
        match = pattern.fullmatch(name[: -len(NOTE_SUFFIX)])
        if match is None:
            continue
        original = posixpath.join(folder, match.group("base") + NOTE_SUFFIX)
        facts = index.facts.get(original)
        if facts is not None and digest and facts.frontmatter_digest == digest:
            return original
    return None
