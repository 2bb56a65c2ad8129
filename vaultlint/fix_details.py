"""The edits of each finding's fix, placed as findings are, for the reports that show them.

Findings travel light (the cache stores no fix, only how safe the best one is); the JSON report
gives each fix's edits, so that an editor plugin or a script can apply or preview it (issue #16).
The notes whose findings have a fix are linted again, in this process, and each fix is matched
to its finding by place, rule and message; a note that changed meanwhile keeps findings
without details, which the report then shows without edits.

The lint again is not settled (`fixer.settle`, a fix in memory): the findings already say which
fixes `fix` applies and how safely, settling only takes fixes away or marks them unsafe, and a
detail is attached only to a finding that has a fix. So the unsettled lint gives the same
details, with the finding's applicability, unless two fixes share a finding's place, rule and
message: then which one a finding gets depends on settling, and the note is settled as before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.results import FileReport, Finding, FixDetail, RunReport, TextEdit

if TYPE_CHECKING:
    from vaultlint.engine import LintResult
    from vaultlint.runner import Runner

_Key = tuple[int, int, str, str]


def _key(finding: Finding) -> _Key:
    return (finding.line, finding.column, finding.rule, finding.message)


def details_of(result: LintResult, display: str) -> dict[_Key, FixDetail]:
    """Each fixable diagnostic's fix, by the place, rule and message of its finding."""
    # Imported here: `check` imports this module for every output format, and a warm run that
    # lints no note must not import the engine and its rules (start-up, issue #17).
    from vaultlint.engine import to_finding

    note, lines = result.note, result.note.lines
    details = {}
    for diagnostic in result.diagnostics:
        fix = diagnostic.fix
        if fix is None:
            continue
        edits = []
        for edit in fix.edits:
            line, column = lines.line_col(edit.start)
            end_line, end_column = lines.line_col(edit.end)
            content = edit.replacement.decode("utf-8", "surrogateescape")
            edits.append(TextEdit(line, column, end_line, end_column, content))
        finding = to_finding(note, diagnostic, display)
        details[_key(finding)] = FixDetail(fix.title, fix.applicability, tuple(edits))
    return details


def unambiguous_details_of(result: LintResult, display: str) -> dict[_Key, FixDetail] | None:
    """`details_of`, or None when two fixes share a finding's key (see the module docstring)."""
    fixable = [d for d in result.diagnostics if d.fix is not None]
    details = details_of(result, display)
    return details if len(details) == len(fixable) else None


def with_fix_details(
    report: RunReport,
    lint_of: Callable[[str], LintResult | None],
    settled_lint_of: Callable[[str], LintResult | None] | None = None,
) -> RunReport:
    """`report` with the fix of each fixable finding; `lint_of(path)` lints a note again.

    `settled_lint_of`: when given, `lint_of` need not settle (see the module docstring), and
    this one, which does, serves the notes where settling decides the details."""
    files = []
    for file in report.files:
        if not any(finding.fix is not None for finding in file.findings):
            files.append(file)
            continue
        result = lint_of(file.path)
        details: dict[_Key, FixDetail] | None = {}
        if result is not None:
            details = (
                unambiguous_details_of(result, file.path)
                if settled_lint_of is not None
                else details_of(result, file.path)
            )
            if details is None and settled_lint_of is not None:
                settled = settled_lint_of(file.path)
                details = details_of(settled, file.path) if settled is not None else {}
        found = details or {}
        findings = tuple(
            dataclasses.replace(finding, detail=_as_finding_says(found.get(_key(finding)), finding))
            if finding.fix is not None
            else finding
            for finding in file.findings
        )
        files.append(FileReport(file.path, findings))
    return RunReport(tuple(files))


# The output formats that show each fix's edits.
FORMATS_WITH_FIXES = frozenset({"json", "json-lines"})


def for_output(report: RunReport, output_format: str, runner: Runner) -> RunReport:
    """`report` with fix details when `output_format` shows them, the notes linted again by
    `runner` (the run's own, so the same settings and schemas); else `report` as it is."""
    if output_format not in FORMATS_WITH_FIXES:
        return report

    def lint_of(display: str, *, settle: bool = False) -> LintResult | None:
        targets = runner.targets([Path(display)])
        return runner.check(targets[0], settle=settle)[1] if targets else None

    return with_fix_details(report, lint_of, lambda display: lint_of(display, settle=True))


def _as_finding_says(detail: FixDetail | None, finding: Finding) -> FixDetail | None:
    """The detail with the finding's applicability: the settled one, which `fix` keeps."""
    if detail is None or finding.fix is None or detail.applicability == finding.fix:
        return detail
    return dataclasses.replace(detail, applicability=finding.fix)
