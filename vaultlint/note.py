"""A note: its raw bytes, kept unchanged, and what is derived from them once, on demand.

Everything a rule reads comes from here: the decoded text (strict UTF-8, BOM removed), the newline
style, the frontmatter block and its parsed YAML, the headings of the body. Nothing is written.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from vaultlint.positions import BOM, CharToByte, LineIndex

if TYPE_CHECKING:
    from vaultlint.frontmatter import ParsedFrontmatter
    from vaultlint.markdown import Heading

FENCE = "---"

T = TypeVar("T")


class cached_property(Generic[T]):  # noqa: N801 - named as the functools one it replaces
    """`functools.cached_property` without its lock: Python 3.11 takes one on the first read
    of every property of every note (a dozen per note, a third of a microsecond each), and a
    note is never shared between threads while it is derived. The value is stored in the
    instance's `__dict__`, where later reads find it without calling this."""

    def __init__(self, compute: Callable[[Any], T]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> cached_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object, owner: type | None = None) -> T | cached_property[T]:
        if instance is None:
            return self
        value = self.compute(instance)
        instance.__dict__[self.name] = value
        return value


@dataclass(frozen=True, slots=True)
class DecodeProblem:
    """Why the bytes are not UTF-8 text, and where (a byte offset into the raw note)."""

    message: str
    offset: int


@dataclass(frozen=True, slots=True)
class FrontmatterBlock:
    """Where the frontmatter sits in the decoded text (code-point offsets)."""

    content_start: int  # first character of the YAML, after the opening '---' line
    content_end: int  # first character of the closing '---' line (or end of text)
    body_start: int  # first character after the closing '---' line
    terminated: bool


class Note:
    """One Markdown note. Build it with `Note.from_bytes`; it never raises on bad content."""

    def __init__(self, path: str, raw: bytes) -> None:
        self.path = path
        self.raw = raw

    @classmethod
    def from_bytes(cls, raw: bytes, path: str = "<note>") -> Note:
        return cls(path, raw)

    # ----------------------------------------------------------------- bytes and text

    @cached_property
    def has_bom(self) -> bool:
        return self.raw.startswith(BOM)

    @cached_property
    def bom_length(self) -> int:
        return len(BOM) if self.has_bom else 0

    @cached_property
    def newline(self) -> str:
        """The note's line ending: that of its first line (LF when it has a single line)."""
        first = self.raw.find(b"\n")
        return "\r\n" if first > 0 and self.raw[first - 1 : first] == b"\r" else "\n"

    @cached_property
    def decode_problem(self) -> DecodeProblem | None:
        return self._decoded[1]

    @cached_property
    def text(self) -> str | None:
        """The note as text without its BOM, or None when it is not valid UTF-8."""
        return self._decoded[0]

    @cached_property
    def _decoded(self) -> tuple[str | None, DecodeProblem | None]:
        # Once for both: `text` and `decode_problem` are read of nearly every note.
        return _decode(self.raw, self.bom_length)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.raw)

    @cached_property
    def memo(self) -> dict[object, Any]:
        """What shared rule helpers derive from the note (its tags list, a field...), computed
        once per note instead of once per rule that asks; see `rules/_frontmatter_values.py`."""
        return {}

    @cached_property
    def char_to_byte(self) -> CharToByte:
        return CharToByte(self.text or "", self.bom_length)

    # ------------------------------------------------------------------- frontmatter

    @cached_property
    def block(self) -> FrontmatterBlock | None:
        """The `---` … `---` block at the very start of the note, if there is one."""
        text = self.text
        if text is None:
            return None
        return find_frontmatter_block(text)

    @cached_property
    def frontmatter(self) -> ParsedFrontmatter | None:
        """The parsed YAML of a terminated frontmatter block, or None when there is none."""
        block = self.block
        if block is None or not block.terminated or self.text is None:
            return None
        from vaultlint.frontmatter import parse_frontmatter

        return parse_frontmatter(self.text[block.content_start : block.content_end])

    def yaml_byte(self, yaml_index: int) -> int:
        """Byte offset in `raw` of a code-point index into the frontmatter's YAML text."""
        block = self.block
        assert block is not None
        return self.char_to_byte(block.content_start + yaml_index)

    # ---------------------------------------------------------------------- body

    @cached_property
    def body_first_line(self) -> int:
        """1-based line number of the first body line (1 when there is no frontmatter)."""
        block = self.block
        if block is None or not block.terminated or self.text is None:
            return 1
        return self.text.count("\n", 0, block.body_start) + 1

    @cached_property
    def headings(self) -> tuple[Heading, ...]:
        from vaultlint.markdown import scan_headings

        if self.text is None:
            return ()
        block = self.block
        body_start = block.body_start if block is not None and block.terminated else 0
        return scan_headings(self.text[body_start:], self.body_first_line)


def find_frontmatter_block(text: str) -> FrontmatterBlock | None:
    """Split on the first line that is exactly `---` after an opening `---` on line 1.

    A naive split on '---' anywhere would end the block early at a YAML `---` inside a value
    or a thematic break in the body (see research/pitfalls.md).
    """
    first_end = text.find("\n")
    first_line = text if first_end == -1 else text[:first_end]
    if first_line.rstrip(" \t\r") != FENCE:
        return None
    content_start = len(text) if first_end == -1 else first_end + 1
    # The first later line that is `---`, then spaces or tabs, then CRs (one regex search
    # rather than a loop over lines: a fifth of the time of finding a frontmatter).
    closing = _CLOSING_FENCE.search(text, content_start) if content_start < len(text) else None
    if closing is not None:
        next_start = min(closing.end() + 1, len(text))
        return FrontmatterBlock(content_start, closing.start(), next_start, terminated=True)
    return FrontmatterBlock(content_start, len(text), len(text), terminated=False)


_CLOSING_FENCE = re.compile(r"^---[ \t]*\r*$", re.MULTILINE)


_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _decode(raw: bytes, bom_length: int) -> tuple[str | None, DecodeProblem | None]:
    for bom, name in _UTF16_32_BOMS:  # UTF-32 LE starts with the UTF-16 LE BOM: test it first
        if raw.startswith(bom):
            return None, DecodeProblem(f"the note is encoded as {name}; save it as UTF-8", 0)
    nul = raw.find(b"\x00")
    if nul != -1:
        return None, DecodeProblem(
            "the note contains NUL bytes: it is a binary file, not text", nul
        )
    try:
        return raw[bom_length:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        offset = bom_length + error.start
        bad = raw[offset : offset + 1].hex().upper()
        return None, DecodeProblem(
            f"invalid UTF-8: byte 0x{bad} cannot be decoded (saved in another encoding?)", offset
        )


def node_span(note: Note, node: object) -> tuple[int, int]:
    """Byte span in `note.raw` of a YAML node's value (after any `&anchor` or `!tag`)."""
    # Once per node and note: the rules ask for the same few nodes' spans again and again
    # (over 12 times per note on a recipe vault), and each costs a scan and an encoding.
    key = ("node_span", id(node))
    memo = note.memo
    stored = memo.get(key)
    if stored is not None and stored[0] is node:  # the identity check guards against id reuse
        span: tuple[int, int] = stored[1]
        return span
    frontmatter = note.frontmatter
    assert frontmatter is not None
    start = frontmatter.value_start(node)  # type: ignore[arg-type]
    end: int = node.end_mark.index  # type: ignore[attr-defined]
    span = note.yaml_byte(start), note.yaml_byte(max(start, end))
    memo[key] = (node, span)
    return span
