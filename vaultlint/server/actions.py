"""Code actions and formatting for a buffer: quick fixes, "fix all safe problems", format.

Every fix is offered as a quick fix on its diagnostic: the safe ones preferred, the unsafe ones
labelled "(unsafe)" (ruff's model: they change what YAML reads beyond the named value). The
source action `source.fixAll.vaultlint` runs the fixer (`fixer.fix_note`) over the buffer, as
`vaultlint fix` would, and returns the edits; nothing is written to disk.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from vaultlint.diagnostic import Applicability
from vaultlint.server.convert import (
    Units,
    fix_label,
    lsp_diagnostic,
    replacement_edits,
    text_edits,
)
from vaultlint.server.positions import utf16_units
from vaultlint.server.session import BufferLint, Session

FIX_ALL_KIND = "source.fixAll.vaultlint"
FIX_ALL_TITLE = "vaultlint: fix all safe problems"


def code_actions(
    session: Session,
    lint: BufferLint,
    uri: str,
    wanted: types.Range,
    *,
    only: Sequence[str] | None = None,
    units: Units = utf16_units,
) -> list[types.CodeAction]:
    actions: list[types.CodeAction] = []
    if _wants(only, types.CodeActionKind.QuickFix):
        actions += _quick_fixes(lint, uri, wanted, units)
    if _wants(only, FIX_ALL_KIND):
        fix_all = _fix_all(session, lint, uri, units)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def _wants(only: Sequence[str] | None, kind: str) -> bool:
    """The LSP's `only` filter: a kind matches itself and its parents (`source` matches
    `source.fixAll.vaultlint`)."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _quick_fixes(
    lint: BufferLint, uri: str, wanted: types.Range, units: Units
) -> list[types.CodeAction]:
    actions = []
    for placed in lint.placed:
        fix = placed.diagnostic.fix
        if not placed.fixable or fix is None or fix.applicability < Applicability.UNSAFE:
            continue
        diagnostic = lsp_diagnostic(placed, units)
        if not _overlaps(diagnostic.range, wanted):
            continue
        safe = fix.applicability is Applicability.SAFE
        actions.append(
            types.CodeAction(
                # The rule's fix title names no rule ("rename it Ingredients"): a menu of
                # several tools' actions needs the tool and the rule, as ruff's server gives.
                title=f"vaultlint ({placed.diagnostic.rule}): {fix.title}"
                + fix_label(fix.applicability),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                is_preferred=safe,
                edit=types.WorkspaceEdit(changes={uri: text_edits(placed.note, fix.edits, units)}),
            )
        )
    return actions


def _fix_all(session: Session, lint: BufferLint, uri: str, units: Units) -> types.CodeAction | None:
    if not any(p.fixable and p.diagnostic.fix_available(Applicability.SAFE) for p in lint.placed):
        return None
    edits = replacement_edits(lint.note, session.fix_all(lint), units)
    if not edits:
        return None
    return types.CodeAction(
        title=FIX_ALL_TITLE,
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges touch (a cursor, an empty range, on a diagnostic's edge counts)."""

    def key(position: types.Position) -> tuple[int, int]:
        return position.line, position.character

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)
