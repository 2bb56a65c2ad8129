"""The vault rules' fixes (link rewrites): edits in the linking note, like any other fix.

They are applied after the per-note fixes have been written, from an index rebuilt then, so
that their byte offsets are those of the notes on disk. Per note: the allowed fixes that do not
overlap, applied from the end, then the fixer's verification (the frontmatter's data and every
body line but the links' own are unchanged) before anything is written.
"""

from __future__ import annotations

import dataclasses

from vaultlint.diagnostic import Applicability, Diagnostic, Fix
from vaultlint.fixer import FixOutcome, apply_edits, verify
from vaultlint.graph.phase import NoteDiagnostics
from vaultlint.note import Note


def link_fixes(placed: NoteDiagnostics, minimum: Applicability) -> FixOutcome | None:
    """The note with its vault fixes applied and verified (None: no fix at `minimum`).

    Raises `fixer.FixVerificationError` when the result does not read back as declared.
    """
    from vaultlint.engine import LintResult

    note = placed.note
    chosen: list[tuple[str, Fix]] = []
    taken_end = -1
    for diagnostic in sorted(placed.diagnostics, key=lambda d: d.start):
        fix = _declared(note, diagnostic)
        if fix is None or fix.applicability < minimum:
            continue
        if min(edit.start for edit in fix.edits) <= taken_end:
            continue  # overlaps a fix taken: the next run takes it
        taken_end = max(edit.end for edit in fix.edits)
        chosen.append((diagnostic.rule, fix))
    if not chosen:
        return None
    fixed = Note(note.path, apply_edits(note.raw, [e for _, fix in chosen for e in fix.edits]))
    verify(note, fixed, [fix for _, fix in chosen])
    return FixOutcome(note.raw, fixed.raw, tuple(chosen), LintResult(fixed, ()))


def _declared(note: Note, diagnostic: Diagnostic) -> Fix | None:
    """The fix with the body lines its edits change declared (what `verify` allows)."""
    fix = diagnostic.fix
    if fix is None or not fix.edits:
        return None
    lines = frozenset(note.lines.line_of(edit.start) for edit in fix.edits)
    return dataclasses.replace(fix, changes_body_lines=lines)
