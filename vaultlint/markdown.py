"""The Markdown structure the rules need: ATX headings outside code fences and comments.

A line scan, not a Markdown parser: markdown-it-py costs about 50x more on a vault (see
research/pitfalls.md) and the rules need only the headings. Lines inside fenced code blocks
(``` or ~~~, CommonMark's closing rules) and inside Obsidian `%% … %%` comments are not structure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    line: int  # 1-based line in the whole note


def scan_headings(body: str, first_line: int) -> tuple[Heading, ...]:
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
            match = _HEADING.fullmatch(line)
            if match:
                text = (match.group(2) or "").strip()
                headings.append(Heading(len(match.group(1)), text, first_line + offset))
    return tuple(headings)


def _closes_fence(line: str, fence: str) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return False
    run = len(stripped) - len(stripped.lstrip(fence[0]))
    return run >= len(fence) and not stripped[run:].strip()
