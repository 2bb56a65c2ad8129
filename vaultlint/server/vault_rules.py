"""The seam for the rules over the whole vault (links, duplicates), which need the vault index.

The index is being built (the graph issue); when it lands, `vault_diagnostics` returns the vault
rules' findings for the open buffer, with the buffer standing in for its file on disk (a note is
never its own duplicate), and `dependents` the open notes to publish again after an edit (those
that link to the edited note). Until then both are empty, and the server publishes the per-note
rules only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vaultlint.diagnostic import Diagnostic
from vaultlint.note import Note
from vaultlint.runner import Target


def vault_diagnostics(target: Target, note: Note) -> Sequence[Diagnostic]:
    """The vault rules' findings for `note` (the buffer of `target`), positioned in `note`."""
    del target, note  # used once the index exists
    return ()


def dependents(path: Path) -> Sequence[Path]:
    """The notes whose vault findings may change when `path` changes (they link to it)."""
    del path
    return ()
