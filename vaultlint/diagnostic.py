"""What a rule reports: a problem at a byte span of a note, and the fix that would repair it.

Rules speak bytes (offsets into `Note.raw`); reporters turn spans into 1-based line:column through
`positions.LineIndex`. A fix is a set of non-overlapping edits plus how safe it is to apply
(ruff's model: safe fixes run with `fix`, unsafe ones only with `--unsafe-fixes`).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field

# Every character `str.splitlines` ends a line at: none may reach a message (issue #12 §3).
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with each line break written as its escape (`\\n`, `\\r`, `\\u2028`...)."""
    if _LINE_BREAK.search(text) is None:
        return text
    return _LINE_BREAK.sub(lambda found: found.group().encode("unicode_escape").decode(), text)


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Applicability(enum.IntEnum):
    DISPLAY_ONLY = 0
    UNSAFE = 1  # changes what YAML reads beyond the named value, or repairs only part
    SAFE = 2  # changes only the value the rule names


@dataclass(frozen=True, slots=True)
class Edit:
    start: int  # byte offset in Note.raw
    end: int
    replacement: bytes


@dataclass(frozen=True, slots=True)
class Fix:
    title: str  # imperative: "set temps_total to 45"
    edits: tuple[Edit, ...]
    applicability: Applicability
    # Frontmatter keys whose value the fix is allowed to change (checked after fixing).
    changes_keys: frozenset[str] = frozenset()
    # The fix rewrites the whole note (mojibake repair): no data comparison is possible.
    whole_note: bool = False
    # 1-based body lines (in the note before the fix) that the fix may change.
    changes_body_lines: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Diagnostic:
    rule: str
    message: str
    start: int  # byte span in Note.raw; start == end marks a point
    end: int
    severity: Severity
    fix: Fix | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # A message quotes the note's keys, values and headings, which may hold a line break;
        # every reporter prints a finding on one line, so a raw break would forge a second one.
        # Enforced here, once, rather than in each rule that quotes text.
        message = one_line(self.message)
        if message is not self.message:
            object.__setattr__(self, "message", message)

    def fix_available(self, minimum: Applicability) -> bool:
        return self.fix is not None and self.fix.applicability >= minimum
