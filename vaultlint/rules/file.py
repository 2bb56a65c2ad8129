"""A path that cannot be read as a note.

Why: a broken symlink, a folder or device named `*.md`, a FIFO or a file you may not read cannot
be checked; vaultlint says so and goes on with the other notes instead of stopping the run.

Example: `Recettes/Ancienne.md -> ../archive/Ancienne.md` whose target was deleted:
`file: cannot read the note: broken symbolic link`. Fix: restore or delete the link.

Reported when reading fails (`unreadable`, called by the runner), at line 1. No fix.
"""

from __future__ import annotations

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.rules.base import Fixability, nothing

ID = "file"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "the path cannot be read as a note (broken link, not a regular file, unreadable)"


check = nothing  # a note that exists was read; reading failures never reach the rules


def problem(message: str) -> Diagnostic:
    return Diagnostic(ID, message, 0, 0, DEFAULT_SEVERITY)


def unreadable(message: str, too_large: int | None = None) -> Diagnostic:
    """The diagnostic for a path that could not be read as a note (`reading.NoteReadError`):
    this rule's, or `limit`'s when the note is over the size limit."""
    if too_large is not None:
        from vaultlint.rules import limit

        return limit.too_large(too_large)
    return problem(message)
