"""A note that a schema covers has no frontmatter.

Why: without a `---` block on line 1, Obsidian sees no properties, and none of the note's
fields can be checked. A `---` block further down is not frontmatter.

Example: a note starting with `# Tarte tatin`: `frontmatter-missing: no frontmatter: the note
does not start with a '---' line`. Fix: add the properties block at the top.

Reported at line 1. No fix.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import FENCE, Note
from vaultlint.rules.base import Fixability, RuleContext

ID = "frontmatter-missing"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "the note has no frontmatter block on line 1"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    text = note.text
    if text is None or note.block is not None or ctx.schema is None:
        return
    first_line_end = note.lines.line_end(1)
    if not text.strip():
        message = (
            "the note is empty: it has no frontmatter"
            if not text
            else ("the note holds only blank space: it has no frontmatter")
        )
    else:
        message = "no frontmatter: the note does not start with a '---' line"
        later = _later_fence_line(text)
        if later is not None:
            message += f" (the '---' on line {later} is not on line 1, so it is not frontmatter)"
    yield Diagnostic(ID, message, note.bom_length, first_line_end, DEFAULT_SEVERITY)


def _later_fence_line(text: str) -> int | None:
    for number, line in enumerate(text.split("\n")[:20], start=1):
        if line.rstrip(" \t\r") == FENCE:
            return number
    return None
