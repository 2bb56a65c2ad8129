"""Phase 2's diagnostics placed in their notes: read again (only the notes with one), their
code-point spans turned to bytes, the note's suppression comments applied, bounded per rule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from vaultlint.graph.index import VaultDiagnostic

if TYPE_CHECKING:
    from vaultlint.diagnostic import Diagnostic
    from vaultlint.note import Note
    from vaultlint.runner import Target


@dataclass
class Placed:
    """Every vault diagnostic of one note, in bytes of the note as read now, with the notes
    each one's link leads to."""

    target: Target
    note: Note
    diagnostics: list[Diagnostic]
    links_to: list[tuple[str, ...]]


def placed_in_note(
    target: Target, diagnostics: list[VaultDiagnostic], raw: bytes | None = None
) -> Placed | None:
    """The diagnostics in their note, less what its suppression comments cover; `raw`: the
    note's bytes when they are not the file's (an editor's buffer, stdin)."""
    from vaultlint.note import Note
    from vaultlint.reading import NoteReadError, read_note
    from vaultlint.suppression import suppressions

    try:
        if raw is None:
            raw = read_note(target.path, target.settings.root)
        note = Note(target.display, raw)
    except NoteReadError:
        return None  # gone or unreadable since phase 1: phase 1 reports it
    text = note.text
    if text is None or any(d.diagnostic.end > len(text) for d in diagnostics):
        return None  # the note changed since its facts were taken: the next run sees it
    found = suppressions(note)
    kept: list[Diagnostic] = []
    links_to: list[tuple[str, ...]] = []
    for placed in _bounded(diagnostics):
        diagnostic = _in_bytes(note, placed.diagnostic)
        line = note.lines.line_of(diagnostic.start)
        if not any(s.covers(diagnostic.rule, line) for s in found):
            kept.append(diagnostic)
            links_to.append(placed.links_to)
    return Placed(target, note, kept, links_to) if kept else None


def _bounded(diagnostics: list[VaultDiagnostic]) -> list[VaultDiagnostic]:
    """At most `findings.MAX_PER_RULE` diagnostics of a rule in a note, then one that counts the
    rest, as for the per-note rules: a hostile page of a million dead links must not fill the
    memory or the report."""
    from vaultlint.findings import MAX_PER_RULE

    by_rule: dict[str, int] = {}
    kept: list[VaultDiagnostic] = []
    for placed in diagnostics:
        rule = placed.diagnostic.rule
        by_rule[rule] = by_rule.get(rule, 0) + 1
        if by_rule[rule] <= MAX_PER_RULE:
            kept.append(placed)
    for rule, count in by_rule.items():
        if count > MAX_PER_RULE:
            last = next(p for p in reversed(kept) if p.diagnostic.rule == rule).diagnostic
            message = f"and {count - MAX_PER_RULE:,} more {rule} problems in this note (not listed)"
            summary = replace(last, message=message, fix=None)
            kept.append(VaultDiagnostic(kept[0].path, summary))
    return kept


def _in_bytes(note: Note, diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic with its span and edits in bytes of the note (from code points)."""
    from vaultlint.diagnostic import Edit

    to_byte = note.char_to_byte
    fix = diagnostic.fix
    if fix is not None:
        edits = tuple(Edit(to_byte(e.start), to_byte(e.end), e.replacement) for e in fix.edits)
        fix = replace(fix, edits=edits)
    return replace(
        diagnostic, start=to_byte(diagnostic.start), end=to_byte(diagnostic.end), fix=fix
    )
