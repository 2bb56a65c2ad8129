"""The documented `version: 1` JSON document: every finding with its exact place.

    {"version": 1, "files": N, "diagnostics": [{"path", "line", "column", "end_line",
     "end_column", "rule", "severity", "message", "fixable"}]}

Lines are 1-based in the whole file; columns 1-based in characters, a BOM not counted;
`end_line`/`end_column` are exclusive; `fixable` is true when a safe fix exists.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from vaultlint.reporters import ReportContext
from vaultlint.results import Finding, RunReport

VERSION = 1


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "severity": finding.severity.value,
        "message": finding.message,
        "fixable": finding.fixable,
    }


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    document = {
        "version": VERSION,
        "files": len(report.files),
        "diagnostics": [finding_dict(finding) for finding in report.findings],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
