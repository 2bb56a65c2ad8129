"""vaultlint's diagnostics and edits -> the LSP's types (lsprotocol)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence

from lsprotocol import types

from vaultlint.diagnostic import Applicability, Edit, Severity
from vaultlint.docs import rule_url
from vaultlint.note import Note
from vaultlint.server.positions import Positions, utf16_units
from vaultlint.server.session import Placed

SOURCE = "vaultlint"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
}
Units = Callable[[str], int]


def lsp_range(positions: Positions, start: int, end: int) -> types.Range:
    (start_line, start_character), (end_line, end_character) = (
        positions.at(start),
        positions.at(end),
    )
    return types.Range(
        start=types.Position(line=start_line, character=start_character),
        end=types.Position(line=end_line, character=end_character),
    )


def lsp_diagnostic(placed: Placed, units: Units = utf16_units) -> types.Diagnostic:
    diagnostic = placed.diagnostic
    fix = diagnostic.fix if placed.fixable else None
    return types.Diagnostic(
        range=lsp_range(Positions(placed.note, units), diagnostic.start, diagnostic.end),
        message=diagnostic.message,
        severity=_SEVERITIES[diagnostic.severity],
        code=diagnostic.rule,
        code_description=types.CodeDescription(href=rule_url(diagnostic.rule)),
        source=SOURCE,
        # Which fix the diagnostic has, so that a client can tell without asking.
        data={"fix": fix.applicability.name.lower()} if fix is not None else None,
    )


def text_edits(
    note: Note, edits: Sequence[Edit], units: Units = utf16_units
) -> list[types.TextEdit]:
    """A fix's byte edits as LSP text edits, all positioned in `note` (the LSP applies them as
    one change: the positions all refer to the document before it)."""
    positions = Positions(note, units)
    return [
        types.TextEdit(
            range=lsp_range(positions, edit.start, edit.end),
            new_text=edit.replacement.decode("utf-8", "surrogatepass"),
        )
        for edit in edits
    ]


def replacement_edits(note: Note, new: bytes, units: Units = utf16_units) -> list[types.TextEdit]:
    """The edits that turn `note` into `new`: one per run of changed lines, so that the
    editor's cursor and folds stay where they were outside them."""
    if new == note.raw:
        return []
    old_lines = note.raw.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Edit(starts[i1], starts[i2], b"".join(new_lines[j1:j2])))
    return text_edits(note, edits, units)


def fix_label(applicability: Applicability) -> str:
    return " (unsafe)" if applicability is Applicability.UNSAFE else ""
