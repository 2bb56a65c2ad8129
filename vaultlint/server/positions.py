"""Byte offsets in a note -> LSP positions: 0-based line, character in the client's units.

The LSP counts characters in UTF-16 code units unless client and server agreed on UTF-8 or
UTF-32 (`positionEncoding`); `units` says how many units a string takes. A BOM is not part of
the text an editor holds, so it counts for nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from vaultlint.note import Note


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class Positions:
    """LSP (line, character) of byte offsets in one note's raw bytes."""

    __slots__ = ("_note", "_units")

    def __init__(self, note: Note, units: Callable[[str], int] = utf16_units) -> None:
        self._note = note
        self._units = units

    def at(self, offset: int) -> tuple[int, int]:
        raw = self._note.raw
        offset = max(0, min(offset, len(raw)))
        lines = self._note.lines
        line = lines.line_of(offset)
        start = lines.line_start(line)
        if line == 1:
            start = min(self._note.bom_length, offset)
        prefix = raw[start:offset].decode("utf-8", "replace")
        return line - 1, self._units(prefix)

    def end(self) -> tuple[int, int]:
        """The position just past the note's last character."""
        return self.at(len(self._note.raw))
