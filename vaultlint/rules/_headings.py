"""Headings matched against the schema's sections (shared by the title and heading-* rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vaultlint.markdown import Heading
from vaultlint.note import Note
from vaultlint.rules._frontmatter_values import memoized
from vaultlint.schema.extension import Section, SectionSpec

_ATX_OPENING = re.compile(r" {0,3}(#{1,6})[ \t]*")


@dataclass(frozen=True, slots=True)
class NamedHeading:
    heading: Heading
    section: Section
    by_alias: bool


def structure_known(note: Note) -> bool:
    """False when the body cannot be told apart (unterminated frontmatter) or there is none.

    An empty note gets one diagnostic (frontmatter-missing), not one per missing section.
    """
    block = note.block
    if note.text is None or not note.text or note.text.isspace():  # no copy, unlike strip()
        return False
    return block is None or block.terminated


def named_headings(note: Note, spec: SectionSpec) -> list[NamedHeading]:
    return list(memoized(note, "named_headings", spec, lambda: _named_headings(note, spec)))


def _named_headings(note: Note, spec: SectionSpec) -> list[NamedHeading]:
    found = []
    for heading in note.headings:
        named = spec.section_named(heading.text)
        if named is not None:
            found.append(NamedHeading(heading, named[0], named[1]))
    return found


@dataclass(frozen=True, slots=True)
class HeadingBytes:
    """Byte spans of a heading's parts: where to report it, its level marker, its text.

    For an ATX heading, `line` is its line and `marker` its `#` run. For a setext heading,
    `line` runs over its text lines (where a reader sees it), `marker` is the underline's run
    of `=` or `-`, and `text` runs from the first text character to the end of the last one.
    """

    line: tuple[int, int]
    marker: tuple[int, int]
    text: tuple[int, int]


def heading_parts(note: Note, heading: Heading) -> HeadingBytes:
    if heading.underline is None:
        return heading_bytes(note, heading.line)
    return _setext_bytes(note, heading.line, heading.underline)


def heading_lines(heading: Heading) -> frozenset[int]:
    """The body lines a heading occupies (a fix that edits it may change them)."""
    last = heading.line if heading.underline is None else heading.underline
    return frozenset(range(heading.line, last + 1))


def _setext_bytes(note: Note, first: int, underline: int) -> HeadingBytes:
    lines = note.lines
    start, end = lines.line_start(first), lines.line_end(underline - 1)
    if first == 1:
        start += note.bom_length
    raw = note.raw
    text_start = start + len(raw[start:end]) - len(raw[start:end].lstrip(b" \t"))
    text_end = end - (len(raw[start:end]) - len(raw[start:end].rstrip(b" \t\r")))
    under_start, under_end = lines.line_start(underline), lines.line_end(underline)
    run = raw[under_start:under_end]
    marker_start = under_start + len(run) - len(run.lstrip(b" "))
    marker_end = under_start + len(run.rstrip(b" \t\r"))
    return HeadingBytes((start, text_end), (marker_start, marker_end), (text_start, text_end))


def heading_bytes(note: Note, line_number: int) -> HeadingBytes:
    start, end = note.lines.line_start(line_number), note.lines.line_end(line_number)
    if line_number == 1:  # the BOM is not part of the heading (the scan reads the text without it)
        start += note.bom_length
    line = note.raw[start:end].decode("utf-8")
    opening = _ATX_OPENING.match(line)
    assert opening is not None, "a scanned heading line is an ATX heading"

    def at(index: int) -> int:
        return start + len(line[:index].encode("utf-8"))

    return HeadingBytes(
        (start, end),
        (at(opening.start(1)), at(opening.end(1))),
        (at(opening.end()), at(_text_end(line, opening.end()))),
    )


def _text_end(line: str, text_start: int) -> int:
    """Where a heading's text ends: before a closing `#` run that follows a space or tab, the
    trailing spaces and tabs, and one stray CR.

    String operations rather than the regex `(.*?)(?:[ \t]+#+)?[ \t]*`, which backtracks
    quadratically on a long run of spaces and tabs (30 s for a 60,000-character line).
    """
    end = len(line) - 1 if line.endswith("\r") else len(line)
    text = line[text_start:end].rstrip(" \t")
    without_closing = text.rstrip("#")
    if without_closing != text and without_closing[-1:] in (" ", "\t"):
        text = without_closing.rstrip(" \t")
    return text_start + len(text)


def body_start_span(note: Note) -> tuple[int, int]:
    """Where to report something missing from the body: its first line."""
    line = min(note.body_first_line, note.lines.line_count)
    return note.lines.line_start(line), note.lines.line_end(line)
