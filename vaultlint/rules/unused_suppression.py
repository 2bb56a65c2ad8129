"""A suppression comment that suppresses nothing.

Why: a `<!-- vaultlint-disable-next-line tag-count -->` left behind after the problem was fixed
hides the next problem of that kind that appears there, without anyone deciding so. Like ruff's
RUF100, vaultlint reports suppressions that no longer match a problem (only when every rule they
name is running, so that `--select` does not make them look unused).

Example: `<!-- vaultlint-disable-next-line heading-order -->` above a heading in its place:
`unused suppression of heading-order`. Fix (safe): remove the comment (its line too, when the
comment stands alone on it). Reported at the comment. The engine runs this rule last.
"""

from __future__ import annotations

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, nothing
from vaultlint.suppression import KEY, Suppression

ID = "unused-suppression"
DEFAULT_SEVERITY = Severity.WARNING
FIX = Fixability.SOMETIMES
SUMMARY = "a suppression comment that suppresses nothing"


check = nothing  # see `unused_among`: only the engine knows what was suppressed


def unused_among(
    note: Note, found: list[Suppression], used: set[int], enabled: tuple[str, ...]
) -> list[Diagnostic]:
    """The suppressions of `found` that hid nothing (`used`: the indexes of those that did),
    among those whose rules all run: `--select` must not make a suppression look unused. A
    suppression naming only vault rules is left to phase 2 (`graph/phase.py`), which applies it.
    The engine calls this once it knows what was suppressed."""
    from vaultlint.rules import RULES, VAULT_RULES

    everything = set(enabled) >= set(RULES) - {ID}
    reported = []
    for index, suppression in enumerate(found):
        if index in used:
            continue
        named = suppression.rules or frozenset()
        if named and named <= VAULT_RULES.keys():
            continue
        unknown = frozenset(rule for rule in named if rule not in RULES)
        running = all(rule in enabled for rule in named - unknown)
        if (suppression.rules is None and everything) or (named and running):
            reported.append(unused(note, suppression, unknown))
    return reported


def unused(note: Note, suppression: Suppression, unknown: frozenset[str]) -> Diagnostic:
    names = ", ".join(sorted(suppression.rules)) if suppression.rules else "every rule"
    message = f"unused suppression of {names}"
    if unknown:
        message += f" (unknown rule{'s' if len(unknown) > 1 else ''}: {', '.join(sorted(unknown))})"
    return Diagnostic(
        ID,
        message,
        suppression.start,
        suppression.end,
        DEFAULT_SEVERITY,
        _removal(note, suppression),
    )


def _removal(note: Note, suppression: Suppression) -> Fix | None:
    raw, lines = note.raw, note.lines
    line_start, line_end = lines.line_start(suppression.line), lines.line_end(suppression.line)
    if raw[suppression.start : suppression.start + len(KEY)] == KEY.encode():
        return None  # a frontmatter key: removing list items is the author's call
    before = raw[line_start : suppression.start]
    after = raw[suppression.end : line_end]
    in_frontmatter = suppression.line < note.body_first_line
    if not before.strip() and not after.strip() and not in_frontmatter:
        next_start = line_end + (2 if raw[line_end : line_end + 2] == b"\r\n" else 1)
        edit = Edit(line_start, min(next_start, len(raw)), b"")
    else:
        start = suppression.start - (len(before) - len(before.rstrip(b" \t")))
        edit = Edit(start, suppression.end, b"")
    body_lines = frozenset() if in_frontmatter else frozenset({suppression.line})
    return Fix(
        "remove the unused suppression", (edit,), Applicability.SAFE, changes_body_lines=body_lines
    )
