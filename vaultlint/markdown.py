"""The Markdown structure the rules need: ATX headings outside code fences and comments.

A line scan, not a Markdown parser: markdown-it-py costs about 50x more on a vault (see
research/pitfalls.md) and the rules need only the headings. Lines inside fenced code blocks
(``` or ~~~, CommonMark's closing rules) and inside Obsidian `%% … %%` comments are not structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The opening `#` run, followed by a space, a tab or the end of the line.
_OPENING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|\Z)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based line in the whole note


def scan_headings(body: str, first_line: int) -> tuple[Heading, ...]:
    if "%%" in body or "```" in body or "~~~" in body:
        return _scan_lines(body, first_line)
    # No fence and no comment: only the lines with a `#` in their first four characters can
    # be headings; find them with `str.find` rather than looking at every line (3x faster).
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


def _scan_lines(body: str, first_line: int) -> tuple[Heading, ...]:
    headings: list[Heading] = []
    fence: str | None = None  # the opening fence's characters while inside a code block
    in_comment = False
    for offset, raw_line in enumerate(body.split("\n")):
        line = raw_line.rstrip("\r")
        if fence is not None:
            if _closes_fence(line, fence):
                fence = None
            continue
        if in_comment:
            in_comment = line.count("%%") % 2 == 0
            continue
        opening = _FENCE.fullmatch(line)
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            continue
        if line.count("%%") % 2 == 1:  # an Obsidian comment opens here and runs on
            in_comment = True
            continue
        if "#" in line[:4]:
            atx = parse_atx(line)
            if atx is not None:
                headings.append(Heading(atx[0], atx[1], first_line + offset))
    return tuple(headings)


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


def _closes_fence(line: str, fence: str) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()
