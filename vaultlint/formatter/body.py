"""The note's body formatted line by line, then checked to render to the same document.

What changes (see settings.py for each switch):
- the blank lines before the first line: one after a frontmatter (or none), none without one;
- exactly one blank line before and after each top-level ATX heading (`# Title`);
- trailing spaces and tabs, except a hard break (two spaces inside a paragraph, kept as two);
- the blank lines at the end, and a missing final line ending.

What never changes: fenced and indented code, HTML blocks (and so `<!-- … -->` comments),
callouts (`> [!note]`), Obsidian `%% … %%` comments and `$$ … $$` math blocks; their lines are
found with markdown-it-py (CommonMark with GFM tables and strikethrough), except the `%%`
comments and the math blocks, which markdown-it does not know and a line scan finds (a `# x`
line in a math block is not a heading to space out, issue #12 §3).

The formatted body is parsed again and its tokens compared with the original's, as mdformat
does: same types, tags, attributes, content and nesting, line numbers aside; text before a line
break is compared without its trailing spaces (they never render), and a code or HTML block at
the very end without its final line ending. When the blank lines around
headings would change the tokens, they are left as they are; when anything else would, the body
is refused. markdown-it runs only when a line needs more than its leading blank lines changed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING, Any

from vaultlint.formatter.lines import content_of, convert_endings, ending_of, is_blank, split_lines
from vaultlint.formatter.outcome import Notice, NoticeKind
from vaultlint.formatter.settings import FormatSettings

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_ATX = re.compile(r"#{1,6}(?:[ \t]|\r?\n|\Z)")
_ATX_LINE = re.compile(r"^#{1,6}(?:[ \t]|\r?$)", re.MULTILINE)
_TRAILING_SPACE = re.compile(r"[ \t]\r?(?:\n|\Z)")
_CALLOUT = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:>[ \t]*)+\[!")  # > [!note]
_LONE_CR = re.compile(r"\r(?!\n)")
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_LITERAL_BLOCKS = ("fence", "code_block", "html_block")
_HEADINGS_KEPT = (
    "blank lines around headings left as they are: adding them would change how the note renders"
)


@dataclass(frozen=True, slots=True)
class BodyFormatting:
    text: str
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class _Structure:
    protected: frozenset[int] = frozenset()  # lines that never change
    hard_breaks: frozenset[int] = frozenset()  # paragraph lines that a next line follows
    headings: frozenset[int] = frozenset()  # top-level ATX heading lines
    tokens: list[Token] | None = field(default=None, compare=False)


def format_body(
    body: str, settings: FormatSettings, *, after_frontmatter: bool, newline: str
) -> BodyFormatting:
    if _LONE_CR.search(body):
        message = "body left as it is: it has a carriage return that ends no line"
        return BodyFormatting(body, (Notice(NoticeKind.KEPT, message),))
    lines = split_lines(body)
    structure = _structure(body, lines) if _needs_structure(body, lines, settings) else _Structure()
    layout = _Layout(lines, structure, settings, after_frontmatter, newline)
    candidate = convert_endings("".join(layout.lines()), settings.line_endings)
    if _same_document(body, candidate, structure):
        return BodyFormatting(candidate)
    if structure.headings and settings.blank_lines_around_headings:
        plain = _Layout(
            lines, replace(structure, headings=frozenset()), settings, after_frontmatter, newline
        )
        fallback = convert_endings("".join(plain.lines()), settings.line_endings)
        if _same_document(body, fallback, structure):
            return BodyFormatting(fallback, (Notice(NoticeKind.KEPT, _HEADINGS_KEPT),))
    refused = "not formatted: the formatted body would render differently (a vaultlint bug)"
    return BodyFormatting(body, (Notice(NoticeKind.REFUSED, refused),))


# ------------------------------------------------------------------------------ structure


def _needs_structure(body: str, lines: list[str], settings: FormatSettings) -> bool:
    """Whether a change beyond the leading blank lines may be due (cheap, errs towards yes)."""
    if settings.trailing_whitespace and _TRAILING_SPACE.search(body):
        return True
    if settings.final_newline and lines and (not ending_of(lines[-1]) or is_blank(lines[-1])):
        return True
    if settings.blank_lines_around_headings and _ATX_LINE.search(body):
        blank = [is_blank(line) for line in lines]
        filled = [k for k, empty in enumerate(blank) if not empty]
        for number, line in enumerate(lines):
            if _ATX.match(line) and _heading_needs_space(blank, number, filled[0], filled[-1]):
                return True
    return False


def _heading_needs_space(blank: list[bool], number: int, first: int, last: int) -> bool:
    if number > first and (not blank[number - 1] or (number - 2 >= first and blank[number - 2])):
        return True
    return number < last and (not blank[number + 1] or (number + 2 <= last and blank[number + 2]))


@cache
def markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _structure(body: str, lines: list[str]) -> _Structure:
    tokens = markdown_parser().parse(body)
    literal: set[int] = set()
    protected: set[int] = set()
    hard_breaks: set[int] = set()
    headings: set[int] = set()
    for token in tokens:
        if token.map is None:
            continue
        start, end = token.map
        if token.type in _LITERAL_BLOCKS:
            literal.update(range(start, end))
        elif token.type == "blockquote_open" and _CALLOUT.match(lines[start]):
            protected.update(range(start, end))
        elif token.type == "paragraph_open":
            hard_breaks.update(range(start, end - 1))
        elif token.type == "heading_open" and not token.markup.startswith("#"):
            hard_breaks.update(range(start, end - 2))  # a setext heading: text, then its underline
        elif token.type == "heading_open" and token.level == 0:
            headings.add(start)
    protected |= literal | _comment_lines(lines, literal) | _math_lines(lines, literal)
    return _Structure(
        frozenset(protected), frozenset(hard_breaks), frozenset(headings - protected), tokens
    )


def _comment_lines(lines: list[str], literal: set[int]) -> set[int]:
    """Lines inside Obsidian `%% … %%` comments (from the opening line to the closing one)."""
    inside = False
    found: set[int] = set()
    for number, line in enumerate(lines):
        if number in literal:
            continue
        odd = content_of(line).count("%%") % 2 == 1
        if inside or odd:
            found.add(number)
        if odd:
            inside = not inside
    return found


def _math_lines(lines: list[str], literal: set[int]) -> set[int]:
    """Lines of `$$ … $$` math blocks: from a line opening with `$$` (up to three spaces before
    it) to the next line holding `$$`; a line holding both is a whole block."""
    inside = False
    found: set[int] = set()
    for number, line in enumerate(lines):
        if number in literal:
            continue
        if inside:
            found.add(number)
            inside = "$$" not in line
            continue
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) <= 3 and stripped.startswith("$$"):
            found.add(number)
            inside = stripped.count("$$") == 1
    return found


# --------------------------------------------------------------------------------- layout


class _Layout:
    """The body's lines laid out again: blank lines, trailing spaces, final line ending."""

    def __init__(
        self,
        source: list[str],
        structure: _Structure,
        settings: FormatSettings,
        after_frontmatter: bool,
        newline: str,
    ) -> None:
        self.source = source
        self.structure = structure
        self.settings = settings
        self.after_frontmatter = after_frontmatter
        self.newline = newline
        protected = structure.protected
        self.blanks = [k not in protected and is_blank(line) for k, line in enumerate(source)]

    def blank(self, number: int) -> bool:
        return self.blanks[number]

    def clean(self, number: int) -> str:
        line = self.source[number]
        if not self.settings.trailing_whitespace or number in self.structure.protected:
            return line
        content, ending = content_of(line), ending_of(line)
        stripped = content.rstrip(" \t")
        if number in self.structure.hard_breaks and stripped and content.endswith("  "):
            return content.rstrip(" ") + "  " + ending
        return stripped + ending

    def lines(self) -> list[str]:
        filled = [k for k, blank in enumerate(self.blanks) if not blank]
        if not filled:
            return (
                []
                if self.settings.final_newline
                else [self.clean(k) for k in range(len(self.source))]
            )
        first, last = filled[0], filled[-1]
        out = self.leading(first) + self.middle(first, last) + self.trailing(last)
        if self.settings.final_newline and not ending_of(out[-1]):
            out[-1] += self.newline
        return out

    def leading(self, first: int) -> list[str]:
        if not self.after_frontmatter and content_of(self.source[first]).rstrip(" \t") == "---":
            # Without its blank lines, this `---` would open a frontmatter: keep them.
            return [self.clean(k) for k in range(first)]
        if not (self.after_frontmatter and self.settings.blank_line_after_frontmatter):
            return []
        return [self.clean(0) if first else self.newline]

    def middle(self, first: int, last: int) -> list[str]:
        headings = (
            self.structure.headings if self.settings.blank_lines_around_headings else frozenset()
        )
        out: list[str] = []
        number = first
        while number <= last:
            if self.blank(number):
                run_end = number
                while self.blank(run_end):
                    run_end += 1
                run = [self.clean(k) for k in range(number, run_end)]
                near_heading = number - 1 in headings or run_end in headings
                out += run[:1] if near_heading else run
                number = run_end
                continue
            if number in headings and out and not is_blank(out[-1]):
                out.append(self.newline)
            out.append(self.clean(number))
            if number in headings and number < last and not self.blank(number + 1):
                out.append(self.newline)
            number += 1
        return out

    def trailing(self, last: int) -> list[str]:
        if not self.settings.final_newline:
            return [self.clean(k) for k in range(last + 1, len(self.source))]
        return []


