"""Each finding with its line and carets under the span, then the summary (ruff's `full`).

    Recettes/Tarte.md:6:14: error time-sum temps_total (40) is less than ... (45) [*]
    6 | temps_total: 40
      |              ^^

The source line is shown as a terminal draws it, and the carets are placed by the same measure:
tabs expand to the next multiple of `TAB_WIDTH`, wide (East Asian, emoji) characters take two
cells, combining marks none, C0 control characters show as their Unicode control pictures
(`␍`) and other characters that would move the cursor or reorder the line (C1 controls, line
separators, bidirectional controls) as `�`, so the carets stay under the span. A span over
several lines gets carets to the end of its first line; an empty span (a point) gets one caret.
"""

from __future__ import annotations

import unicodedata
from typing import TextIO

from vaultlint.reporters import ReportContext
from vaultlint.reporters.concise import COLORS, RESET, finding_line
from vaultlint.reporters.summary import summary_lines
from vaultlint.results import Finding, RunReport

TAB_WIDTH = 4
_EMOJI_PRESENTATION = "\ufe0f"  # VS16: the character before it is drawn as a wide emoji
# Bidirectional controls would reorder the line on screen (CVE-2021-42574, "Trojan Source").
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    blocks = [_block(finding, context) for finding in report.findings]
    if context.show_summary:
        blocks.append("\n".join(summary_lines(report, context)))
    out.write("\n\n".join(blocks) + "\n" if blocks else "")


def _block(finding: Finding, context: ReportContext) -> str:
    source, carets = snippet(finding)
    number = str(finding.line)
    gutter = " " * len(number)
    if context.color:
        carets = f"{COLORS[finding.severity]}{carets}{RESET}"
    return "\n".join(
        (
            finding_line(finding, color=context.color),
            f"{number} |" + (f" {source}" if source else ""),
            f"{gutter} | {carets}",
        )
    )


def snippet(finding: Finding) -> tuple[str, str]:
    """The finding's line as displayed, and the caret line that underlines its span."""
    text = finding.line_text
    start = min(max(finding.column - 1, 0), len(text))
    end = len(text) if finding.end_line > finding.line else finding.end_column - 1
    end = min(max(end, start), len(text))
    pieces: list[str] = []
    width = 0
    caret_start = caret_end = None
    for index, char in enumerate(text):
        if index == start:
            caret_start = width
        if index == end:
            caret_end = width
        piece, cells = _display(char, width, previous=text[index - 1] if index else "")
        pieces.append(piece)
        width += cells
    caret_start = width if caret_start is None else caret_start
    caret_end = width if caret_end is None else caret_end
    carets = " " * caret_start + "^" * max(1, caret_end - caret_start)
    return "".join(pieces), carets


def _display(char: str, column: int, *, previous: str) -> tuple[str, int]:
    """How `char` is drawn when it starts at display `column`: its text and its width."""
    if char == "\t":
        cells = TAB_WIDTH - column % TAB_WIDTH
        return " " * cells, cells
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code), 1  # ␀..␟, one cell like the character they stand for
    if code == 0x7F or 0x80 <= code < 0xA0 or char in _BIDI_CONTROLS:
        return "\ufffd", 1  # would move the cursor or reorder the line
    if unicodedata.category(char) in ("Zl", "Zp"):
        return "\ufffd", 1  # would break the line
    if char == _EMOJI_PRESENTATION:
        wide = previous != "" and previous.isprintable() and _width(previous) == 1
        return char, 1 if wide else 0
    return char, _width(char)


def _width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
