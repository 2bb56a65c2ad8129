"""A diagnostic as a finding: its byte span as line and column in its note, with the line's text,
as the reporters and the cache show it.

Not in the engine: phase 2 places the vault rules' findings, and an unchanged vault gives them
from the cache, without importing the per-note rules (issue #17).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vaultlint.results import Finding

if TYPE_CHECKING:
    from vaultlint.diagnostic import Diagnostic
    from vaultlint.note import Note

# At most this many diagnostics of one rule in one note are kept, then one that counts the rest.
MAX_PER_RULE = 1_000
LINE_TEXT_LIMIT = 500  # bytes: wider than any line a terminal or a report shows


def to_finding(
    note: Note,
    diagnostic: Diagnostic,
    display_path: str,
    *,
    fixes: bool = True,
    texts: dict[int, str] | None = None,
) -> Finding:
    lines = note.lines
    line, column = lines.line_col(diagnostic.start)
    end_line, end_column = lines.line_col(diagnostic.end)
    line_text = texts.get(line) if texts is not None else None
    if line_text is None:
        start, end = lines.line_start(line), lines.line_end(line)
        # A finding keeps at most LINE_TEXT_LIMIT bytes of its line (for `full` output and
        # fingerprints): thousands of findings on one huge line must not copy it each time.
        end = min(end, start + LINE_TEXT_LIMIT)
        line_text = note.raw[start:end].decode("utf-8", "replace").lstrip("\ufeff")
        if texts is not None:
            texts[line] = line_text
    fix = diagnostic.fix.applicability if fixes and diagnostic.fix is not None else None
    return Finding(
        display_path,
        line,
        column,
        end_line,
        end_column,
        diagnostic.rule,
        diagnostic.severity,
        diagnostic.message,
        fix,
        line_text,
    )
