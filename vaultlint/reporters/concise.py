"""`path:line:col: severity rule message`, one per line, then a one-line summary."""

from __future__ import annotations

from typing import TextIO

from vaultlint.diagnostic import Severity
from vaultlint.reporters import ReportContext
from vaultlint.reporters.summary import summary_lines
from vaultlint.results import Finding, RunReport

COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m"}
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def finding_line(finding: Finding, *, color: bool = False, marker: bool = True) -> str:
    """`path:line:col: severity rule message`, and ` [*]` when a safe fix exists (and `marker`)."""
    where = f"{finding.path}:{finding.line}:{finding.column}:"
    severity, rule = finding.severity.value, finding.rule
    fixable = " [*]" if marker and finding.fixable else ""
    if color:
        where = f"{BOLD}{where}{RESET}"
        severity = f"{COLORS[finding.severity]}{severity}{RESET}"
        rule = f"{DIM}{rule}{RESET}"
    return f"{where} {severity} {rule} {finding.message}{fixable}"


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    for finding in report.findings:
        out.write(finding_line(finding, color=context.color) + "\n")
    if context.show_summary:
        for line in summary_lines(report, context):
            out.write(line + "\n")
