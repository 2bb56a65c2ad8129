"""Diagnostics placed in files, ready for reporters: paths, 1-based lines and columns."""

from __future__ import annotations

from dataclasses import dataclass, field

from vaultlint.diagnostic import Applicability, Severity


@dataclass(frozen=True, slots=True)
class TextEdit:
    """A fix's edit placed as findings are: 1-based lines and columns, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int
    content: str  # the new text of the range


@dataclass(frozen=True, slots=True)
class FixDetail:
    """A finding's fix, for the reports that show it (JSON): see `fix_details.py`."""

    title: str
    applicability: Applicability
    edits: tuple[TextEdit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # posix, relative to the current folder when inside it
    line: int  # 1-based, counted in the whole file
    column: int  # 1-based, in characters, a BOM not counted
    end_line: int
    end_column: int  # exclusive: one past the last character
    rule: str
    severity: Severity
    message: str
    fix: Applicability | None  # the best fix available, None when there is none
    line_text: str  # the text of `line`, for `full` output and stable fingerprints
    # The fix itself, when a report needs its edits (filled in by fix_details.py; never cached,
    # never compared: a finding is the same problem with or without it).
    detail: FixDetail | None = field(default=None, compare=False)

    @property
    def fixable(self) -> bool:
        return self.fix is Applicability.SAFE

    @property
    def unsafe_fixable(self) -> bool:
        return self.fix is Applicability.UNSAFE

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)


@dataclass(frozen=True, slots=True)
class FileReport:
    path: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class RunReport:
    files: tuple[FileReport, ...]  # every note checked, sorted by path

    @property
    def findings(self) -> list[Finding]:
        return [finding for report in self.files for finding in report.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for finding in self.findings if finding.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)
