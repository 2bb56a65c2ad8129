"""Offsets: code points in decoded text <-> bytes in the raw note <-> 1-based line:column.

YAML libraries count code points, not bytes (and libyaml drops a BOM), while edits and spans are
byte offsets into the raw note. Each conversion lives here, done once per note, on demand.
"""

from __future__ import annotations

from bisect import bisect_right

BOM = b"\xef\xbb\xbf"


# Offsets are converted from the nearest checkpoint, at most this many characters (or bytes)
# away: converting from the start of the line instead made a long line with many nodes or
# diagnostics quadratic (100,000 tags on one line took minutes).
_STRIDE = 1024


class CharToByte:
    """Converts code-point offsets in `text` to byte offsets in the UTF-8 bytes it came from."""

    __slots__ = ("_base", "_block_bytes", "_is_ascii", "_text")

    def __init__(self, text: str, byte_base: int) -> None:
        self._text = text
        self._base = byte_base  # bytes before text[0] in the raw note (a BOM)
        self._is_ascii = text.isascii()
        self._block_bytes: list[int] = []  # byte offset of text[i * _STRIDE]

    def __call__(self, char_index: int) -> int:
        if self._is_ascii:
            return self._base + char_index
        if not self._block_bytes:
            self._index_blocks()
        block = min(max(char_index, 0) // _STRIDE, len(self._block_bytes) - 1)
        start = block * _STRIDE
        within = len(self._text[start:char_index].encode("utf-8", "surrogatepass"))
        return self._base + self._block_bytes[block] + within

    def _index_blocks(self) -> None:
        text, offsets = self._text, [0]
        for start in range(_STRIDE, len(text) + 1, _STRIDE):
            chunk = text[start - _STRIDE : start]
            offsets.append(offsets[-1] + len(chunk.encode("utf-8", "surrogatepass")))
        self._block_bytes = offsets


class LineIndex:
    """1-based line and column (in characters, a BOM not counted) of byte offsets in a note."""

    __slots__ = ("_bom", "_checkpoints", "_raw", "_starts")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._bom = len(BOM) if raw.startswith(BOM) else 0
        self._checkpoints: dict[int, tuple[list[int], list[int]]] = {}  # long lines only
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
        column = 1
        if offset - start > _STRIDE:
            offsets, columns = self._line_checkpoints(line, start)
            nearest = bisect_right(offsets, offset) - 1
            start, column = offsets[nearest], columns[nearest]
        return line, column + len(self._raw[start:offset].decode("utf-8", "replace"))

    def _line_checkpoints(self, line: int, start: int) -> tuple[list[int], list[int]]:
        """(byte offsets, columns) every _STRIDE bytes or so along a long line.

        Each checkpoint is a byte that does not continue a UTF-8 sequence: decoding with
        "replace" up to it and on from it gives the characters that decoding across it gives.
        """
        known = self._checkpoints.get(line)
        if known is not None:
            return known
        raw, end = self._raw, self.line_end(line)
        offsets, columns = [start], [1]
        position = start
        while position + _STRIDE < end:
            split = position + _STRIDE
            while split < end and 0x80 <= raw[split] < 0xC0:
                split += 1
            columns.append(columns[-1] + len(raw[position:split].decode("utf-8", "replace")))
            offsets.append(split)
            position = split
        self._checkpoints[line] = (offsets, columns)
        return offsets, columns
