"""The note is not UTF-8 text: invalid bytes, a UTF-16 or UTF-32 file, or NUL bytes.

Why: Obsidian reads notes as UTF-8; a note saved in another encoding shows garbage or nothing,
and no other rule can read it.

Example: `caf\\xe9` (one letter saved as a Latin-1 byte): `encoding: invalid UTF-8: byte 0xE9
cannot be decoded`. Fix: re-save the note as UTF-8 in your editor.

Reported at the first undecodable byte. No fix: guessing the encoding of part of a note is unsafe.
"""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.diagnostic import Diagnostic, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, RuleContext

ID = "encoding"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.NEVER
SUMMARY = "the note is not UTF-8 text (invalid bytes, UTF-16/32, binary)"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    problem = note.decode_problem
    if problem is not None:
        end = min(problem.offset + 1, len(note.raw))
        yield Diagnostic(ID, problem.message, problem.offset, end, DEFAULT_SEVERITY)