# ----------------------------------------------------------------------------- verifying


def _same_document(before: str, after: str, structure: _Structure) -> bool:
    if before == after or _without_leading_blanks(before) == _without_leading_blanks(after):
        return True
    old_tokens = (
        structure.tokens if structure.tokens is not None else markdown_parser().parse(before)
    )
    return token_signature(old_tokens) == token_signature(markdown_parser().parse(after))


def _without_leading_blanks(text: str) -> str:
    # Blank lines before the first block never matter (CommonMark), nor \r\n against \n.
    leading = _LEADING_BLANK_LINES.match(text)
    return text[leading.end() if leading else 0 :].replace("\r\n", "\n")


def token_signature(tokens: Sequence[Token]) -> list[tuple[Any, ...]]:
    """What a token stream renders: everything but line numbers (`map`)."""
    signature: list[tuple[Any, ...]] = []
    for position, token in enumerate(tokens):
        content = token.content
        if token.type == "inline":
            content = ""  # its children say what renders; its raw text keeps trailing spaces
        elif token.type == "text" and _before_break(tokens, position):
            content = content.rstrip(" \t")
        elif token.type in _LITERAL_BLOCKS and not content.endswith("\n"):
            content += "\n"  # the note's last line, which had no line ending
        signature.append(
            (
                token.type,
                token.tag,
                token.nesting,
                tuple(sorted((name, str(value)) for name, value in token.attrs.items())),
                content,
                token.markup,
                token.info,
                token.level,
                token.block,
                token.hidden,
                repr(token.meta),
                tuple(token_signature(token.children or [])),
            )
        )
    return signature


def _before_break(tokens: Sequence[Token], position: int) -> bool:
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return following is None or following.type in ("softbreak", "hardbreak")
