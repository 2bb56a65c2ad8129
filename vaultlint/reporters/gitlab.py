"""GitLab Code Quality: a JSON array of issues for `artifacts:reports:codequality`.

Each issue has `description` (the message), `check_name` (the rule), a `fingerprint` unique in
the report (see `fingerprints.py`), `severity` (`major` for an error, `minor` for a warning) and
`location` (`path` relative to `CI_PROJECT_DIR` when set and holding the note, `lines.begin`).
Written without a BOM: GitLab refuses one.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TextIO

from vaultlint.diagnostic import Severity
from vaultlint.reporters import ReportContext
from vaultlint.reporters.fingerprints import fingerprints
from vaultlint.reporters.paths import CI_PROJECT_DIR, project_path
from vaultlint.results import Finding, RunReport

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor"}


def render(report: RunReport, out: TextIO, context: ReportContext) -> None:
    findings = [
        dataclasses.replace(finding, path=project_path(finding.path, context, CI_PROJECT_DIR))
        for finding in report.findings
    ]
    issues = [
        _issue(finding, fingerprint)
        for finding, fingerprint in zip(findings, fingerprints(findings), strict=True)
    ]
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    return {
        "description": finding.message,
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "location": {"path": finding.path, "lines": {"begin": finding.line}},
    }
