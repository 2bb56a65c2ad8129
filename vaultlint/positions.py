"""Offsets: code points in decoded text <-> bytes in the raw note <-> 1-based line:column.

YAML libraries count code points, not bytes (and libyaml drops a BOM), while edits and spans are
byte offsets into the raw note. Each conversion lives here, done once per note, on demand.
"""

from __future__ import annotations

from bisect import bisect_right

BOM = b"\xef\xbb\xbf"


class CharToByte:
    """Converts code-point offsets in `text` to byte offsets in the UTF-8 bytes it came from."""

    __slots__ = ("_base", "_is_ascii", "_line_bytes", "_line_chars", "_text")

    def __init__(self, text: str, byte_base: int) -> None:
        self._text = text
        self._base = byte_base  # bytes before text[0] in the raw note (a BOM)
        self._is_ascii = text.isascii()
        self._line_chars: list[int] = []
        self._line_bytes: list[int] = []

    def __call__(self, char_index: int) -> int:
        if self._is_ascii:
            return self._base + char_index
        if not self._line_chars:
            self._index_lines()
        line = bisect_right(self._line_chars, char_index) - 1
        start = self._line_chars[line]
        within = len(self._text[start:char_index].encode("utf-8", "surrogatepass"))
        return self._base + self._line_bytes[line] + within

    def _index_lines(self) -> None:
        chars, byte_count, position = [0], [0], 0
        for line in self._text.splitlines(keepends=True):
            position += len(line)
            chars.append(position)
            byte_count.append(byte_count[-1] + len(line.encode("utf-8", "surrogatepass")))
        self._line_chars, self._line_bytes = chars, byte_count


class LineIndex:
    """1-based line and column (in characters, a BOM not counted) of byte offsets in a note."""

    __slots__ = ("_bom", "_raw", "_starts")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._bom = len(BOM) if raw.startswith(BOM) else 0
        starts = [0]
        find = raw.find
        position = find(b"\n")
        while position != -1:
            starts.append(position + 1)
            position = find(b"\n", position + 1)
        self._starts = starts

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_start(self, line: int) -> int:
        """Byte offset where 1-based `line` starts."""
        return self._starts[line - 1]

    def line_end(self, line: int) -> int:
        """Byte offset of the end of 1-based `line`, before its CR LF or LF."""
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._raw)
        if end > self._starts[line - 1] and self._raw[end - 1 : end] == b"\r":
            end -= 1
        return end

    def line_of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)

    def line_col(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self._raw)))
        line = bisect_right(self._starts, offset)
        start = self._starts[line - 1]
        if line == 1:  # a BOM is not a character the user sees
            start = min(self._bom, offset)
        column = len(self._raw[start:offset].decode("utf-8", "replace")) + 1
        return line, column
