"""Text that is not in Unicode NFC: `é` stored as `e` followed by a combining accent.

Why: macOS (and some sync tools) may save a note in the decomposed form, NFD. It looks the same,
but it is other characters: the key `difficulté` in NFD is not the schema's `difficulté`, a tag
`#cuisine/thaï` in NFD is not the vocabulary's, a heading `## Étapes` is not the section, and
links and searches on Linux and GitHub miss it. Obsidian and the schema write NFC.

When a note is not in NFC, vaultlint reports it once, at the first line that differs, and checks
the rest of the note as normalized, so that nothing else is reported because of the form.

Example: a note saved by macOS in NFD: `the note is not in Unicode NFC: 14 lines are decomposed
(NFD, as macOS may save a note), e.g. 'thaï'`. Fix (safe): write the whole note in NFC (canonically
equivalent text); the BOM and the line endings are kept.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, RuleContext

ID = "unicode-normalization"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.ALWAYS
SUMMARY = "the note is not in Unicode NFC (macOS may save it decomposed, NFD)"

_EXAMPLE_WIDTH = 30  # characters of context around the first difference


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    text = note.text
    if text is None or text.isascii() or unicodedata.is_normalized("NFC", text):
        return
    normalized = unicodedata.normalize("NFC", text)
    old_lines, new_lines = text.split("\n"), normalized.split("\n")
    changed = [
        i for i, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)) if old != new
    ]
    line = changed[0] + 1
    count = len(changed)
    lines = f"{count} lines are" if count != 1 else "1 line is"
    message = (
        f"the note is not in Unicode NFC: {lines} decomposed (NFD, as macOS may save a note), "
        f"e.g. {_example(old_lines[changed[0]])!r}"
    )
    edit = Edit(note.bom_length, len(note.raw), normalized.encode("utf-8"))
    fix = Fix("normalize the note to NFC", (edit,), Applicability.SAFE, whole_note=True)
    start, end = note.lines.line_start(line), note.lines.line_end(line)
    yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


def normalized(note: Note) -> Note:
    """The note in NFC, with its BOM and line endings (NFC never changes a line ending)."""
    assert note.text is not None
    text = unicodedata.normalize("NFC", note.text)
    return Note(note.path, note.raw[: note.bom_length] + text.encode("utf-8"))


def _example(line: str) -> str:
    """The first word of the line that normalization changes (what the user will recognise)."""
    for word in line.split():
        if not unicodedata.is_normalized("NFC", word):
            return unicodedata.normalize("NFC", word)[:_EXAMPLE_WIDTH]
    return unicodedata.normalize("NFC", line.strip())[:_EXAMPLE_WIDTH]
