"""The rules over the whole vault (links, duplicates) for an editor's buffer or stdin.

The vault index is built as `check` builds it (`graph/phase.py`: every note's facts, from the
facts cache where it can), with the buffer standing in for its file on disk: its facts are taken
from the buffer (so a note is never its own duplicate, and a link just typed is resolved), and
its findings are placed in the buffer's bytes. `dependents` says which notes to publish again
after an edit: the notes whose links lead to the edited one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vaultlint.diagnostic import Diagnostic
from vaultlint.graph.gather import FactsLookup
from vaultlint.note import Note
from vaultlint.runner import Runner, Target


def vault_diagnostics(
    runner: Runner, target: Target, note: Note, memory: FactsLookup | None = None
) -> Sequence[Diagnostic]:
    """The vault rules' findings for `note` (the buffer of `target`), positioned in `note`.
    `memory`: the other notes' facts kept between calls (a language server's session), so
    that a keystroke reads only the notes changed on disk since, not the whole vault."""
    from vaultlint.graph.facts import extract
    from vaultlint.graph.phase import vault_diagnostics as phase_two
    from vaultlint.graph.phase import wants_facts

    if not wants_facts(runner, target):
        return ()
    schema = runner.schema_for(target)
    facts = extract(note, schema.extension if schema is not None else None)
    known = {(target.settings.root, target.relative): facts}
    buffers = {target.display: note.raw}
    for placed in phase_two(runner, [target], known, (), buffers, store=memory):
        if placed.target.display == target.display:
            return tuple(placed.diagnostics)
    return ()


def dependents(runner: Runner, target: Target, memory: FactsLookup | None = None) -> Sequence[Path]:
    """The notes whose vault findings may change when `target` changes: those linking to it."""
    from vaultlint.graph.phase import linking_to

    return linking_to(runner, target, memory)
