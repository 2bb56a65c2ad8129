"""The closing summary lines shared by the human-readable formats."""

from __future__ import annotations

from vaultlint.reporters import ReportContext
from vaultlint.results import RunReport


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_lines(report: RunReport, context: ReportContext) -> list[str]:
    findings = report.findings
    checked = _plural(len(report.files), "note")
    lines = []
    if context.fixed is not None:
        remaining = len(findings)
        fixed = (
            f"Fixed {_plural(context.fixed, 'problem')} in {_plural(context.fixed_notes, 'note')}"
        )
        unsafe = sum(1 for f in findings if f.unsafe_fixable)
        hint = f" ({unsafe} fixable with --unsafe-fixes)" if unsafe else ""
        lines.append(f"{fixed}; {remaining} remain{'s' if remaining == 1 else ''}{hint}.")
        return lines
    if not findings:
        return [f"All checks passed! ({checked} checked)"]
    errors, warnings = report.errors, report.warnings
    lines.append(
        f"Found {_plural(errors, 'error')} and {_plural(warnings, 'warning')} in {checked}."
    )
    safe = sum(1 for f in findings if f.fixable)
    unsafe = sum(1 for f in findings if f.unsafe_fixable)
    if safe or unsafe:
        hint = f"[*] {safe} fixable with `vaultlint fix`"
        if unsafe:
            hint += f" ({unsafe} more with `vaultlint fix --unsafe-fixes`)"
        lines.append(hint + ".")
    return lines
