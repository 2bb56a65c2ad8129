"""The documented `version: 1` JSON document: every finding with its exact place and its fix.

    {"version": 1, "files": N, "diagnostics": [{"path", "line", "column", "end_line",
     "end_column", "rule", "severity", "message", "fixable", "fix", "url"}]}

Lines are 1-based in the whole file; columns 1-based in characters, a BOM not counted;
`end_line`/`end_column` are exclusive; `fixable` is true when a safe fix exists.

`fix` is null when the finding has no fix, else

    {"applicability": "safe" | "unsafe" | "display-only", "title": "rename it Ingredients",
     "edits": [{"line", "column", "end_line", "end_column", "content"}]}

with the edits' ranges in the same convention, all relative to the note as it was checked
(apply them from the last to the first), and `content` the range's new text. `title` and
`edits` are absent when the fix could not be placed again (the note changed during the run).
`url` is the rule's documentation. Fields are only ever added to this version, never changed.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from vaultlint.diagnostic import Applicability
from vaultlint.docs import rule_url
from vaultlint.reporters import ReportContext
from vaultlint.results import Finding, RunReport

VERSION = 1
_APPLICABILITY = {
    Applicability.SAFE: "safe",
    Applicability.UNSAFE: "unsafe",
    Applicability.DISPLAY_ONLY: "display-only",
}


def fix_dict(finding: Finding) -> dict[str, Any] | None:
    if finding.fix is None:
        return None
    fix: dict[str, Any] = {"applicability": _APPLICABILITY[finding.fix]}
    detail = finding.detail
    if detail is not None:
        fix["title"] = detail.title
        fix["edits"] = [
            {
                "line": edit.line,
                "column": edit.column,
                "end_line": edit.end_line,
                "end_column": edit.end_column,
                "content": edit.content,
            }
            for edit in detail.edits
        ]
    return fix


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
        "fix": fix_dict(finding),
        "url": rule_url(finding.rule),
    }


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    document = {
        "version": VERSION,
        "files": len(report.files),
        "diagnostics": [finding_dict(finding) for finding in report.findings],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
