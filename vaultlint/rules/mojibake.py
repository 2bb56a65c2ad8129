"""Text that is UTF-8 decoded with the wrong code page: `am√©ricaine` for `américaine`.

Why: a note once opened as Mac Roman or Windows-1252 and saved again as UTF-8 turns every accent
and emoji into garbage, and breaks every field and tag that holds one (`cuisine: am√©ricaine`).

When the whole note re-decodes exactly (every code page that applies agrees, and the result is
clearly better), vaultlint reports it once, with how many sequences are broken and one example,
and checks the rest of the note as repaired, so that you see the cause and only the problems
that remain. Reported at the first broken line.

Fix (safe): re-decode the whole note; the BOM and line endings are kept. A note that mixes
broken and proper text gets no fix: re-decoding fragments is unsafe (`l’été` would turn into
garbage), and text that is already right (`√2`, `SÃO PAULO`, curly quotes) is never touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultlint.diagnostic import Applicability, Diagnostic, Edit, Fix, Severity
from vaultlint.note import Note
from vaultlint.rules.base import Fixability, RuleContext

ID = "mojibake"
DEFAULT_SEVERITY = Severity.ERROR
FIX = Fixability.SOMETIMES
SUMMARY = "text is UTF-8 decoded with the wrong code page (Mac Roman, Windows-1252, Latin-1)"


def check(note: Note, ctx: RuleContext) -> Iterator[Diagnostic]:
    text = note.text
    if text is None or text.isascii() or _LEAD_THEN_CONTINUATION.search(text) is None:
        return  # no UTF-8 lead byte shown as a character, then a continuation: not mojibake
    from vaultlint import mojibake  # only here: an import statement costs a microsecond

    repair = mojibake.repair_whole(text)
    if repair is not None:
        yield _whole_note(note, text, repair)
        return
    line_index = mojibake.first_broken_line(text)
    if line_index is not None:
        line = line_index + 1
        start, end = note.lines.line_start(line), note.lines.line_end(line)
        message = (
            "this line looks like UTF-8 decoded with the wrong code page; the note mixes "
            "broken and proper text, so it cannot be repaired automatically"
        )
        yield Diagnostic(ID, message, start, end, DEFAULT_SEVERITY)


def _shown(first: int, last: int) -> str:
    """How the bytes `first`..`last` look once decoded with each code page mojibake comes from
    (Latin-1 covers the five bytes Windows-1252 leaves undefined)."""
    data = bytes(range(first, last + 1))
    return (
        data.decode("mac_roman") + data.decode("cp1252", errors="ignore") + data.decode("latin-1")
    )


# Every whole-note repair and every broken line holds a UTF-8 lead byte (C2-F4) then a
# continuation byte (80-BF), as one of these code pages shows them: a note without such a pair
# skips both searches (a wider pattern than `mojibake`'s own, so it never hides a finding).
_LEAD_THEN_CONTINUATION = re.compile(
    "[" + re.escape(_shown(0xC2, 0xF4)) + "][" + re.escape(_shown(0x80, 0xBF)) + "]"
)


def _whole_note(note: Note, text: str, repair: object) -> Diagnostic:
    from vaultlint.mojibake import Repair

    assert isinstance(repair, Repair)
    line = _first_changed_line(text, repair.text)
    broken, fixed = repair.example
    plural = "s" if repair.sequences != 1 else ""
    codecs = " then ".join(_codec_names.get(c, c) for c in repair.codecs)
    message = (
        f"the note is UTF-8 text that was decoded as {codecs}: {repair.sequences} broken "
        f"sequence{plural}, e.g. {broken!r} for {fixed!r}"
    )
    edit = Edit(note.bom_length, len(note.raw), repair.text.encode("utf-8"))
    fix = Fix(f"re-decode the note from {codecs}", (edit,), Applicability.SAFE, whole_note=True)
    start, end = note.lines.line_start(line), note.lines.line_end(line)
    return Diagnostic(ID, message, start, end, DEFAULT_SEVERITY, fix)


_codec_names = {
    "mac_roman": "Mac Roman",
    "sloppy-windows-1252": "Windows-1252",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
    "latin_1": "Latin-1",
}


def _first_changed_line(before: str, after: str) -> int:
    for number, (old, new) in enumerate(
        zip(before.split("\n"), after.split("\n"), strict=False), 1
    ):
        if old != new:
            return number
    return 1
