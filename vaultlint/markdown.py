"""The Markdown structure the rules need: the headings a reader sees once the note renders.

A line scan, not a Markdown parser: markdown-it-py costs about 50x more on a vault (see
research/pitfalls.md) and the rules need only the headings. What renders as a heading (issue #12
§3):
- an ATX line (`## Steps`) outside the blocks below;
- a setext heading: a top-level paragraph underlined with `===` (level 1) or `---` (level 2).
  A `---` with no paragraph right above it (after a blank line, a list item, a quote) is a
  thematic break, not a heading. Lines inside a list item (indented to its content) are the
  item's, not sections. tests/test_markdown_headings.py checks all this against markdown-it.
What hides what looks like a heading: fenced code (``` or ~~~, CommonMark's closing rules),
Obsidian `%% … %%` comments, HTML comments `<!-- … -->` (from a line that opens one to the line
that closes it, as a CommonMark HTML block) and `$$ … $$` math blocks.

Every line is looked at once and every test on it is a string operation or an anchored regex
without nested quantifiers, so the scan stays linear on hostile input (tests/test_hostile_*.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The opening `#` run, followed by a space, a tab or the end of the line.
_OPENING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|\Z)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
# A `=` or `-` ending a line: where a setext underline may be (few lines end so).
_UNDERLINE_END = re.compile(r"[=-][ \t]*(?:\r?\n|\r?\Z)")
# A line that opens a list item or a block quote: the paragraph it starts is not top-level, so
# a `---` under it is a thematic break (an underline cannot be a lazy continuation line).
_LIST_ITEM = re.compile(r"( {0,3})([-+*]|(\d{1,9})[.)])([ \t]*)")
_QUOTE = re.compile(r" {0,3}>")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str  # what renders, on one line: a setext heading's lines are joined with a space
    line: int  # 1-based line in the whole note of its (first) text line
    underline: int | None = None  # the setext underline's line; None for an ATX heading


def scan_headings(body: str, first_line: int) -> tuple[Heading, ...]:
    if _has_special(body) or _has_underline(body):
        return _LineScan(first_line).run(body)
    # No block that hides lines and no setext underline: only the lines with a `#` in their
    # first four characters can be headings; find them with `str.find` rather than looking at
    # every line (3x faster).
    headings: list[Heading] = []
    line_number, counted_to = first_line, 0
    position = body.find("#")
    while position != -1:
        line_start = body.rfind("\n", 0, position) + 1
        line_end = body.find("\n", position)
        if line_end == -1:
            line_end = len(body)
        if position - line_start <= 3:
            line_number += body.count("\n", counted_to, line_start)
            counted_to = line_start
            atx = parse_atx(body[line_start:line_end].rstrip("\r"))
            if atx is not None:
                headings.append(Heading(atx[0], atx[1], line_number))
        position = body.find("#", line_end)
    return tuple(headings)


def _has_special(body: str) -> bool:
    """Whether the body has a block that hides lines: then the full line scan is needed."""
    # One search for the five markers: on a body that is not ASCII (any accent), five `in`
    # tests cost twice as much (measured on a recipe vault: 3 against 7 µs per note).
    return _SPECIAL.search(body) is not None


_SPECIAL = re.compile(r"%%|```|~~~|<!--|\$\$")


def _has_underline(body: str) -> bool:
    """Whether a line of the body could underline a setext heading."""
    for end in _UNDERLINE_END.finditer(body):
        line_start = body.rfind("\n", 0, end.start()) + 1
        if setext_underline(body[line_start : end.start() + 1]) is not None:
            return True
    return False


class _LineScan:
    """One pass over the body's lines, keeping only the state the next line needs."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.headings: list[Heading] = []
        self.fence: str | None = None  # the opening fence's characters inside a code block
        self.in_obsidian_comment = False
        self.in_html_comment = False
        self.in_math = False
        # The open paragraph: (index of its first line, whether it is top-level), or None.
        self.paragraph: tuple[int, bool] | None = None
        # The column where the last list item's content starts, while the list runs.
        self.item_indent: int | None = None
        self.item_empty = False  # the last list item has no content yet

    def run(self, body: str) -> tuple[Heading, ...]:
        lines = body.split("\n")
        for index, raw_line in enumerate(lines):
            self.line(index, raw_line.rstrip("\r"), lines)
        return tuple(self.headings)

    def line(self, index: int, line: str, lines: list[str]) -> None:
        if self.inside_hidden_block(line):
            return
        if self.opens_hidden_block(line):
            self.paragraph = None
            if self.item_indent is not None and _indent(line) < self.item_indent:
                self.item_indent = None  # a block at the left ends the list
            return
        if not line.strip(" \t"):
            self.paragraph = None  # a blank line ends a paragraph, and an empty list item
            if self.item_empty:
                self.item_indent = None
            return
        indent = _indent(line)
        if self.item_indent is not None and indent >= self.item_indent:
            self.item_line(index, line.lstrip(" \t"), indent - self.item_indent)
            return
        if indent <= 3 and "#" in line[:4] and (atx := parse_atx(line)) is not None:
            self.headings.append(Heading(atx[0], atx[1], self.first_line + index))
            self.paragraph, self.item_indent = None, None
            return
        underline = setext_underline(line)
        if underline is not None and self.paragraph is not None and self.paragraph[1]:
            start = self.paragraph[0]
            text = " ".join(lines[k].strip(" \t\r") for k in range(start, index))
            number = self.first_line + start
            self.headings.append(Heading(underline, text, number, self.first_line + index))
            self.paragraph = None
            return
        if is_thematic_break(line):
            self.paragraph, self.item_indent = None, None
            return
        self.text_line(index, line, indent)

    def item_line(self, index: int, content: str, indent: int) -> None:
        """A line inside the last list item: what looks like a heading there is no section, but
        a heading or a thematic break still ends the item's paragraph."""
        self.item_empty = False
        ends_paragraph = indent <= 3 and (
            parse_atx(content) is not None
            or is_thematic_break(content)
            or (self.paragraph is not None and setext_underline(content) is not None)
        )
        if ends_paragraph or (self.paragraph is None and indent > 3):
            self.paragraph = None
        elif self.paragraph is None:
            self.paragraph = (index, False)

    def text_line(self, index: int, line: str, indent: int) -> None:
        """A line of text, a list item or a quote: opens, continues or interrupts a paragraph."""
        container = container_start(line)
        if self.paragraph is not None:
            if container is not None and (container.interrupts or not self.paragraph[1]):
                # A quote or a list item. Under a top-level paragraph, only a non-empty item
                # numbered 1 or a bullet; under a list item's or a quote's, any: it is not a
                # lazy continuation line but the next item (markdown-it agrees).
                self.item_indent, self.item_empty = container.content_indent, container.empty
                self.paragraph = None if container.empty else (index, False)
            return  # otherwise the line continues the paragraph (lazily, if need be)
        if indent > 3:
            return  # indented code: the next line of text opens a paragraph of its own
        if container is None:
            self.paragraph, self.item_indent = (index, True), None  # at the left: no list
            return
        self.item_indent, self.item_empty = container.content_indent, container.empty
        # An empty list item or quote holds no paragraph: the next line may open its own.
        self.paragraph = None if container.empty else (index, False)

    def inside_hidden_block(self, line: str) -> bool:
        """Whether the line belongs to a block opened above; closes the block on its last line."""
        if self.fence is not None:
            if closes_fence(line, self.fence):
                self.fence = None
            return True
        if self.in_obsidian_comment:
            self.in_obsidian_comment = line.count("%%") % 2 == 0
            return True
        if self.in_html_comment:
            self.in_html_comment = "-->" not in line
            return True
        if self.in_math:
            self.in_math = "$$" not in line
            return True
        return False

    def opens_hidden_block(self, line: str) -> bool:
        """Whether the line opens a block whose lines are not headings (and is not one itself)."""
        opening = _FENCE.fullmatch(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            self.fence = opening.group(1)
            return True
        if line.count("%%") % 2 == 1:  # an Obsidian comment opens here and runs on
            self.in_obsidian_comment = True
            return True
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3:
            return False
        if stripped.startswith("<!--"):  # runs to the line holding `-->`, maybe this one
            self.in_html_comment = "-->" not in stripped
            return True
        if stripped.startswith("$$"):  # `$$ x $$` on one line is a whole block
            self.in_math = stripped.count("$$") == 1
            return True
        return False


@dataclass(frozen=True, slots=True)
class ContainerStart:
    """A line that opens a list item or a block quote."""

    content_indent: int | None  # where a list item's content starts; None for a quote
    empty: bool  # nothing after the marker
    interrupts: bool  # whether it may interrupt a paragraph (CommonMark 5.2, 5.3)


def container_start(line: str) -> ContainerStart | None:
    if _QUOTE.match(line):
        return ContainerStart(None, not line.lstrip(" ")[1:].strip(" \t"), True)
    item = _LIST_ITEM.match(line)
    if item is None or (not item.group(4) and item.end() < len(line)):
        return None  # `-x`, `1.5`: no space after the marker, not a list item
    empty = item.end() == len(line)
    spaces = len(item.group(4))
    # The content starts after the marker and its spaces; with five or more, at one space.
    content = item.end(2) + (1 if empty or spaces > 4 else spaces)
    ordered = item.group(3)
    interrupts = not empty and (ordered is None or ordered == "1")
    return ContainerStart(content, empty, interrupts)


def setext_underline(line: str) -> int | None:
    """1 for a `===` underline, 2 for `---` (up to 3 spaces before, spaces after), else None."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped or stripped[0] not in "=-":
        return None
    run = stripped.rstrip(" \t")
    if run.strip(run[0]):
        return None
    return 1 if run[0] == "=" else 2


def is_thematic_break(line: str) -> bool:
    """`---`, `***`, `___`, `- - -`...: three or more of one of them, spaces and tabs between."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or not stripped or stripped[0] not in "-*_":
        return False
    marks = stripped.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and not marks.strip(marks[0])


def _indent(line: str) -> int:
    """The column of the first character that is not a space or a tab (tab stops of 4)."""
    column = 0
    for character in line:
        if character == " ":
            column += 1
        elif character == "\t":
            column += 4 - column % 4
        else:
            break
    return column


def parse_atx(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line (without its line ending), or None.

    A closing `#` run counts when a space or tab precedes it. String operations rather than
    one regex: `(.*?)(?:[ \t]+#+)?[ \t]*` backtracks quadratically on a long run of spaces and
    tabs (a 200 KB line took minutes).
    """
    opening = _OPENING.match(line)
    if opening is None:
        return None
    text = line[opening.end() :].strip(" \t")
    without_closing = text.rstrip("#")
    if without_closing != text and without_closing[-1:] in (" ", "\t"):
        text = without_closing.rstrip(" \t")
    return len(opening.group(1)), text.strip()


def closes_fence(line: str, fence: str) -> bool:
    """True when `line` closes a code block opened by `fence` (CommonMark's rules)."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()
