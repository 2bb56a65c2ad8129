"""`path:line:col: severity rule message`, one per line, then a one-line summary."""

from __future__ import annotations

from typing import TextIO

from vaultlint.diagnostic import Severity
from vaultlint.reporters import ReportContext
from vaultlint.reporters.summary import summary_lines
from vaultlint.results import RunReport

_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    for finding in report.findings:
        where = f"{finding.path}:{finding.line}:{finding.column}:"
        severity, rule = finding.severity.value, finding.rule
        marker = " [*]" if finding.fixable else ""
        if context.color:
            where = f"{_BOLD}{where}{_RESET}"
            severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
            rule = f"{_DIM}{rule}{_RESET}"
        out.write(f"{where} {severity} {rule} {finding.message}{marker}\n")
    if context.show_summary:
        for line in summary_lines(report, context):
            out.write(line + "\n")
